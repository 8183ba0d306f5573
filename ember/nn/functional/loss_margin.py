"""Margin (hinge) losses: ``multi_margin_loss``, ``multilabel_margin_loss``,
``hinge_embedding_loss``, ``margin_ranking_loss``, ``cosine_embedding_loss`` and the triplet
losses.  Shared machinery is in ``loss.py``.

A hinge ``max(0, margin - score)`` is zero once the score clears the margin: its gradient is
constant (or zero) piece by piece, so most of these backward passes are masks.  torch builds
several of them out of small operations; here each is one fused node, named after torch's last
node (``ClampMinBackward0``, ``AddBackward0`` ... or ``MeanBackward0`` for a mean).
"""
import math

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor, check_broadcast
from .loss import (arrays, by_reduction, cast, check_tensor, common_float, get_reduction,
                   not_differentiable, reduce, reduced_node_names, reduction_scale, sum_keep)
from ..._ops.core.registry import export


# ----------------------------------------------------------------------------- hinge margins

class MultiMarginLoss(Op):
    """loss_n = sum over wrong classes i of w[y] max(0, margin - x[y] + x[i])^p / C: every wrong
    class scoring within ``margin`` of the right one is penalised (a multi-class hinge).

    Each active term adds its slope (1, or 2 z for p = 2) to the wrong class's gradient and
    takes it away from the right class's."""

    exact_grads = True

    @staticmethod
    def forward(ctx, input, target, weight, p, margin, reduction):
        x = input.reshape(-1, input.shape[-1] if input.ndim else 1)
        y = target.reshape(-1)
        classes = x.shape[1]
        onehot = np.zeros(x.shape, bool)
        onehot[np.arange(x.shape[0]), y] = True
        z = margin - x[np.arange(x.shape[0]), y][:, None] + x
        active = (z > 0) & ~onehot
        h = np.where(active, z if p == 1 else z * z, 0)
        w = 1.0 if weight is None else weight[y][:, None]
        per_sample = np.add.reduce(h * w, axis=1) / classes
        ctx.save_for_backward(input)
        ctx.info = (onehot, active, w, p, margin, classes)
        ctx.reduction, ctx.n, ctx.target_shape = reduction, y.size, target.shape
        return reduce(per_sample.reshape(target.shape), reduction)

    @staticmethod
    def backward(ctx, grad):
        input, = ctx.saved_tensors
        onehot, active, w, p, margin, classes = ctx.info
        shape = arrays(input).shape
        coef = (active * (w / classes)).astype(arrays(input).dtype)
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        if ctx.reduction == "none":
            scale = scale.reshape(-1, 1)
        if p == 2:
            x = input.reshape(coef.shape)
            mask = onehot.astype(coef.dtype)
            z = margin - sum_keep(x * mask, 1) + x
            per_class = coef * z * 2 * scale
        else:
            per_class = coef * scale
        g = per_class - onehot.astype(coef.dtype) * sum_keep(per_class, 1)
        return g.reshape(shape), None, None, None, None, None


class MultilabelMarginLoss(Op):
    """loss_n = sum over target classes j and non-target classes i of max(0, 1 - (x[j] - x[i]))
    / C.  The target row lists the target classes and ends at the first -1.

    Piecewise linear: each active pair adds 1/C to the gradient of x[i], takes it from x[j]."""

    node_name = "MultilabelMarginLossBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, input, target, reduction):
        x = input.reshape(-1, input.shape[-1] if input.ndim else 1)
        t = target.reshape(x.shape)
        samples, classes = x.shape
        listed = np.cumprod(t != -1, axis=1).astype(bool)
        if ((t < -1) | (t >= classes)).any() or (listed & (t < 0)).any():
            raise RuntimeError("argument #2 'target' is out of range")
        labels = np.where(listed, t, 0)
        is_target = np.zeros(x.shape, bool)
        rows = np.broadcast_to(np.arange(samples)[:, None], labels.shape)
        is_target[rows[listed], labels[listed]] = True
        x_label = np.take_along_axis(x, labels, axis=1)                 # (N, K)
        z = 1 - x_label[:, :, None] + x[:, None, :]                      # (N, K, C)
        active = (z > 0) & listed[:, :, None] & ~is_target[:, None, :]
        per_sample = np.add.reduce(np.where(active, z, 0), axis=(1, 2)) / classes
        ctx.info = (active, labels, classes)
        ctx.shape, ctx.dtype, ctx.reduction, ctx.n = input.shape, input.dtype, reduction, samples
        out_shape = target.shape[:-1] if target.ndim else ()
        return reduce(per_sample.reshape(out_shape), reduction)

    @staticmethod
    def backward(ctx, grad):
        active, labels, classes = ctx.info
        counts = active.astype(ctx.dtype) / classes
        coef = np.add.reduce(counts, axis=1)                              # for x[i]
        minus = np.add.reduce(counts, axis=2)                             # for x[label k]
        np.add.at(coef, (np.arange(coef.shape[0])[:, None], labels), -minus)
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        if ctx.reduction == "none":
            scale = scale.reshape(-1, 1)
        return (coef * scale).reshape(ctx.shape), None, None


@export("F")
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Multi-class hinge loss (see :class:`MultiMarginLoss`); targets are class indices."""
    check_tensor(input, "input", 1, "multi_margin_loss")
    check_tensor(target, "target", 2, "multi_margin_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise _errors.only_p_1_or_2()
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x, t = input._array, target._array
    if x.ndim > 2 or (x.ndim == 2 and x.shape[1] == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           "but got: {}".format(list(x.shape)))
    samples = x.shape[0] if x.ndim == 2 else 1
    if (t.ndim > 1 or t.size != samples) or (x.ndim == 2 and t.ndim != 1):
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            "input samples (batch size). Expected target size [{}], but got {}. Input has shape "
            "{}.".format(samples, list(t.shape), list(x.shape)))
    if t.dtype != np.int64:
        raise _errors.expected_long(target.dtype.scalar_name)
    classes = x.shape[-1] if x.ndim else 1
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise RuntimeError("target out of range")
    w = None
    if weight is not None:
        not_differentiable("multi_margin_loss", "weight", weight)
        if weight._array.shape[0] != classes:
            raise RuntimeError("inconsistent weight size, expected {} but got {}".format(
                classes, list(weight._array.shape)))
        if weight._array.dtype != x.dtype:
            raise _errors.expected_scalar_type(input.dtype.scalar_name, weight.dtype.scalar_name)
        w = weight._array
    return MultiMarginLoss.apply(input, t, w, p, float(margin), reduction)


@export("F")
def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge loss (see :class:`MultilabelMarginLoss`)."""
    check_tensor(input, "input", 1, "multilabel_margin_loss")
    check_tensor(target, "target", 2, "multilabel_margin_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    x, t = input._array, target._array
    if x.ndim > 2 or t.shape != x.shape:
        raise RuntimeError("inconsistent target size: {} for input of size: {}".format(
            list(t.shape), list(x.shape)))
    if t.dtype != np.int64:
        raise _errors.expected_long(target.dtype.scalar_name)
    return MultilabelMarginLoss.apply(input, t, reduction)


# ----------------------------------------------------------------------------- embeddings

_EPSILON = 1e-12


class CosineEmbeddingLoss(Op):
    """loss = 1 - cos(x1, x2) for target 1 (pull together), max(0, cos - margin) for target -1
    (push apart), with cos = x1.x2 / sqrt((|x1|^2 + e)(|x2|^2 + e)).

    d(cos)/d(x1) = x2 / denom - cos x1 / (|x1|^2 + e), and symmetrically for x2."""

    @staticmethod
    def forward(ctx, x1, x2, target, margin, reduction):
        ctx.save_for_backward(x1, x2)
        axis = x1.ndim - 1 if x1.ndim else None
        prod = np.add.reduce(x1 * x2, axis=axis)
        m1 = np.add.reduce(x1 * x1, axis=axis) + _EPSILON
        m2 = np.add.reduce(x2 * x2, axis=axis) + _EPSILON
        cos = prod / np.sqrt(m1 * m2)
        pos = target == 1
        neg = (target == -1) & (cos - margin > 0)
        loss = np.where(pos, 1 - cos, 0) + np.where(neg, cos - margin, 0)
        ctx.slope = (neg.astype(cos.dtype) - pos).astype(cos.dtype)
        ctx.axis, ctx.reduction, ctx.n = axis, reduction, loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x1, x2 = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n) * ctx.slope
        if arrays(x1).ndim > 1:
            scale = scale.reshape(scale.shape + (1,))
        prod = _sum_last(x1 * x2)
        m1 = _sum_last(x1 * x1) + _EPSILON
        m2 = _sum_last(x2 * x2) + _EPSILON
        denom = dual.sqrt(m1 * m2)
        cos = prod / denom
        grad_x1 = (x2 / denom - cos * x1 / m1) * scale if ctx.needs_input_grad[0] else None
        grad_x2 = (x1 / denom - cos * x2 / m2) * scale if ctx.needs_input_grad[1] else None
        return grad_x1, grad_x2, None, None, None


def _sum_last(v):
    """Sum over the last dimension, kept (for 1-D vectors: a 0-d result)."""
    if isinstance(v, Tensor):
        return v.sum(-1, keepdim=v.ndim > 1)
    return np.add.reduce(v, axis=-1, keepdims=v.ndim > 1)


_COSINE = by_reduction(CosineEmbeddingLoss, reduced_node_names("AddBackward0"))


@export("F")
def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """Cosine similarity loss for pairs that should be similar (target 1) or not (-1)."""
    for position, (name, t) in enumerate((("input1", input1), ("input2", input2),
                                          ("target", target)), 1):
        check_tensor(t, name, position, "cosine_embedding_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    a, b, t = input1._array, input2._array, target._array
    if t.ndim > 1:
        raise _errors.multi_target()
    if t.ndim == 1 and (a.ndim != 2 or b.ndim != 2):
        raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs with "
                           "sizes {} and {}.".format(list(a.shape), list(b.shape)))
    if t.ndim == 0 and (a.ndim != 1 or b.ndim != 1):
        raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs with "
                           "sizes {} and {}.".format(list(a.shape), list(b.shape)))
    check_broadcast(a.shape, b.shape)
    input1, input2 = common_float(input1, input2, "cosine_embedding_loss")
    samples = np.broadcast_shapes(a.shape, b.shape)[:-1]
    check_broadcast(t.shape, samples)
    return _COSINE[reduction].apply(input1, input2, t, float(margin), reduction)


class MarginRankingLoss(Op):
    """loss = max(0, -y (x1 - x2) + margin): x1 should rank above x2 (by ``margin``) when y = 1,
    below when y = -1.   d(loss)/d(x1) = -y where the loss is positive, else 0."""

    @staticmethod
    def forward(ctx, input1, input2, target, margin, reduction):
        ctx.save_for_backward(input1, input2, target)
        z = margin - target * (input1 - input2)
        active = z > 0
        ctx.active, ctx.reduction, ctx.n = active.astype(z.dtype), reduction, z.size
        return reduce(np.maximum(z, 0), reduction)     # (NaN stays NaN, as in torch)

    @staticmethod
    def backward(ctx, grad):
        input1, input2, target = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n) * ctx.active
        grad_1 = -target * scale if ctx.needs_input_grad[0] else None
        grad_2 = target * scale if ctx.needs_input_grad[1] else None
        grad_t = -(input1 - input2) * scale if ctx.needs_input_grad[2] else None
        return grad_1, grad_2, grad_t, None, None


_RANKING = by_reduction(MarginRankingLoss, reduced_node_names("ClampMinBackward0"))


@export("F")
def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """Ranking hinge loss ``max(0, -target * (input1 - input2) + margin)``."""
    for position, (name, t) in enumerate((("input1", input1), ("input2", input2),
                                          ("target", target)), 1):
        check_tensor(t, name, position, "margin_ranking_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension "
                           "but got sizes: input1: {}, input2: {}, target: {} ".format(
                               input1.size(), input2.size(), target.size()))
    check_broadcast(input1._array.shape, input2._array.shape)
    check_broadcast(np.broadcast_shapes(input1._array.shape, input2._array.shape),
                    target._array.shape)
    dtype = _dtype.result_type(input1, input2, target)
    if not dtype.is_floating_point:
        raise _errors.not_implemented("clamp_min_cpu", dtype.scalar_name)
    return _RANKING[reduction].apply(cast(input1, dtype), cast(input2, dtype),
                                     cast(target, dtype), float(margin), reduction)


class HingeEmbeddingLoss(Op):
    """loss = x where the target is 1, max(0, margin - x) where it is -1 (x: a distance that
    should be small for similar pairs and at least ``margin`` for dissimilar ones)."""

    @staticmethod
    def forward(ctx, input, target, margin, reduction):
        not_one, not_minus_one = target != 1, target != -1
        push = margin - input
        active = not_one & (push > 0)
        loss = np.where(not_one, np.maximum(push, 0), 0) + np.where(not_minus_one, input, 0)
        dtype = loss.dtype
        ctx.slope = not_minus_one.astype(dtype) - active.astype(dtype)
        ctx.reduction, ctx.n = reduction, loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        return ctx.slope * reduction_scale(grad, ctx.reduction, ctx.n), None, None, None


_HINGE = by_reduction(HingeEmbeddingLoss, reduced_node_names("AddBackward0"))


@export("F")
def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """Hinge loss on distances for similar (target 1) and dissimilar (-1) pairs."""
    check_tensor(input, "input", 1, "hinge_embedding_loss")
    check_tensor(target, "target", 2, "hinge_embedding_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    check_broadcast(input._array.shape, target._array.shape)
    if input._array.dtype.kind != "f":
        raise _errors.not_implemented("clamp_min_cpu", input.dtype.scalar_name)
    return _HINGE[reduction].apply(input, target._array, float(margin), reduction)


# ----------------------------------------------------------------------------- triplets

def _pnorm(v, p):
    """||v||_p over the last dimension (0-d for a vector), on arrays."""
    a = np.abs(v)
    if p == 2:
        return np.sqrt(np.add.reduce(a * a, axis=-1))
    if p == math.inf:
        return np.max(a, axis=-1)
    if p == 0:
        return np.add.reduce(a != 0, axis=-1).astype(v.dtype)
    return np.add.reduce(a ** p, axis=-1) ** (1.0 / p)


def _pnorm_grad(v, p, dist):
    """d||v||_p / dv (with ||v|| given by ``dist``); zero where the norm is zero, as in torch."""
    d = arrays(dist)
    zero = (d == 0)
    safe = np.where(zero, 1, d)[..., None] if d.ndim else np.where(zero, 1, d)
    keep = (~zero)[..., None] if d.ndim else ~zero
    if p == 0:
        return v * 0
    if p == math.inf:
        a = np.abs(arrays(v))
        top = (a == np.max(a, axis=-1, keepdims=True)).astype(a.dtype)
        return dual.sign(v) * (top / np.add.reduce(top, axis=-1, keepdims=True)) * keep
    if p == 2:
        return v * (keep / safe)
    if p == 1:
        return dual.sign(v) * keep
    return dual.sign(v) * dual.abs(v) ** (p - 1) * (keep / safe ** (p - 1))


class TripletMarginLoss(Op):
    """loss = max(0, d(a, p) - d(a, n) + margin) with d(x, y) = ||x - y + eps||_p: the anchor
    should be nearer the positive than the negative by ``margin``.  With ``swap`` the negative's
    distance is the smaller of d(a, n) and d(p, n).

    The gradient of a distance is the unit direction of x - y (for p = 2)."""

    @staticmethod
    def forward(ctx, anchor, positive, negative, margin, p, eps, swap, reduction):
        v_pos, v_neg = anchor - positive + eps, anchor - negative + eps
        d_pos, d_neg = _pnorm(v_pos, p), _pnorm(v_neg, p)
        use_swap = None
        if swap:
            v_swap = positive - negative + eps
            d_swap = _pnorm(v_swap, p)
            use_swap = np.where(d_swap < d_neg, 1.0, np.where(d_swap == d_neg, 0.5, 0.0))
            d_neg = np.minimum(d_neg, d_swap)
        z = margin + d_pos - d_neg
        active = (z > 0).astype(z.dtype)
        ctx.save_for_backward(anchor, positive, negative)
        ctx.active, ctx.use_swap, ctx.p, ctx.eps = active, use_swap, p, eps
        ctx.reduction, ctx.n = reduction, z.size
        return reduce(np.maximum(z, 0), reduction)     # (NaN stays NaN, as in torch)

    @staticmethod
    def backward(ctx, grad):
        anchor, positive, negative = ctx.saved_tensors
        p, eps = ctx.p, ctx.eps
        scale = reduction_scale(grad, ctx.reduction, ctx.n) * ctx.active
        expand = (lambda s: s.reshape(s.shape + (1,))) if ctx.active.ndim else (lambda s: s)
        v_pos, v_neg = anchor - positive + eps, anchor - negative + eps
        g_pos = _pnorm_grad(v_pos, p, _pnorm(arrays(v_pos), p))
        g_neg = _pnorm_grad(v_neg, p, _pnorm(arrays(v_neg), p))
        s_pos = expand(scale)
        if ctx.use_swap is None:
            s_neg, s_swap, g_swap = s_pos, None, None
        else:
            s_neg = expand(scale * (1 - ctx.use_swap))
            s_swap = expand(scale * ctx.use_swap)
            v_swap = positive - negative + eps
            g_swap = _pnorm_grad(v_swap, p, _pnorm(arrays(v_swap), p))
        grad_a = g_pos * s_pos - g_neg * s_neg
        grad_p = -(g_pos * s_pos)
        grad_n = g_neg * s_neg
        if g_swap is not None:
            grad_p = grad_p - g_swap * s_swap
            grad_n = grad_n + g_swap * s_swap
        return grad_a, grad_p, grad_n, None, None, None, None, None


_TRIPLET = by_reduction(TripletMarginLoss, reduced_node_names("ClampMinBackward0"))


def _check_triplet_dims(anchor, positive, negative):
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == p and p == n):
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           "same number of dimensions, but got: anchor {}D, positive {}D, and "
                           "negative {}D inputs".format(a, p, n))


@export("F")
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """Triplet loss with p-norm distances (see :class:`TripletMarginLoss`)."""
    for position, (name, t) in enumerate((("anchor", anchor), ("positive", positive),
                                          ("negative", negative)), 1):
        check_tensor(t, name, position, "triplet_margin_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    if margin <= 0:
        raise _errors.margin_positive(margin)
    _check_triplet_dims(anchor, positive, negative)
    dtype = _dtype.result_type(anchor, positive, negative)
    if not dtype.is_floating_point:
        raise NotImplementedError('"norm_cpu" not implemented for \'{}\''.format(
            dtype.scalar_name))
    anchor, positive, negative = cast(anchor, dtype), cast(positive, dtype), cast(negative, dtype)
    check_broadcast(anchor._array.shape, positive._array.shape)
    check_broadcast(anchor._array.shape, negative._array.shape)
    return _TRIPLET[reduction].apply(anchor, positive, negative, float(margin), float(p),
                                     float(eps), bool(swap), reduction)


class PairwiseDistance(Op):
    """out = ||x1 - x2 + eps||_2 over the last dimension.   d(out)/d(x1) = (x1 - x2 + eps) / out."""

    node_name = "NormBackward1"

    @staticmethod
    def forward(ctx, x1, x2, eps):
        ctx.save_for_backward(x1, x2)
        ctx.eps = eps
        return _pnorm(x1 - x2 + eps, 2)

    @staticmethod
    def backward(ctx, grad):
        x1, x2 = ctx.saved_tensors
        v = x1 - x2 + ctx.eps
        g = _pnorm_grad(v, 2, _pnorm(arrays(v), 2))
        g = g * (grad.reshape(grad.shape + (1,)) if arrays(v).ndim > 1 else grad)
        return g, -g, None


class TripletHinge(Op):
    """loss = max(0, margin + d_pos - min(d_neg, d_swap)) on given distances.
    Its gradient is 1 for d_pos and -1 for the smaller negative distance, where active."""

    @staticmethod
    def forward(ctx, d_pos, d_neg, d_swap, margin, reduction):
        use_swap = None
        if d_swap is not None:
            use_swap = np.where(d_swap < d_neg, 1.0, np.where(d_swap == d_neg, 0.5, 0.0))
            d_neg = np.minimum(d_neg, d_swap)
        z = margin + d_pos - d_neg
        ctx.active = (z > 0).astype(z.dtype)
        ctx.use_swap, ctx.reduction, ctx.n = use_swap, reduction, z.size
        return reduce(np.maximum(z, 0), reduction)     # (NaN stays NaN, as in torch)

    @staticmethod
    def backward(ctx, grad):
        scale = reduction_scale(grad, ctx.reduction, ctx.n) * ctx.active
        if ctx.use_swap is None:
            return scale, -scale, None, None, None
        return scale, -scale * (1 - ctx.use_swap), -scale * ctx.use_swap, None, None


_TRIPLET_HINGE = by_reduction(TripletHinge, reduced_node_names("ClampMinBackward0"))


@export("F")
def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """Triplet loss with any distance function (default: the Euclidean pairwise distance)."""
    if reduction not in ("mean", "sum", "none"):
        raise _errors.invalid_reduction(reduction)
    if margin <= 0:
        raise _errors.margin_positive(margin)
    _check_triplet_dims(anchor, positive, negative)
    if distance_function is None:
        def distance_function(x1, x2):
            return PairwiseDistance.apply(x1, x2, 1e-6)
    d_pos = distance_function(anchor, positive)
    d_neg = distance_function(anchor, negative)
    d_swap = distance_function(positive, negative) if swap else None
    return _TRIPLET_HINGE[reduction].apply(d_pos, d_neg, d_swap, float(margin), reduction)
