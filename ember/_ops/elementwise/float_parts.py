"""The parts of floating-point numbers: the sign (``copysign``, ``signbit``), mantissa and
exponent (``frexp``, ``ldexp``), the next representable number (``nextafter``), the step
``heaviside``, and angles (``deg2rad``, ``rad2deg``).

A float is sign * mantissa * 2^exponent; these functions take it apart and put it together.
Derivatives: ``copysign`` passes the gradient through with the sign it flipped; ``ldexp``
scales it by 2^other; ``frexp``'s mantissa is x / 2^exponent, so its gradient is divided by
2^exponent; ``nextafter(a, b)`` differs from a by one rounding step, and torch passes the
gradient to a.
"""
import math

import numpy as np

from ... import _dtype, return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.inplace import twin
from ..core.half import rounded, widen
from ..core.operands import (finish, float_result, floating, not_implemented, tensor_first,
                             tensor_operand)
from ..core.registry import export


class Copysign(Op):
    """out = |a| with the sign of b.   d(out)/da = out / a (+-1; 0 where a = 0),  d(out)/db = 0."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        out = np.copysign(a.astype(dtype), b.astype(dtype))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        flips = dual.where(a == 0, 0.0, out / dual.where(a == 0, 1.0, a))
        return grad * flips, (grad * 0 if ctx.needs_input_grad[1] else None), None


class CopysignScalar(Copysign):
    """``copysign`` with a number for the sign."""

    node_name = "CopysignBackward1"


@export("torch", "Tensor", inplace=twin("Tensor"))
def copysign(input, other, *, out=None):
    """``|input|`` with the sign of ``other`` (of -0.0 too), in floats."""
    other = tensor_first("copysign", input, other)
    dtype = float_result(input, other)
    if isinstance(other, Tensor):
        return finish(Copysign.apply(input, other, dtype), out, "copysign")
    b = Tensor._make(np.asanyarray(other, dtype=dtype))
    return finish(CopysignScalar.apply(input, b, dtype), out, "copysign")


@export("torch", "Tensor")
def signbit(input, *, out=None):
    """True where the sign bit is set (negative numbers and -0.0)."""
    if not isinstance(input, Tensor):
        tensor_operand(input, "signbit", "input", 1)
    return finish(Tensor._make(np.asanyarray(np.signbit(input._array))), out, "signbit")


class Frexp(Op):
    """mantissa = x / 2^exponent, in [0.5, 1).   d(mantissa)/dx = 1 / 2^exponent (the exponent
    is an integer: no gradient)."""

    @staticmethod
    def forward(ctx, x):
        mantissa, exponent = np.frexp(x)
        ctx.exponent = exponent
        return mantissa, exponent.astype(np.int32)

    @staticmethod
    def backward(ctx, grad, _):
        return grad / (2.0 ** ctx.exponent).astype(np.asanyarray(grad).dtype)


@export("torch", "Tensor")
def frexp(input, *, out=None):
    """Splits each element into a mantissa in [0.5, 1) and an exponent: x = m * 2^e."""
    if input._array.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = Frexp.apply(input)
    if out is not None:
        finish(mantissa, out[0], "frexp")
        finish(exponent, out[1], "frexp")
        return return_types.frexp(*out)
    return return_types.frexp(mantissa, exponent)


class Ldexp(Op):
    """out = a * 2^b.   d/da = 2^b,  d/db = a * 2^b * ln 2 = out * ln 2."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        scale = np.power(2.0, b.astype(dtype))
        out = (a * scale).astype(dtype)
        ctx.save_for_backward(scale, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        scale, out = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * scale if needs[0] else None), \
            (grad * out * math.log(2) if needs[1] else None), None


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def ldexp(input, other, *, out=None):
    """``input * 2 ** other``, in floats."""
    other = tensor_operand(other, "ldexp")
    dtype = float_result(input, other)
    return finish(Ldexp.apply(input, other, dtype), out, "ldexp")


class Nextafter(Op):
    """out = the float after a in the direction of b, a step away from a.   As torch,
    d(out)/da = 1 (out is a, but for one rounding step) and d(out)/db = 0."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        return np.nextafter(a, b.astype(dtype))

    @staticmethod
    def backward(ctx, grad):
        return grad, (grad * 0 if ctx.needs_input_grad[1] else None), None


@export("torch", "Tensor", inplace=twin("Tensor"))
def nextafter(input, other, *, out=None):
    """The next floating-point number after ``input`` towards ``other``."""
    other = tensor_operand(other, "nextafter")
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind != "f":
        not_implemented("nextafter_cpu", dtype)
    return finish(Nextafter.apply(input, other, dtype), out, "nextafter")


class Heaviside(Op):
    """out = 0 for x < 0, values for x = 0, 1 for x > 0.   torch gives it no derivative."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, x, values):
        return np.heaviside(x, values).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::heaviside is not implemented")


@export("torch", "Tensor", inplace=twin("Tensor"))
def heaviside(input, values, *, out=None):
    """The Heaviside step function of ``input``, with ``values`` where ``input`` is 0."""
    values = tensor_operand(values, "heaviside", "values")
    if input._array.dtype != values._array.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return finish(Heaviside.apply(input, values), out, "heaviside")


def _angle(factor, name):
    class Angle(Op):
        __doc__ = "out = x * {:.6g}.   d(out)/dx = the same factor.".format(factor)
        node_name = name + "Backward0"

        @staticmethod
        def forward(ctx, x):
            x = floating(x)
            w = widen(x)
            return rounded(w * w.dtype.type(factor), x.dtype)

        @staticmethod
        def backward(ctx, grad):
            return grad * factor
    Angle.__name__ = Angle.__qualname__ = name
    return Angle


Deg2Rad = _angle(math.pi / 180, "Deg2Rad")
Rad2Deg = _angle(180 / math.pi, "Rad2Deg")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def deg2rad(input, *, out=None):
    """Degrees to radians: ``input * pi / 180``."""
    return finish(Deg2Rad.apply(input), out, "deg2rad")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def rad2deg(input, *, out=None):
    """Radians to degrees: ``input * 180 / pi``."""
    return finish(Rad2Deg.apply(input), out, "rad2deg")

