"""Elementwise functions of one tensor: exponentials, logarithms, roots, activations.

Each is an Op whose backward multiplies the incoming gradient by the function's derivative at
that point (the chain rule, one element at a time).  Where the derivative is easiest to write
with the output (``exp``, ``sigmoid``, ``tanh``), the op saves its output rather than its input.
Integer inputs compute in the default float dtype, as torch's do.
"""
import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = ["exp", "log", "sqrt", "abs", "absolute", "relu", "sigmoid", "tanh"]


def floating(a):
    """``a`` itself if it is a float array, else ``a`` cast to the default float dtype."""
    return a if a.dtype.kind == "f" else a.astype(_dtype.get_default_dtype().numpy)


class Exp(Op):
    """out = e ** x.   d(out)/dx = e ** x = out."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out


class Log(Op):
    """out = ln x.   d(out)/dx = 1 / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(floating(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    """out = sqrt(x).   d(out)/dx = 1 / (2 sqrt(x)) = 1 / (2 out)."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad / (out * 2)


class Abs(Op):
    """out = |x|.   d(out)/dx = sign(x) (0 at x = 0)."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            raise RuntimeError("\"abs_cpu\" not implemented for 'Bool'")
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.sign(x)


class Relu(Op):
    """out = max(x, 0).   d(out)/dx = 1 where x > 0, else 0 (also at 0)."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            raise RuntimeError("\"clamp_min_cpu\" not implemented for 'Bool'")
        out = np.maximum(x, 0, dtype=x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out > 0)


class Sigmoid(Op):
    """out = 1 / (1 + e ** -x).   d(out)/dx = out * (1 - out)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        out = np.exp(-np.logaddexp(0, -x))        # stable for large |x|, no overflow warnings
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * out * (1 - out)


class Tanh(Op):
    """out = tanh x.   d(out)/dx = 1 - out ** 2."""

    @staticmethod
    def forward(ctx, x):
        out = np.tanh(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (1 - out * out)


def exp(input, *, out=None):
    """e to the power of each element."""
    return Exp.apply(input)


def log(input, *, out=None):
    """Natural logarithm of each element (nan below 0, -inf at 0)."""
    return Log.apply(input)


def sqrt(input, *, out=None):
    """Square root of each element."""
    return Sqrt.apply(input)


def abs(input, *, out=None):
    """Absolute value of each element."""
    return Abs.apply(input)


absolute = abs


def relu(input):
    """Rectified linear unit: ``max(x, 0)`` elementwise."""
    return Relu.apply(input)


def sigmoid(input, *, out=None):
    """The logistic function ``1 / (1 + exp(-x))``."""
    return Sigmoid.apply(input)


def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return Tanh.apply(input)


METHODS = ("exp", "log", "sqrt", "abs", "absolute", "relu", "sigmoid", "tanh")

FUNCTIONAL = ()
