"""Helpers shared by the operation families: operands, type promotion, dimensions, broadcasting."""
import numbers
import operator

import numpy as np

from ... import _errors
from ... import _dtype
from ..._tensor import Tensor, _wrap_dim

__all__ = ["Tensor", "as_tensor_operand", "binary_dtype", "wrap_dim", "dims_of", "sum_to_shape",
           "broadcast_shapes", "check_broadcast", "is_number"]

wrap_dim = _wrap_dim
_SCALAR_TYPES = (int, float, bool)


def is_number(x):
    """True for Python and NumPy scalars (what may stand beside a tensor in ``x * 2``)."""
    return isinstance(x, (numbers.Number, np.bool_))


def as_tensor_operand(x, name="other"):
    """Accepts a tensor or a number; anything else is torch's TypeError."""
    if isinstance(x, Tensor) or is_number(x):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    raise TypeError("{}(): argument '{}' must be Tensor or Number, not {}".format(
        "op", name, type(x).__name__))


def binary_dtype(a, b):
    """The NumPy dtype ``a op b`` must be computed in, or None when NumPy already gives torch's
    answer (same dtypes, or a Python number no "bigger" in kind than the tensor)."""
    if isinstance(a, Tensor):
        da = a._array.dtype
        if isinstance(b, Tensor):
            if b._array.dtype is da:
                return None
        elif type(b) in _SCALAR_TYPES:
            kind = da.kind
            if type(b) is float:
                if kind == "f":
                    return None
            elif kind != "b" or type(b) is bool:
                return None
    elif isinstance(b, Tensor) and type(a) in _SCALAR_TYPES:
        return binary_dtype(b, a)
    return _dtype.result_type(a, b).numpy


def as_int(value):
    """``value`` as a Python int: ints, NumPy integers and one-element integer tensors qualify
    (``operator.index``), floats do not.  TypeError otherwise."""
    if type(value) is int:
        return value
    if isinstance(value, float):
        raise TypeError("float is not an integer")
    return operator.index(value)


def dims_of(dim, ndim):
    """A dim argument (None, an int, or a sequence) as a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (_wrap_dim(int(dim), ndim),)
    dims = tuple(sorted(_wrap_dim(int(d), ndim) for d in dim))
    if len(set(dims)) != len(dims):
        raise RuntimeError("dim {} appears multiple times in the list of dims".format(
            next(d for d in dims if dims.count(d) > 1)))
    return dims


def broadcast_shapes(*shapes):
    """The shape that the given shapes broadcast to, with torch's error when they do not."""
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s, ndim - len(s)):
            if n != 1:
                if result[i] != 1 and result[i] != n:
                    raise _errors.size_mismatch(result[i], n, i)
                result[i] = n
    return tuple(result)


def check_broadcast(a_shape, b_shape):
    """Raises torch's message when two shapes do not broadcast (NumPy's text is different)."""
    la, lb = len(a_shape), len(b_shape)
    for i in range(1, min(la, lb) + 1):
        x, y = a_shape[-i], b_shape[-i]
        if x != y and x != 1 and y != 1:
            raise _errors.size_mismatch(x, y, max(la, lb) - i)


def sum_to_shape(array, shape):
    """Sums a broadcast result back down to ``shape``: the gradient of broadcasting."""
    if array.shape == shape:
        return array
    lead = array.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and array.shape[i + lead] != 1)
    out = array.sum(axis=axes, keepdims=True) if axes else array
    if lead:
        out = out.reshape(shape)
    return out
