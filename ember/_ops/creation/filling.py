"""Filled tensors: constants (``zeros``, ``ones``, ``full``, ``empty``, ``eye``, and the
``*_like`` and ``new_*`` variants) and evenly spaced values (``arange``, ``range``,
``linspace``, ``logspace``).  Part of the creation family (``creation.py``).

``arange`` and ``linspace`` compute their values exactly as torch's CPU kernels do (in double
precision for ``arange``, in the result's precision for ``linspace``), so that the numbers --
and how they print -- agree to the last bit.
"""
import operator
import warnings

import numpy as np

from ... import _errors
from ... import _dtype
from ..._device import CPU, check as check_device, move, of_array, place
from ..core.common import Tensor
from ..core.operands import check_fits
from .from_data import _finish, dtype_arg, size_arg
from ..core.registry import export


# ---------------------------------------------------------------- one value everywhere


def _sizes(sizes, size, fn):
    """The size of ``zeros(2, 3)`` or of ``zeros(size=(2, 3))``."""
    if not sizes:
        if size is None:
            raise TypeError('{}() missing 1 required positional arguments: "size"'.format(fn))
        sizes = (size,)
    return size_arg(sizes, fn)


def _default(dtype, fn):
    """The NumPy dtype of a ``dtype=`` argument; None means the default dtype."""
    if dtype is None:
        return _dtype.get_default_dtype().numpy
    return dtype_arg(dtype, fn).numpy


def _out(out, array, requires_grad, device=CPU):
    """The result on ``device``, or written into ``out=`` (resized to it, as torch does)."""
    if device is not CPU:
        array = place(array, device)
    if out is None:
        return _finish(array, requires_grad) if requires_grad else Tensor._make(array)
    out._array = array.astype(out._array.dtype, copy=False)
    out._bump_version()
    return out


@export("torch")
def zeros(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """A tensor of the given shape filled with 0."""
    device = check_device(device)
    return _out(out, np.zeros(_sizes(sizes, size, "zeros"), dtype=_default(dtype, "zeros")),
                requires_grad, device)


@export("torch")
def ones(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor of the given shape filled with 1."""
    device = check_device(device)
    array = np.empty(_sizes(sizes, size, "ones"), dtype=_default(dtype, "ones"))
    array.fill(1)
    return _out(out, array, requires_grad, device)


@export("torch")
def empty(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """A tensor of the given shape whose values are whatever the memory held (here: zeros,
    which is one of the things it may hold)."""
    device = check_device(device)
    return _out(out, np.zeros(_sizes(sizes, size, "empty"), dtype=_default(dtype, "empty")),
                requires_grad, device)


def _fill_value(value, fn):
    if isinstance(value, Tensor):
        if value._array.size != 1:
            raise RuntimeError("{} only supports 0-dimension value tensor but got tensor with {} "
                               "dimensions.".format(fn, value._array.ndim))
        value = value._array.reshape(()).item()
    elif isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (int, float, bool, complex)):
        raise TypeError("{}(): argument 'fill_value' (position 2) must be Number, not {}".format(
            fn, type(value).__name__))
    return value


def _filled(shape, value, np_dtype):
    from ..indexing.writing import checked_scalar
    value = checked_scalar(value, np_dtype)
    array = np.empty(shape, dtype=np_dtype)
    with np.errstate(over="ignore"):
        array.fill(value)
    return array


@export("torch")
def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of the given shape filled with ``fill_value`` (its dtype follows the value: a
    bool gives bool, an int int64, a float the default dtype)."""
    device = check_device(device)
    if not isinstance(size, (tuple, list)):
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not "
                        + type(size).__name__)
    shape = size_arg((size,), "full")
    value = _fill_value(fill_value, "full")
    dtype = dtype_arg(dtype, "full")
    np_dtype = (dtype or _dtype.scalar_dtype(value)).numpy
    return _out(out, _filled(shape, value, np_dtype), requires_grad, device)


def _like(input, dtype, fn):
    if not isinstance(input, Tensor):
        raise _errors.input_must_be_tensor(fn, type(input).__name__)
    dtype = dtype_arg(dtype, fn)
    return input._array, input._array.dtype if dtype is None else dtype.numpy


def _like_array(fill, array, np_dtype, device):
    """An array shaped (and strided, like torch's ``preserve_format``) as ``array``, filled with
    ``fill``, on ``device`` (None: ``array``'s device)."""
    out = _strided_like(fill, array, np_dtype)
    return move(out, of_array(array) if device is None else check_device(device))


def _strided_like(fill, array, np_dtype):
    out = np.empty_like(array, dtype=np_dtype) if array.ndim > 1 and not \
        array.flags.c_contiguous else np.empty(array.shape, dtype=np_dtype)
    with np.errstate(over="ignore"):
        out.fill(fill)
    return out


@export("torch")
def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype) of ``input``."""
    array, np_dtype = _like(input, dtype, "zeros_like")
    return _finish(_like_array(0, array, np_dtype, device), requires_grad)


@export("torch")
def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype) of ``input``."""
    array, np_dtype = _like(input, dtype, "ones_like")
    return _finish(_like_array(1, array, np_dtype, device), requires_grad)


@export("torch")
def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor with the shape (and dtype) of ``input`` (here: zeros)."""
    array, np_dtype = _like(input, dtype, "empty_like")
    return _finish(_like_array(0, array, np_dtype, device), requires_grad)


@export("torch")
def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, with the shape and dtype of ``input``."""
    array, np_dtype = _like(input, dtype, "full_like")
    from ..indexing.writing import checked_scalar
    value = checked_scalar(_fill_value(fill_value, "full_like"), np.dtype(np_dtype))
    return _finish(_like_array(value, array, np_dtype, device), requires_grad)


@export("Tensor")
def new_zeros(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    """Zeros of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_zeros") or self.dtype
    return zeros(_sizes(sizes, size, "new_zeros"), dtype=dtype, requires_grad=requires_grad,
                 device=self.device if device is None else device)


@export("Tensor")
def new_ones(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """Ones of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_ones") or self.dtype
    return ones(_sizes(sizes, size, "new_ones"), dtype=dtype, requires_grad=requires_grad,
                device=self.device if device is None else device)


@export("Tensor")
def new_empty(self, *sizes, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    """An uninitialised tensor of the given size, with this tensor's dtype."""
    dtype = dtype_arg(dtype, "new_empty") or self.dtype
    return empty(_sizes(sizes, size, "new_empty"), dtype=dtype, requires_grad=requires_grad,
                 device=self.device if device is None else device)


@export("Tensor")
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """``fill_value`` everywhere, with the given size and this tensor's dtype."""
    return full(size, fill_value, dtype=dtype_arg(dtype, "new_full") or self.dtype,
                requires_grad=requires_grad, device=self.device if device is None else device)


@export("torch")
def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    """An ``n`` x ``m`` matrix with ones on the diagonal."""
    device = check_device(device)
    if isinstance(n, float):
        raise TypeError("eye(): argument 'n' (position 1) must be int, not float")
    if n < 0:
        raise RuntimeError("n must be greater or equal to 0, got {}".format(n))
    if m is not None and m < 0:
        raise RuntimeError("m must be greater or equal to 0, got {}".format(m))
    return _out(out, np.eye(n, m, dtype=_default(dtype, "eye")), requires_grad, device)


@export("torch")
def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A 0-d tensor holding ``s`` (of the default dtype unless ``dtype`` is given)."""
    return _finish(place(np.array(_number(s), dtype=_default(dtype, "scalar_tensor")),
                         check_device(device)), requires_grad)


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
    return (long(start) + long(step) * np.asanyarray(i).astype(long)).astype(np.float64)


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


@export("torch")
def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``: ``ceil((end -
    start) / step)`` of them (computed in double precision, as torch does)."""
    if (type(start) is int and type(step) is int and step > 0 and dtype is None and out is None
            and not requires_grad and device is None and (start >= 0 if end is None else
                                       type(end) is int and end >= start)):
        return Tensor._make(np.arange(start, end, step, dtype=np.int64) if end is not None
                            else np.arange(start, dtype=np.int64))    # the common case, short
    device = check_device(device)
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
        raise _errors.step_nonzero()
    if not (np.isfinite(start) and np.isfinite(end)):
        raise RuntimeError("unsupported range: {} -> {}".format(start, end))
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise _errors.step_sign()
    if np_dtype.kind in "iu":
        if not -2 ** 63 <= end < 2 ** 63:
            raise RuntimeError("value cannot be converted to type int64_t without overflow")
        end = int(end)             # the sign was checked on the given end, the length uses this
    if np_dtype.kind in "iu" and all(isinstance(v, int) for v in (start, end, step)):
        n = max(-((start - end) // step), 0)
        values = (start + step * np.arange(n, dtype=np.int64)).astype(np_dtype)
    else:
        n = int(np.ceil((float(end) - float(start)) / float(step)))
        values = _arange_values(start, step, n, np_dtype) if np_dtype.kind == "f" else \
            np.trunc(_exact(start, step, np.arange(n))).astype(np_dtype)
    return _out(out, values, requires_grad, device)


def _int_range_args(start, end, step):
    """Integer ranges with float arguments: torch casts start and step to integers first (so a
    fractional step can become 0)."""
    if step != 0 and int(step) == 0:
        raise ValueError("step must be nonzero")
    return int(start), end, int(step)


@export("torch")
def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """Deprecated in torch: like ``arange`` but includes ``end``; float by default."""
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    device = check_device(device)
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    start, end, step = float(_number(start)), float(_number(end)), float(_number(step))
    if step == 0:
        raise _errors.step_nonzero()
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise _errors.step_sign()
    n = int((end - start) / step) + 1
    return _out(out, _exact(start, step, np.arange(n)).astype(_default(dtype, "range")),
                requires_grad, device)


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


@export("torch")
def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    device = check_device(device)
    steps = _steps_arg(steps, "linspace", start, end)
    np_dtype = np.dtype(_default(dtype, "linspace"))
    for bound in (start, end):
        if not isinstance(bound, Tensor):
            check_fits(bound, np_dtype)
    values = _linspace_values(_number(start), _number(end), steps, np_dtype)
    return _out(out, values, requires_grad, device)


@export("torch")
def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced in the exponent
    (torch's kernel: exponents from both ends, in double, then ``pow`` in double)."""
    device = check_device(device)
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
    return _out(out, values.astype(np_dtype), requires_grad, device)


