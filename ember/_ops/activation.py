"""Activation functions (``ember.nn.functional.gelu``, ``elu``, ``softplus`` ...).

Each is one fused Op, named as torch names its graph node, whose backward multiplies the
incoming gradient by the derivative written out by hand.  The formulas are torch's, including
its conventions at the kinks (``hardtanh`` passes no gradient at its bounds, ``elu`` uses the
negative branch at 0) and its numerically stable forms (``softplus`` and ``logsigmoid`` never
take the exponential of a large number).

The ``inplace=True`` forms (and ``relu_``, ``elu_`` ...) overwrite the input.  Where torch's
in-place node computes the gradient from the output rather than the input (``EluBackward1``,
``LeakyReluBackward1`` ...), so do ours, with the same names and the same refusal of a negative
slope, whose output would not tell which branch an element took.
"""
import math

import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .arithmetic import not_implemented
from .common import wrap_dim
from .inplace import apply_inplace, relu_
from .pointwise import erf_array, relu as _relu, sigmoid, tanh     # F.sigmoid, F.tanh: torch's
from .random import rng

__all__ = ["relu_", "selu", "selu_", "celu", "celu_", "hardshrink", "threshold", "threshold_",
           "prelu", "rrelu", "rrelu_"]


def _check_float(x, kernel):
    if x.dtype.kind != "f":
        not_implemented(kernel, x.dtype)


# ---------------------------------------------------------------- relu and its relatives


def relu(input, inplace=False):
    """``max(x, 0)`` elementwise (ReluBackward0)."""
    return relu_(input) if inplace else _relu(input)


class Hardtanh(Op):
    """out = x clamped to [lo, hi].   d(out)/dx = 1 strictly inside (lo, hi), 0 elsewhere (also
    at the bounds)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        if x.dtype.kind == "b":
            raise RuntimeError("Bool inputs not supported for hardtanh")
        ctx.save_for_backward(x)
        ctx.bounds = lo, hi
        if x.dtype.kind != "f":
            lo, hi = int(lo), int(hi)              # integer tensors: bounds cut towards zero
        return np.minimum(np.maximum(x, lo, dtype=x.dtype), hi, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        return dual.times_step(grad, (x > lo) & (x < hi), x), None, None


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """``x`` clamped to ``[min_val, max_val]``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return apply_inplace(input, Hardtanh.apply, min_val, max_val)
    return Hardtanh.apply(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place ``hardtanh``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """``min(max(x, 0), 6)``: hardtanh on [0, 6] (HardtanhBackward0)."""
    return hardtanh(input, 0.0, 6.0, inplace)


class LeakyRelu(Op):
    """out = x for x > 0, else slope * x.   d(out)/dx = 1 for x > 0, else slope (also at 0)."""

    @staticmethod
    def forward(ctx, x, slope):
        _check_float(x, "leaky_relu_cpu")
        ctx.save_for_backward(x)
        ctx.slope = slope
        return np.where(x > 0, x, x * x.dtype.type(slope))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.times_step(grad, dual.where(x > 0, 1.0, ctx.slope), x), None


class LeakyReluResult(LeakyRelu):
    """In-place leaky_relu: the gradient from the output, whose sign is the input's when the
    slope is positive."""

    node_name = "LeakyReluBackward1"

    @staticmethod
    def forward(ctx, x, slope):
        out = LeakyRelu.forward(ctx, x, slope)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        if ctx.slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which "
                "is not supported. This is caused by calling in-place forward function with a "
                "negative slope, please call out-of-place version instead. File an issue at "
                "https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope")
        return LeakyRelu.backward(ctx, grad)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``x`` where positive, else ``negative_slope * x``."""
    if inplace:
        return apply_inplace(input, LeakyReluResult.apply, negative_slope)
    return LeakyRelu.apply(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    """In-place ``leaky_relu``."""
    return leaky_relu(input, negative_slope, inplace=True)


class Threshold(Op):
    """out = x where x > threshold, else value.   d(out)/dx = 1 where x > threshold, else 0."""

    @staticmethod
    def forward(ctx, x, threshold, value):
        if x.dtype.kind == "b":
            not_implemented("threshold_cpu", x.dtype)
        ctx.save_for_backward(x)
        ctx.threshold = threshold
        return np.where(x > threshold, x, np.asarray(value).astype(x.dtype))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.times_step(grad, x > ctx.threshold, x), None, None


class ThresholdInplace(Threshold):
    """In-place threshold: the same gradient (from the input's old values, which the in-place
    machinery keeps), under torch's name for the in-place node."""

    node_name = "ThresholdBackward1"


def threshold(input, threshold, value, inplace=False):
    """``x`` where ``x > threshold``, else ``value``."""
    if inplace:
        return apply_inplace(input, ThresholdInplace.apply, threshold, value)
    return Threshold.apply(input, threshold, value)


def threshold_(input, threshold, value):
    """In-place ``threshold``."""
    return apply_inplace(input, ThresholdInplace.apply, threshold, value)


# ---------------------------------------------------------------- the exponential family

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Elu(Op):
    """out = scale * x for x > 0, else alpha * scale * (e ** (x * input_scale) - 1)  (elu,
    selu, celu).   d(out)/dx = scale for x > 0, else alpha * scale * input_scale *
    e ** (x * input_scale) (also at 0)."""

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        _check_float(x, "elu_cpu")
        ctx.save_for_backward(x)
        ctx.coefficients = alpha, scale, input_scale
        t = x.dtype.type
        negative = np.expm1(x * t(input_scale)) * t(alpha * scale)
        return np.where(x > 0, x * t(scale) if scale != 1 else x, negative)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        alpha, scale, input_scale = ctx.coefficients
        negative = grad * (dual.exp(x * input_scale) * (alpha * scale * input_scale))
        return dual.where(x > 0, grad * scale, negative), None, None, None


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
        return dual.where(out > 0, grad * scale, negative), None, None, None


class CeluResult(EluResult):
    """In-place celu: the gradient from the output, as for elu."""

    node_name = "CeluBackward1"


def elu(input, alpha=1.0, inplace=False):
    """``x`` where positive, else ``alpha * (exp(x) - 1)``."""
    if inplace:
        return apply_inplace(input, EluResult.apply, alpha, 1.0, 1.0)
    return Elu.apply(input, alpha, 1.0, 1.0)


def elu_(input, alpha=1.0):
    """In-place ``elu``."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """``scale * elu(x, alpha)`` with the self-normalising constants alpha = 1.6733 and
    scale = 1.0507 (EluBackward0)."""
    if inplace:
        return apply_inplace(input, EluResult.apply, _SELU_ALPHA, _SELU_SCALE, 1.0)
    return Elu.apply(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


def selu_(input):
    """In-place ``selu``."""
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """``x`` where positive, else ``alpha * (exp(x / alpha) - 1)``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if inplace:
        return apply_inplace(input, CeluResult.apply, alpha, 1.0, 1.0 / alpha)
    return Celu.apply(input, alpha, 1.0, 1.0 / alpha)


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
        _check_float(x, "GeluKernelImpl")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        t = x.dtype.type
        if approximate == "tanh":
            inner = (x + x * x * x * t(_TANH_CUBIC)) * t(_TANH_SCALE)
            return x * t(0.5) * (1 + np.tanh(inner))
        erf = erf_array(x.astype(np.float64) * _SQRT_HALF, x.dtype.itemsize)
        return x * t(0.5) * (1 + erf.astype(x.dtype, copy=False))

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
        _check_float(x, "silu_cpu")
        ctx.save_for_backward(x)
        return x / (1 + np.exp(-x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        s = dual.sigmoid(x)
        return grad * (s * (1 + x * (1 - s)))


def silu(input, inplace=False):
    """``x * sigmoid(x)`` (also called swish)."""
    if inplace:
        return apply_inplace(input, Silu.apply)
    return Silu.apply(input)


class Mish(Op):
    """out = x * tanh(softplus(x)).   d(out)/dx = t + x * sigmoid(x) * (1 - t**2),
    t = tanh(softplus(x)), since softplus' = sigmoid."""

    @staticmethod
    def forward(ctx, x):
        _check_float(x, "mish_cpu")
        ctx.save_for_backward(x)
        return x * np.tanh(np.log1p(np.exp(x)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        t = dual.tanh(dual.log1p(dual.exp(x)))
        return grad * (t + x * dual.sigmoid(x) * (1 - t * t))


def mish(input, inplace=False):
    """``x * tanh(softplus(x))``."""
    if inplace:
        return apply_inplace(input, Mish.apply)
    return Mish.apply(input)


class Softplus(Op):
    """out = ln(1 + e ** (beta x)) / beta, or x where beta x > threshold (there the two agree
    to float precision, and e ** (beta x) could overflow).
    d(out)/dx = sigmoid(beta x) = z / (z + 1), z = e ** (beta x); 1 where linear."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        _check_float(x, "softplus_cpu")
        ctx.save_for_backward(x)
        ctx.parameters = beta, threshold
        t = x.dtype.type
        scaled = x * t(beta)
        return np.where(scaled > threshold, x, np.log1p(np.exp(scaled)) / t(beta))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        beta, threshold = ctx.parameters
        scaled = x * beta
        z = dual.exp(scaled)
        return dual.where(scaled > threshold, grad, grad * z / (z + 1)), None, None


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
        _check_float(x, "log_sigmoid_cpu")
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        negative = x < 0
        z = dual.exp(-dual.abs(x))
        share = z / (z + 1)
        return grad * dual.where(negative, 1 - share, share)


def logsigmoid(input):
    """``log(sigmoid(x))``, computed without overflow."""
    return LogSigmoid.apply(input)


# ---------------------------------------------------------------- hard and shrinking functions


class Hardsigmoid(Op):
    """out = min(max(x + 3, 0), 6) / 6.   d(out)/dx = 1/6 strictly inside (-3, 3), else 0."""

    @staticmethod
    def forward(ctx, x):
        _check_float(x, "hardsigmoid_cpu")
        ctx.save_for_backward(x)
        return np.minimum(np.maximum(x + 3, 0), 6) / 6

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.where((x > -3) & (x < 3), grad / 6, 0.0)


def hardsigmoid(input, inplace=False):
    """A piecewise linear sigmoid: 0 below -3, 1 above 3, ``x / 6 + 1/2`` between."""
    if inplace:
        return apply_inplace(input, Hardsigmoid.apply)
    return Hardsigmoid.apply(input)


class Hardswish(Op):
    """out = x * min(max(x + 3, 0), 6) / 6.   d(out)/dx = 0 for x <= -3, x / 3 + 1/2 for
    -3 < x < 3, 1 for x >= 3 (torch's choice at the two kinks)."""

    @staticmethod
    def forward(ctx, x):
        _check_float(x, "hardswish_cpu")
        ctx.save_for_backward(x)
        return x * np.minimum(np.maximum(x + 3, 0), 6) / 6

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        middle = dual.where(x < 3, grad * (x / 3 + 0.5), grad)
        return dual.where(x <= -3, 0.0, middle)


def hardswish(input, inplace=False):
    """``x * hardsigmoid(x)``."""
    if inplace:
        return apply_inplace(input, Hardswish.apply)
    return Hardswish.apply(input)


class Hardshrink(Op):
    """out = x where |x| > lambd, else 0.   d(out)/dx = 1 where |x| > lambd, else 0."""

    @staticmethod
    def forward(ctx, x, lambd):
        _check_float(x, "hardshrink_cpu")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return np.where((x >= -lambd) & (x <= lambd), x.dtype.type(0), x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lambd = ctx.lambd
        return dual.times_step(grad, (x < -lambd) | (x > lambd), x), None


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


class Softshrink(Op):
    """out = x - lambd for x > lambd, x + lambd for x < -lambd, else 0.
    d(out)/dx = 1 where |x| > lambd, else 0."""

    @staticmethod
    def forward(ctx, x, lambd):
        _check_float(x, "softshrink_check")
        if not lambd >= 0:
            raise RuntimeError("lambda must be in range [0, {:g}] for input dtype {}, but found "
                               "{:g}".format(float(np.finfo(x.dtype).max),
                                             _dtype.from_numpy(x.dtype).scalar_name, lambd))
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        t = x.dtype.type
        return np.where(x > lambd, x - t(lambd), np.where(x < -lambd, x + t(lambd), x * 0))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lambd = ctx.lambd
        return dual.times_step(grad, (x < -lambd) | (x > lambd), x), None


def softshrink(input, lambd=0.5):
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd``."""
    return Softshrink.apply(input, lambd)


def tanhshrink(input):
    """``x - tanh(x)`` (recorded as its two steps, as in torch)."""
    return input - tanh(input)


def softsign(input):
    """``x / (1 + |x|)`` (recorded as its steps, as in torch)."""
    return input / (input.abs() + 1)


# ---------------------------------------------------------------- glu, prelu, rrelu


class Glu(Op):
    """out = a * sigmoid(b), where a and b are the two halves of x along ``dim``.
    d/da = sigmoid(b),  d/db = a * sigmoid(b) * (1 - sigmoid(b)); the two are joined again."""

    @staticmethod
    def forward(ctx, x, dim):
        a, b = np.split(x, 2, axis=dim)
        ctx.save_for_backward(x)
        ctx.dim = dim
        return a / (1 + np.exp(-b))

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
    _check_float(input._array, "glu_cpu")
    return Glu.apply(input, dim)


class Prelu(Op):
    """out = x for x > 0, else w * x, with one learnt slope w per channel (dimension 1).
    dx = grad for x > 0, else w * grad;  dw = the sum over each channel of x * grad where
    x <= 0."""

    node_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        w_b = _channel_view(w, x.ndim)
        return np.where(x > 0, x, w_b * x)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        w_b = _channel_view(w, len(x.shape))
        positive = x > 0
        grad_x = dual.where(positive, grad, w_b * grad) if needs[0] else None
        grad_w = None
        if needs[1]:
            per_element = dual.where(positive, 0.0, x * grad)
            if len(w.shape) == 0 or w.shape[0] == 1 or len(x.shape) < 2:
                grad_w = per_element.sum().reshape(w.shape)
            else:
                others = tuple(d for d in range(len(x.shape)) if d != 1)
                grad_w = dual.sum_dims(per_element, others)
        return grad_x, grad_w


def _channel_view(w, ndim):
    """The weight reshaped to broadcast along dimension 1 of an ``ndim``-dimensional input."""
    if len(w.shape) == 0 or w.shape[0] == 1 or ndim < 2:
        return w.reshape(())
    return w.reshape((w.shape[0],) + (1,) * (ndim - 2))


def prelu(input, weight):
    """``x`` where positive, else ``weight * x``; ``weight`` has one slope per channel
    (dimension 1 of ``input``) or a single one."""
    if weight._array.ndim > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           "ndim = {}".format(weight._array.ndim))
    if input._array.dtype != weight._array.dtype:
        raise RuntimeError("prelu: Type promoting not supported. Got {} and {}".format(
            input.dtype.scalar_name, weight.dtype.scalar_name))
    count = weight._array.size
    channels = input._array.shape[1] if input._array.ndim >= 2 else 1
    if count != 1 and count != channels:
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found parameter "
                           "numbers = {} and channel size = {}.".format(count, channels))
    return Prelu.apply(input, weight)


class Rrelu(Op):
    """out = x for x > 0, else a * x, with a random slope a ~ U(lower, upper) for each element
    while training, and the mean slope (lower + upper) / 2 otherwise.
    d(out)/dx = 1 for x > 0, else that element's slope."""

    node_name = "RreluWithNoiseBackward0"

    @staticmethod
    def forward(ctx, x, lower, upper, training):
        _check_float(x, "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu")
        if training:
            slopes = np.where(x > 0, 1.0, rng().uniform(lower, upper, x.shape)).astype(x.dtype)
        else:
            slopes = np.where(x > 0, 1.0, (lower + upper) / 2).astype(x.dtype)
        ctx.slopes = slopes
        ctx.save_for_backward(x)
        return x * slopes

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.times_step(grad, ctx.slopes, x), None, None, None


class RreluResult(Rrelu):
    """In-place rrelu (the slopes it used give the gradient just the same)."""

    node_name = "RreluWithNoiseBackward1"


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky relu: a random slope in ``[lower, upper]`` for each negative element
    while training, the mean slope otherwise."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if inplace:
        return apply_inplace(input, RreluResult.apply, lower, upper, training)
    return Rrelu.apply(input, lower, upper, training)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


METHODS = ("hardshrink", "prelu")

FUNCTIONAL = ("relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu",
              "selu_", "celu", "celu_", "gelu", "silu", "mish", "hardtanh", "hardtanh_",
              "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "threshold",
              "threshold_", "softplus", "softsign", "logsigmoid", "glu", "prelu", "rrelu",
              "rrelu_", "sigmoid", "tanh")
