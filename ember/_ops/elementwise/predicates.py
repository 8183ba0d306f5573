"""Tests of values: ``isnan``, ``isinf``, ``isfinite`` ... (bool tensors), ``isclose``, the
whole-tensor answers ``allclose`` and ``equal`` (Python bools), and ``nan_to_num``, which
replaces the values that are not finite.

Only ``nan_to_num`` is differentiable.  Integer and bool tensors hold no nan or inf.
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, broadcast_shapes
from ..core.operands import finish, tensor_operand
from ..core.inplace import twin
from ..core.registry import export


def _predicate(fn, input):
    if input._array.dtype.kind not in "fc":
        return Tensor._make(np.zeros(input._array.shape, dtype=bool) if fn is not np.isfinite
                            else np.ones(input._array.shape, dtype=bool))
    return Tensor._make(np.asanyarray(fn(input._array)))


@export("torch", "Tensor")
def isnan(input):
    """True where an element is nan."""
    return _predicate(np.isnan, input)


@export("torch", "Tensor")
def isinf(input):
    """True where an element is +inf or -inf."""
    return _predicate(np.isinf, input)


@export("torch", "Tensor")
def isposinf(input, *, out=None):
    """True where an element is +inf."""
    return finish(_predicate(np.isposinf, input), out, "isposinf")


@export("torch", "Tensor")
def isneginf(input, *, out=None):
    """True where an element is -inf."""
    return finish(_predicate(np.isneginf, input), out, "isneginf")


@export("torch", "Tensor")
def isfinite(input):
    """True where an element is neither inf nor nan."""
    return _predicate(np.isfinite, input)


@export("torch", "Tensor")
def isreal(input):
    """True where an element has no imaginary part (always, for ember's real dtypes)."""
    return Tensor._make(np.ones(input._array.shape, dtype=bool))


@export("torch", "Tensor")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True where ``|input - other| <= atol + rtol * |other|`` (both tensors of one dtype)."""
    other = tensor_operand(other, "isclose")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if not value >= 0:                   # (NaN too)
            raise RuntimeError("{} must be greater than or equal to zero, but got {:g}".format(
                name, value))
    if input._array.dtype != other._array.dtype:
        raise RuntimeError("{} did not match {}".format(input.dtype.scalar_name,
                                                        other.dtype.scalar_name))
    broadcast_shapes(input._array.shape, other._array.shape)
    return Tensor._make(np.asanyarray(np.isclose(input._array, other._array, rtol=rtol, atol=atol,
                                              equal_nan=equal_nan)))


@export("torch", "Tensor")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``isclose`` holds for every element (a Python bool)."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._array.all())


@export("torch", "Tensor")
def equal(input, other):
    """Whether both tensors have the same shape and the same elements (a Python bool)."""
    other = tensor_operand(other, "equal")
    a, b = input._array, other._array
    return a.shape == b.shape and bool(np.array_equal(a, b))


class NanToNum(Op):
    """out = x with nan, +inf and -inf replaced by numbers.   d(out)/dx = 1 where x is finite,
    else 0."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save_for_backward(x)
        if x.dtype.kind not in "fc":
            return x.copy()
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.where(dual.isfinite(x), grad, 0.0), None, None, None


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """``input`` with nan replaced by ``nan``, and infinities by ``posinf``/``neginf`` (by
    default the largest and smallest finite numbers of the dtype)."""
    return finish(NanToNum.apply(input, nan, posinf, neginf), out, "nan_to_num")


