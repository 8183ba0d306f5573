"""Functions of integers: the greatest common divisor ``gcd`` and least common multiple
``lcm``, and the bit shifts ``bitwise_left_shift`` (``<<``) and ``bitwise_right_shift``
(``>>``).  None has a derivative (their results are integers).

torch's shifts are defined for every shift count: shifting left by a negative count or by the
width of the type or more gives 0; shifting right by those gives 0, or -1 for a negative number
(its sign bit fills every place).
"""
import numpy as np

from ... import _dtype
from ..core.common import Tensor
from ..core.inplace import binary_twin
from ..core.operands import finish, not_implemented, operand, tensor_first
from ..core.registry import export


def _integers(fname, kernel, input, other, *, first_may_be_number=False):
    """The operands of an integer function as arrays of their promoted integer dtype."""
    if first_may_be_number and not isinstance(input, Tensor):
        input = Tensor._make(np.asanyarray(operand(input, fname, "self", 1)))
    other = tensor_first(fname, input, other)
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind not in "iu":
        not_implemented(kernel, dtype)
    b = other._array if isinstance(other, Tensor) else np.asanyarray(other)
    return input._array.astype(dtype, copy=False), b.astype(dtype, copy=False), dtype


@export("torch", "Tensor", inplace=binary_twin("torch", "Tensor"))
def gcd(input, other, *, out=None):
    """The greatest common divisor of each pair of elements (non-negative)."""
    a, b, _ = _integers("gcd", "gcd_cpu", input, other)
    return finish(Tensor._make(np.asanyarray(np.gcd(a, b))), out, "gcd")


@export("torch", "Tensor", inplace=binary_twin("torch", "Tensor"))
def lcm(input, other, *, out=None):
    """The least common multiple of each pair of elements (non-negative)."""
    a, b, _ = _integers("lcm", "lcm_cpu", input, other)
    return finish(Tensor._make(np.asanyarray(np.lcm(a, b))), out, "lcm")


def _shift(a, b, dtype, left):
    bits = dtype.itemsize * 8
    inside = (b >= 0) & (b < bits)
    count = np.where(inside, b, 0)
    if left:
        return np.where(inside, np.left_shift(a, count, dtype=dtype), dtype.type(0))
    beyond = np.where(a < 0, dtype.type(-1), dtype.type(0)) if dtype.kind == "i" else \
        dtype.type(0)
    return np.where(inside, np.right_shift(a, count, dtype=dtype), beyond)


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def bitwise_left_shift(input, other, *, out=None):
    """``input << other``: the bits moved ``other`` places up (0 beyond the type's width)."""
    a, b, dtype = _integers("bitwise_left_shift", "lshift_cpu", input, other,
                            first_may_be_number=True)
    return finish(Tensor._make(np.asanyarray(_shift(a, b, dtype, True))), out,
                  "bitwise_left_shift")


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def bitwise_right_shift(input, other, *, out=None):
    """``input >> other``: the bits moved ``other`` places down (the sign fills in)."""
    a, b, dtype = _integers("bitwise_right_shift", "rshift_cpu", input, other,
                            first_may_be_number=True)
    return finish(Tensor._make(np.asanyarray(_shift(a, b, dtype, False))), out,
                  "bitwise_right_shift")
