"""Binary (two-class and multi-label) losses: ``binary_cross_entropy``, its stable version on
logits, ``soft_margin_loss`` and ``multilabel_soft_margin_loss``.  Shared machinery is in
``loss.py``.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor, check_broadcast
from .loss import (arrays, by_reduction, check_tensor, common_float, get_reduction, maximum,
                   not_differentiable, reduce, reduced_node_names, reduction_scale, sigmoid,
                   softplus_neg)
from ..._ops.core.registry import export


# ----------------------------------------------------------------------------- binary

class BinaryCrossEntropy(Op):
    """loss = -w [t log(x) + (1 - t) log(1 - x)] for probabilities x (each log clamped at
    -100, as in torch, so that x = 0 or 1 gives a large but finite loss).

    d(loss)/dx = w (x - t) / (x (1 - x)),   d(loss)/dt = w (log(1 - x) - log(x))."""

    @staticmethod
    def forward(ctx, input, target, weight, reduction):
        if not ((input >= 0) & (input <= 1)).all():
            raise RuntimeError("all elements of input should be between 0 and 1")
        if not ((target >= 0) & (target <= 1)).all():
            raise RuntimeError("all elements of target should be between 0 and 1")
        ctx.save_for_backward(input, target)
        ctx.weight, ctx.reduction, ctx.n = weight, reduction, input.size
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(input), -100.0)
            log_1mx = np.maximum(np.log(1 - input), -100.0)
        loss = (target - 1) * log_1mx - target * log_x
        if weight is not None:
            loss = loss * weight
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        if ctx.weight is not None:
            scale = scale * ctx.weight
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            grad_input = (input - target) / maximum((1 - input) * input, 1e-12) * scale
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                grad_target = (dual.log(1 - input) - dual.log(input)) * scale
        return grad_input, grad_target, None, None


class BinaryCrossEntropyWithLogits(Op):
    """BCE on logits x, computed stably: with softplus(-x) = log(1 + e^-x) = -log sigmoid(x),

        loss = w [(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x)]

    d(loss)/dx = w [(1 + (pw - 1) t) sigmoid(x) - pw t]  (= w (sigmoid(x) - t) without pw),
    d(loss)/dt = w [-x + (pw - 1) softplus(-x)]."""

    @staticmethod
    def forward(ctx, input, target, weight, pos_weight, reduction):
        ctx.save_for_backward(input, target)
        ctx.weight, ctx.pos_weight, ctx.reduction = weight, pos_weight, reduction
        softplus = np.logaddexp(0, -input)
        if pos_weight is None:
            loss = (1 - target) * input + softplus
        else:
            loss = (1 - target) * input + (1 + (pos_weight - 1) * target) * softplus
        if weight is not None:
            loss = loss * weight
        ctx.n = loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        pw = ctx.pos_weight
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        if ctx.weight is not None:
            scale = scale * ctx.weight
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            s = sigmoid(input)
            slope = s - target if pw is None else (1 + (pw - 1) * target) * s - pw * target
            grad_input = slope * scale
        if ctx.needs_input_grad[1]:
            slope = -input if pw is None else (pw - 1) * softplus_neg(input) - input
            grad_target = slope * scale
        return grad_input, grad_target, None, None, None


def _broadcast_weight(weight, shape, index=1):
    """``weight`` expanded to ``shape``, with torch's message when it cannot be."""
    w = weight._array
    if w.shape == shape:
        return w
    for i in range(1, min(len(w.shape), len(shape)) + 1):
        if w.shape[-i] != shape[-i] and w.shape[-i] != 1:
            raise RuntimeError(
                "Attempting to broadcast a dimension of length {} at -{}! Mismatching argument "
                "at index {} had {}; but expected shape should be broadcastable to {}".format(
                    w.shape[-i], i, index, weight.size(), list(shape)))
    return np.broadcast_to(w, np.broadcast_shapes(w.shape, shape))


@export("F")
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """Binary cross entropy of probabilities ``input`` (after a sigmoid) against targets in
    [0, 1].  Prefer :func:`binary_cross_entropy_with_logits`, which is stable for any logit."""
    check_tensor(input, "input", 1, "binary_cross_entropy")
    check_tensor(target, "target", 2, "binary_cross_entropy")
    reduction = get_reduction(reduction, size_average, reduce)
    if target._array.shape != input._array.shape:
        raise ValueError("Using a target size ({}) that is different to the input size ({}) is "
                         "deprecated. Please ensure they have the same size.".format(
                             target.size(), input.size()))
    if input._array.dtype.kind not in "fV":
        raise NotImplementedError('"binary_cross_entropy" not implemented for \'{}\''.format(
            input.dtype.scalar_name))
    if target._array.dtype != input._array.dtype:
        raise RuntimeError("Found dtype {} but expected {}".format(
            target.dtype.scalar_name, input.dtype.scalar_name))
    w = None
    if weight is not None:
        not_differentiable("binary_cross_entropy", "weight", weight)
        w = _broadcast_weight(weight, input._array.shape)
    return BinaryCrossEntropy.apply(input, target, w, reduction)


@export("F")
def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Sigmoid and binary cross entropy in one stable step.  ``pos_weight`` (one per class)
    scales the loss of the positive targets, to balance rare positives."""
    check_tensor(input, "input", 1, "binary_cross_entropy_with_logits")
    check_tensor(target, "target", 2, "binary_cross_entropy_with_logits")
    reduction = get_reduction(reduction, size_average, reduce)
    if target._array.shape != input._array.shape:
        raise ValueError("Target size ({}) must be the same as input size ({})".format(
            target.size(), input.size()))
    if target._array.dtype.kind not in "fV":
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           "{}".format(target.dtype.scalar_name))
    input, target = common_float(input, target, "binary_cross_entropy_with_logits")
    shape = input._array.shape
    w = pw = None
    if weight is not None:
        not_differentiable("binary_cross_entropy_with_logits", "weight", weight)
        check_broadcast(weight._array.shape, shape)
        w = weight._array
    if pos_weight is not None:
        not_differentiable("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
        check_broadcast(pos_weight._array.shape, shape)
        pw = pos_weight._array
    return BinaryCrossEntropyWithLogits.apply(input, target, w, pw, reduction)


# ----------------------------------------------------------------------------- soft margins

class SoftMarginLoss(Op):
    """loss = log(1 + e^(-t x)) for targets t = +-1: a smooth hinge.

    d(loss)/dx = -t sigmoid(-t x)."""

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        margin = -(target * input)
        loss = np.logaddexp(0, margin)
        ctx.reduction, ctx.n = reduction, loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        return -target * sigmoid(-(target * input)) * reduction_scale(
            grad, ctx.reduction, ctx.n), None, None


@export("F")
def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Two-class logistic loss ``log(1 + exp(-target * input))`` for targets +-1."""
    check_tensor(input, "input", 1, "soft_margin_loss")
    check_tensor(target, "target", 2, "soft_margin_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    not_differentiable("soft_margin_loss", "target", target)
    check_broadcast(input._array.shape, target._array.shape)
    shape = np.broadcast_shapes(input._array.shape, target._array.shape)
    if shape != input._array.shape:
        raise _errors.broadcast_output(list(input._array.shape), list(shape))
    input, target = common_float(input, target, "soft_margin_loss")
    return SoftMarginLoss.apply(input, target, reduction)


class MultiLabelSoftMarginLoss(Op):
    """loss_n = mean over classes c of w_c [softplus(-x) + (1 - t) x]: a binary cross entropy
    on logits for every class (target 0 or 1 each).

    d(loss)/dx = w (sigmoid(x) - t) / C,   d(loss)/dt = -w x / C."""

    @staticmethod
    def forward(ctx, input, target, weight, reduction):
        ctx.save_for_backward(input, target)
        axis = input.ndim - 1
        classes = input.shape[axis] if input.ndim else 1
        loss = np.logaddexp(0, -input) + (1 - target) * input
        if weight is not None:
            loss = loss * weight
        per_sample = np.add.reduce(loss, axis=axis) / classes if input.ndim else loss
        ctx.weight, ctx.classes, ctx.reduction, ctx.n = weight, classes, reduction, per_sample.size
        return reduce(per_sample, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        if ctx.reduction == "none" and arrays(input).ndim:
            scale = scale.reshape(scale.shape + (1,))
        scale = scale / ctx.classes
        if ctx.weight is not None:
            scale = scale * ctx.weight
        grad_input = (sigmoid(input) - target) * scale if ctx.needs_input_grad[0] else None
        grad_target = -input * scale if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None, None


_MULTILABEL_SOFT = by_reduction(MultiLabelSoftMarginLoss, reduced_node_names("DivBackward0"))


@export("F")
def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """One logistic loss per class, averaged over the classes (multi-label classification)."""
    check_tensor(input, "input", 1, "multilabel_soft_margin_loss")
    check_tensor(target, "target", 2, "multilabel_soft_margin_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    input, target = common_float(input, target, "log_sigmoid_forward")
    if input._array.ndim == 0:                  # torch divides by input.size(-1)
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    check_broadcast(input._array.shape, target._array.shape)
    w = None
    if isinstance(weight, Tensor):
        check_broadcast(input._array.shape, weight._array.shape)
        w = weight._array
    elif weight is not None:                    # a number multiplies, as in torch
        w = np.asarray(weight, dtype=input._array.dtype)
    return _MULTILABEL_SOFT[reduction].apply(input, target, w, reduction)
