"""Smooth activation functions: the exponential family (``elu``, ``selu``, ``celu``), ``gelu``,
``silu``, ``mish``, ``softplus``, ``logsigmoid``, ``tanhshrink``, ``softsign`` and ``glu``.
The piecewise ones (``relu`` ...) are in ``activation.py``.

Each is one fused Op, named as torch names its graph node, whose backward multiplies the
incoming gradient by the derivative written out by hand.  The formulas are torch's, including
its conventions (``elu`` uses the negative branch at 0) and its numerically stable forms
(``softplus`` and ``logsigmoid`` never take the exponential of a large number).

The ``inplace=True`` forms (and ``elu_``, ``selu_``, ``celu_``) overwrite the input.  torch's
in-place elu nodes compute the gradient from the output rather than the input
(``EluBackward1``), and so do ours, with the same names and the same refusal of a negative
alpha, whose output would not tell which branch an element took.
"""
import math

import numpy as np

from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import wrap_dim
from ..._ops.core.operands import check_float
from ..._ops.core.half import rounded, widen
from ..._ops.elementwise.error_function import erf_array
from ..._ops.core.inplace import apply_inplace
from ..._ops.elementwise.trigonometric import tanh
from ..._ops.core.registry import export
from .loss import check_tensor


# ---------------------------------------------------------------- the exponential family

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Elu(Op):
    """out = scale * x for x > 0, else alpha * scale * (e ** (x * input_scale) - 1)  (elu,
    selu, celu).   d(out)/dx = scale for x > 0, else alpha * scale * input_scale *
    e ** (x * input_scale) (also at 0)."""

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        check_float(x, "elu_cpu")
        ctx.save_for_backward(x)
        ctx.coefficients = alpha, scale, input_scale
        w = widen(x)
        t = w.dtype.type
        negative = np.expm1(w * t(input_scale)) * t(alpha * scale)
        return rounded(np.where(w > 0, w * t(scale) if scale != 1 else w, negative), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.coefficients
        negative = grad * (dual.exp(x * input_scale) * (alpha * scale * input_scale))
        return dual.where(x <= 0, negative, grad * scale), None, None, None   # NaN: the scale


class Celu(Elu):
    """out = x for x > 0, else alpha * (e ** (x / alpha) - 1).   d(out)/dx = 1 for x > 0, else
    e ** (x / alpha)."""


class EluResult(Op):
    """In-place elu/selu: the gradient from the output y, since on the negative branch
    alpha * scale * e ** (x * input_scale) = (y + alpha * scale) * ... ."""

    node_name = "EluBackward1"

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        out = Elu.forward(ctx, x, alpha, scale, input_scale)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.coefficients
        if alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which is "
                "not supported. This is caused by calling in-place forward function with a "
                "negative slope, please call out-of-place version instead.")
        negative = grad * ((out + alpha * scale) * input_scale)
        return dual.where(out <= 0, negative, grad * scale), None, None, None


class CeluResult(EluResult):
    """In-place celu: the gradient from the output, as for elu."""

    node_name = "CeluBackward1"


@export("F")
def elu(input, alpha=1.0, inplace=False):
    """``x`` where positive, else ``alpha * (exp(x) - 1)``."""
    check_tensor(input, "input", 1, "elu_" if inplace else "elu")
    if inplace:
        return apply_inplace(input, EluResult.apply, alpha, 1.0, 1.0)
    return Elu.apply(input, alpha, 1.0, 1.0)


@export("F")
def elu_(input, alpha=1.0):
    """In-place ``elu``."""
    return elu(input, alpha, inplace=True)


@export("F")
def selu(input, inplace=False):
    """``scale * elu(x, alpha)`` with the self-normalising constants alpha = 1.6733 and
    scale = 1.0507 (EluBackward0)."""
    check_tensor(input, "input", 1, "selu_" if inplace else "selu")
    if inplace:
        return apply_inplace(input, EluResult.apply, _SELU_ALPHA, _SELU_SCALE, 1.0)
    return Elu.apply(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


@export("torch", "F")
def selu_(input):
    """In-place ``selu``."""
    return selu(input, inplace=True)


@export("F")
def celu(input, alpha=1.0, inplace=False):
    """``x`` where positive, else ``alpha * (exp(x / alpha) - 1)``."""
    check_tensor(input, "input", 1, "celu_" if inplace else "celu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if inplace:
        return apply_inplace(input, CeluResult.apply, alpha, 1.0, 1.0 / alpha)
    return Celu.apply(input, alpha, 1.0, 1.0 / alpha)


@export("torch", "F")
def celu_(input, alpha=1.0):
    """In-place ``celu``."""
    return celu(input, alpha, inplace=True)


_SQRT_HALF = math.sqrt(0.5)
_PDF_SCALE = 1 / math.sqrt(2 * math.pi)           # the standard normal density at 0
_TANH_SCALE = math.sqrt(2 / math.pi)
_TANH_CUBIC = 0.044715


class Gelu(Op):
    """out = x * Phi(x), Phi the standard normal distribution function,
    Phi(x) = (1 + erf(x / sqrt 2)) / 2.   d(out)/dx = Phi(x) + x * phi(x), phi = Phi' the normal
    density e ** (-x**2 / 2) / sqrt(2 pi).
    With approximate='tanh': Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3))) / 2, and the
    derivative is that of the approximation."""

    @staticmethod
    def forward(ctx, x, approximate):
        check_float(x, "GeluKernelImpl")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        w = widen(x)
        t = w.dtype.type
        if approximate == "tanh":
            inner = (w + w * w * w * t(_TANH_CUBIC)) * t(_TANH_SCALE)
            return rounded(w * t(0.5) * (1 + np.tanh(inner)), x.dtype)
        erf = erf_array(x.astype(np.float64) * _SQRT_HALF, w.dtype.itemsize)
        return rounded(w * t(0.5) * (1 + erf.astype(w.dtype, copy=False)), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            x_sq = x * x
            tanh_inner = dual.tanh((x + x_sq * x * _TANH_CUBIC) * _TANH_SCALE)
            left = (1 + tanh_inner) * 0.5
            right = x * 0.5 * (1 - tanh_inner * tanh_inner) * (
                (1 + x_sq * (3 * _TANH_CUBIC)) * _TANH_SCALE)
            return grad * (left + right), None
        cdf = (dual.erf(x * _SQRT_HALF) + 1) * 0.5
        pdf = dual.exp(x * x * -0.5) * _PDF_SCALE
        return grad * (cdf + x * pdf), None


@export("F")
def gelu(input, approximate="none"):
    """The Gaussian error linear unit ``x * Phi(x)`` (Phi the normal distribution function),
    or its tanh approximation with ``approximate='tanh'``."""
    if approximate != "none" and approximate != "tanh":
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate)


class Silu(Op):
    """out = x * sigmoid(x).   d(out)/dx = s (1 + x (1 - s)), s = sigmoid(x)."""

    @staticmethod
    def forward(ctx, x):
        check_float(x, "silu_cpu")
        ctx.save_for_backward(x)
        w = widen(x)
        return rounded(w / (1 + np.exp(-w)), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        s = dual.sigmoid(x)
        return grad * (s * (1 + x * (1 - s)))


@export("F")
def silu(input, inplace=False):
    """``x * sigmoid(x)`` (also called swish)."""
    check_tensor(input, "input", 1, "silu_" if inplace else "silu")
    if inplace:
        return apply_inplace(input, Silu.apply)
    return Silu.apply(input)


class Mish(Op):
    """out = x * tanh(softplus(x)).   d(out)/dx = t + x * sigmoid(x) * (1 - t**2),
    t = tanh(softplus(x)), since softplus' = sigmoid."""

    @staticmethod
    def forward(ctx, x):
        check_float(x, "mish_cpu")
        ctx.save_for_backward(x)
        w = widen(x)
        return rounded(w * np.tanh(np.log1p(np.exp(w))), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        t = dual.tanh(dual.log1p(dual.exp(x)))
        return grad * (t + x * dual.sigmoid(x) * (1 - t * t))


@export("F")
def mish(input, inplace=False):
    """``x * tanh(softplus(x))``."""
    check_tensor(input, "input", 1, "mish_" if inplace else "mish")
    if inplace:
        return apply_inplace(input, Mish.apply)
    return Mish.apply(input)


class Softplus(Op):
    """out = ln(1 + e ** (beta x)) / beta, or x where beta x > threshold (there the two agree
    to float precision, and e ** (beta x) could overflow).
    d(out)/dx = sigmoid(beta x) = z / (z + 1), z = e ** (beta x); 1 where linear."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        check_float(x, "softplus_cpu")
        ctx.save_for_backward(x)
        ctx.parameters = beta, threshold
        w = widen(x)
        t = w.dtype.type
        scaled = w * t(beta)
        return rounded(np.where(scaled > threshold, w, np.log1p(np.exp(scaled)) / t(beta)),
                       x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        beta, threshold = ctx.parameters
        scaled = x * beta
        z = dual.exp(scaled)
        return dual.where(scaled > threshold, grad, grad * z / (z + 1)), None, None


@export("F")
def softplus(input, beta=1.0, threshold=20.0):
    """A smooth relu: ``log(1 + exp(beta * x)) / beta`` (``x`` itself where
    ``beta * x > threshold``)."""
    return Softplus.apply(input, beta, threshold)


class LogSigmoid(Op):
    """out = ln sigmoid(x) = min(x, 0) - ln(1 + e ** -|x|) (stable for large |x|).
    d(out)/dx = 1 - sigmoid(x) = sigmoid(-x), written as (x < 0) -/+ z / (1 + z), z = e ** -|x|."""

    node_name = "LogSigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        check_float(x, "log_sigmoid_cpu")
        ctx.save_for_backward(x)
        w = widen(x)
        return rounded(np.minimum(w, 0) - np.log1p(np.exp(-np.abs(w))), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        negative = x < 0
        z = dual.exp(-dual.abs(x))
        share = z / (z + 1)
        return grad * dual.where(negative, 1 - share, share)


@export("F")
def logsigmoid(input):
    """``log(sigmoid(x))``, computed without overflow."""
    return LogSigmoid.apply(input)


@export("F")
def tanhshrink(input):
    """``x - tanh(x)`` (recorded as its two steps, as in torch)."""
    return input - tanh(input)


@export("F")
def softsign(input):
    """``x / (1 + |x|)`` (recorded as its steps, as in torch)."""
    return input / (input.abs() + 1)


# ---------------------------------------------------------------- glu


class Glu(Op):
    """out = a * sigmoid(b), where a and b are the two halves of x along ``dim``.
    d/da = sigmoid(b),  d/db = a * sigmoid(b) * (1 - sigmoid(b)); the two are joined again."""

    @staticmethod
    def forward(ctx, x, dim):
        a, b = np.split(x, 2, axis=dim)
        ctx.save_for_backward(x)
        ctx.dim = dim
        return rounded(widen(a) / (1 + np.exp(-widen(b))), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        dim = ctx.dim
        half = x.shape[dim] // 2
        index = (slice(None),) * dim
        a, b = x[index + (slice(0, half),)], x[index + (slice(half, None),)]
        s = dual.sigmoid(b)
        grad_a = grad * s
        return dual.cat([grad_a, grad_a * a * (1 - s)], dim), None


@export("F")
def glu(input, dim=-1):
    """The gated linear unit: the first half of ``input`` along ``dim`` times the sigmoid of the
    second half."""
    if input._array.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = wrap_dim(dim, input._array.ndim)
    size = input._array.shape[dim]
    if size % 2:
        raise RuntimeError("Halving dimension must be even, but dimension {} is size {}".format(
            dim, size))
    check_float(input._array, "glu_cpu")
    return Glu.apply(input, dim)


