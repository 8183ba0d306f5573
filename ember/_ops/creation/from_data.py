"""Making tensors: from Python data (``tensor``), from NumPy (``from_numpy``, ``as_tensor``), and
the argument parsing every way of making one shares (``dtype_arg``, ``size_arg``).  Filled
tensors (``zeros``, ``ones``, ``full``, ``arange``, ``linspace``, ``eye`` ...) are in
``filling.py``, part of this family.

Python floats become the default dtype (float32), Python ints int64 and bools bool; NumPy
arrays and scalars keep their dtype, and a list mixing kinds takes the "largest" (torch's
promotion: ``[True, 2, 3.5]`` is float).  ``tensor`` always copies; ``from_numpy`` and
``as_tensor`` share the array's memory when they can.
"""
import warnings

import numpy as np

from ... import _errors
from ... import _dtype
from ..._device import check as check_device, move
from ..core.common import Tensor, as_int
from ..core.registry import export


_builtin_range = range          # ``range`` is also the name of a (deprecated) torch function


# ---------------------------------------------------------------- arguments and results


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        if array.dtype.kind not in "fcV":
            raise _errors.floating_to_require_grad()
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
        try:
            out.append(as_int(s))
        except TypeError:
            raise TypeError("{}(): argument 'size' failed to unpack the object at pos {} with "
                            "error \"type must be tuple of ints,but got {}\"".format(
                                fn, i + 1, type(s).__name__)) from None
    if any(s < 0 for s in out):
        if fn == "zeros":
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        raise _errors.negative_dimension(next(s for s in out if s < 0), list(out))
    return tuple(out)


# ---------------------------------------------------------------- from data


def _array_dtype(array):
    """The ember dtype of a NumPy array, with torch's errors."""
    np_dtype = array.dtype
    try:
        return _dtype.from_numpy(np_dtype)
    except TypeError:
        pass
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
            raise _errors.invalid_data_type_str()
        return _array_dtype(np.asanyarray(x))
    if isinstance(x, complex):
        return _dtype.get_default_dtype().to_complex()
    if isinstance(x, (str, bytes)):
        raise _errors.invalid_data_type_str()
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
            if target.kind in "fV":
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
            raise _errors.one_element_to_scalar()
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
        raise _errors.overflow_unpacking()
    if kind in "iu" and values.dtype.kind in "iuf":
        low, high = _limits(np_dtype)
        if values.dtype.kind in "fV":
            low = max(low, 0) if kind == "u" else low
            bad = ~np.isfinite(values) | (values < low) | (values > high)
        else:
            low = -high if kind == "u" else low          # torch lets -1 wrap round to 255
            bad = (values < low) | (values > high)
        if np.any(bad):
            raise _errors.overflow_converting(np_dtype.name)
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
        raise _errors.invalid_data_type_str()
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
        if target.kind in "fbcV":
            with np.errstate(over="ignore"):
                return np.array(data, dtype=target)
        values = np.array(data)
    except OverflowError:
        raise _errors.overflow_unpacking()
    return values if values.dtype == target else _cast(values, target)


@export("torch")
def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a tensor)."""
    device = check_device(device)
    dtype = dtype_arg(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = np.array(data._array, dtype=None if dtype is None else dtype.numpy)
    else:
        array = _from_data(data, dtype)
    return _finish(move(array, device), requires_grad)


@export("torch")
def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with a tensor or an array when no conversion is
    needed."""
    if device is not None:
        return as_tensor(data, dtype).to(check_device(device))
    dtype = dtype_arg(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None or data._array.dtype == dtype.numpy else data.to(dtype)
    if isinstance(data, np.ndarray):
        found = _check_array(data)
        if dtype is None or dtype is found:
            return Tensor._make(data)
        return Tensor._make(data.astype(dtype.numpy))
    return Tensor._make(_from_data(data, dtype))


@export("torch")
def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Like ``as_tensor``; ``copy=True`` always copies (and ``copy=False`` never does)."""
    t = as_tensor(obj, dtype=dtype_arg(dtype, "asarray"), device=device)
    if copy:
        t = Tensor._make(t._array.copy())
    if requires_grad:
        t.requires_grad_()
    return t


@export("torch")
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


@export("torch")
def from_dlpack(ext_tensor):
    """A tensor sharing memory with any DLPack-capable array (NumPy, torch, ...)."""
    return Tensor._make(np.from_dlpack(ext_tensor))


@export("Tensor")
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


# ---------------------------------------------------------------- queries


@export("torch")
def is_tensor(obj):
    """True if ``obj`` is an ember tensor (or Parameter)."""
    return isinstance(obj, Tensor)


@export("torch")
def numel(input):
    """The number of elements of ``input``."""
    return input._array.size


@export("torch")
def is_floating_point(input):
    """True for tensors of a floating-point dtype."""
    return input._array.dtype.kind in "fV"


@export("torch", "Tensor")
def is_nonzero(input):
    """The truth value of a one-element tensor."""
    if input._array.size != 1:
        if input._array.size == 0:
            raise _errors.ambiguous_bool(empty=True)
        raise _errors.ambiguous_bool(empty=False)
    return bool(input._array.item())
