"""Comparisons (``== != < <= > >=``), logic (``logical_and`` ...) and bitwise operations
(``& | ^ ~``) of tensors and numbers.

None is differentiable: comparisons and logic give bool tensors, and the bitwise operations
work on integers and bools only.  Both operands are promoted to their common dtype first, so
``int_tensor == 2.5`` compares as floats.
"""
import numpy as np

from ...autograd import op as _op

from ..core.common import Tensor, binary_dtype
from ..core.operands import (compute, finish, fitted, not_implemented, result_dtype, tensor_first,
                             tensor_operand, write_out)
from ..core.inplace import binary_twin, twin
from ..core.registry import export
from .inplace_recorded import comparison_twin, logical_twin


def _compare(ufunc, fname, a, b, out, logical=False):
    """A comparison (``logical``: a logical function, of two tensors) of two operands: a bool
    tensor."""
    if _op._transform is not None and out is None:     # a function transform (vmap) sees it
        return _op._transform.elementwise(
            lambda a, b: _compare(ufunc, fname, a, b, None, logical), (a, b))
    if logical:
        a, b = tensor_operand(a, fname, "input", 1), tensor_operand(b, fname)
    else:
        b = fitted(a, tensor_first(fname, a, b))
    dtype = binary_dtype(a, b)
    x = a._array
    y = b._array if isinstance(b, Tensor) else b
    if dtype is not None:
        x = x.astype(dtype, copy=False)
        y = np.asanyarray(y).astype(dtype, copy=False)
    if x.dtype.kind == "c" and ufunc in _ORDERINGS:         # complex numbers have no order
        not_implemented(fname + "_cpu", x.dtype)
    result = Tensor._make(np.asanyarray(compute(ufunc, x, y, None)))
    return result if out is None else write_out(result, out, fname)


_ORDERINGS = (np.less, np.less_equal, np.greater, np.greater_equal)


@export("torch", "Tensor", inplace=comparison_twin("Eq", "Tensor"))
def eq(input, other, *, out=None):
    """Elementwise ``input == other`` (a bool tensor)."""
    return _compare(np.equal, "eq", input, other, out)


@export("torch", "Tensor", inplace=comparison_twin("Ne", "Tensor"), aliases=("not_equal",))
def ne(input, other, *, out=None):
    """Elementwise ``input != other``."""
    return _compare(np.not_equal, "ne", input, other, out)


@export("torch", "Tensor", inplace=comparison_twin("Lt", "Tensor"), aliases=("less",))
def lt(input, other, *, out=None):
    """Elementwise ``input < other``."""
    return _compare(np.less, "lt", input, other, out)


@export("torch", "Tensor", inplace=comparison_twin("Le", "Tensor"), aliases=("less_equal",))
def le(input, other, *, out=None):
    """Elementwise ``input <= other``."""
    return _compare(np.less_equal, "le", input, other, out)


@export("torch", "Tensor", inplace=comparison_twin("Gt", "Tensor"), aliases=("greater",))
def gt(input, other, *, out=None):
    """Elementwise ``input > other``."""
    return _compare(np.greater, "gt", input, other, out)


@export("torch", "Tensor", inplace=comparison_twin("Ge", "Tensor"), aliases=("greater_equal",))
def ge(input, other, *, out=None):
    """Elementwise ``input >= other``."""
    return _compare(np.greater_equal, "ge", input, other, out)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


@export("torch", "Tensor", inplace=logical_twin("Tensor"))
def logical_and(input, other, *, out=None):
    """Elementwise AND of the truth values (nonzero is true)."""
    return _compare(np.logical_and, "logical_and", input, other, out, logical=True)


@export("torch", "Tensor", inplace=logical_twin("Tensor"))
def logical_or(input, other, *, out=None):
    """Elementwise OR of the truth values."""
    return _compare(np.logical_or, "logical_or", input, other, out, logical=True)


@export("torch", "Tensor", inplace=logical_twin("Tensor"))
def logical_xor(input, other, *, out=None):
    """Elementwise XOR of the truth values."""
    return _compare(np.logical_xor, "logical_xor", input, other, out, logical=True)


@export("torch", "Tensor", inplace=logical_twin("Tensor"))
def logical_not(input, *, out=None):
    """Elementwise NOT of the truth values."""
    return finish(Tensor._make(np.logical_not(input._array)), out, "logical_not")


def _bitwise(ufunc, fname, a, b, out):
    """A bitwise function of a tensor and an operand (integers or bools)."""
    b = fitted(a, tensor_first(fname, a, b))
    dtype = binary_dtype(a, b)
    result = result_dtype(a, b, dtype)
    if result.kind == "f":
        not_implemented(fname + "_cpu", result)
    y = b._array if isinstance(b, Tensor) else b
    result = Tensor._make(np.asanyarray(compute(ufunc, a._array, y, dtype)))
    return result if out is None else write_out(result, out, fname)


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def bitwise_and(input, other, *, out=None):
    """Elementwise bitwise AND of integer or bool tensors (``&``)."""
    return _bitwise(np.bitwise_and, "bitwise_and", input, other, out)


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def bitwise_or(input, other, *, out=None):
    """Elementwise bitwise OR (``|``)."""
    return _bitwise(np.bitwise_or, "bitwise_or", input, other, out)


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def bitwise_xor(input, other, *, out=None):
    """Elementwise bitwise XOR (``^``)."""
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other, out)


@export("torch", "Tensor", inplace=twin("Tensor"))
def bitwise_not(input, *, out=None):
    """Elementwise bitwise NOT; logical NOT for bool tensors."""
    if input._array.dtype.kind == "f":
        not_implemented("bitwise_not_cpu", input._array.dtype)
    return finish(Tensor._make(np.invert(input._array)), out, "bitwise_not")


def invert(input):
    """``~input`` (the operator): bitwise NOT of an integer or bool tensor."""
    if input._array.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return Tensor._make(np.invert(input._array))


