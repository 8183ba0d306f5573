"""Activation functions made of pieces: ``relu`` and its relatives (``hardtanh``, ``relu6``,
``leaky_relu``, ``threshold``, ``rrelu``) and the hard functions (``hardsigmoid``,
``hardswish``).  The smooth ones (``gelu``, ``elu``, ``softplus`` ...) are in
``activation_smooth.py``; ``prelu``, ``hardshrink`` and ``softshrink``, which are also tensor
methods, in ``ember/_ops/elementwise/piecewise.py``.

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

from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.elementwise.clamping import relu as _relu
from ..._ops.core.operands import check_float, not_implemented
from ..._ops.core.half import rounded, widen
from ..._ops.core.inplace import apply_inplace
from ..._ops.creation import draws
from ..._ops.creation.mt19937 import default_generator
from ..._ops.core.registry import export
from .loss import check_tensor


# ---------------------------------------------------------------- relu and its relatives


@export("F")
def relu(input, inplace=False):
    """``max(x, 0)`` elementwise (ReluBackward0)."""
    return relu_(input) if inplace else _relu(input)


@export("F")
def relu_(input):
    """``relu`` in place."""
    return apply_inplace(input, _relu)


class Hardtanh(Op):
    """out = x clamped to [lo, hi].   d(out)/dx = 1 strictly inside (lo, hi), 0 elsewhere (also
    at the bounds)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        if x.dtype.kind == "b":
            raise RuntimeError("Bool inputs not supported for hardtanh")
        ctx.save_for_backward(x)
        ctx.bounds = lo, hi
        if x.dtype.kind not in "fV":
            lo, hi = int(lo), int(hi)              # integer tensors: bounds cut towards zero
        return np.minimum(np.maximum(x, lo, dtype=x.dtype), hi, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        # zero where x <= lo or x >= hi: a NaN lets the gradient through, as in torch
        return dual.times_step(grad, ~((x <= lo) | (x >= hi)), x), None, None


@export("F")
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """``x`` clamped to ``[min_val, max_val]``."""
    check_tensor(input, "input", 1, "hardtanh_" if inplace else "hardtanh")
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return apply_inplace(input, Hardtanh.apply, min_val, max_val)
    return Hardtanh.apply(input, min_val, max_val)


@export("F")
def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place ``hardtanh``."""
    return hardtanh(input, min_val, max_val, inplace=True)


@export("F")
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
        w = widen(x)
        return rounded(np.where(w > 0, w, w * w.dtype.type(slope)), x.dtype)

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


@export("F")
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``x`` where positive, else ``negative_slope * x``."""
    if inplace:
        return apply_inplace(input, LeakyReluResult.apply, negative_slope)
    return LeakyRelu.apply(input, negative_slope)


@export("F")
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
        return np.where(x <= threshold, np.asanyarray(value).astype(x.dtype), x)   # NaN stays

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.times_step(grad, ~(x <= ctx.threshold), x), None, None   # NaN: passes


class ThresholdInplace(Threshold):
    """In-place threshold: the same gradient (from the input's old values, which the in-place
    machinery keeps), under torch's name for the in-place node."""

    node_name = "ThresholdBackward1"


@export("F")
def threshold(input, threshold, value, inplace=False):
    """``x`` where ``x > threshold``, else ``value``."""
    if inplace:
        return apply_inplace(input, ThresholdInplace.apply, threshold, value)
    return Threshold.apply(input, threshold, value)


@export("torch", "F")
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
        return rounded(np.minimum(np.maximum(widen(x) + 3, 0), 6) / 6, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return dual.where((x > -3) & (x < 3), grad / 6, 0.0)


@export("F")
def hardsigmoid(input, inplace=False):
    """A piecewise linear sigmoid: 0 below -3, 1 above 3, ``x / 6 + 1/2`` between."""
    check_tensor(input, "input", 1, "hardsigmoid_" if inplace else "hardsigmoid")
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
        w = widen(x)
        return rounded(w * np.minimum(np.maximum(w + 3, 0), 6) / 6, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        middle = dual.where(x < 3, grad * (x / 3 + 0.5), grad)
        return dual.where(x <= -3, 0.0, middle)


@export("F")
def hardswish(input, inplace=False):
    """``x * hardsigmoid(x)``."""
    check_tensor(input, "input", 1, "hardswish_" if inplace else "hardswish")
    if inplace:
        return apply_inplace(input, Hardswish.apply)
    return Hardswish.apply(input)


# ---------------------------------------------------------------- rrelu


class Rrelu(Op):
    """out = x for x > 0, else a * x, with a random slope a ~ U(lower, upper) for each element
    while training, and the mean slope (lower + upper) / 2 otherwise.
    d(out)/dx = 1 for x > 0, else that element's slope."""

    node_name = "RreluWithNoiseBackward0"

    @staticmethod
    def forward(ctx, x, lower, upper, training):
        check_float(x, "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu")
        if training:
            # as torch: a float64 uniform slope for each x <= 0, between the bounds rounded
            # to the computing type (float32 for float16 and float32)
            wide = np.float64 if x.dtype == np.float64 else np.float32
            low, high = float(wide(lower)), float(wide(upper))
            slopes = np.ones(x.shape)
            negative = x <= 0
            u = draws.uniform53(default_generator, int(np.count_nonzero(negative)))
            slopes[negative] = u * (high - low) + low
            slopes = slopes.astype(wide).astype(x.dtype)
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


@export("F")
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky relu: a random slope in ``[lower, upper]`` for each negative element
    while training, the mean slope otherwise."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if inplace:
        return apply_inplace(input, RreluResult.apply, lower, upper, training)
    return Rrelu.apply(input, lower, upper, training)


@export("torch", "F")
def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


