"""Exponentials and logarithms: ``exp``, ``log`` and their relatives in base 2 and 10, the
accurate ``expm1`` and ``log1p``, ``sigmoid`` and its inverse ``logit``, ``logaddexp`` and
``xlogy``.

Each differentiable function is an Op whose backward multiplies the incoming gradient by the
function's derivative at that point (the chain rule, one element at a time).  Where the
derivative is easiest to write with the output (``exp``, ``sigmoid``), the op saves its output
rather than its input.  Integer inputs compute in the default float dtype, as torch's do.
"""
import math

import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.operands import (BinaryFunction, FloatFunction, FloatFunctionOfOutput, finish,
                             float_binary, float_result, floating, operand, tensor_operand)
from ..core.inplace import binary_twin, twin
from ..core.half import rounded, widen
from ..core.registry import export


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


class Exp(FloatFunctionOfOutput):
    """out = e ** x.   d(out)/dx = e ** x = out."""

    function = np.exp

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


class Exp2(FloatFunctionOfOutput):
    """out = 2 ** x.   d(out)/dx = out * ln 2."""

    function = np.exp2

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * _LN2)


class Expm1(FloatFunctionOfOutput):
    """out = e ** x - 1 (accurate for small x).   d(out)/dx = e ** x = out + 1."""

    function = np.expm1

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out + 1)


class Log(FloatFunction):
    """out = ln x.   d(out)/dx = 1 / x."""

    function = np.log

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Log2(FloatFunction):
    """out = log2 x.   d(out)/dx = 1 / (x ln 2)."""

    function = np.log2

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * _LN2)


class Log10(FloatFunction):
    """out = log10 x.   d(out)/dx = 1 / (x ln 10)."""

    function = np.log10

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * _LN10)


class Log1p(FloatFunction):
    """out = ln(1 + x) (accurate for small x).   d(out)/dx = 1 / (1 + x)."""

    node_name = "Log1PBackward0"
    function = np.log1p

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x + 1)


class Sigmoid(Op):
    """out = 1 / (1 + e ** -x).   d(out)/dx = out * (1 - out)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)                 # (e ** -x = inf for very negative x: out = 0)
        out = rounded(1 / (1 + np.exp(-widen(x))), x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out) * out


class Logit(Op):
    """out = ln(x / (1 - x)), the inverse of sigmoid, with x first clamped to [eps, 1 - eps]
    when eps is given.   d(out)/dx = 1 / (x (1 - x)); 0 where eps clamped x, nan outside
    [0, 1] without eps."""

    @staticmethod
    def forward(ctx, x, eps):
        x = floating(x)
        ctx.save_for_backward(x)
        ctx.eps = eps
        if eps is not None:              # as torch: below eps first, then above 1 - eps (which
            t = x.dtype.type             # matters when eps > 1/2)
            x = np.where(x < eps, t(eps), np.where(x > 1 - eps, t(1 - eps), x))
        return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        eps = ctx.eps
        g = grad / (x * (1 - x))
        if eps is None:
            return dual.where((x < 0) | (x > 1), float("nan"), g), None
        return dual.where((x < eps) | (x > 1 - eps), 0.0, g), None


class Logaddexp(BinaryFunction):
    """out = ln(e ** a + e ** b), without overflow.   d/da = 1 / (1 + e ** (b - a)),
    d/db = 1 / (1 + e ** (a - b))  (the softmax of the pair)."""

    function = np.logaddexp

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad / (dual.exp(b - a) + 1) if needs[0] else None,
                grad / (dual.exp(a - b) + 1) if needs[1] else None, None)


class Logaddexp2(BinaryFunction):
    """out = log2(2 ** a + 2 ** b).   d/da = 1 / (1 + 2 ** (b - a)),  d/db likewise."""

    function = np.logaddexp2

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad / (2 ** (b - a) + 1) if needs[0] else None,
                grad / (2 ** (a - b) + 1) if needs[1] else None, None)


def _xlogy_array(a, b, dtype):
    """a * ln(b), but 0 where a = 0 (unless b is nan)."""
    a = np.asanyarray(a, dtype=dtype)
    out = np.asanyarray(a * np.log(np.asanyarray(b, dtype=dtype)))
    return np.where((a == 0) & ~np.isnan(b), dtype.type(0), out)


class Xlogy(Op):
    """out = a ln b (0 where a = 0).   d/da = ln b (0 where a = 0 and b <= 0),  d/db = a / b."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return _xlogy_array(a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad_b = None
        if needs[0]:
            grad_a = dual.where((a == 0) & (b <= 0), 0.0, grad * dual.log(dual.type_as(b, grad)))
        if needs[1]:
            grad_b = grad * a / b
        return grad_a, grad_b, None


class XlogyOfNumber(Op):
    """out = s ln b for a number s.   d(out)/db = s / b."""

    node_name = "XlogyBackward1"

    @staticmethod
    def forward(ctx, s, b, dtype):
        ctx.save_for_backward(b)
        ctx.s = s
        return _xlogy_array(s, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        b, = ctx.saved_tensors
        return None, grad * ctx.s / b, None


class XlogyScalar(Op):
    """out = a ln s for a number s.   d(out)/da = ln s."""

    node_name = "XlogyBackward2"

    @staticmethod
    def forward(ctx, a, s, dtype):
        ctx.s = s
        ctx.log_s = math.log(s) if s > 0 else (float("-inf") if s == 0 else float("nan"))
        ctx.save_for_backward(a)
        return _xlogy_array(a, s, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        log_s = ctx.log_s
        if ctx.s <= 0:                              # 0 where a = 0, as in xlogy's rule
            return dual.where(a == 0, 0.0, grad * log_s), None, None
        return grad * log_s, None, None


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def exp(input, *, out=None):
    """e to the power of each element."""
    return finish(Exp.apply(input), out, "exp")


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def exp2(input, *, out=None):
    """2 to the power of each element."""
    return finish(Exp2.apply(input), out, "exp2")


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def expm1(input, *, out=None):
    """``exp(x) - 1``, accurate for x near 0."""
    return finish(Expm1.apply(input), out, "expm1")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def log(input, *, out=None):
    """Natural logarithm of each element (nan below 0, -inf at 0)."""
    return finish(Log.apply(input), out, "log")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def log2(input, *, out=None):
    """Base-2 logarithm of each element."""
    return finish(Log2.apply(input), out, "log2")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def log10(input, *, out=None):
    """Base-10 logarithm of each element."""
    return finish(Log10.apply(input), out, "log10")


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def log1p(input, *, out=None):
    """``log(1 + x)``, accurate for x near 0."""
    return finish(Log1p.apply(input), out, "log1p")


@export("special", name="expit")
@export("torch", "Tensor", "F", inplace=twin("torch", "Tensor"))
def sigmoid(input, *, out=None):
    """The logistic function ``1 / (1 + exp(-x))``."""
    return finish(Sigmoid.apply(input), out, "sigmoid")


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def logit(input, eps=None, *, out=None):
    """``log(x / (1 - x))``, the inverse of sigmoid; with ``eps``, x is first clamped to
    ``[eps, 1 - eps]``."""
    return finish(Logit.apply(input, eps), out, "logit")


@export("torch", "Tensor")
def logaddexp(input, other, *, out=None):
    """``log(exp(input) + exp(other))``, computed without overflow."""
    return float_binary(Logaddexp, "logaddexp", input, other, out)


@export("torch", "Tensor")
def logaddexp2(input, other, *, out=None):
    """``log2(2**input + 2**other)``, computed without overflow."""
    return float_binary(Logaddexp2, "logaddexp2", input, other, out)


@export("special")
@export("torch", "Tensor", inplace=binary_twin("torch", "Tensor"))
def xlogy(input, other, *, out=None):
    """``input * log(other)``, with 0 where ``input`` is 0 (unless ``other`` is nan)."""
    if not isinstance(input, Tensor):
        s = operand(input, "xlogy", "self", 1)
        b = tensor_operand(other, "xlogy")
        return finish(XlogyOfNumber.apply(s, b, float_result(s, b)), out, "xlogy")
    b = operand(other, "xlogy")
    dtype = float_result(input, b)
    if isinstance(b, Tensor):
        return finish(Xlogy.apply(input, b, dtype), out, "xlogy")
    return finish(XlogyScalar.apply(input, b, dtype), out, "xlogy")


