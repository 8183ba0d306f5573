"""Losses between distributions: ``kl_div`` and the Poisson and Gaussian negative log
likelihoods.  Shared machinery is in ``loss.py``.

torch builds these out of several small operations; here each is one fused node, named after
torch's last node (``MeanBackward0`` for a mean ...), with its derivative written out.
"""
import math
import warnings

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor, check_broadcast
from .loss import (arrays, by_reduction, cast, check_tensor, common_float, get_reduction, reduce,
                   reduced_node_names, reduction_scale)
from ..._ops.core.registry import export


# ----------------------------------------------------------------------------- distributions

class KlDiv(Op):
    """KL divergence of the target distribution from the predicted one, given log-probabilities
    ``x``:  loss = t (log t - x),  or with ``log_target``  loss = e^t (t - x).

    d(loss)/dx = -t (or -e^t),   d(loss)/dt = log t + 1 - x (or e^t (t - x + 1))."""

    @staticmethod
    def forward(ctx, input, target, reduction, log_target, batch):
        ctx.save_for_backward(input, target)
        if log_target:
            loss = np.exp(target) * (target - input)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                entropy = np.where(target == 0, 0, target * np.log(target))
            loss = entropy - target * input
        ctx.reduction, ctx.log_target, ctx.batch = reduction, log_target, batch
        ctx.n, ctx.shape = loss.size, loss.shape
        if reduction == "batchmean":
            total = np.add.reduce(loss, axis=None)
            return total / batch if batch is not None else total
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        if ctx.reduction == "batchmean":
            scale = grad / ctx.batch if ctx.batch is not None else grad
        else:
            scale = reduction_scale(grad, ctx.reduction, ctx.n)
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            # (of the broadcast shape: it depends on the target only, which may be smaller)
            grad_input = dual.expand(-(dual.exp(target) if ctx.log_target else target) * scale,
                                     ctx.shape)
        if ctx.needs_input_grad[1]:
            if ctx.log_target:
                grad_target = dual.exp(target) * (target - input + 1) * scale
            else:
                with np.errstate(divide="ignore"):
                    grad_target = (dual.log(target) + 1 - input) * scale
        return grad_input, grad_target, None, None, None


_KL = by_reduction(KlDiv, dict(reduced_node_names("SubBackward0"), batchmean="DivBackward0"))
_KL_LOG = by_reduction(KlDiv, dict(reduced_node_names("MulBackward0"), batchmean="DivBackward0"))


@export("F")
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence; ``input`` holds log-probabilities.  Use
    ``reduction='batchmean'`` for the mathematical KL divergence of a batch."""
    check_tensor(input, "input", 1, "kl_div")
    check_tensor(target, "target", 2, "kl_div")
    if size_average is not None or reduce is not None:
        reduction = get_reduction(reduction, size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    elif reduction != "batchmean":
        reduction = get_reduction(reduction)
    if input._array.dtype.kind != "f" or target._array.dtype.kind != "f":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    input, target = common_float(input, target, "kl_div")
    check_broadcast(input._array.shape, target._array.shape)
    batch = input._array.shape[0] if reduction == "batchmean" and input._array.ndim else None
    ops = _KL_LOG if log_target else _KL
    return ops[reduction].apply(input, target, reduction, bool(log_target), batch)


class PoissonNllLoss(Op):
    """Negative log likelihood of a Poisson distribution with rate lambda:
    loss = e^x - t x  (x = log lambda, ``log_input``)  or  lambda - t log(lambda + eps);
    ``full`` adds Stirling's approximation of log(t!) for t > 1.

    d(loss)/dx = e^x - t  (or 1 - t / (lambda + eps))."""

    @staticmethod
    def forward(ctx, input, target, log_input, full, eps, reduction):
        ctx.save_for_backward(input, target)
        if log_input:
            loss = np.exp(input) - target * input
        else:
            loss = input - target * np.log(input + eps)
        if full:
            with np.errstate(divide="ignore", invalid="ignore"):
                stirling = target * np.log(target) - target + 0.5 * np.log(2 * math.pi * target)
            loss = loss + np.where(target <= 1, 0, stirling)
        ctx.log_input, ctx.full, ctx.eps, ctx.reduction, ctx.n = \
            log_input, full, eps, reduction, loss.size
        ctx.shape = loss.shape
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            slope = dual.exp(input) - target if ctx.log_input else 1 - target / (input + ctx.eps)
            grad_input = slope * scale
        if ctx.needs_input_grad[1]:
            slope = -input if ctx.log_input else -dual.log(input + ctx.eps)
            if ctx.full:
                above = (arrays(target) > 1).astype(arrays(target).dtype)
                with np.errstate(divide="ignore", invalid="ignore"):
                    slope = slope + (dual.log(target) + 0.5 / target) * above
            grad_target = dual.expand(slope * scale, ctx.shape)   # (the broadcast shape)
        return grad_input, grad_target, None, None, None, None


_POISSON = by_reduction(PoissonNllLoss, reduced_node_names("SubBackward0"))
_POISSON_FULL = by_reduction(PoissonNllLoss, reduced_node_names("AddBackward0"))


@export("F")
def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Poisson negative log likelihood (see :class:`PoissonNllLoss`)."""
    check_tensor(input, "input", 1, "poisson_nll_loss")
    check_tensor(target, "target", 2, "poisson_nll_loss")
    reduction = get_reduction(reduction, size_average, reduce)
    input, target = common_float(input, target, "poisson_nll_loss")
    check_broadcast(input._array.shape, target._array.shape)
    ops = _POISSON_FULL if full else _POISSON
    return ops[reduction].apply(input, target, bool(log_input), bool(full), float(eps),
                                reduction)


class GaussianNllLoss(Op):
    """Negative log likelihood of a Gaussian with mean x and variance v (v clamped at eps):
    loss = 0.5 (log v + (x - t)^2 / v)  (+ 0.5 log(2 pi) with ``full``).

    d(loss)/dx = (x - t) / v,   d(loss)/dv = 0.5 (1 / v - (x - t)^2 / v^2)."""

    @staticmethod
    def forward(ctx, input, target, var, var_shape, full, eps, reduction):
        ctx.save_for_backward(input, target, var)
        v = np.maximum(var.reshape(var_shape), eps)
        diff = input - target
        loss = 0.5 * (np.log(v) + diff * diff / v)
        if full:
            loss = loss + 0.5 * math.log(2 * math.pi)
        ctx.var_shape, ctx.eps, ctx.reduction, ctx.n = var_shape, eps, reduction, loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target, var = ctx.saved_tensors
        scale = reduction_scale(grad, ctx.reduction, ctx.n)
        v_array = arrays(var).reshape(ctx.var_shape)
        clamped = (v_array < ctx.eps).astype(v_array.dtype)
        v = var.reshape(ctx.var_shape) * (1 - clamped) + ctx.eps * clamped
        diff = input - target
        grad_input = diff / v * scale if ctx.needs_input_grad[0] else None
        grad_target = -(diff / v) * scale if ctx.needs_input_grad[1] else None
        grad_var = None
        if ctx.needs_input_grad[2]:
            grad_var = 0.5 * (1 / v - diff * diff / (v * v)) * scale
            full = np.broadcast_shapes(arrays(diff).shape, ctx.var_shape)
            grad_var = dual.sum_to(grad_var, ctx.var_shape) if full != ctx.var_shape \
                else grad_var
            grad_var = grad_var.reshape(arrays(var).shape)
        return grad_input, grad_target, grad_var, None, None, None, None


_GAUSSIAN = by_reduction(GaussianNllLoss, reduced_node_names("MulBackward0"))
_GAUSSIAN_FULL = by_reduction(GaussianNllLoss, reduced_node_names("AddBackward0"))


@export("F")
def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Gaussian negative log likelihood with predicted means ``input`` and variances ``var``
    (a tensor, or one number for all)."""
    check_tensor(input, "input", 1, "gaussian_nll_loss")
    check_tensor(target, "target", 2, "gaussian_nll_loss")
    if not isinstance(var, Tensor):
        if var < 0:
            raise _errors.negative_variance()
        var = Tensor._make(np.full(input._array.shape, var, input._array.dtype))
    elif (var._array < 0).any():
        raise _errors.negative_variance()
    x, v = input._array, var._array
    var_shape = v.shape
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            var_shape = v.shape + (1,)
        elif not (x.ndim == v.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    input, target = common_float(input, target, "gaussian_nll_loss")
    dtype = _dtype.result_type(input, var)
    if dtype.is_floating_point:
        input, target, var = cast(input, dtype), cast(target, dtype), cast(var, dtype)
    check_broadcast(input._array.shape, target._array.shape)
    ops = _GAUSSIAN_FULL if full else _GAUSSIAN
    return ops[reduction].apply(input, target, var, var_shape, bool(full), float(eps), reduction)
