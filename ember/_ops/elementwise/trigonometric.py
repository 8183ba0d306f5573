"""Trigonometric and hyperbolic functions and their inverses (``sin`` ... ``atanh``), the angle
``atan2`` and the length ``hypot`` of a point, and the normalised ``sinc``.

Each differentiable function is an Op whose backward multiplies the incoming gradient by the
function's derivative at that point (the chain rule, one element at a time); ``tan`` and
``tanh`` save their output, in which their derivatives are simplest.  Integer inputs compute in
the default float dtype, as torch's do.  Angles are in radians.
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.operands import (BinaryFunction, FloatFunction, FloatFunctionOfOutput, finish,
                             float_binary, float_result, not_implemented, tensor_pair)
from ..core.inplace import binary_twin, twin
from ..core.half import rounded, widen
from ..core.registry import export
from .inplace_recorded import underivable_twin


class Sin(FloatFunction):
    """out = sin x.   d(out)/dx = cos x."""

    function = np.sin

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.cos(x)


class Cos(FloatFunction):
    """out = cos x.   d(out)/dx = -sin x."""

    function = np.cos

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -dual.sin(x)


class Tan(FloatFunctionOfOutput):
    """out = tan x.   d(out)/dx = 1 / cos(x) ** 2 = 1 + out ** 2."""

    function = np.tan

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * out + 1)


class Asin(FloatFunction):
    """out = arcsin x.   d(out)/dx = 1 / sqrt(1 - x ** 2)."""

    function = np.arcsin

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(1 - x * x)


class Acos(FloatFunction):
    """out = arccos x.   d(out)/dx = -1 / sqrt(1 - x ** 2)."""

    function = np.arccos

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return -grad / dual.sqrt(1 - x * x)


class Atan(FloatFunction):
    """out = arctan x.   d(out)/dx = 1 / (1 + x ** 2)."""

    function = np.arctan

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * x + 1)


class Atan2(BinaryFunction):
    """out = the angle of the point (b, a), atan(a / b) in the right quadrant.
    d/da = b / (a**2 + b**2),  d/db = -a / (a**2 + b**2)  (0 at the origin, as in torch)."""

    function = np.arctan2

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        g = dual.where(r2 == 0, 0.0, grad / r2)
        needs = ctx.needs_input_grad
        return (g * b if needs[0] else None), (g * -a if needs[1] else None), None


class Sinh(FloatFunction):
    """out = sinh x.   d(out)/dx = cosh x."""

    function = np.sinh

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.cosh(x)


class Cosh(FloatFunction):
    """out = cosh x.   d(out)/dx = sinh x."""

    function = np.cosh

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.sinh(x)


class Tanh(FloatFunctionOfOutput):
    """out = tanh x.   d(out)/dx = 1 - out ** 2."""

    function = np.tanh

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out * out)


class Asinh(FloatFunction):
    """out = arsinh x.   d(out)/dx = 1 / sqrt(x ** 2 + 1)."""

    function = np.arcsinh

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(x * x + 1)


class Acosh(FloatFunction):
    """out = arcosh x.   d(out)/dx = 1 / sqrt(x ** 2 - 1)."""

    function = np.arccosh

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(x * x - 1)


class Atanh(FloatFunction):
    """out = artanh x.   d(out)/dx = 1 / (1 - x ** 2)."""

    function = np.arctanh

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (1 - x * x)


class Hypot(Op):
    """out = sqrt(a**2 + b**2).   d/da = a / out,  d/db = b / out."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        out = np.hypot(a, b, dtype=dtype, casting="unsafe")
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g = grad / out
        return (g * a if needs[0] else None), (g * b if needs[1] else None), None


class Sinc(FloatFunction):
    """out = sin(pi x) / (pi x), and 1 at x = 0.
    d(out)/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2), and 0 at x = 0 (the top of the
    curve)."""

    @staticmethod
    def function(x):
        return rounded(np.sinc(widen(x)), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        px = x * np.pi
        slope = (px * dual.cos(px) - dual.sin(px)) / (px * x)
        return dual.where(x == 0, 0.0, grad * slope)


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def sin(input, *, out=None):
    """Sine of each element (radians)."""
    return finish(Sin.apply(input), out, "sin")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def cos(input, *, out=None):
    """Cosine of each element (radians)."""
    return finish(Cos.apply(input), out, "cos")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def tan(input, *, out=None):
    """Tangent of each element (radians)."""
    return finish(Tan.apply(input), out, "tan")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("arcsin",))
def asin(input, *, out=None):
    """Inverse sine (nan outside [-1, 1])."""
    return finish(Asin.apply(input), out, "asin")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("arccos",))
def acos(input, *, out=None):
    """Inverse cosine (nan outside [-1, 1])."""
    return finish(Acos.apply(input), out, "acos")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("arctan",))
def atan(input, *, out=None):
    """Inverse tangent."""
    return finish(Atan.apply(input), out, "atan")


@export("torch", "Tensor", inplace=binary_twin("Tensor"), aliases=("arctan2",))
def atan2(input, other, *, out=None):
    """The angle of the point (other, input): ``atan(input / other)`` in the right quadrant."""
    input, other = tensor_pair(input, other, "atan2")
    dtype = float_result(input, other)
    if dtype.kind == "c":
        not_implemented("atan2_cpu", dtype)
    return finish(Atan2.apply(input, other, dtype), out, "atan2")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def sinh(input, *, out=None):
    """Hyperbolic sine."""
    return finish(Sinh.apply(input), out, "sinh")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def cosh(input, *, out=None):
    """Hyperbolic cosine."""
    return finish(Cosh.apply(input), out, "cosh")


@export("torch", "Tensor", "F", inplace=twin("torch", "Tensor"))
def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return finish(Tanh.apply(input), out, "tanh")


@export("torch", "Tensor", inplace=underivable_twin("Asinh", "torch", "Tensor"),
        aliases=("arcsinh",))
def asinh(input, *, out=None):
    """Inverse hyperbolic sine."""
    return finish(Asinh.apply(input), out, "asinh")


@export("torch", "Tensor", inplace=underivable_twin("Acosh", "torch", "Tensor"),
        aliases=("arccosh",))
def acosh(input, *, out=None):
    """Inverse hyperbolic cosine (nan below 1)."""
    return finish(Acosh.apply(input), out, "acosh")


@export("torch", "Tensor", inplace=underivable_twin("Atanh", "torch", "Tensor"),
        aliases=("arctanh",))
def atanh(input, *, out=None):
    """Inverse hyperbolic tangent (nan outside [-1, 1])."""
    return finish(Atanh.apply(input), out, "atanh")


arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
arcsinh, arccosh, arctanh = asinh, acosh, atanh


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def hypot(input, other, *, out=None):
    """``sqrt(input**2 + other**2)`` without overflow."""
    return float_binary(Hypot, "hypot", input, other, out)


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def sinc(input, *, out=None):
    """The normalised sinc function ``sin(pi x) / (pi x)`` of each element (1 at 0)."""
    return finish(Sinc.apply(input), out, "sinc")
