"""Elementwise functions: exponentials, logarithms, roots, trigonometry, the error function,
rounding, clamping, ``maximum``, ``lerp``, ``where`` and the tests ``isnan``, ``isclose`` ...

Each differentiable function is an Op whose backward multiplies the incoming gradient by the
function's derivative at that point (the chain rule, one element at a time).  Where the
derivative is easiest to write with the output (``exp``, ``sqrt``, ``sigmoid``, ``tanh``), the
op saves its output rather than its input.  Integer inputs of the transcendental functions
compute in the default float dtype, as torch's do; rounding, ``abs`` and ``clamp`` keep the dtype.
Where torch's derivative has a convention at a kink (``abs`` at 0 -> 0, ``clamp`` at a bound ->
1, ``maximum`` at a tie -> half to each), the docstring says so.
"""
import math

import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .arithmetic import (check_fits, invalid_arguments, not_implemented, number_as, operand,
                         tensor_operand, write_out)
from .common import Tensor, broadcast_shapes

__all__ = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt",
           "sin", "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "atan2",
           "arctan2", "sinh", "cosh", "tanh", "asinh", "arcsinh", "acosh", "arccosh", "atanh",
           "arctanh", "sigmoid", "logit", "erf", "erfc", "erfinv",
           "abs", "absolute", "sign", "sgn", "floor", "ceil", "round", "trunc", "fix", "frac",
           "relu", "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "fmax",
           "fmin", "lerp", "where", "hypot", "xlogy", "addcmul", "addcdiv", "logaddexp",
           "logaddexp2", "nan_to_num",
           "isnan", "isinf", "isposinf", "isneginf", "isfinite", "isreal", "isclose",
           "allclose", "equal"]


def floating(a):
    """``a`` itself if it is a float array, else ``a`` cast to the default float dtype."""
    return a if a.dtype.kind == "f" else a.astype(_dtype.get_default_dtype().numpy)


def _finish(result, out, name):
    return result if out is None else write_out(result, out, name)


# ---------------------------------------------------------------- exponentials and logarithms

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


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


class Exp2(Op):
    """out = 2 ** x.   d(out)/dx = out * ln 2."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp2(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * _LN2)


class Expm1(Op):
    """out = e ** x - 1 (accurate for small x).   d(out)/dx = e ** x = out + 1."""

    @staticmethod
    def forward(ctx, x):
        out = np.expm1(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out + 1)


class Log(Op):
    """out = ln x.   d(out)/dx = 1 / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(floating(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / x


class Log2(Op):
    """out = log2 x.   d(out)/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log2(floating(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * _LN2)


class Log10(Op):
    """out = log10 x.   d(out)/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log10(floating(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * _LN10)


class Log1p(Op):
    """out = ln(1 + x) (accurate for small x).   d(out)/dx = 1 / (1 + x)."""

    node_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(floating(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x + 1)


class Sqrt(Op):
    """out = sqrt(x).   d(out)/dx = 1 / (2 sqrt(x)) = 1 / (2 out)  (inf at 0)."""

    @staticmethod
    def forward(ctx, x):
        out = np.sqrt(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad / (out * 2)


class Rsqrt(Op):
    """out = 1 / sqrt(x).   d(out)/dx = -x ** -1.5 / 2 = -out ** 3 / 2."""

    @staticmethod
    def forward(ctx, x):
        out = 1 / np.sqrt(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * out * out) * -0.5


# ---------------------------------------------------------------- trigonometry


class Sin(Op):
    """out = sin x.   d(out)/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.cos(x)


class Cos(Op):
    """out = cos x.   d(out)/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -dual.sin(x)


class Tan(Op):
    """out = tan x.   d(out)/dx = 1 / cos(x) ** 2 = 1 + out ** 2."""

    @staticmethod
    def forward(ctx, x):
        out = np.tan(floating(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * out + 1)


class Asin(Op):
    """out = arcsin x.   d(out)/dx = 1 / sqrt(1 - x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(1 - x * x)


class Acos(Op):
    """out = arccos x.   d(out)/dx = -1 / sqrt(1 - x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return -grad / dual.sqrt(1 - x * x)


class Atan(Op):
    """out = arctan x.   d(out)/dx = 1 / (1 + x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (x * x + 1)


class Atan2(Op):
    """out = the angle of the point (b, a), atan(a / b) in the right quadrant.
    d/da = b / (a**2 + b**2),  d/db = -a / (a**2 + b**2)  (0 at the origin, as in torch)."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        g = dual.where(r2 == 0, 0.0, grad / r2)
        needs = ctx.needs_input_grad
        return (g * b if needs[0] else None), (g * -a if needs[1] else None), None


class Sinh(Op):
    """out = sinh x.   d(out)/dx = cosh x."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.cosh(x)


class Cosh(Op):
    """out = cosh x.   d(out)/dx = sinh x."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.sinh(x)


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


class Asinh(Op):
    """out = arsinh x.   d(out)/dx = 1 / sqrt(x ** 2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(x * x + 1)


class Acosh(Op):
    """out = arcosh x.   d(out)/dx = 1 / sqrt(x ** 2 - 1)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / dual.sqrt(x * x - 1)


class Atanh(Op):
    """out = artanh x.   d(out)/dx = 1 / (1 - x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (1 - x * x)


class Sigmoid(Op):
    """out = 1 / (1 + e ** -x).   d(out)/dx = out * (1 - out)."""

    @staticmethod
    def forward(ctx, x):
        out = 1 / (1 + np.exp(-floating(x)))      # e ** -x = inf for very negative x: out = 0
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
        if eps is not None:
            x = np.clip(x, eps, 1 - eps)
        return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        eps = ctx.eps
        g = grad / (x * (1 - x))
        if eps is None:
            return dual.where((x < 0) | (x > 1), float("nan"), g), None
        return dual.where((x < eps) | (x > 1 - eps), 0.0, g), None


# ---------------------------------------------------------------- the error function

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)

# erf(x) = 2/sqrt(pi) e^(-x^2) sum_n x (2 x^2)^n / (1 * 3 * ... * (2n+1)) has positive terms
# only, so no digits cancel; for |x| < 2 (2 x^2 < 8) 34 terms reach float64 precision.
_SERIES = [1.0]
for _n in range(1, 34):
    _SERIES.append(_SERIES[-1] / (2 * _n + 1))
_SERIES.reverse()
# How many terms of the series and of erfc's continued fraction (x >= 2) a result needs: all
# for float64, fewer for float32 and float16 (errors below 1e-8 before rounding).
_TERMS = {8: (34, 60), 4: (20, 25), 2: (20, 25)}


def _erf_series(x, terms):
    """erf(x) for |x| < 2 by the series above, summed by Horner's rule in t = 2 x^2."""
    t = 2 * x * x
    coefficients = _SERIES[len(_SERIES) - terms:]
    s = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        s *= t
        s += c
    return _TWO_OVER_SQRT_PI * x * _exp_minus_square(x) * s


def _erfc_fraction(x, terms):
    """erfc(x) for x >= 1 by Laplace's continued fraction,
    erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...))))),
    evaluated from the inside out (it converges slowly near x = 1, fast for large x).  Beyond
    x = 30 erfc(x) is 0 in float64."""
    x = np.minimum(x, 30.0)
    f = x.copy()
    for k in range(terms, 0, -1):
        f = x + (k / 2) / f
    return _exp_minus_square(x) / (f * math.sqrt(math.pi))


def _exp_minus_square(x):
    """e ** -(x * x) without the rounding error of x * x (which e ** grows with x): x = h + l
    with h of 24 bits, so h * h is exact, and x * x = h * h + l * (x + h)."""
    h = x.astype(np.float32).astype(np.float64)
    return np.exp(-h * h) * np.exp(-(x - h) * (x + h))


def erf_array(x, itemsize=8):
    """The error function erf(x) = 2/sqrt(pi) * integral of e^(-t^2) from 0 to x, of a float64
    array (NumPy has none): accurate to float64 precision, or, with ``itemsize`` 4 or 2, to the
    precision of the float32 or float16 result it will be rounded to."""
    series_terms, fraction_terms = _TERMS[itemsize]
    x = np.asarray(x)
    flat = x.reshape(-1)
    a = np.abs(flat)
    out = np.empty_like(flat)
    small = a < 2
    out[small] = _erf_series(flat[small], series_terms)
    large = ~small
    out[large] = np.copysign(1 - _erfc_fraction(a[large], fraction_terms), flat[large])
    return out.reshape(x.shape)


def erfc_array(x, itemsize=8):
    """The complementary error function 1 - erf(x) of a float64 array.  For x >= 1, where
    1 - erf(x) would cancel digits, the continued fraction gives it directly (with 200 terms,
    which it needs at x = 1)."""
    x = np.asarray(x)
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    large = flat >= 1
    small = ~large                                # nan goes with the small ones
    out[small] = 1 - erf_array(flat[small], itemsize)
    out[large] = _erfc_fraction(flat[large], 200 if itemsize == 8 else 60)
    return out.reshape(x.shape)


def erfinv_array(y, itemsize=8):
    """The inverse of erf on [-1, 1] for a float64 array: Winitzki's closed-form estimate
    (relative error < 2e-3), then Halley steps on erf(x) = y, each of which triples the
    number of correct digits.  Near |y| = 1 the steps solve erfc(x) = 1 - |y| instead, which
    keeps the digits that 1 - |y| would lose."""
    y = np.asarray(y)
    a = np.abs(y)
    inside = a < 1
    p = a[inside]
    log1m = np.log1p(-p * p)
    c = 2 / (math.pi * 0.147) + log1m / 2
    x = np.sqrt(np.sqrt(c * c - log1m / 0.147) - c)
    near_one = p > 0.5
    for _ in range(3):
        r = np.where(near_one, (1 - p) - erfc_array(x, itemsize), erf_array(x, itemsize) - p)
        slope = _TWO_OVER_SQRT_PI * _exp_minus_square(x)
        x = x - r / (slope + x * r)
    out = np.where(a == 1, np.inf, np.nan)
    out[inside] = x
    return np.copysign(out, y)


def _float64_of(fn, x):
    """``fn`` (a float64 function of the error-function family) applied to an array of any
    dtype; the result has the input's float dtype (the default float dtype for integers)."""
    x = floating(x)
    out = fn(x.astype(np.float64, copy=False), x.dtype.itemsize)
    return out.astype(x.dtype, copy=False)


class Erf(Op):
    """out = erf x.   d(out)/dx = 2 / sqrt(pi) * e ** -(x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _float64_of(erf_array, x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (dual.exp(-(x * x)) * _TWO_OVER_SQRT_PI)


class Erfc(Op):
    """out = erfc x = 1 - erf x.   d(out)/dx = -2 / sqrt(pi) * e ** -(x ** 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _float64_of(erfc_array, x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (dual.exp(-(x * x)) * -_TWO_OVER_SQRT_PI)


class Erfinv(Op):
    """out = erfinv x, so that erf(out) = x.   By the inverse function rule,
    d(out)/dx = 1 / erf'(out) = sqrt(pi) / 2 * e ** (out ** 2)."""

    @staticmethod
    def forward(ctx, x):
        out = _float64_of(erfinv_array, x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (dual.exp(out * out) * (math.sqrt(math.pi) / 2))


# ---------------------------------------------------------------- sign and rounding


class Abs(Op):
    """out = |x|.   d(out)/dx = sign(x) (0 at x = 0)."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            not_implemented("abs_cpu", x.dtype)
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.sign(x)


class Sign(Op):
    """out = -1, 0 or 1, the sign of x.   A step function: its derivative is 0."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.copy() if x.dtype.kind == "b" else np.sign(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Sgn(Sign):
    """out = x / |x| (0 at 0): the sign, also defined for complex numbers.   Derivative 0."""


class _Rounding(Op):
    """Rounding to an integer value: a step function, whose derivative torch takes as 0.
    Integer tensors are already whole and come back as a copy."""

    exact_grads = True
    kernel = None           # the name of torch's kernel, for its error on bool tensors
    round_array = None      # the NumPy function

    @classmethod
    def forward(cls, ctx, x):
        kind = x.dtype.kind
        if kind == "b":
            not_implemented(cls.kernel, x.dtype)
        return cls.round_array(x) if kind == "f" else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Floor(_Rounding):
    """out = the largest whole number <= x.   Derivative 0."""

    kernel = "floor_vml_cpu"
    round_array = staticmethod(np.floor)


class Ceil(_Rounding):
    """out = the smallest whole number >= x.   Derivative 0."""

    kernel = "ceil_vml_cpu"
    round_array = staticmethod(np.ceil)


class Round(_Rounding):
    """out = x rounded to the nearest whole number, halves to even.   Derivative 0."""

    kernel = "round_vml_cpu"
    round_array = staticmethod(np.rint)


class Trunc(_Rounding):
    """out = x rounded towards zero.   Derivative 0."""

    kernel = "trunc_vml_cpu"
    round_array = staticmethod(np.trunc)


class RoundDecimals(Op):
    """out = x rounded to ``decimals`` decimal places (halves to even).   Derivative 0."""

    exact_grads = True
    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        if x.dtype.kind != "f":
            not_implemented("round_cpu", x.dtype)
        if decimals >= 0:
            scale = x.dtype.type(10.0 ** decimals)
            return np.rint(x * scale) / scale
        scale = x.dtype.type(10.0 ** -decimals)
        return np.rint(x / scale) * scale

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class Frac(Op):
    """out = x - trunc(x), the fractional part.   d(out)/dx = 1."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind != "f":
            not_implemented("frac_cpu", x.dtype)
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Relu(Op):
    """out = max(x, 0).   d(out)/dx = 1 where x > 0, else 0 (also at 0)."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        out = np.maximum(x, 0, dtype=x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return dual.times_step(grad, out > 0, out)     # (6x faster than np.where when large)


class StepGrad(Op):
    """out = grad * slope, the gradient of a piecewise-linear function of x, whose slope is a
    step function of x (see ``dual.times_step``).   d/dgrad = slope,  d/dx = 0."""

    @staticmethod
    def forward(ctx, grad, x, slope):
        ctx.slope = slope
        ctx.x_shape = x.shape
        return np.multiply(grad, slope, dtype=grad.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.slope, dual.zeros(ctx.x_shape, grad), None


# ---------------------------------------------------------------- clamping, maximum, minimum


class Clamp(Op):
    """out = min(max(x, lo), hi) for numbers lo, hi (either may be None).
    d(out)/dx = 1 where lo <= x <= hi (bounds included), else 0."""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi, dtype):
        ctx.save_for_backward(x)
        ctx.bounds = lo, hi
        if dtype is not None:
            x = x.astype(dtype)
        out = x if lo is None else np.maximum(x, number_as(lo, x.dtype))
        return out if hi is None else np.minimum(out, number_as(hi, x.dtype))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        if lo is None:
            inside = x <= hi
        elif hi is None:
            inside = x >= lo
        else:
            inside = (x >= lo) & (x <= hi)
        return dual.where(inside, grad, 0.0), None, None, None


class ClampMin(Clamp):
    """out = max(x, lo) for a number lo.   d(out)/dx = 1 where x >= lo, else 0."""

    node_name = "ClampMinBackward0"


class ClampMax(Clamp):
    """out = min(x, hi) for a number hi.   d(out)/dx = 1 where x <= hi, else 0."""

    node_name = "ClampMaxBackward0"


class ClampTensor(Op):
    """out = min(max(x, lo), hi) for tensors lo, hi (either may be None), broadcasting.
    dx = grad where lo <= x <= hi;  dlo = grad where x < lo (and lo < hi);
    dhi = grad where x > hi (or hi < lo, where hi wins)."""

    node_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi, dtype):
        ctx.save_for_backward(x, lo, hi)
        out = x.astype(dtype, copy=False)
        if lo is not None:
            out = np.maximum(out, lo, dtype=dtype, casting="unsafe")
        if hi is not None:
            out = np.minimum(out, hi, dtype=dtype, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grads = [None, None, None, None]
        if lo is not None and hi is not None:
            if needs[0]:
                grads[0] = dual.where((x >= lo) & (x <= hi), grad, 0.0)
            if needs[1]:
                grads[1] = dual.where((x < lo) & (lo < hi), grad, 0.0)
            if needs[2]:
                grads[2] = dual.where((x > hi) | (hi < lo), grad, 0.0)
        elif lo is not None:
            grads[0] = dual.where(x >= lo, grad, 0.0) if needs[0] else None
            grads[1] = dual.where(x < lo, grad, 0.0) if needs[1] else None
        else:
            grads[0] = dual.where(x <= hi, grad, 0.0) if needs[0] else None
            grads[2] = dual.where(x > hi, grad, 0.0) if needs[2] else None
        return tuple(grads)


class ClampMinTensor(Op):
    """out = max(x, lo) for a tensor lo.   dx = grad where x >= lo,  dlo = grad where x < lo."""

    node_name = "ClampMinBackward1"

    @staticmethod
    def forward(ctx, x, lo, dtype):
        ctx.save_for_backward(x, lo)
        return np.maximum(x, lo, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        x, lo = ctx.saved_tensors
        keep = x >= lo
        return dual.where(keep, grad, 0.0), dual.where(keep, 0.0, grad), None


class ClampMaxTensor(Op):
    """out = min(x, hi) for a tensor hi.   dx = grad where x <= hi,  dhi = grad where x > hi."""

    node_name = "ClampMaxBackward1"

    @staticmethod
    def forward(ctx, x, hi, dtype):
        ctx.save_for_backward(x, hi)
        return np.minimum(x, hi, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        x, hi = ctx.saved_tensors
        keep = x <= hi
        return dual.where(keep, grad, 0.0), dual.where(keep, 0.0, grad), None


class Maximum(Op):
    """out = the larger of a and b (nan if either is nan).   The gradient goes to the larger
    one; at a tie each gets half (torch's choice); at a nan both get all of it."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = dual.where(a == b, grad / 2, grad)
        return dual.where(a < b, 0.0, shared), dual.where(a > b, 0.0, shared), None


class Minimum(Op):
    """out = the smaller of a and b (nan if either is nan).   The gradient goes to the smaller
    one; at a tie each gets half; at a nan both get all of it."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = dual.where(a == b, grad / 2, grad)
        return dual.where(a > b, 0.0, shared), dual.where(a < b, 0.0, shared), None


class Fmax(Op):
    """out = the larger of a and b, ignoring a nan.   The gradient goes to a where a >= b or
    b is nan, else to b (ties go to a)."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.fmax(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a = (a >= b) | (b != b)
        return dual.where(to_a, grad, 0.0), dual.where(to_a, 0.0, grad), None


class Fmin(Op):
    """out = the smaller of a and b, ignoring a nan.   The gradient goes to a where a <= b or
    b is nan, else to b (ties go to a)."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.fmin(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a = (a <= b) | (b != b)
        return dual.where(to_a, grad, 0.0), dual.where(to_a, 0.0, grad), None


# ---------------------------------------------------------------- lerp, where, hypot, xlogy


def _lerp_array(a, b, w):
    """a + w (b - a), computed as torch does for precision: from b's side when |w| >= 0.5, so
    that w = 1 gives exactly b."""
    diff = b - a
    if np.ndim(w) == 0:
        return a + w * diff if np.abs(w) < 0.5 else b - diff * (1 - w)
    return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))


class Lerp(Op):
    """out = a + w (b - a) for a number w.   d/da = 1 - w,  d/db = w."""

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.weight = w
        return _lerp_array(a, b, a.dtype.type(w))

    @staticmethod
    def backward(ctx, grad):
        w = ctx.weight
        needs = ctx.needs_input_grad
        return (grad * (1 - w) if needs[0] else None), (grad * w if needs[1] else None), None


class LerpTensor(Op):
    """out = a + w (b - a) for a tensor w.   d/da = 1 - w,  d/db = w,  d/dw = b - a."""

    node_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        return _lerp_array(a, b, w)

    @staticmethod
    def backward(ctx, grad):
        a, b, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return ((grad * (1 - w) if needs[0] else None), (grad * w if needs[1] else None),
                (grad * (b - a) if needs[2] else None))


class Where(Op):
    """out = a where the condition holds, else b.   The gradient goes to whichever was chosen."""

    @staticmethod
    def forward(ctx, condition, a, b, dtype):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b).astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        condition, = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (None, dual.where(condition, grad, 0.0) if needs[1] else None,
                dual.where(condition, 0.0, grad) if needs[2] else None, None)


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


def _xlogy_array(a, b, dtype):
    """a * ln(b), but 0 where a = 0 (unless b is nan)."""
    a = np.asarray(a, dtype=dtype)
    out = np.asarray(a * np.log(np.asarray(b, dtype=dtype)))
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


class Addcmul(Op):
    """out = x + value * a * b.   dx = 1,  da = value * b,  db = value * a."""

    @staticmethod
    def forward(ctx, x, a, b, value, dtype):
        ctx.save_for_backward(a, b)
        ctx.value = value
        t = dtype.type
        return np.add(x, np.multiply(np.multiply(a, b, dtype=dtype), t(value)), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        value = ctx.value
        needs = ctx.needs_input_grad
        return (grad, grad * (b * value) if needs[1] else None,
                grad * (a * value) if needs[2] else None, None, None)


class Addcdiv(Op):
    """out = x + value * a / b.   dx = 1,  da = value / b,  db = -value * a / b**2."""

    @staticmethod
    def forward(ctx, x, a, b, value, dtype):
        ctx.save_for_backward(a, b)
        ctx.value = value
        t = dtype.type
        return np.add(x, np.multiply(np.true_divide(a, b, dtype=dtype), t(value)), dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        value = ctx.value
        needs = ctx.needs_input_grad
        return (grad, grad * (value / b) if needs[1] else None,
                -grad * value * a / (b * b) if needs[2] else None, None, None)


class Logaddexp(Op):
    """out = ln(e ** a + e ** b), without overflow.   d/da = 1 / (1 + e ** (b - a)),
    d/db = 1 / (1 + e ** (a - b))  (the softmax of the pair)."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad / (dual.exp(b - a) + 1) if needs[0] else None,
                grad / (dual.exp(a - b) + 1) if needs[1] else None, None)


class Logaddexp2(Op):
    """out = log2(2 ** a + 2 ** b).   d/da = 1 / (1 + 2 ** (b - a)),  d/db likewise."""

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.logaddexp2(a, b, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad / (2 ** (b - a) + 1) if needs[0] else None,
                grad / (2 ** (a - b) + 1) if needs[1] else None, None)


class NanToNum(Op):
    """out = x with nan, +inf and -inf replaced by numbers.   d(out)/dx = 1 where x is finite,
    else 0."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save_for_backward(x)
        if x.dtype.kind != "f":
            return x.copy()
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.where(dual.isfinite(x), grad, 0.0), None, None, None


# ---------------------------------------------------------------- public functions


def exp(input, *, out=None):
    """e to the power of each element."""
    return _finish(Exp.apply(input), out, "exp")


def exp2(input, *, out=None):
    """2 to the power of each element."""
    return _finish(Exp2.apply(input), out, "exp2")


def expm1(input, *, out=None):
    """``exp(x) - 1``, accurate for x near 0."""
    return _finish(Expm1.apply(input), out, "expm1")


def log(input, *, out=None):
    """Natural logarithm of each element (nan below 0, -inf at 0)."""
    return _finish(Log.apply(input), out, "log")


def log2(input, *, out=None):
    """Base-2 logarithm of each element."""
    return _finish(Log2.apply(input), out, "log2")


def log10(input, *, out=None):
    """Base-10 logarithm of each element."""
    return _finish(Log10.apply(input), out, "log10")


def log1p(input, *, out=None):
    """``log(1 + x)``, accurate for x near 0."""
    return _finish(Log1p.apply(input), out, "log1p")


def sqrt(input, *, out=None):
    """Square root of each element (nan below 0)."""
    return _finish(Sqrt.apply(input), out, "sqrt")


def rsqrt(input, *, out=None):
    """``1 / sqrt(x)`` of each element."""
    return _finish(Rsqrt.apply(input), out, "rsqrt")


def sin(input, *, out=None):
    """Sine of each element (radians)."""
    return _finish(Sin.apply(input), out, "sin")


def cos(input, *, out=None):
    """Cosine of each element (radians)."""
    return _finish(Cos.apply(input), out, "cos")


def tan(input, *, out=None):
    """Tangent of each element (radians)."""
    return _finish(Tan.apply(input), out, "tan")


def asin(input, *, out=None):
    """Inverse sine (nan outside [-1, 1])."""
    return _finish(Asin.apply(input), out, "asin")


def acos(input, *, out=None):
    """Inverse cosine (nan outside [-1, 1])."""
    return _finish(Acos.apply(input), out, "acos")


def atan(input, *, out=None):
    """Inverse tangent."""
    return _finish(Atan.apply(input), out, "atan")


def atan2(input, other, *, out=None):
    """The angle of the point (other, input): ``atan(input / other)`` in the right quadrant."""
    other = tensor_operand(other, "atan2")
    return _finish(Atan2.apply(input, other, _float_result(input, other)), out, "atan2")


def sinh(input, *, out=None):
    """Hyperbolic sine."""
    return _finish(Sinh.apply(input), out, "sinh")


def cosh(input, *, out=None):
    """Hyperbolic cosine."""
    return _finish(Cosh.apply(input), out, "cosh")


def tanh(input, *, out=None):
    """Hyperbolic tangent."""
    return _finish(Tanh.apply(input), out, "tanh")


def asinh(input, *, out=None):
    """Inverse hyperbolic sine."""
    return _finish(Asinh.apply(input), out, "asinh")


def acosh(input, *, out=None):
    """Inverse hyperbolic cosine (nan below 1)."""
    return _finish(Acosh.apply(input), out, "acosh")


def atanh(input, *, out=None):
    """Inverse hyperbolic tangent (nan outside [-1, 1])."""
    return _finish(Atanh.apply(input), out, "atanh")


arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
arcsinh, arccosh, arctanh = asinh, acosh, atanh


def sigmoid(input, *, out=None):
    """The logistic function ``1 / (1 + exp(-x))``."""
    return _finish(Sigmoid.apply(input), out, "sigmoid")


def logit(input, eps=None, *, out=None):
    """``log(x / (1 - x))``, the inverse of sigmoid; with ``eps``, x is first clamped to
    ``[eps, 1 - eps]``."""
    return _finish(Logit.apply(input, eps), out, "logit")


def erf(input, *, out=None):
    """The error function ``2/sqrt(pi) * integral of exp(-t**2) from 0 to x``."""
    return _finish(Erf.apply(input), out, "erf")


def erfc(input, *, out=None):
    """The complementary error function ``1 - erf(x)``."""
    return _finish(Erfc.apply(input), out, "erfc")


def erfinv(input, *, out=None):
    """The inverse error function: ``erf(erfinv(x)) = x`` on ``(-1, 1)``."""
    return _finish(Erfinv.apply(input), out, "erfinv")


def abs(input, *, out=None):
    """Absolute value of each element."""
    return _finish(Abs.apply(input), out, "abs")


absolute = abs


def sign(input, *, out=None):
    """-1, 0 or 1: the sign of each element."""
    return _finish(Sign.apply(input), out, "sign")


def sgn(input, *, out=None):
    """The sign of each element (``x / |x|``, which for real numbers is ``sign``)."""
    return _finish(Sgn.apply(input), out, "sgn")


def floor(input, *, out=None):
    """Each element rounded down to a whole number."""
    return _finish(Floor.apply(input), out, "floor")


def ceil(input, *, out=None):
    """Each element rounded up to a whole number."""
    return _finish(Ceil.apply(input), out, "ceil")


def round(input, *, decimals=None, out=None):
    """Each element rounded to the nearest whole number (halves to even), or to ``decimals``
    decimal places (even ``decimals=0`` is recorded as RoundBackward1, as in torch)."""
    if decimals is None:
        return _finish(Round.apply(input), out, "round")
    return _finish(RoundDecimals.apply(input, decimals), out, "round")


def trunc(input, *, out=None):
    """Each element rounded towards zero."""
    return _finish(Trunc.apply(input), out, "trunc")


fix = trunc


def frac(input, *, out=None):
    """The fractional part of each element, ``x - trunc(x)``."""
    return _finish(Frac.apply(input), out, "frac")


def relu(input):
    """Rectified linear unit: ``max(x, 0)`` elementwise."""
    return Relu.apply(input)


_CLAMP_OVERLOADS = ("Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None",
                    "Tensor input, Number min = None, Number max = None, *, Tensor out = None")


def _bound(x):
    """A clamp bound: None, a Python number, or a tensor."""
    if x is None or isinstance(x, Tensor):
        return x
    return operand(x, "clamp")


def clamp(input, min=None, max=None, *, out=None):
    """Each element limited to ``[min, max]``: ``minimum(maximum(x, min), max)``.  The bounds are
    numbers or tensors (broadcasting); either may be None.  If ``min > max`` every element
    becomes ``max``."""
    try:
        lo, hi = _bound(min), _bound(max)
    except TypeError:
        lo = hi = None
        invalid_arguments("clamp", (input,) + tuple(b for b in (min, max) if b is not None),
                          _CLAMP_OVERLOADS)
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dtype = _dtype.result_type(*(x for x in (input, lo, hi) if x is not None)).numpy
    if isinstance(lo, Tensor) or isinstance(hi, Tensor):
        if not (lo is None or isinstance(lo, Tensor)) or not (hi is None or isinstance(hi,
                                                                                   Tensor)):
            invalid_arguments("clamp", (input, min, max), _CLAMP_OVERLOADS)
        if dtype.kind == "b" and lo is not None and hi is not None:
            not_implemented("clamp_cpu", dtype)
        broadcast_shapes(*(x._array.shape for x in (input, lo, hi) if x is not None))
        return _finish(ClampTensor.apply(input, lo, hi, dtype), out, "clamp")
    _check_number_bounds(dtype, lo, hi)
    return _finish(Clamp.apply(input, lo, hi, None if dtype == input._array.dtype else dtype),
                   out, "clamp")


clip = clamp


def _check_fits(dtype, *numbers):
    """Numbers beside an integer tensor must fit its dtype (here torch refuses to wrap)."""
    for number in numbers:
        if number is not None:
            check_fits(number, dtype)


def _check_number_bounds(dtype, lo, hi):
    """Number bounds must fit the dtype, which must not be bool (torch has no such kernel)."""
    if dtype.kind == "b":
        kernel = "clamp_max" if lo is None else "clamp_min" if hi is None else "clamp"
        not_implemented(kernel + "_scalar_cpu", dtype)
    _check_fits(dtype, lo, hi)


def clamp_min(input, min, *, out=None):
    """Each element at least ``min`` (a number or a tensor): ``maximum(x, min)``."""
    if isinstance(min, Tensor):
        dtype = _dtype.result_type(input, min).numpy
        broadcast_shapes(input._array.shape, min._array.shape)
        return _finish(ClampMinTensor.apply(input, min, dtype), out, "clamp_min")
    lo = operand(min, "clamp_min", "min")
    dtype = _dtype.result_type(input, lo).numpy
    _check_number_bounds(dtype, lo, None)
    return _finish(ClampMin.apply(input, lo, None, None if dtype == input._array.dtype
                                  else dtype), out, "clamp_min")


def clamp_max(input, max, *, out=None):
    """Each element at most ``max`` (a number or a tensor): ``minimum(x, max)``."""
    if isinstance(max, Tensor):
        dtype = _dtype.result_type(input, max).numpy
        broadcast_shapes(input._array.shape, max._array.shape)
        return _finish(ClampMaxTensor.apply(input, max, dtype), out, "clamp_max")
    hi = operand(max, "clamp_max", "max")
    dtype = _dtype.result_type(input, hi).numpy
    _check_number_bounds(dtype, None, hi)
    return _finish(ClampMax.apply(input, None, hi, None if dtype == input._array.dtype
                                  else dtype), out, "clamp_max")


def _float_result(a, b):
    """The dtype of a binary float function: promoted, and integers become the default float."""
    dtype = _dtype.result_type(a, b)
    return (dtype if dtype.is_floating_point else _dtype.get_default_dtype()).numpy


def _binary_same(op, fname, input, other, out):
    other = tensor_operand(other, fname)
    dtype = _dtype.result_type(input, other).numpy
    broadcast_shapes(input._array.shape, other._array.shape)
    return _finish(op.apply(input, other, dtype), out, fname)


def maximum(input, other, *, out=None):
    """The larger of the two tensors, elementwise (nan if either is nan)."""
    return _binary_same(Maximum, "maximum", input, other, out)


def minimum(input, other, *, out=None):
    """The smaller of the two tensors, elementwise (nan if either is nan)."""
    return _binary_same(Minimum, "minimum", input, other, out)


def fmax(input, other, *, out=None):
    """The larger of the two tensors, elementwise, ignoring nan where the other is a number."""
    return _binary_same(Fmax, "fmax", input, other, out)


def fmin(input, other, *, out=None):
    """The smaller of the two tensors, elementwise, ignoring nan where the other is a number."""
    return _binary_same(Fmin, "fmin", input, other, out)


# torch's messages name dtypes by their C types in a few places (lerp, clamp_)
C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
            "int16": "short int", "int32": "int", "int64": "long int", "float16": "c10::Half",
            "float32": "float", "float64": "double"}


def lerp(input, end, weight, *, out=None):
    """Linear interpolation ``input + weight * (end - input)``; ``weight`` is a number or a
    tensor (all three broadcast)."""
    end, weight = check_lerp_operands(input, end, weight)
    shapes = [t._array.shape for t in (input, end, weight) if isinstance(t, Tensor)]
    broadcast_shapes(*shapes)
    if isinstance(weight, Tensor):
        if input._array.dtype.kind != "f":
            not_implemented("lerp_kernel_tensor", input._array.dtype)
        return _finish(LerpTensor.apply(input, end, weight), out, "lerp")
    if input._array.dtype.kind != "f":
        not_implemented("lerp_kernel_scalar", input._array.dtype)
    return _finish(Lerp.apply(input, end, weight), out, "lerp")


def check_lerp_operands(input, end, weight):
    """``end`` must be a tensor and ``weight`` a number or a tensor, both of input's dtype."""
    end = tensor_operand(end, "lerp", "end")
    if not isinstance(weight, Tensor):
        weight = operand(weight, "lerp", "weight", 3)
    expected = input._array.dtype
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t._array.dtype != expected:
            raise RuntimeError("expected dtype {} for `{}` but got dtype {}".format(
                C_NAMES[expected.name], name, C_NAMES[t._array.dtype.name]))
    return end, weight


_WHERE_OVERLOADS = ("Tensor condition",
                    "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
                    "Tensor condition, Number self, Tensor other",
                    "Tensor condition, Tensor input, Number other",
                    "Tensor condition, Number self, Number other")


def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` holds, else ``other`` (tensors or numbers, broadcasting).
    With the condition alone: the indices where it holds, one tensor per dimension."""
    if input is None and other is None:
        condition = tensor_operand(condition, "where", "condition", 1)
        return tuple(Tensor._make(i) for i in np.nonzero(np.atleast_1d(condition._array)))
    if input is None or other is None:
        invalid_arguments("where", tuple(a for a in (condition, input, other) if a is not None),
                          _WHERE_OVERLOADS)
    condition = tensor_operand(condition, "where", "condition", 1)
    kind = condition._array.dtype.kind
    if kind == "u" and condition._array.dtype.itemsize == 1:
        import warnings
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and "
                      "will be removed in a future version of PyTorch. Use a boolean condition "
                      "instead.", UserWarning, stacklevel=2)
        condition = Tensor._make(condition._array.astype(bool))
    elif kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           "with dtype " + condition.dtype.scalar_name)
    a = operand(input, "where", "input", 2)
    b = operand(other, "where", "other", 3)
    dtype = _dtype.result_type(a, b).numpy
    broadcast_shapes(*(np.shape(x._array) for x in (condition, a, b) if isinstance(x, Tensor)))
    if not isinstance(a, Tensor):
        _check_fits(dtype, a)
        a = Tensor._make(number_as(a, dtype))
    if not isinstance(b, Tensor):
        _check_fits(dtype, b)
        b = Tensor._make(number_as(b, dtype))
    return _finish(Where.apply(condition, a, b, dtype), out, "where")


def where_method(self, condition, other):
    """``x.where(condition, y)``: ``where(condition, x, y)``."""
    return where(condition, self, other)


def hypot(input, other, *, out=None):
    """``sqrt(input**2 + other**2)`` without overflow."""
    other = tensor_operand(other, "hypot")
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind != "f":
        not_implemented("hypot_cpu", dtype)
    return _finish(Hypot.apply(input, other, dtype), out, "hypot")


def xlogy(input, other, *, out=None):
    """``input * log(other)``, with 0 where ``input`` is 0 (unless ``other`` is nan)."""
    if not isinstance(input, Tensor):
        s = operand(input, "xlogy", "self", 1)
        b = tensor_operand(other, "xlogy")
        return _finish(XlogyOfNumber.apply(s, b, _float_result(s, b)), out, "xlogy")
    b = operand(other, "xlogy")
    dtype = _float_result(input, b)
    if isinstance(b, Tensor):
        return _finish(Xlogy.apply(input, b, dtype), out, "xlogy")
    return _finish(XlogyScalar.apply(input, b, dtype), out, "xlogy")


def _addc(op, fname, input, tensor1, tensor2, value, out):
    tensor1 = tensor_operand(tensor1, fname, "tensor1")
    tensor2 = tensor_operand(tensor2, fname, "tensor2")
    dtype = _dtype.result_type(input, tensor1, tensor2).numpy
    if op is Addcdiv and tensor1._array.dtype.kind in "iub" and \
            tensor2._array.dtype.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    broadcast_shapes(input._array.shape, tensor1._array.shape, tensor2._array.shape)
    return _finish(op.apply(input, tensor1, tensor2, value, dtype), out, fname)


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2`` (one step of many optimizers)."""
    return _addc(Addcmul, "addcmul", input, tensor1, tensor2, value, out)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2`` (one step of many optimizers)."""
    return _addc(Addcdiv, "addcdiv", input, tensor1, tensor2, value, out)


def logaddexp(input, other, *, out=None):
    """``log(exp(input) + exp(other))``, computed without overflow."""
    other = tensor_operand(other, "logaddexp")
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind != "f":
        not_implemented("logaddexp_cpu", dtype)
    return _finish(Logaddexp.apply(input, other, dtype), out, "logaddexp")


def logaddexp2(input, other, *, out=None):
    """``log2(2**input + 2**other)``, computed without overflow."""
    other = tensor_operand(other, "logaddexp2")
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind != "f":
        not_implemented("logaddexp2_cpu", dtype)
    return _finish(Logaddexp2.apply(input, other, dtype), out, "logaddexp2")


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """``input`` with nan replaced by ``nan``, and infinities by ``posinf``/``neginf`` (by
    default the largest and smallest finite numbers of the dtype)."""
    return _finish(NanToNum.apply(input, nan, posinf, neginf), out, "nan_to_num")


# ---------------------------------------------------------------- tests of values


def _predicate(fn, input):
    if input._array.dtype.kind != "f":
        return Tensor._make(np.zeros(input._array.shape, dtype=bool) if fn is not np.isfinite
                            else np.ones(input._array.shape, dtype=bool))
    return Tensor._make(np.asarray(fn(input._array)))


def isnan(input):
    """True where an element is nan."""
    return _predicate(np.isnan, input)


def isinf(input):
    """True where an element is +inf or -inf."""
    return _predicate(np.isinf, input)


def isposinf(input, *, out=None):
    """True where an element is +inf."""
    return _finish(_predicate(np.isposinf, input), out, "isposinf")


def isneginf(input, *, out=None):
    """True where an element is -inf."""
    return _finish(_predicate(np.isneginf, input), out, "isneginf")


def isfinite(input):
    """True where an element is neither inf nor nan."""
    return _predicate(np.isfinite, input)


def isreal(input):
    """True where an element has no imaginary part (always, for ember's real dtypes)."""
    return Tensor._make(np.ones(input._array.shape, dtype=bool))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True where ``|input - other| <= atol + rtol * |other|`` (both tensors of one dtype)."""
    other = tensor_operand(other, "isclose")
    if input._array.dtype != other._array.dtype:
        raise RuntimeError("{} did not match {}".format(input.dtype.scalar_name,
                                                        other.dtype.scalar_name))
    broadcast_shapes(input._array.shape, other._array.shape)
    return Tensor._make(np.asarray(np.isclose(input._array, other._array, rtol=rtol, atol=atol,
                                              equal_nan=equal_nan)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``isclose`` holds for every element (a Python bool)."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._array.all())


def equal(input, other):
    """Whether both tensors have the same shape and the same elements (a Python bool)."""
    other = tensor_operand(other, "equal")
    a, b = input._array, other._array
    return a.shape == b.shape and bool(np.array_equal(a, b))


METHODS = ("exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos",
           "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "atan2", "arctan2",
           "sinh", "cosh", "tanh", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
           "sigmoid", "logit", "erf", "erfc", "erfinv", "abs", "absolute", "sign", "sgn", "floor",
           "ceil", "round", "trunc", "fix", "frac", "relu", "clamp", "clip", "clamp_min",
           "clamp_max", "maximum", "minimum", "fmax", "fmin", "lerp", "hypot", "xlogy", "addcmul",
           "addcdiv", "logaddexp", "logaddexp2", "nan_to_num", "isnan", "isinf", "isposinf",
           "isneginf", "isfinite", "isreal", "isclose", "allclose", "equal")

FUNCTIONAL = ()
