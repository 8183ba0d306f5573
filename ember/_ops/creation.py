"""Making tensors: from Python data (``tensor``), from NumPy (``from_numpy``), and filled ones
(``zeros``, ``ones``, ``full``, ``arange``, ``linspace``, ``eye`` ...).

Python floats become the default dtype (float32), Python ints int64 and bools bool; NumPy
arrays and scalars keep their dtype, and a list mixing kinds takes the "largest" (torch's
promotion: ``[True, 2, 3.5]`` is float).  ``tensor`` always copies; ``from_numpy`` and
``as_tensor`` share the array's memory when they can.

``arange`` and ``linspace`` compute their values exactly as torch's CPU kernels do (in double
precision for ``arange``, in the result's precision for ``linspace``), so that the numbers --
and how they print -- agree to the last bit.
"""
import operator
import warnings

import numpy as np

from .. import _dtype
from .._device import check as check_device
from .common import Tensor

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
           "logspace", "eye", "scalar_tensor", "from_dlpack", "is_tensor", "numel",
           "is_floating_point", "is_nonzero"]

_builtin_range = range
_COMPLEX = "ember has no complex dtypes (got {})"


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        if array.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


def _type_name(x):
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else t.__module__ + "." + t.__name__


def dtype_arg(dtype, fn):
    """A ``dtype=`` argument as an ember dtype (None stays None).  Python's ``float`` means
    float64 here, as in torch."""
    if dtype is None or isinstance(dtype, _dtype.dtype):
        return dtype
    if dtype is float:
        return _dtype.float64
    if dtype is int:
        return _dtype.int64
    if dtype is bool:
        return _dtype.bool_
    raise TypeError("{}(): argument 'dtype' must be torch.dtype, not {}".format(
        fn, type(dtype).__name__))


# ---------------------------------------------------------------- from data


def _array_dtype(array):
    """The ember dtype of a NumPy array, with torch's errors (and ember's for complex)."""
    np_dtype = array.dtype
    try:
        return _dtype.from_numpy(np_dtype)
    except TypeError:
        pass
    if np_dtype.kind == "c":
        raise TypeError(_COMPLEX.format("np.ndarray of type " + np_dtype.name))
    if np_dtype.kind == "u":
        raise TypeError("ember has no {} dtype: can't convert np.ndarray of type {}".format(
            np_dtype.name, np_dtype.name))
    raise TypeError("can't convert np.ndarray of type numpy.{}. The only supported types are: "
                    "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                    "uint64, uint32, uint16, uint8, and bool.".format(np_dtype.type.__name__))


def _check_array(array):
    """torch's checks of a NumPy array it is given: byte order, strides, dtype."""
    if not array.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. "
                         "Conversion between byte orders is currently not supported.")
    if any(s < 0 for s in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return _array_dtype(array)


def _leaf_dtype(x):
    """The dtype a single value asks for (torch's ``infer_scalar_type``)."""
    t = type(x)
    if t is float:
        return _dtype.get_default_dtype()
    if t is int:
        return _dtype.int64
    if t is bool:
        return _dtype.bool_
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, (np.generic, np.ndarray)):
        if isinstance(x, (np.str_, np.bytes_)):
            raise TypeError("new(): invalid data type 'str'")
        return _array_dtype(np.asarray(x))
    if isinstance(x, complex):
        raise TypeError(_COMPLEX.format("complex"))
    if isinstance(x, (str, bytes)):
        raise TypeError("new(): invalid data type 'str'")
    raise RuntimeError("Could not infer dtype of " + t.__name__)


def _is_sequence(x):
    return isinstance(x, (list, tuple, _builtin_range)) or (
        isinstance(x, np.ndarray) and x.ndim > 0)


def _infer(obj):
    """The promoted dtype of all values in nested sequences (an empty one: the default)."""
    if not _is_sequence(obj):
        return _leaf_dtype(obj)
    if isinstance(obj, np.ndarray):
        return _array_dtype(obj)
    result = None
    for item in obj:
        d = _infer(item)
        result = d if result is None else _dtype.promote_types(result, d)
    return result or _dtype.get_default_dtype()


def _shape(data):
    """The shape torch reads off nested sequences: the lengths along the first elements."""
    sizes = []
    seq = data
    while _is_sequence(seq):
        n = len(seq)
        sizes.append(n)
        if n == 0:
            break
        seq = seq[0]
        if isinstance(seq, str):
            raise ValueError("too many dimensions 'str'")
    return sizes


def _check_shape(obj, dim, sizes, target):
    """Every sequence has the length of the first one at its depth, and numbers sit at the
    bottom (torch's errors otherwise, in torch's depth-first order)."""
    if dim == len(sizes):
        if _is_sequence(obj):
            name = type(obj).__name__
            if target.kind == "f":
                raise TypeError("must be real number, not " + name)
            raise TypeError("'{}' object cannot be interpreted as an integer".format(name))
        return
    if not _is_sequence(obj):
        raise TypeError("not a sequence")
    n = len(obj)
    if n != sizes[dim]:
        raise ValueError("expected sequence of length {} at dim {} (got {})".format(
            sizes[dim], dim, n))
    for item in obj:
        _check_shape(item, dim + 1, sizes, target)


def _plain(obj):
    """``obj`` with the tensors in it replaced by their values (tensors inside data count as
    numbers, as in torch)."""
    if isinstance(obj, Tensor):
        if obj._array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if obj._requires_grad:
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=5)
        return obj._array.reshape(())[()]
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    return obj


def _fast_dtype(data):
    """The dtype of a flat list (or list of equal-length lists) of Python numbers, else None."""
    types = set(map(type, data))
    if types and all(t is list or t is tuple for t in types):
        if len(set(map(len, data))) != 1:
            return None
        rows = types
        types = set()
        for row in data:
            types.update(map(type, row))
        if not types and rows:
            return None
    if not types or not types <= {float, int, bool}:
        return None
    if float in types:
        return _dtype.get_default_dtype()
    return _dtype.int64 if int in types else _dtype.bool_


def _limits(np_dtype):
    info = np.iinfo(np_dtype)
    return int(info.min), int(info.max)


def _cast(values, np_dtype):
    """Python data (as NumPy read it) converted to ``np_dtype`` with torch's overflow checks."""
    kind = np_dtype.kind
    if values.dtype.kind == "O" or values.dtype == np.uint64:
        raise ValueError("Overflow when unpacking long long")
    if kind in "iu" and values.dtype.kind in "iuf":
        low, high = _limits(np_dtype)
        if values.dtype.kind == "f":
            low = max(low, 0) if kind == "u" else low
            bad = ~np.isfinite(values) | (values < low) | (values > high)
        else:
            low = -high if kind == "u" else low          # torch lets -1 wrap round to 255
            bad = (values < low) | (values > high)
        if np.any(bad):
            raise RuntimeError("value cannot be converted to type {} without overflow".format(
                np_dtype.name))
        if kind == "u" and values.dtype.kind == "i":
            return (values % (high + 1)).astype(np_dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return values.astype(np_dtype)


def _from_data(data, dtype):
    """Python data or a NumPy array as a new NumPy array of torch's dtype (``dtype`` if given)."""
    if isinstance(data, np.ndarray):
        found = _check_array(data)
        return np.array(data, dtype=(dtype or found).numpy)
    if type(data) is list or type(data) is tuple:
        found = _fast_dtype(data)
        if found is not None:
            return _values(data, (dtype or found).numpy)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray):
        _warn_list_of_arrays()
    sizes = _shape(data)
    target = (dtype or _infer(data)).numpy
    if 0 in sizes:
        return np.zeros(sizes, dtype=target)
    _check_shape(data, 0, sizes, target)
    return _values(_plain(data), target)


_warned = set()


def _warn_list_of_arrays():
    """torch gives this advice once per process (TORCH_WARN_ONCE), before any other check."""
    if "list of arrays" not in _warned:
        _warned.add("list of arrays")
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                      "consider converting the list to a single numpy.ndarray with numpy.array() "
                      "before converting to a tensor.", UserWarning, stacklevel=4)


def _values(data, target):
    """Well-formed nested data as an array of ``target`` (torch's conversion rules)."""
    try:
        if target.kind in "fb":
            with np.errstate(over="ignore"):
                return np.array(data, dtype=target)
        values = np.array(data)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    return values if values.dtype == target else _cast(values, target)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a tensor)."""
    check_device(device)
    dtype = dtype_arg(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = np.array(data._array, dtype=None if dtype is None else dtype.numpy)
    else:
        array = _from_data(data, dtype)
    return _finish(array, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with a tensor or an array when no conversion is
    needed."""
    check_device(device)
    dtype = dtype_arg(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None or data._array.dtype == dtype.numpy else data.to(dtype)
    if isinstance(data, np.ndarray):
        found = _check_array(data)
        if dtype is None or dtype is found:
            return Tensor._make(data)
        return Tensor._make(data.astype(dtype.numpy))
    return Tensor._make(_from_data(data, dtype))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Like ``as_tensor``; ``copy=True`` always copies (and ``copy=False`` never does)."""
    t = as_tensor(obj, dtype=dtype_arg(dtype, "asarray"), device=device)
    if copy:
        t = Tensor._make(t._array.copy())
    if requires_grad:
        t.requires_grad_()
    return t


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError("expected np.ndarray (got {})".format(_type_name(ndarray)))
    _check_array(ndarray)
    if not ndarray.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors. This means writing to this tensor will result in "
                      "undefined behavior. You may want to copy the array to protect its data or "
                      "make it writable before converting it to a tensor. This type of warning "
                      "will be suppressed for the rest of this program.", UserWarning, stacklevel=2)
    return Tensor._make(ndarray)


def from_dlpack(ext_tensor):
    """A tensor sharing memory with any DLPack-capable array (NumPy, torch, ...)."""
    return Tensor._make(np.from_dlpack(ext_tensor))


# ---------------------------------------------------------------- filled tensors


def size_arg(size, fn):
    """A size given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(Size)``, as a tuple."""
    if len(size) == 1 and type(size[0]) is not int:
        arg = size[0]
        if isinstance(arg, (tuple, list)):
            size = arg
        elif isinstance(arg, (float, str, bool)) or arg is None:
            raise TypeError("{}(): argument 'size' (position 1) must be tuple of ints, not {}"
                            .format(fn, type(arg).__name__))
    for s in size:
        if type(s) is not int or s < 0:
            break
    else:
        return tuple(size)                     # the usual case: plain non-negative ints
    out = []
    for i, s in enumerate(size):
        if type(s) is not int:
            try:
                if isinstance(s, float):
                    raise TypeError
                s = operator.index(s)
            except TypeError:
                raise TypeError("{}(): argument 'size' failed to unpack the object at pos {} with "
                                "error \"type must be tuple of ints,but got {}\"".format(
                                    fn, i + 1, type(s).__name__)) from None
        out.append(s)
    if any(s < 0 for s in out):
        if fn == "zeros":
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        raise RuntimeError("Trying to create tensor with negative dimension {}: {}".format(
            next(s for s in out if s < 0), list(out)))
    return tuple(out)


def _sizes(sizes, size, fn):
    """The size of ``zeros(2, 3)`` or of ``zeros(size=(2, 3))``."""
    if not sizes:
        if size is None:
            raise TypeError('{}() missing 1 required positional arguments: "size"'.format(fn))
        sizes = (size,)
    return size_arg(sizes, fn)


def _default(dtype, fn):
    dtype = dtype_arg(dtype, fn)
    return (_dtype.get_default_dtype() if dtype is None else dtype).numpy


def _out(out, array, requires_grad):
    """The result, or written into ``out=`` (resized to it, as torch does)."""
    if out is None:
        return _finish(array, requires_grad)
    out._array = array.astype(out._array.dtype, copy=False)
    out._bump_version()
    return out


def zeros(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """A tensor of the given shape filled with 0."""
    check_device(device)
    return _out(out, np.zeros(_sizes(sizes, size, "zeros"), dtype=_default(dtype, "zeros")),
                requires_grad)


def ones(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor of the given shape filled with 1."""
    check_device(device)
    array = np.empty(_sizes(sizes, size, "ones"), dtype=_default(dtype, "ones"))
    array.fill(1)
    return _out(out, array, requires_grad)


def empty(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """A tensor of the given shape whose values are whatever the memory held (here: zeros,
    which is one of the things it may hold)."""
    check_device(device)
    return _out(out, np.zeros(_sizes(sizes, size, "empty"), dtype=_default(dtype, "empty")),
                requires_grad)


def _fill_value(value, fn):
    if isinstance(value, Tensor):
        if value._array.size != 1:
            raise RuntimeError("{} only supports 0-dimension value tensor but got tensor with {} "
                               "dimensions.".format(fn, value._array.ndim))
        value = value._array.reshape(()).item()
    elif isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (int, float, bool)):
        if isinstance(value, complex):
            raise TypeError(_COMPLEX.format("complex"))
        raise TypeError("{}(): argument 'fill_value' (position 2) must be Number, not {}".format(
            fn, type(value).__name__))
    return value


def _filled(shape, value, np_dtype):
    from .indexing import checked_scalar
    value = checked_scalar(value, np_dtype)
    array = np.empty(shape, dtype=np_dtype)
    with np.errstate(over="ignore"):
        array.fill(value)
    return array


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of the given shape filled with ``fill_value`` (its dtype follows the value: a
    bool gives bool, an int int64, a float the default dtype)."""
    check_device(device)
    if not isinstance(size, (tuple, list)):
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not "
                        + type(size).__name__)
    shape = size_arg((size,), "full")
    value = _fill_value(fill_value, "full")
    dtype = dtype_arg(dtype, "full")
    np_dtype = (dtype or _dtype.scalar_dtype(value)).numpy
    return _out(out, _filled(shape, value, np_dtype), requires_grad)


def _like(input, dtype, fn):
    if not isinstance(input, Tensor):
        raise TypeError("{}(): argument 'input' (position 1) must be Tensor, not {}".format(
            fn, type(input).__name__))
    dtype = dtype_arg(dtype, fn)
    return input._array, input._array.dtype if dtype is None else dtype.numpy


def _like_array(fill, array, np_dtype):
    """An array shaped (and strided, like torch's ``preserve_format``) as ``array``."""
    out = np.empty_like(array, dtype=np_dtype) if array.ndim > 1 and not \
        array.flags.c_contiguous else np.empty(array.shape, dtype=np_dtype)
    with np.errstate(over="ignore"):
        out.fill(fill)
    return out


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype) of ``input``."""
    array, np_dtype = _like(input, dtype, "zeros_like")
    return _finish(_like_array(0, array, np_dtype), requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype) of ``input``."""
    array, np_dtype = _like(input, dtype, "ones_like")
    return _finish(_like_array(1, array, np_dtype), requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor with the shape (and dtype) of ``input`` (here: zeros)."""
    array, np_dtype = _like(input, dtype, "empty_like")
    return _finish(_like_array(0, array, np_dtype), requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, with the shape and dtype of ``input``."""
    array, np_dtype = _like(input, dtype, "full_like")
    from .indexing import checked_scalar
    value = checked_scalar(_fill_value(fill_value, "full_like"), np.dtype(np_dtype))
    return _finish(_like_array(value, array, np_dtype), requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    """A new tensor from ``data``, with this tensor's dtype unless ``dtype`` is given."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = data._array.astype((dtype_arg(dtype, "new_tensor") or self.dtype).numpy)
        return _finish(array, requires_grad)
    return _finish(_from_data(data, dtype_arg(dtype, "new_tensor") or self.dtype),
                   requires_grad)


def new_zeros(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    """Zeros of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_zeros") or self.dtype
    return zeros(_sizes(sizes, size, "new_zeros"), dtype=dtype, requires_grad=requires_grad)


def new_ones(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """Ones of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_ones") or self.dtype
    return ones(_sizes(sizes, size, "new_ones"), dtype=dtype, requires_grad=requires_grad)


def new_empty(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    """An uninitialised tensor of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_empty") or self.dtype
    return empty(_sizes(sizes, size, "new_empty"), dtype=dtype, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """``fill_value`` everywhere, with the given size and this tensor's dtype."""
    return full(size, fill_value, dtype=dtype_arg(dtype, "new_full") or self.dtype,
                requires_grad=requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    """An ``n`` x ``m`` matrix with ones on the diagonal."""
    check_device(device)
    if isinstance(n, float):
        raise TypeError("eye(): argument 'n' (position 1) must be int, not float")
    if n < 0:
        raise RuntimeError("n must be greater or equal to 0, got {}".format(n))
    if m is not None and m < 0:
        raise RuntimeError("m must be greater or equal to 0, got {}".format(m))
    return _out(out, np.eye(n, m, dtype=_default(dtype, "eye")), requires_grad)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A 0-d tensor holding ``s`` (of the default dtype unless ``dtype`` is given)."""
    return _finish(np.array(_number(s), dtype=_default(dtype, "scalar_tensor")), requires_grad)


# ---------------------------------------------------------------- ranges


def _number(x):
    if isinstance(x, Tensor):
        return x._array.item()
    if isinstance(x, np.generic):
        return x.item()
    return x


def _exact(start, step, i):
    """``start + step * i`` rounded once from the exact value (a fused multiply-add, which is
    how torch's compiled kernels evaluate it)."""
    long = np.longdouble
    return (long(start) + long(step) * np.asarray(i).astype(long)).astype(np.float64)


# torch's arange kernel fills vectors of 8 (float) or 4 (double) lanes, two vectors at a time,
# from a base rounded to the result's dtype; the leftover tail is computed element by element.
_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _arange_values(start, step, n, np_dtype):
    i = np.arange(n)
    values = _exact(start, step, i)
    lanes = _LANES.get(np_dtype)
    if lanes is not None:
        vectorized = n - n % (2 * lanes)
        iv = i[:vectorized]
        lane = iv % lanes
        base = _exact(start, step, iv - lane).astype(np_dtype)
        values[:vectorized] = _exact(base, step, lane)
    return values.astype(np_dtype)


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``: ``ceil((end -
    start) / step)`` of them (computed in double precision, as torch does)."""
    if (type(start) is int and type(step) is int and step > 0 and dtype is None and out is None
            and not requires_grad and (start >= 0 if end is None else
                                       type(end) is int and end >= start)):
        return Tensor._make(np.arange(start, end, step, dtype=np.int64) if end is not None
                            else np.arange(start, dtype=np.int64))    # the common case, short
    check_device(device)
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    dtype = dtype_arg(dtype, "arange")
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, end, step))
        np_dtype = _dtype.get_default_dtype().numpy if floats else np.dtype(np.int64)
    else:
        np_dtype = dtype.numpy
    if np_dtype.kind == "b":
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if np_dtype.kind in "iu":
        start, end, step = _int_range_args(start, end, step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (np.isfinite(start) and np.isfinite(end)):
        raise RuntimeError("unsupported range: {} -> {}".format(start, end))
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if np_dtype.kind in "iu" and all(isinstance(v, int) for v in (start, end, step)):
        n = max(-((start - end) // step), 0)
        values = (start + step * np.arange(n, dtype=np.int64)).astype(np_dtype)
    else:
        n = int(np.ceil((float(end) - float(start)) / float(step)))
        values = _arange_values(start, step, n, np_dtype) if np_dtype.kind == "f" else \
            np.trunc(_exact(start, step, np.arange(n))).astype(np_dtype)
    return _out(out, values, requires_grad)


def _int_range_args(start, end, step):
    """Integer ranges with float arguments: torch casts start and step to integers first (so a
    fractional step can become 0)."""
    if step != 0 and int(step) == 0:
        raise ValueError("step must be nonzero")
    return int(start), end, int(step)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """Deprecated in torch: like ``arange`` but includes ``end``; float by default."""
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    start, end, step = float(_number(start)), float(_number(end)), float(_number(step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = int((end - start) / step) + 1
    return _out(out, _exact(start, step, np.arange(n)).astype(_default(dtype, "range")),
                requires_grad)


_RANGE_KWARGS = ("*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                 "torch.device device = None, bool pin_memory = False, bool requires_grad = "
                 "False")


def _steps_arg(steps, fn, start, end):
    if isinstance(steps, float) or not hasattr(steps, "__index__"):
        base = "float base = 10.0, " if fn == "logspace" else ""
        kinds = [("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                 ("Number", "Number")]
        raise TypeError("{}() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n".format(fn, ", ".join(
                            type(v).__name__ for v in (start, end, steps))) + "".join(
            " * ({} start, {} end, int steps, {}{})\n".format(a, b, base, _RANGE_KWARGS)
            for a, b in kinds))
    steps = operator.index(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


def _linspace_values(start, end, steps, np_dtype):
    """torch's linspace kernel: the step computed in the result's precision (double for
    integers); the first half counted up from ``start``, the second half down from ``end``, so
    that both ends come out exact."""
    if steps == 0:
        return np.zeros(0, dtype=np_dtype)
    integral = np_dtype.kind in "iu"
    work = np.dtype(np.float64) if integral else np_dtype
    s = int(start) if integral else work.type(start)
    e = int(end) if integral else work.type(end)
    if steps == 1:
        return np.array([s], dtype=np_dtype)
    step = work.type((work.type(e) - work.type(s)) / work.type(steps - 1))
    i = np.arange(steps)
    up = _exact(s, step, i)
    down = _exact(e, -step, steps - 1 - i)
    values = np.where(i < steps // 2, up, down)
    if integral:
        return np.trunc(values).astype(np_dtype)
    return values.astype(np_dtype)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    check_device(device)
    steps = _steps_arg(steps, "linspace", start, end)
    np_dtype = np.dtype(_default(dtype, "linspace"))
    values = _linspace_values(_number(start), _number(end), steps, np_dtype)
    return _out(out, values, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced in the exponent
    (torch's kernel: exponents from both ends, in double, then ``pow`` in double)."""
    check_device(device)
    steps = _steps_arg(steps, "logspace", start, end)
    np_dtype = np.dtype(_default(dtype, "logspace"))
    start, end = _number(start), _number(end)
    if steps <= 1:
        exponents = np.full(steps, float(start))
    else:
        work = np_dtype.type if np_dtype.kind == "f" else int
        s, e = work(start), work(end)
        step = float(e - s) / (steps - 1)
        i = np.arange(steps)
        exponents = np.where(i < steps // 2, _exact(s, step, i), _exact(e, -step, steps - 1 - i))
    with np.errstate(over="ignore"):
        values = np.power(float(base), exponents)
    if np_dtype.kind in "iu":
        values = np.trunc(values)
    return _out(out, values.astype(np_dtype), requires_grad)


# ---------------------------------------------------------------- queries


def is_tensor(obj):
    """True if ``obj`` is an ember tensor (or Parameter)."""
    return isinstance(obj, Tensor)


def numel(input):
    """The number of elements of ``input``."""
    return input._array.size


def is_floating_point(input):
    """True for tensors of a floating-point dtype."""
    return input._array.dtype.kind == "f"


def is_nonzero(input):
    """The truth value of a one-element tensor."""
    if input._array.size != 1:
        if input._array.size == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._array.item())


METHODS = ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full", "is_nonzero")

FUNCTIONAL = ()
