"""Classification losses on class scores: ``cross_entropy`` and ``nll_loss``.  Shared
machinery (reductions, checks) is in ``loss.py``.

``cross_entropy`` is built as torch builds it: a ``log_softmax`` node followed by an
``nll_loss`` node, so ``loss.grad_fn`` is ``NllLossBackward0`` and its next function
``LogSoftmaxBackward0``.  The gradient of the pair is the famous ``softmax(x) - onehot(target)``
(divided by the batch size for a mean).
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.reductions.softmax import LogSoftmax
from .loss import (arrays, by_reduction, check_tensor, common_float, get_reduction,
                   not_differentiable, reduced_node_names, reduction_scale)
from ..._ops.core.registry import export


# ----------------------------------------------------------------------------- nll

def _take_class(x, target):
    """``x[n, target[n, ...], ...]``: each sample's value at its target class (axis 1)."""
    if x.ndim == 2:
        return x[np.arange(x.shape[0]), target]
    return np.take_along_axis(x, np.expand_dims(target, 1), axis=1)[:, 0]


def _put_class(shape, dtype, target, values):
    """Zeros of ``shape`` with ``values`` at each sample's target class (axis 1)."""
    out = np.zeros(shape, dtype)
    if len(shape) == 2:
        out[np.arange(shape[0]), target] = values
    else:
        if np.ndim(values):
            values = np.expand_dims(values, 1)
        np.put_along_axis(out, np.expand_dims(target, 1), values, axis=1)
    return out


def _class_grad(grad, reduction, total, target_shape, no_batch):
    """The incoming gradient laid out to broadcast against (N, C, d1, ...) arrays."""
    if reduction == "none":
        if no_batch:
            return grad
        return grad.reshape(target_shape[:1] + (1,) + target_shape[1:])
    return reduction_scale(grad, reduction, total)


class _Targets:
    """What nll_loss and label smoothing need to know about the target classes."""

    __slots__ = ("safe", "valid", "weight", "total", "no_batch")

    def __init__(self, x, target, weight, ignore_index, no_batch):
        classes = x.shape[1]
        valid = None                            # None: every target counts (the usual case)
        low = np.minimum.reduce(target, axis=None) if target.size else 0
        if ignore_index >= 0 or low < 0:        # only then can a target equal ignore_index
            mask = target != ignore_index
            if not mask.all():
                valid = mask
        safe = target
        if valid is not None:
            safe = np.where(valid, target, 0)
            low = np.minimum.reduce(safe, axis=None)
        if safe.size and (low < 0 or np.maximum.reduce(safe, axis=None) >= classes):
            bad = (safe < 0) | (safe >= classes)
            raise IndexError("Target {} is out of bounds.".format(safe[bad].flat[0]))
        if weight is not None:
            w = weight[safe] if valid is None else weight[safe] * valid
        else:
            w = None if valid is None else valid.astype(x.dtype)
        self.safe, self.valid, self.weight, self.no_batch = safe, valid, w, no_batch
        self.total = safe.size if w is None else np.add.reduce(w, axis=None)


class NllLoss(Op):
    """loss_n = -weight[t_n] * input[n, t_n]: minus the log-probability given to the right class.

    d(loss)/d(input) is -weight[t_n] / total at each sample's target class and 0 elsewhere
    (total: the number of samples, or the sum of their weights, for a mean)."""

    node_name = "NllLossBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, input, target, weight, ignore_index, reduction):
        no_batch = input.ndim == 1
        x = input[None] if no_batch else input
        t = target.reshape(1) if no_batch else target
        info = _Targets(x, t, weight, ignore_index, no_batch)
        picked = _take_class(x, info.safe)
        loss = -picked if info.weight is None else -(picked * info.weight)
        ctx.info, ctx.shape, ctx.dtype, ctx.reduction = info, input.shape, input.dtype, reduction
        if reduction == "none":
            return loss.reshape(()) if no_batch else loss
        total = np.add.reduce(loss, axis=None)
        if reduction == "sum":
            return total
        if info.total == 0:
            return np.full((), np.nan, input.dtype)
        return total / info.total

    @staticmethod
    def backward(ctx, grad):
        info = ctx.info
        shape = (1,) + ctx.shape if info.no_batch else ctx.shape
        coef = -1.0 if info.weight is None else -info.weight
        onehot = _put_class(shape, ctx.dtype, info.safe, coef)
        if info.no_batch:
            onehot = onehot.reshape(ctx.shape)
        return onehot * _class_grad(grad, ctx.reduction, info.total, info.safe.shape,
                                    info.no_batch), None, None, None, None


class SmoothedNllLoss(Op):
    """Cross entropy with label smoothing, on log-probabilities ``logp``:

        loss_n = (1 - eps) * nll_n + eps / C * sum_c (-weight_c * logp[n, c])

    -- the target is mostly its class, plus a little of every class.  The gradient is the
    constant matrix of those coefficients (divided by the total weight for a mean)."""

    node_name = "AddBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, logp, target, weight, ignore_index, reduction, smoothing):
        no_batch = logp.ndim == 1
        x = logp[None] if no_batch else logp
        t = target.reshape(1) if no_batch else target
        info = _Targets(x, t, weight, ignore_index, no_batch)
        classes = x.shape[1]
        picked = _take_class(x, info.safe)
        nll = -picked if info.weight is None else -(picked * info.weight)
        w_c = None if weight is None else weight.reshape((1, classes) + (1,) * (x.ndim - 2))
        smooth = -np.add.reduce(x if w_c is None else x * w_c, axis=1)
        if info.valid is not None:
            smooth = smooth * info.valid
        ctx.info, ctx.shape, ctx.dtype, ctx.reduction = info, logp.shape, logp.dtype, reduction
        ctx.smoothing, ctx.w_c = smoothing, w_c
        keep = 1.0 - smoothing
        share = smoothing / classes
        if reduction == "none":
            loss = keep * nll + share * smooth
            return loss.reshape(()) if no_batch else loss
        nll_total = np.add.reduce(nll, axis=None)
        smooth_total = np.add.reduce(smooth, axis=None)
        if reduction == "sum":
            return keep * nll_total + share * smooth_total
        with np.errstate(invalid="ignore", divide="ignore"):
            return keep * (nll_total / info.total) + share * (smooth_total / info.total)

    @staticmethod
    def backward(ctx, grad):
        info = ctx.info
        shape = (1,) + ctx.shape if info.no_batch else ctx.shape
        classes = shape[1]
        keep, share = 1.0 - ctx.smoothing, ctx.smoothing / classes
        coef = -keep if info.weight is None else -keep * info.weight
        matrix = _put_class(shape, ctx.dtype, info.safe, coef)
        spread = -share if info.valid is None else \
            np.expand_dims(info.valid, 1).astype(ctx.dtype) * -share
        matrix += spread if ctx.w_c is None else spread * ctx.w_c
        if info.no_batch:
            matrix = matrix.reshape(ctx.shape)
        return matrix * _class_grad(grad, ctx.reduction, info.total, info.safe.shape,
                                    info.no_batch), None, None, None, None, None


class SoftTargetCrossEntropy(Op):
    """Cross entropy against class probabilities ``p`` (optionally smoothed), on ``logp``:

        loss_n = -sum_c weight_c * p[n, c] * logp[n, c]

    d(loss)/d(logp) = -weight * p,  d(loss)/d(p) = -weight * logp (times 1 - smoothing).
    A mean divides by the number of samples (not by their weights)."""

    @staticmethod
    def forward(ctx, logp, target, weight, reduction, smoothing):
        ctx.save_for_backward(logp, target)
        classes = logp.shape[1] if logp.ndim > 1 else logp.shape[0]
        axis = 1 if logp.ndim > 1 else 0
        p = target if smoothing <= 0 else target * (1 - smoothing) + smoothing / classes
        w = None if weight is None else weight.reshape(
            (classes,) + (1,) * (logp.ndim - 1 - axis))
        ctx.w, ctx.axis, ctx.smoothing, ctx.reduction = w, axis, smoothing, reduction
        ctx.samples = logp.size // classes if classes else 0
        terms = logp * p if w is None else logp * p * w
        if reduction == "none":
            return -np.add.reduce(terms, axis=axis)
        total = -np.add.reduce(terms, axis=None)
        if reduction == "sum":
            return total
        if logp.size == 0:
            return np.full((), np.nan, logp.dtype)
        return total / ctx.samples

    @staticmethod
    def backward(ctx, grad):
        logp, target = ctx.saved_tensors
        smoothing, w, axis = ctx.smoothing, ctx.w, ctx.axis
        if ctx.reduction == "none":
            g = grad if axis == 0 else grad.reshape(grad.shape[:1] + (1,) + grad.shape[1:])
        else:
            g = reduction_scale(grad, ctx.reduction, ctx.samples)
        if w is not None:
            g = g * w
        grad_logp = grad_target = None
        if ctx.needs_input_grad[0]:
            classes = arrays(logp).shape[axis]
            p = target if smoothing <= 0 else target * (1 - smoothing) + smoothing / classes
            grad_logp = -(p * g)
        if ctx.needs_input_grad[1]:
            grad_target = -(logp * g) if smoothing <= 0 else -(logp * g) * (1 - smoothing)
        return grad_logp, grad_target, None, None, None


_SOFT_CE = by_reduction(SoftTargetCrossEntropy, reduced_node_names(
    "NegBackward0", mean="DivBackward1", sum="NegBackward0"))


def _check_nll(input, target, weight, prefix=""):
    """torch's checks of nll_loss's arguments, in torch's order."""
    x, t = input._array, target._array
    if x.ndim < 1:
        raise ValueError("Expected 1 or more dimensions (got {})".format(x.ndim))
    if x.ndim != 1 and (t.shape[0] if t.ndim else 0) != x.shape[0]:
        raise ValueError("Expected input batch_size ({}) to match target batch_size ({}).".format(
            x.shape[0], t.shape[0] if t.ndim else 0))
    if x.ndim <= 2:
        if t.ndim > 1:
            raise _errors.multi_target()
        if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
            raise ValueError("For 1D input, 1D target must have size 1, but got target size: "
                             "{}".format(t.shape[0]))
    elif x.ndim == 4 and t.ndim != 3:
        raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                           "targets of dimension: {}".format(t.ndim))
    elif t.shape[1:] != x.shape[2:]:
        raise RuntimeError("Expected target size {}, got {}".format(
            list(x.shape[:1] + x.shape[2:]), list(t.shape)))
    if t.dtype != np.int64 and t.dtype != np.uint8:
        raise RuntimeError("expected target dtype to be Long or Byte, but got {}".format(
            target.dtype.scalar_name))
    return _check_weight(input, weight, prefix)


def _check_weight(input, weight, prefix=""):
    """The class weights as an array (None without), checked against the number of classes."""
    if weight is None:
        return None
    x = input._array
    classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    if weight._array.shape != (classes,):
        raise RuntimeError("{}weight tensor should be defined either for all {} classes or no "
                           "classes but got weight tensor of shape: {}".format(
                               prefix, classes, list(weight._array.shape)))
    if weight._array.dtype != x.dtype:
        raise _errors.expected_scalar_type(input.dtype.scalar_name, weight.dtype.scalar_name)
    return weight._array


_NLL_SPATIAL = type("NllLoss", (NllLoss,), {"node_name": "NllLoss2DBackward0",
                                             "__doc__": NllLoss.__doc__})
_NLL_SPATIAL_VIEW = type("NllLoss", (NllLoss,), {"node_name": "ViewBackward0",
                                                 "__doc__": NllLoss.__doc__})


def _nll_op(input, reduction):
    """torch runs inputs with spatial dimensions through nll_loss2d (viewed back to the target's
    shape for 'none' unless the input is 4-D): the node names follow."""
    ndim = input._array.ndim
    if ndim < 3:
        return NllLoss
    return _NLL_SPATIAL_VIEW if reduction == "none" and ndim != 4 else _NLL_SPATIAL


@export("F")
def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood: ``-input[n, target[n]]``, averaged over the batch.

    ``input`` holds log-probabilities of shape (N, C) (or (C,), or (N, C, d1, ...) with targets
    (N, d1, ...)); targets equal to ``ignore_index`` contribute nothing.  With ``weight`` each
    sample counts ``weight[target]`` times and the mean divides by the sum of those weights."""
    check_tensor(input, "input", 1, "nll_loss_nd")
    check_tensor(target, "target", 2, "nll_loss_nd")
    reduction = get_reduction(reduction, size_average, reduce)
    w = _check_nll(input, target, weight)
    not_differentiable("nll_loss_forward", "weight", weight)
    if input._array.dtype.kind not in "fV":
        raise NotImplementedError('"nll_loss_out_frame" not implemented for \'{}\''.format(
            input.dtype.scalar_name))
    return _nll_op(input, reduction).apply(input, target._array, w, ignore_index, reduction)


def log_softmax_classes(input):
    """log_softmax over the class dimension (dim 1, or 0 for a single sample)."""
    x = input._array
    if x.dtype.kind not in "fV":
        raise NotImplementedError('"log_softmax_lastdim_kernel_impl" not implemented for '
                                  "'{}'".format(input.dtype.scalar_name))
    return LogSoftmax.apply(input, 1 if x.ndim > 1 else 0)


@export("F")
def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross entropy of raw scores (logits) against class indices or class probabilities:
    ``log_softmax`` then ``nll_loss``.

    With class indices, the gradient with respect to the logits is ``softmax(input) -
    onehot(target)`` (over the batch size for a mean).  ``label_smoothing`` mixes the target
    with the uniform distribution over the C classes."""
    check_tensor(input, "input", 1, "cross_entropy_loss")
    check_tensor(target, "target", 2, "cross_entropy_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    smoothing = float(label_smoothing)
    if smoothing > 1.0:
        raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: {}".format(
            label_smoothing))
    x, t = input._array, target._array
    if x.shape == t.shape and x.ndim:
        return _cross_entropy_probabilities(input, target, weight, ignore_index, reduction,
                                            smoothing)
    logp = log_softmax_classes(input)
    w = _check_nll(input, target, weight)
    not_differentiable("nll_loss_forward", "weight", weight)
    if smoothing > 0:
        return SmoothedNllLoss.apply(logp, t, w, ignore_index, reduction, smoothing)
    return _nll_op(input, reduction).apply(logp, t, w, ignore_index, reduction)


def _cross_entropy_probabilities(input, target, weight, ignore_index, reduction, smoothing):
    if target._array.dtype.kind not in "fV":
        raise RuntimeError("Expected floating point type for target with class probabilities, "
                           "got {}".format(target.dtype.scalar_name))
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    input, target = common_float(input, target, "log_softmax_lastdim_kernel_impl")
    w = _check_weight(input, weight, "cross_entropy: ")
    logp = log_softmax_classes(input)
    return _SOFT_CE[reduction].apply(logp, target, w, reduction, smoothing)
