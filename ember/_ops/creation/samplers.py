"""torch's rejection samplers: ``_standard_gamma``, ``_sample_dirichlet`` and ``binomial``.

Each element is drawn in turn (in memory order, as torch's serial CPU kernel does) from float64
uniform numbers (two words each) and from the scalar Box-Muller normal sampler (which keeps its
second sample for the next call), so the samples and the generator's state after them are
torch's, bit for bit.  A rejection sampler takes a varying number of draws per element, which
is why this is a loop over elements and not NumPy arithmetic on whole arrays.

* Gamma(alpha, 1): Marsaglia and Tsang's method (2000).  For alpha < 1 a Gamma(alpha + 1)
  draw is scaled by U**(1/alpha).  With d = alpha - 1/3 and c = 1/sqrt(9 d), draw a normal x
  until y = 1 + c x > 0, then accept d y**3 if a uniform u is below 1 - 0.0331 x**4 (the fast
  test) or if log u < x**2/2 + d (1 - y**3 + log y**3).  torch rounds alpha + 1, 1/alpha and
  d to the tensor's dtype and uses the float32 constants 1/3 and 0.0331; so does this.
* Dirichlet(alpha): Gamma(alpha_i) draws in float64, divided by their sum.
* Binomial(n, p): for p > 1/2 the count of failures of Binomial(n, 1 - p); for n p < 10 the
  inversion by geometric waiting times; otherwise Hoermann's transformed rejection (BTRS, 1993).
"""
import math

import numpy as np

from ... import _dtype, _errors
from ...autograd.grad_mode import state as _grad_state
from ...autograd.op import Op
from ..core.common import Tensor
from ..core.registry import export
from . import draws
from .mt19937 import generator_or_default
from .normal import scalar as _scalar_normal
from .random import Sampled, _not_implemented

_THIRD = float(np.float32(1 / 3))
_SQUEEZE = float(np.float32(0.0331))


def _gamma_one(g, alpha, dtype):
    """One Gamma(alpha, 1) draw as a Python float (``dtype``: torch's scalar type, in which
    it rounds alpha's adjustments)."""
    scale = 1.0
    alpha = dtype.type(alpha)
    if alpha < 1:
        if alpha == 0:
            return 0.0
        scale = math.pow(1 - float(draws.uniform53(g, 1)[0]), float(dtype.type(1) / alpha))
        alpha = alpha + dtype.type(1)
    d = float(alpha - dtype.type(_THIRD))
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        y = 0.0
        while y <= 0:
            x = float(_scalar_normal(g, 1)[0])
            y = 1.0 + c * x
        v = y * y * y
        u = 1 - float(draws.uniform53(g, 1)[0])
        xx = x * x
        if u < 1.0 - _SQUEEZE * xx * xx or math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def standard_gamma_array(g, alpha):
    """Gamma(alpha, 1) draws for a NumPy array of concentrations (in its dtype), each at least
    the dtype's smallest normal number."""
    tiny = float(np.finfo(alpha.dtype).tiny)
    flat = [max(_gamma_one(g, a, alpha.dtype), tiny) for a in alpha.reshape(-1).tolist()]
    return np.array(flat, dtype=np.float64).reshape(alpha.shape).astype(alpha.dtype)


def _floating_input(input, name, kernel):
    if not isinstance(input, Tensor):
        raise _errors.input_must_be_tensor(name, type(input).__name__)
    if input._array.dtype.kind != "f" or input._array.dtype == np.float16:
        raise _not_implemented(kernel, input._array.dtype)
    return np.asarray(input._array, order="C")


def standard_gamma_grad(alpha, x):
    """d x / d alpha for x ~ Gamma(alpha, 1) drawn by inverting its distribution function
    P(alpha, x) (the implicit reparameterisation gradient): dx/dalpha = -(dP/dalpha) / p(x),
    with p the density and dP/dalpha a central difference of SciPy's regularised incomplete
    gamma function."""
    from scipy import special
    a, v = alpha.astype(np.float64), x.astype(np.float64)
    h = 1e-5 * np.maximum(a, 1e-3)
    d_cdf = (special.gammainc(a + h, v) - special.gammainc(a - h, v)) / (2 * h)
    log_density = (a - 1) * np.log(v) - v - special.gammaln(a)
    return (-d_cdf * np.exp(-log_density)).astype(alpha.dtype)


def dirichlet_grad_array(x, alpha, total):
    """-(d/dalpha I_x(alpha, beta)) / p(x) / (1 - x) for x ~ Beta(alpha, beta), beta =
    total - alpha held fixed: the implicit gradient of a Beta draw (scaled by 1/(1 - x)), from
    which a Dirichlet draw's gradient follows (torch's reparameterisation of Dirichlet
    samples); dI/dalpha is a central difference of SciPy's regularised incomplete beta."""
    from scipy import special
    xd, a, t = (v.astype(np.float64) for v in np.broadcast_arrays(x, alpha, total))
    b = t - a
    h = 1e-5 * np.maximum(a, 1e-3)
    d_cdf = (special.betainc(a + h, b, xd) - special.betainc(a - h, b, xd)) / (2 * h)
    log_density = ((a - 1) * np.log(xd) + (b - 1) * np.log1p(-xd) - special.betaln(a, b))
    return (-d_cdf * np.exp(-log_density) / (1 - xd)).astype(np.result_type(x, alpha))


@export("torch")
def _dirichlet_grad(x, alpha, total):
    """The gradient of Dirichlet samples (see ``dirichlet_grad_array``), elementwise."""
    return Tensor._make(dirichlet_grad_array(x._array, alpha._array, total._array))


class StandardGamma(Op):
    """out = a Gamma(alpha, 1) sample (drawn beforehand, passed in).  d out / d alpha: the
    implicit reparameterisation gradient (``standard_gamma_grad``)."""

    node_name = "StandardGammaBackward0"

    @staticmethod
    def forward(ctx, alpha, sample):
        ctx.alpha, ctx.sample = alpha, sample
        return sample

    @staticmethod
    def backward(ctx, grad):
        return grad * standard_gamma_grad(ctx.alpha, ctx.sample), None


class _SampledNode(Sampled):
    """A sample that no gradient flows through (its inputs' gradients are zero)."""


_DIRICHLET = type("SampleDirichletOp", (_SampledNode,), {"node_name": "SampleDirichletBackward0"})
_BINOMIAL = type("BinomialOp", (_SampledNode,), {"node_name": "BinomialBackward0"})


def _requires_grad(*inputs):
    return _grad_state().enabled and any(t._requires_grad for t in inputs)


@export("torch")
def _standard_gamma(input, generator=None):
    """Samples of Gamma(input, 1), differentiable in ``input`` (``StandardGamma``)."""
    a = _floating_input(input, "_standard_gamma", "gamma_cpu")
    sample = standard_gamma_array(generator_or_default(generator), a)
    return StandardGamma.apply(input, sample) if _requires_grad(input) else Tensor._make(sample)


@export("torch")
def _sample_dirichlet(input, generator=None):
    """Samples of Dirichlet(input) along the last dimension: Gamma draws over their sum."""
    a = _floating_input(input, "_sample_dirichlet", "dirichlet")
    g = generator_or_default(generator)
    gammas = standard_gamma_array(g, a.astype(np.float64))
    sample = (gammas / gammas.sum(-1, keepdims=True)).astype(a.dtype)
    return _DIRICHLET.apply(input, sample) if _requires_grad(input) else Tensor._make(sample)


# log(k!) minus Stirling's approximation (k + 1/2) log(k + 1) - (k + 1) + log(2 pi)/2, for
# k = 0 .. 9 (larger k use the series 1/12 - 1/360 m**-2 + 1/1260 m**-4, over m = k + 1)
_STIRLING_TAILS = [math.lgamma(k + 1) - ((k + 0.5) * math.log(k + 1) - (k + 1)
                                         + 0.5 * math.log(2 * math.pi)) for k in range(10)]


def _stirling_tail(k):
    if k <= 9:
        return _STIRLING_TAILS[int(k)]
    m2 = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / m2) / m2) / (k + 1)


def _binomial_inversion(g, count, prob):
    """Successes counted as the geometric waiting times between them fit in ``count``."""
    total, successes = 0.0, 0
    log_q = math.log1p(-prob)
    while True:
        total += math.ceil(math.log(float(draws.uniform53(g, 1)[0])) / log_q)
        if total > count:
            return successes
        successes += 1


def _btrs(g, count, prob, t):
    """Hoermann's transformed rejection with squeeze, for count * prob >= 10 and prob <= 1/2
    (``t``: the dtype's scalar type, in which torch computes count * prob * (1 - prob))."""
    stddev = math.sqrt(float(count * prob * (t(1) - prob)))
    count, prob = float(count), float(prob)
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((count + 1) * prob)
    while True:
        u = float(draws.uniform53(g, 1)[0]) - 0.5
        v = float(draws.uniform53(g, 1)[0])
        us = 0.5 - abs(u)
        k = float(t(math.floor((2 * a / us + b) * u + c)))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= bound:
            return k


def _binomial_one(g, count, prob, t):
    if count <= 0 or prob <= 0:
        return 0.0
    if prob >= 1:
        return float(count)
    if prob <= 0.5:
        if count * prob >= 10:
            return _btrs(g, count, prob, t)
        return float(_binomial_inversion(g, float(count), float(prob)))
    if prob > 0.5:
        q = t(1) - prob
        if count * q >= 10:
            return float(count) - _btrs(g, count, q, t)
        return float(count) - _binomial_inversion(g, float(count), float(q))
    return math.nan


@export("torch")
def binomial(count, prob, generator=None):
    """Samples of Binomial(count, prob), elementwise (count and prob of one shape)."""
    for name, t in (("count", count), ("prob", prob)):
        if isinstance(t, Tensor) and t._array.dtype.kind != "f":
            raise ValueError("binomial only supports floating-point dtypes for {}, got: {}"
                             .format(name, _dtype.from_numpy(t._array.dtype).scalar_name))
    c = _floating_input(count, "binomial", "binomial_cpu")
    p = _floating_input(prob, "binomial", "binomial_cpu")
    if p.dtype != c.dtype:
        raise RuntimeError("Found dtype {} but expected {}".format(
            _dtype.from_numpy(p.dtype).scalar_name, _dtype.from_numpy(c.dtype).scalar_name))
    g = generator_or_default(generator)
    t = c.dtype.type
    flat = [_binomial_one(g, t(n), t(q), t) for n, q in zip(c.reshape(-1).tolist(),
                                                          p.reshape(-1).tolist())]
    sample = np.array(flat, dtype=c.dtype).reshape(c.shape)
    if _requires_grad(count, prob):
        return _BINOMIAL.apply(count, prob, sample)
    return Tensor._make(sample)
