"""The gamma family: ``lgamma`` (log |Gamma|), ``digamma`` and ``polygamma`` (its derivatives),
``mvlgamma`` (the multivariate log-gamma), the Hurwitz ``zeta`` and the incomplete gamma
functions ``igamma``/``igammac`` (``special.gammainc``/``gammaincc``).

Computed with NumPy alone, in float64:

* ``lgamma`` -- Lanczos' approximation, with the reflection formula below 1/2;
* ``digamma`` -- the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic
  series; reflection below 1/2;
* ``zeta(s, q)`` -- the first terms of the sum up to q + k >= 9, then the Euler-Maclaurin
  formula; ``polygamma(n, x)`` is (-1)^(n+1) n! zeta(n + 1, x).

(The incomplete gamma functions come from SciPy.)  The derivatives: d lgamma = digamma,
d digamma = polygamma(1), d polygamma(n) = polygamma(n + 1), d zeta(s, q)/dq = -s zeta(s + 1, q).
"""
import math

import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.inplace import apply_inplace, twin
from ..core.operands import finish, floating
from ..core.registry import export
from .special import (Float64Function, _in_float64, _named, _recorded_or_array,
                      _scipy_special, _two_floats)

# ---------------------------------------------------------------- the functions on arrays

_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _lgamma(x):
    """log |Gamma(x)| of a float64 array."""
    reflect = x < 0.5
    z = np.where(reflect, 1 - x, x) - 1
    a = np.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], 1):
        a += c / (z + i)
    t = z + _LANCZOS_G + 0.5
    value = np.asanyarray(_HALF_LOG_2PI + (z + 0.5) * np.log(t) - t + np.log(a))  # (0-d too)
    if reflect.any():           # log |Gamma(x)| = log(pi / |sin(pi x)|) - log |Gamma(1 - x)|
        sine = np.abs(np.sin(np.pi * np.where(reflect, x, 0.5)))
        value = np.asanyarray(np.where(reflect, np.log(np.pi / sine) - value, value))
        value[reflect & (x == np.floor(x))] = np.inf            # the poles 0, -1, -2 ...
    value[(x == 1) | (x == 2)] = 0.0                            # Gamma(1) = Gamma(2) = 1
    value[np.isinf(x)] = np.inf
    return value


def _digamma(x):
    """psi(x) = d log Gamma(x) / dx of a float64 array."""
    reflect = x < 0.5
    y = np.where(reflect, 1 - x, x)
    shift = np.zeros_like(y)
    for _ in range(10):                                # psi(y) = psi(y + 1) - 1 / y
        small = y < 10
        if not small.any():
            break
        shift -= np.where(small, 1 / np.where(small, y, 1), 0)
        y = np.where(small, y + 1, y)
    inv2 = 1 / (y * y)
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
        1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))))
    value = np.asanyarray(np.log(y) - 0.5 / y - series + shift)      # (an array even when 0-d)
    if reflect.any():                   # psi(x) = psi(1 - x) - pi / tan(pi x)
        value = np.asanyarray(np.where(
            reflect, value - np.pi / np.tan(np.pi * np.where(reflect, x, 0.25)), value))
        zero = x == 0
        value[zero] = np.where(np.signbit(x[zero]), np.inf, -np.inf)    # psi(+-0) = -+inf
        value[(x < 0) & (x == np.floor(x))] = np.nan
    return value


# B_2j / (2j)! of the Euler-Maclaurin formula
_BERNOULLI = tuple(b / math.factorial(2 * j) for j, b in enumerate(
    (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510), 1))


def _zeta(s, q):
    """The Hurwitz zeta function sum_k (q + k)^-s of float64 arrays (broadcast)."""
    s, q = np.broadcast_arrays(s, q)
    total = np.zeros(s.shape)
    q = q.copy()
    for _ in range(1000):                  # the first terms, until q + k >= 9
        small = q < 9
        if not small.any():
            break
        total += np.where(small, np.abs(np.where(small, q, 1)) ** -s * np.sign(q) ** s, 0)
        q = np.where(small, q + 1, q)
    tail = q ** (1 - s) / (s - 1) + 0.5 * q ** -s
    factor = s / q ** (s + 1)               # s (s+1) ... (s+2j-2) / q^(s+2j-1)
    for j, b in enumerate(_BERNOULLI):
        tail += b * factor
        factor = factor * (s + 2 * j + 1) * (s + 2 * j + 2) / (q * q)
    value = total + tail
    value = np.where(s == 1, np.inf, value)
    return np.where(s < 1, np.nan, value)


def _zeta_domain(s, q, value):
    """torch's (Cephes') answers outside the sum's domain: a pole at q = 0, -1, ... and nan for
    q < 0 with s not an integer."""
    s, q = np.broadcast_arrays(s, q)
    pole = (q <= 0) & (q == np.floor(q)) & (s >= 1)
    value = np.where(pole, np.inf, value)
    return np.where((q < 0) & (s != np.floor(s)) & ~pole, np.nan, value)


def _polygamma(n, x):
    if n == 0:
        return _digamma(x)
    sign = 1.0 if n % 2 else -1.0
    s = np.full_like(x, n + 1.0)
    return sign * math.factorial(n) * _zeta_domain(s, x, _zeta(s, x))


# ---------------------------------------------------------------- the differentiable operations


class Lgamma(Float64Function):
    """out = log |Gamma(x)|.   d(out)/dx = digamma(x)."""

    compute = staticmethod(_lgamma)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * _digamma_of(x)


class Digamma(Float64Function):
    """out = psi(x) = d log Gamma(x)/dx.   d(out)/dx = polygamma(1, x)."""

    compute = staticmethod(_digamma)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * _trigamma_of(x)


class Polygamma(Op):
    """out = the n-th derivative of digamma.   d(out)/dx = polygamma(n + 1, x)."""

    @staticmethod
    def forward(ctx, x, n):
        x = floating(x)
        ctx.save_for_backward(x)
        ctx.n = n
        return _in_float64(lambda a: _polygamma(n, a), x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        n = ctx.n + 1
        if isinstance(x, Tensor):
            return grad * polygamma(n, x), None
        return grad * _in_float64(lambda a: _polygamma(n, a), x), None


class Zeta(Op):
    """out = zeta(s, q), the Hurwitz zeta function.   d(out)/dq = -s zeta(s + 1, q); torch
    has no derivative in s."""

    node_name = "SpecialZetaBackward0"

    @staticmethod
    def forward(ctx, s, q, dtype):
        ctx.save_for_backward(s, q)
        s64, q64 = s.astype(np.float64), q.astype(np.float64)
        return _zeta_domain(s64, q64, _zeta(s64, q64)).astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        s, q = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        if isinstance(q, Tensor):
            return None, -grad * s * zeta(s + 1, q), None
        s64, q64 = s.astype(np.float64), q.astype(np.float64)
        return None, (-grad * s * _zeta_domain(s64 + 1, q64, _zeta(s64 + 1, q64))
                      .astype(grad.dtype)), None


class Mvlgamma(Op):
    """out = sum over j < p of lgamma(x - j/2), plus p (p - 1) / 4 log(pi).
    d(out)/dx = sum over j < p of digamma(x - j/2)."""

    @staticmethod
    def forward(ctx, x, p):
        x = floating(x)
        ctx.save_for_backward(x)
        ctx.p = p
        return _in_float64(lambda a: sum(_lgamma(a - j / 2) for j in range(p))
                           + p * (p - 1) / 4 * math.log(math.pi), x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        total = _digamma_of(x)
        for j in range(1, ctx.p):
            total = total + _digamma_of(x - j / 2)
        return grad * total, None


class Igamma(Op):
    """out = P(a, x), the regularised lower incomplete gamma function.
    d(out)/dx = x^(a-1) exp(-x) / Gamma(a); torch has no derivative in a."""

    scipy_name = "gammainc"

    @classmethod
    def forward(cls, ctx, a, x, dtype):
        ctx.save_for_backward(a, x)
        fn = _scipy_special(cls.scipy_name)
        return fn(a.astype(np.float64), x.astype(np.float64)).astype(dtype)

    @classmethod
    def backward(cls, ctx, grad):
        a, x = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'igamma: input' is not implemented.")
        density = dual.exp((a - 1) * dual.log(x) - x - lgamma(a) if isinstance(a, Tensor)
                           else (a - 1) * np.log(x) - x - _in_float64(_lgamma, a))
        return None, grad * density if cls.scipy_name == "gammainc" else -grad * density, None


class Igammac(Igamma):
    """out = Q(a, x) = 1 - P(a, x).   d(out)/dx = -x^(a-1) exp(-x) / Gamma(a)."""

    scipy_name = "gammaincc"


_digamma_of = _recorded_or_array(_digamma, lambda x: digamma(x))
_trigamma_of = _recorded_or_array(lambda a: _polygamma(1, a), lambda x: polygamma(1, x))


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", inplace=twin("Tensor"))
@export("special", name="gammaln")
def lgamma(input, *, out=None):
    """log |Gamma(x)| of each element."""
    return finish(Lgamma.apply(input), out, "lgamma")


@export("torch", "Tensor", "special", inplace=twin("Tensor"))
@export("special", name="psi")
def digamma(input, *, out=None):
    """psi(x), the derivative of log Gamma(x), of each element."""
    return finish(Digamma.apply(input), out, "digamma")


def _check_order(n):
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")


@export("torch", "special")
def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma at each element of ``input``."""
    _check_order(n)
    return finish(Polygamma.apply(input, n), out, "polygamma")


@export("Tensor", name="polygamma")
def polygamma_method(self, n):
    """``x.polygamma(n)`` is ``polygamma(n, x)``."""
    return polygamma(n, self)


@export("Tensor")
def polygamma_(self, n):
    """``polygamma(n, x)`` written into ``x``."""
    _check_order(n)
    return apply_inplace(self, Polygamma.apply, n)


@export("torch", "Tensor", inplace=twin("Tensor"))
@export("special", name="multigammaln")
def mvlgamma(input, p, *, out=None):
    """The multivariate log-gamma function of dimension ``p``: the sum of lgamma(x - j/2) for
    j < p, plus p (p - 1) / 4 log(pi)."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return finish(Mvlgamma.apply(input, p), out, "mvlgamma")


@export("special")
def zeta(input, other, *, out=None):
    """The Hurwitz zeta function zeta(s, q) = sum over k >= 0 of (q + k)^-s."""
    s, q, dtype, number = _two_floats(input, other, "special_zeta")
    return finish(_named(Zeta, number).apply(s, q, dtype), out, "special_zeta")


@export("torch", "Tensor", inplace=twin("Tensor"))
@export("special", name="gammainc")
def igamma(input, other, *, out=None):
    """P(a, x), the regularised lower incomplete gamma function (SciPy)."""
    a, x, dtype, _ = _two_floats(input, other, "igamma")
    return finish(Igamma.apply(a, x, dtype), out, "igamma")


@export("torch", "Tensor", inplace=twin("Tensor"))
@export("special", name="gammaincc")
def igammac(input, other, *, out=None):
    """Q(a, x) = 1 - P(a, x), the regularised upper incomplete gamma function (SciPy)."""
    a, x, dtype, _ = _two_floats(input, other, "igammac")
    return finish(Igammac.apply(a, x, dtype), out, "igammac")
