"""The error function ``erf(x) = 2/sqrt(pi) * integral of e^(-t^2) from 0 to x``, its complement
``erfc = 1 - erf`` and its inverse ``erfinv``.

NumPy has none of them, so they are computed here, in float64, from a power series (small x), a
continued fraction (large x) and Halley's method (the inverse); ``erf_array`` also serves
``gelu``.  Integer inputs compute in the default float dtype, as torch's do.
"""
import math

import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.operands import finish, floating
from ..core.inplace import twin
from ..core.registry import export


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
    x = np.asanyarray(x)
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
    x = np.asanyarray(x)
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
    y = np.asanyarray(y)
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


# ---------------------------------------------------------------- public functions


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def erf(input, *, out=None):
    """The error function ``2/sqrt(pi) * integral of exp(-t**2) from 0 to x``."""
    return finish(Erf.apply(input), out, "erf")


@export("special")
@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def erfc(input, *, out=None):
    """The complementary error function ``1 - erf(x)``."""
    return finish(Erfc.apply(input), out, "erfc")


@export("special")
@export("torch", "Tensor", inplace=twin("Tensor"))
def erfinv(input, *, out=None):
    """The inverse error function: ``erf(erfinv(x)) = x`` on ``(-1, 1)``."""
    return finish(Erfinv.apply(input), out, "erfinv")


