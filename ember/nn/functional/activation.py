"""Activation functions made of pieces: ``relu`` and its relatives (``hardtanh``, ``relu6``,
``leaky_relu``, ``threshold``, ``prelu``, ``rrelu``), the hard functions (``hardsigmoid``,
``hardswish``) and the shrinking ones (``hardshrink``, ``softshrink``).  The smooth ones
(``gelu``, ``elu``, ``softplus`` ...) are in ``activation_smooth.py``.

Each is one fused Op, named as torch names its graph node, whose backward multiplies the
incoming gradient by the derivative written out by hand: a step function, the slope of each
piece.  torch's conventions at the kinks are kept (``relu`` and ``leaky_relu`` take the
negative piece at 0, ``hardtanh`` passes no gradient at its bounds).

The ``inplace=True`` forms (and ``relu_``, ``leaky_relu_`` ...) overwrite the input.  Where
torch's in-place node computes the gradient from the output rather than the input
(``LeakyReluBackward1``), so does ours, with the same name and the same refusal of a negative
slope, whose output would not tell which piece an element took.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.elementwise.clamping import relu as _relu
from ..._ops.core.operands import check_float, not_implemented
from ..._ops.elementwise.inplace import apply_inplace, relu_
from ..._ops.creation.random import rng

__all__ = ["relu_", "hardshrink", "threshold", "threshold_", "prelu", "rrelu", "rrelu_"]


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
        # zero where x <= lo or x >= hi: a NaN lets the gradient through, as in torch
        return dual.times_step(grad, ~((x <= lo) | (x >= hi)), x), None, None


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
        check_float(x, "leaky_relu_cpu")
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
        return np.where(x <= threshold, np.asarray(value).astype(x.dtype), x)   # NaN stays

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.times_step(grad, ~(x <= ctx.threshold), x), None, None   # NaN: passes


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


# ---------------------------------------------------------------- hard and shrinking functions


class Hardsigmoid(Op):
    """out = min(max(x + 3, 0), 6) / 6.   d(out)/dx = 1/6 strictly inside (-3, 3), else 0."""

    @staticmethod
    def forward(ctx, x):
        check_float(x, "hardsigmoid_cpu")
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
        check_float(x, "hardswish_cpu")
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
        check_float(x, "hardshrink_cpu")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return np.where((x >= -lambd) & (x <= lambd), x.dtype.type(0), x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lambd = ctx.lambd
        return dual.times_step(grad, ~((x >= -lambd) & (x <= lambd)), x), None   # NaN: passes


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


class Softshrink(Hardshrink):
    """out = x - lambd for x > lambd, x + lambd for x < -lambd, else 0.
    d(out)/dx = 1 where |x| > lambd, else 0: the slope of hardshrink, whose backward it uses."""

    @staticmethod
    def forward(ctx, x, lambd):
        check_float(x, "softshrink_check")
        if not lambd >= 0:
            raise RuntimeError("lambda must be in range [0, {:g}] for input dtype {}, but found "
                               "{:g}".format(float(np.finfo(x.dtype).max),
                                             _dtype.from_numpy(x.dtype).scalar_name, lambd))
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        t = x.dtype.type
        return np.where(x > lambd, x - t(lambd), np.where(x < -lambd, x + t(lambd), x * 0))


def softshrink(input, lambd=0.5):
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd``."""
    return Softshrink.apply(input, lambd)


# ---------------------------------------------------------------- prelu, rrelu


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
        check_float(x, "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu")
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

FUNCTIONAL = ("relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "hardtanh", "hardtanh_",
              "hardsigmoid", "hardswish", "hardshrink", "softshrink", "threshold", "threshold_",
              "prelu", "rrelu", "rrelu_")
