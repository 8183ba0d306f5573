"""Making tensors: from Python data (``tensor``), from NumPy (``from_numpy``), and filled ones
(``zeros``, ``ones``, ``full``, ``arange``, ``linspace``, ``eye`` ...).

Python floats become the default dtype (float32), Python ints int64 and bools bool; NumPy
arrays keep their dtype.  ``tensor`` always copies; ``from_numpy`` and ``as_tensor`` share the
array's memory when they can.
"""
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


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        if array.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


def _np_dtype(dtype):
    return None if dtype is None else _dtype.to_dtype(dtype).numpy


def _ragged_error(data):
    """Finds the first list whose length differs from its siblings', as torch reports it."""
    def shape_of(x):
        return len(x) if isinstance(x, (list, tuple)) else None

    level = [data]
    dim = 0
    while level:
        lengths = [shape_of(x) for x in level]
        first = lengths[0]
        for n in lengths:
            if n != first:
                if first is None or n is None:
                    raise TypeError("not a sequence") if n is None else ValueError(
                        "expected sequence of length {} at dim {} (got {})".format(first, dim, n))
                raise ValueError("expected sequence of length {} at dim {} (got {})".format(
                    first, dim, n))
        if first is None:
            break
        level = [y for x in level for y in x]
        dim += 1
    raise ValueError("could not convert the data to a tensor")


def _convert(data, dtype):
    """Python data (numbers, nested lists, tensors, arrays) as a NumPy array of torch's dtype."""
    if isinstance(data, np.ndarray):
        array = np.array(data, dtype=dtype)
        _dtype.from_numpy(array.dtype)          # rejects object/str arrays with torch's message
        return array
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        data = [_element(x) for x in data]
    if isinstance(data, (bool, np.bool_)):
        kind_default = np.bool_
    elif isinstance(data, (int, np.integer)):
        kind_default = np.int64
    elif isinstance(data, (float, np.floating)):
        kind_default = _dtype.get_default_dtype().numpy
    else:
        kind_default = None
    if dtype is not None:
        try:
            return np.array(data, dtype=dtype)
        except ValueError:
            _ragged_error(data)
    if kind_default is not None:
        return np.array(data, dtype=kind_default)
    try:
        array = np.array(data)
    except ValueError:
        _ragged_error(data)
    kind = array.dtype.kind
    if kind == "f":
        array = array.astype(_dtype.get_default_dtype().numpy, copy=False)
    elif kind in "iu":
        array = array.astype(np.int64, copy=False)
    elif kind == "O":
        _ragged_error(data)
    elif kind != "b":
        raise TypeError("new(): invalid data type '{}'".format(type(data).__name__))
    return array


def _element(x):
    if isinstance(x, Tensor):
        if x._array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return x._array.item()
    if isinstance(x, (list, tuple)):
        return [_element(y) for y in x]
    return x


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a tensor)."""
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = np.array(data._array, dtype=_np_dtype(dtype))
    else:
        array = _convert(data, _np_dtype(dtype))
    return _finish(array, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with a tensor or an array when no conversion is
    needed."""
    check_device(device)
    np_dtype = _np_dtype(dtype)
    if isinstance(data, Tensor):
        return data if np_dtype is None or data._array.dtype == np_dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        _dtype.from_numpy(data.dtype)
        if np_dtype is None or data.dtype == np_dtype:
            return Tensor._make(data)
        return Tensor._make(data.astype(np_dtype))
    return Tensor._make(_convert(data, np_dtype))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """Like ``as_tensor``; ``copy=True`` always copies."""
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy:
        t = Tensor._make(t._array.copy())
    if requires_grad:
        t.requires_grad_()
    return t


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError("expected np.ndarray (got {})".format(type(ndarray).__name__))
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    _dtype.from_numpy(ndarray.dtype)
    if not ndarray.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors. This means writing to this tensor will result in "
                      "undefined behavior. You may want to copy the array to protect its data or "
                      "make it writable before converting it to a tensor. This type of warning "
                      "will be suppressed for the rest of this program.", UserWarning, stacklevel=2)
    if ndarray.dtype.byteorder == ">":
        raise ValueError("given numpy array has byte order different from the native byte order. "
                         "Conversion between byte orders is currently not supported.")
    return Tensor._make(ndarray)


def from_dlpack(ext_tensor):
    """A tensor sharing memory with any DLPack-capable array (NumPy, torch, ...)."""
    return Tensor._make(np.from_dlpack(ext_tensor))


def _size(size):
    if len(size) == 1 and not isinstance(size[0], (int, np.integer)):
        size = size[0]
        if isinstance(size, Tensor):
            size = size.tolist()
    try:
        size = tuple(int(s) for s in size)
    except TypeError:
        raise TypeError("zeros(): argument 'size' must be tuple of ints, but found element of "
                        "type {} at pos 0".format(type(size[0]).__name__)) from None
    for s in size:
        if s < 0:
            raise RuntimeError("Trying to create tensor with negative dimension {}: {}".format(
                s, list(size)))
    return size


def _default(dtype):
    return _dtype.get_default_dtype().numpy if dtype is None else _dtype.to_dtype(dtype).numpy


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of the given shape filled with 0."""
    check_device(device)
    return _finish(np.zeros(_size(size), dtype=_default(dtype)), requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of the given shape filled with 1."""
    check_device(device)
    return _finish(np.ones(_size(size), dtype=_default(dtype)), requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """A tensor of the given shape whose values are whatever the memory held."""
    check_device(device)
    return _finish(np.empty(_size(size), dtype=_default(dtype)), requires_grad)


def _fill_dtype(value):
    if isinstance(value, Tensor):
        value = value.item()
    return _dtype.scalar_dtype(value).numpy


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor of the given shape filled with ``fill_value`` (its dtype follows the value)."""
    check_device(device)
    np_dtype = _np_dtype(dtype) or _fill_dtype(fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _finish(np.full(_size((size,)), fill_value, dtype=np_dtype), requires_grad)


def _like_dtype(input, dtype):
    return input._array.dtype if dtype is None else _dtype.to_dtype(dtype).numpy


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype) of ``input``."""
    return _finish(np.zeros(input._array.shape, dtype=_like_dtype(input, dtype)), requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype) of ``input``."""
    return _finish(np.ones(input._array.shape, dtype=_like_dtype(input, dtype)), requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor with the shape (and dtype) of ``input``."""
    return _finish(np.empty(input._array.shape, dtype=_like_dtype(input, dtype)), requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, with the shape (and dtype) of ``input``."""
    return _finish(np.full(input._array.shape, fill_value, dtype=_like_dtype(input, dtype)),
                   requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``."""
    check_device(device)
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, end, step))
        np_dtype = _dtype.get_default_dtype().numpy if floats else np.int64
    else:
        np_dtype = _dtype.to_dtype(dtype).numpy
    n = int(np.ceil((end - start) / step))
    array = (start + step * np.arange(n, dtype=np.float64)).astype(np_dtype) \
        if np.dtype(np_dtype).kind == "f" else np.arange(start, end, step, dtype=np_dtype)
    return _finish(array, requires_grad)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated in torch: like ``arange`` but includes ``end``; float by default."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its "
                  "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
                  "which produces values in [start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    n = int(np.floor((end - start) / step)) + 1
    array = (start + step * np.arange(n, dtype=np.float64)).astype(_default(dtype))
    return _finish(array, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    check_device(device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    array = np.linspace(_number(start), _number(end), int(steps)).astype(_default(dtype))
    return _finish(array, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced in the exponent."""
    check_device(device)
    array = np.logspace(_number(start), _number(end), int(steps), base=base).astype(
        _default(dtype))
    return _finish(array, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """An ``n`` x ``m`` matrix with ones on the diagonal."""
    check_device(device)
    if n < 0:
        raise RuntimeError("n must be greater or equal to 0, got {}".format(n))
    return _finish(np.eye(n, m, dtype=_default(dtype)), requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    """A 0-d tensor holding ``s`` (float by default)."""
    return _finish(np.array(s, dtype=_default(dtype)), requires_grad)


def is_tensor(obj):
    """True if ``obj`` is an ember tensor (or Parameter)."""
    return isinstance(obj, Tensor)


def numel(input):
    """The number of elements of ``input``."""
    return input._array.size


def is_floating_point(input):
    return input._array.dtype.kind == "f"


def is_nonzero(input):
    """The truth value of a one-element tensor."""
    if input._array.size != 1:
        if input._array.size == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._array.item())


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
    return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)


METHODS = ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full", "is_nonzero")

FUNCTIONAL = ()
