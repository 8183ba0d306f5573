"""Loss functions: how far a prediction is from its target, as one number to minimise.

Each loss is one fused operation computed on NumPy arrays, the way torch computes its losses:
the forward pass works out the elementwise loss and reduces it, and the backward pass writes
down the derivative directly instead of walking back through a chain of small operations.
Where torch builds the loss out of several operations (``l1_loss`` is ``mean(abs(a - b))``),
the fused node carries the name of torch's last node (``MeanBackward0``), so that
``print(loss)`` shows what torch shows.

Every loss takes a ``reduction``:

* ``'none'`` -- the loss of every element (or sample);
* ``'mean'`` -- their mean: each element's gradient is divided by their count n;
* ``'sum'``  -- their sum: each element's gradient is the incoming gradient itself.

The old ``size_average`` and ``reduce`` flags still work (with torch's deprecation warning).

This module holds the shared machinery and the regression losses (``mse_loss``, ``l1_loss``,
``smooth_l1_loss``, ``huber_loss``).  The other families are:

* ``loss_classification`` -- ``cross_entropy`` and ``nll_loss``;
* ``loss_binary`` -- the binary cross entropies and the soft margin losses;
* ``loss_margin`` -- the hinge losses: multi-class and multi-label margins, ranking, cosine
  embedding and the triplet losses;
* ``loss_distribution`` -- ``kl_div`` and the Poisson and Gaussian likelihoods.
"""
import warnings

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..._ops.core import dual
from ..._ops.core.common import Tensor, check_broadcast
from ..._ops.core.registry import export


# ----------------------------------------------------------------------------- reductions

_LEGACY = "size_average and reduce args will be deprecated, please use reduction='{}' instead."


def legacy_reduction(size_average, reduce, emit_warning=True):
    """The ``reduction`` that the old ``size_average``/``reduce`` flags stand for (None = True)."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit_warning:
        warnings.warn(_LEGACY.format(reduction), stacklevel=3)
    return reduction


def get_reduction(reduction, size_average=None, reduce=None):
    """Checks ``reduction`` (or maps the legacy flags, which take precedence, as in torch)."""
    if size_average is not None or reduce is not None:
        return legacy_reduction(size_average, reduce)
    if reduction == "mean" or reduction == "sum" or reduction == "none":
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        return "mean"
    raise _errors.invalid_reduction(reduction)


def reduce(loss, reduction):
    """Reduces an array of elementwise losses: their mean, their sum, or all of them."""
    if reduction == "mean":
        n = loss.size
        if n == 0:
            return np.full((), np.nan, loss.dtype)
        return np.add.reduce(loss, axis=None) / n
    if reduction == "sum":
        return np.add.reduce(loss, axis=None)
    return loss


def reduction_scale(grad, reduction, n):
    """The incoming gradient as seen by each element's loss: ``grad / n`` for a mean (a 0-d
    value that broadcasts), ``grad`` itself for a sum (0-d) or for ``'none'`` (one per element)."""
    if reduction == "mean" and n:
        return grad / n
    return grad


def reduced_node_names(none, mean="MeanBackward0", sum="SumBackward0"):
    return {"none": none, "mean": mean, "sum": sum}


def by_reduction(op, names):
    """One subclass of ``op`` per reduction, differing only in the node name torch shows."""
    return {reduction: type(op.__name__, (op,), {"node_name": name, "__doc__": op.__doc__,
                                                 "__module__": op.__module__})
            for reduction, name in names.items()}


# ----------------------------------------------------------------------------- checks

def check_tensor(x, name, position, function):
    if not isinstance(x, Tensor):
        raise _errors.must_be_tensor(function, name, position, type(x).__name__)


def warn_size(input, target):
    """torch's warning when a target of another size is about to be broadcast (a classic bug:
    predictions of shape (N, 1) against targets of shape (N,) give an (N, N) loss)."""
    if input._array.shape != target._array.shape:
        warnings.warn("Using a target size ({}) that is different to the input size ({}). This "
                      "will likely lead to incorrect results due to broadcasting. Please ensure "
                      "they have the same size.".format(target.size(), input.size()),
                      stacklevel=3)
        check_broadcast(input._array.shape, target._array.shape)


def common_float(input, target, kernel):
    """Both tensors in their promoted dtype, which must be a floating point one."""
    a, b = input._array.dtype, target._array.dtype
    if a is b or a == b:
        if a.kind not in "fV":
            raise _errors.not_implemented(kernel, input.dtype.scalar_name)
        return input, target
    dtype = _dtype.result_type(input, target)
    if not dtype.is_floating_point:
        raise _errors.not_implemented(kernel, dtype.scalar_name)
    return cast(input, dtype), cast(target, dtype)


def cast(t, dtype):
    """``t`` as ``dtype``: a recorded conversion when it needs a gradient, else a plain copy."""
    if t._array.dtype == dtype.numpy:
        return t
    if t._requires_grad:
        return t.to(dtype)
    return Tensor._make(t._array.astype(dtype.numpy))


def arrays(x):
    """The array behind a saved value (a tensor when the backward pass is recorded)."""
    return x._array if isinstance(x, Tensor) else x


def maximum(x, floor):
    """``max(x, floor)`` elementwise for a number ``floor``, on an array or a tensor."""
    if isinstance(x, Tensor):
        keep = (x._array >= floor).astype(x._array.dtype)
        return x * keep + floor * (1 - keep)
    return np.maximum(x, floor)


def sum_keep(g, axis):
    """The sum along ``axis``, kept as a dimension of size 1 (array or tensor)."""
    if isinstance(g, Tensor):
        return g.sum(axis, keepdim=True)
    return np.add.reduce(g, axis=axis, keepdims=True)


def sigmoid(x):
    """1 / (1 + e^-x) without overflow, on an array or a tensor."""
    if isinstance(x, Tensor):
        return x.sigmoid()
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softplus_neg(x):
    """log(1 + e^-x) = -log(sigmoid(x)), computed stably (array or tensor)."""
    if isinstance(x, Tensor):
        return -dual.log(x.sigmoid())
    return np.logaddexp(0, -x)


def not_differentiable(function, argument, tensor):
    if tensor is not None and tensor._requires_grad and _grad_state().enabled:
        raise RuntimeError("The function '{}' is not differentiable with respect to argument "
                           "'{}'. This input cannot have requires_grad True.".format(function,
                                                                                     argument))


# ----------------------------------------------------------------------------- regression

def sum_of_squares(diff):
    """sum(diff ** 2): one BLAS dot product for small arrays (the common case, and twice as
    fast), NumPy's pairwise summation for large ones (more accurate in float32)."""
    if diff.size <= 4096:
        flat = diff.ravel()
        return flat.dot(flat)               # (the method: no dispatch, faster than np.vdot)
    return np.add.reduce(diff * diff, axis=None)


class MseLoss(Op):
    """loss = mean((input - target)^2).

    d(loss)/d(input) = 2 (input - target) / n,  and d(loss)/d(target) is its negative.
    (``MseLossSum`` and ``MseLossNone`` below differ only in the reduction; one class per
    reduction keeps this, the loss of every regression course, on autograd's fastest path.)"""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        diff = ctx.diff = input - target
        n = diff.size
        # (a 0-d array of the loss's dtype: NumPy multiplies by one of those about twice as
        # fast as by a Python float, with the same result)
        ctx.scale = np.array(2.0 / n if n else 2.0, diff.dtype)
        if n == 0:
            return np.full((), np.nan, diff.dtype)
        return sum_of_squares(diff) / n

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors      # (which also checks that neither has changed)
        # forward's difference serves the backward pass on arrays; a recorded one recomputes it
        diff = ctx.diff if type(input) is np.ndarray else input - target
        grad_input = diff * (grad * ctx.scale)
        grad_target = -grad_input if ctx.needs_input_grad[1] else None
        return grad_input, grad_target


class MseLossSum(MseLoss):
    """loss = sum((input - target)^2).   d(loss)/d(input) = 2 (input - target)."""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        diff = ctx.diff = input - target
        ctx.scale = np.array(2.0, diff.dtype)
        return sum_of_squares(diff)


class MseLossNone(MseLoss):
    """loss = (input - target)^2 per element.   d(loss)/d(input) = 2 (input - target)."""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target):
        ctx.save_for_backward(input, target)
        diff = ctx.diff = input - target
        ctx.scale = np.array(2.0, diff.dtype)
        return diff * diff


_MSE = {"mean": MseLoss, "sum": MseLossSum, "none": MseLossNone}
# When input and target have one shape and dtype, the gradients need no summing or casting.
_MSE_EXACT = {reduction: type(op.__name__, (op,), {"node_name": op.node_name,
                                                   "exact_grads": True, "__doc__": op.__doc__})
              for reduction, op in _MSE.items()}


class L1Loss(Op):
    """loss = mean(|input - target|).   d(loss)/d(input) = sign(input - target) / n."""

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        loss = np.abs(input - target)
        ctx.n = loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        grad_input = dual.sign(input - target) * reduction_scale(grad, ctx.reduction, ctx.n)
        grad_target = -grad_input if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None


_L1 = by_reduction(L1Loss, reduced_node_names("AbsBackward0"))


class SmoothL1Loss(Op):
    """loss = 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta  (d = input - target).

    d(loss)/d(input) = d / beta inside the band, sign(d) outside: the gradient of L1 with its
    corner rounded off, so it shrinks smoothly to zero near the target."""

    @staticmethod
    def forward(ctx, input, target, reduction, beta):
        ctx.save_for_backward(input, target)
        ctx.reduction, ctx.beta = reduction, beta
        diff = np.abs(input - target)
        loss = np.where(diff < beta, diff * diff * (0.5 / beta), diff - 0.5 * beta)
        ctx.n = loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        beta = ctx.beta
        diff = input - target
        inside = (np.abs(arrays(diff)) < beta).astype(arrays(diff).dtype)
        slope = diff * (inside / beta) + dual.sign(diff) * (1 - inside)
        grad_input = slope * reduction_scale(grad, ctx.reduction, ctx.n)
        grad_target = -grad_input if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None, None


class HuberLoss(Op):
    """loss = 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta)  (d = input - target).

    d(loss)/d(input) = d inside the band, delta sign(d) outside (smooth_l1 times delta)."""

    @staticmethod
    def forward(ctx, input, target, reduction, delta):
        ctx.save_for_backward(input, target)
        ctx.reduction, ctx.delta = reduction, delta
        diff = np.abs(input - target)
        loss = np.where(diff < delta, 0.5 * diff * diff, delta * (diff - 0.5 * delta))
        ctx.n = loss.size
        return reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        delta = ctx.delta
        diff = input - target
        inside = (np.abs(arrays(diff)) <= delta).astype(arrays(diff).dtype)
        slope = diff * inside + dual.sign(diff) * ((1 - inside) * delta)
        grad_input = slope * reduction_scale(grad, ctx.reduction, ctx.n)
        grad_target = -grad_input if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None, None


def _regression_operands(input, target, name, kernel):
    check_tensor(input, "input", 1, name)
    check_tensor(target, "target", 2, name)
    warn_size(input, target)
    dtype = _dtype.promote_types(input.dtype, target.dtype)
    if kernel == "huber_cpu":              # torch's huber_loss computes in the input's dtype
        if input._array.dtype.kind not in "fV" and dtype.is_floating_point:
            raise RuntimeError("result type {} can't be cast to the desired output type {}"
                               .format(dtype.scalar_name, input.dtype.scalar_name))
        dtype = input.dtype
    # torch broadcasts both operands first: a 0-d target takes full part in the promotion
    # (float16 input, 0-d float64 target: float64), unlike in ``input - target``
    if dtype.is_floating_point:
        return cast(input, dtype), cast(target, dtype)
    return common_float(input, target, kernel)


def _weighted(loss, weight, input, reduction):
    """torch's weighted regression losses: each element's loss times its weight; the mean is
    then sum(weight * loss) / sum(weight)."""
    if not isinstance(weight, Tensor) or weight._array.shape != input._array.shape:
        raise _errors.weights_and_input_sizes()
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum()


@export("F")
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: ``mean((input - target) ** 2)``.

    The gradient with respect to ``input`` is ``2 (input - target) / n``: each prediction is
    pushed towards its target in proportion to how far off it is."""
    if (size_average is None and reduce is None and weight is None
            and isinstance(input, Tensor) and isinstance(target, Tensor)):
        a, b = input._array, target._array          # the common case, checked quickly
        if a.shape == b.shape and a.dtype is b.dtype and a.dtype.kind in "fV":
            op = _MSE_EXACT.get(reduction)
            if op is not None:
                return op.apply(input, target)
    input, target = _regression_operands(input, target, "mse_loss", "mse_cpu")
    reduction = get_reduction(reduction, size_average, reduce)
    if weight is not None:
        return _weighted(MseLossNone.apply(input, target), weight, input, reduction)
    return _MSE[reduction].apply(input, target)


@export("F")
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: ``mean(|input - target|)``; its gradient is ``sign(input - target)
    / n``, the same push whatever the size of the error."""
    input, target = _regression_operands(input, target, "l1_loss", "abs_cpu")
    reduction = get_reduction(reduction, size_average, reduce)
    if weight is not None:
        return _weighted(_L1["none"].apply(input, target, "none"), weight, input, reduction)
    return _L1[reduction].apply(input, target, reduction)


@export("F")
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Squared error for errors below ``beta``, absolute error above (see :class:`SmoothL1Loss`)."""
    input, target = _regression_operands(input, target, "smooth_l1_loss", "smooth_l1_cpu")
    reduction = get_reduction(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return _L1[reduction].apply(input, target, reduction)
    return SmoothL1Loss.apply(input, target, reduction, float(beta))


@export("F")
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Squared error for errors below ``delta``, ``delta`` times the absolute error above."""
    input, target = _regression_operands(input, target, "huber_loss", "huber_cpu")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        if weight._array.shape != input._array.shape:
            raise _errors.weights_and_input_sizes()
        if reduction not in ("none", "mean", "sum"):
            raise ValueError("Invalid reduction mode: {}. Expected one of 'none', 'mean', "
                             "'sum'.".format(reduction))
        weighted = HuberLoss.apply(input, target, "none", float(delta)) * weight
        return weighted if reduction == "none" else (
            weighted.sum() if reduction == "sum" else weighted.mean())
    reduction = get_reduction(reduction)
    return HuberLoss.apply(input, target, reduction, float(delta))
