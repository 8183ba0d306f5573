"""``ctc_loss``: Connectionist Temporal Classification, the loss of unsegmented sequences.

A target ``l`` of length S is read by a network emitting T >= S frames of class scores.  CTC sums
the probability of every frame-by-frame path that collapses to ``l`` (merge repeats, then drop
blanks).  The paths are walked on the extended label ``l' = (blank, l1, blank, l2, ..., blank)``
of length 2S+1 with the forward variables (in log space, so nothing underflows)

    alpha_t(s) = log_probs[t, l'_s] + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1),
                                                alpha_{t-1}(s-2) if l'_s != blank, l'_{s-2})

and the loss is ``-logsumexp(alpha_{T-1}(2S), alpha_{T-1}(2S-1))``.  The backward variables
``beta`` walk the same lattice from the end.  As torch does, the gradient assumes log_probs came
from ``log_softmax``: d loss/d log_probs[t, c] = exp(log_probs[t, c])
- exp(logsumexp_{s: l'_s = c}(alpha_t(s) + beta_t(s)) + loss - log_probs[t, c]).
"""
import numpy as np

from ... import _errors
from ..._ops.core.registry import export
from ..._ops.creation.filling import zeros
from ..._ops.creation.from_data import tensor
from ..._ops.elementwise.clamping import where
from ...autograd.op import Op
from ..._tensor import Tensor
from ..._dtype import bool_


def _shift(a, k):
    """``a`` moved k places right along the last axis, -inf coming in."""
    out = np.full_like(a, -np.inf)
    out[..., k:] = a[..., :a.shape[-1] - k]
    return out


def _unshift(a, k):
    """``a`` moved k places left along the last axis, -inf coming in."""
    out = np.full_like(a, -np.inf)
    out[..., :a.shape[-1] - k] = a[..., k:]
    return out


def _extended(targets, target_lengths, blank):
    """The extended labels (N, 2 S_max + 1) padded with blanks; where s-2 may be skipped; and
    the mask of positions within each sample's 2 S + 1."""
    n, longest = len(targets), max([len(t) for t in targets] + [0])
    ext = np.full((n, 2 * longest + 1), blank, np.int64)
    for i, t in enumerate(targets):
        ext[i, 1:2 * len(t):2] = t
    skip = (ext != blank) & (ext != _shift(ext.astype(np.float64), 2))
    inside = np.arange(ext.shape[1]) < (2 * np.asarray(target_lengths) + 1)[:, None]
    return ext, skip, inside


def _alphas(lp, ext, skip, inside, input_lengths):
    """The forward variables (T, N, 2 S_max + 1) in log space (-inf after a sample's end)."""
    steps, n = lp.shape[:2]
    emit = np.take_along_axis(lp, np.broadcast_to(ext, (steps,) + ext.shape), axis=2)
    alpha = np.full(emit.shape, -np.inf, lp.dtype)
    alpha[0, :, :2] = emit[0, :, :2]
    alpha[0] = np.where(inside & (np.asarray(input_lengths) > 0)[:, None], alpha[0], -np.inf)
    for t in range(1, steps):
        prev = alpha[t - 1]
        paths = np.logaddexp(prev, _shift(prev, 1))
        paths = np.where(skip, np.logaddexp(paths, _shift(prev, 2)), paths)
        alpha[t] = np.where(inside & (t < np.asarray(input_lengths))[:, None],
                            paths + emit[t], -np.inf)
    return alpha, emit


def _betas(emit, skip, inside, input_lengths, target_lengths):
    """The backward variables, the mirror image of ``_alphas``."""
    steps, n, width = emit.shape
    beta = np.full(emit.shape, -np.inf, emit.dtype)
    rows = np.arange(n)
    last = 2 * np.asarray(target_lengths)
    skip_ahead = _unshift(skip.astype(np.float64), 2) > 0
    for t in range(steps - 1, -1, -1):
        ending = t == np.asarray(input_lengths) - 1
        if t + 1 < steps:
            nxt = beta[t + 1]
            paths = np.logaddexp(nxt, _unshift(nxt, 1))
            paths = np.where(skip_ahead, np.logaddexp(paths, _unshift(nxt, 2)), paths)
            beta[t] = np.where(inside, paths + emit[t], -np.inf)
        for s in (last, last - 1):
            ok = ending & (s >= 0)
            beta[t, rows[ok], s[ok]] = emit[t, rows[ok], s[ok]]
    return beta


class CtcLoss(Op):
    """out[n] = -log(sum of the probabilities of the paths of sample n).
    Gradient: exp(log_probs) minus the share of the paths through each (t, class) (see above)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, lp, targets, input_lengths, target_lengths, blank, zero_infinity):
        ext, skip, inside = _extended(targets, target_lengths, blank)
        alpha, emit = _alphas(lp, ext, skip, inside, input_lengths)
        n = lp.shape[1]
        rows = np.arange(n)
        end = np.maximum(np.asarray(input_lengths) - 1, 0)
        last = 2 * np.asarray(target_lengths)
        final = alpha[end, rows, last]
        final = np.where(last > 0, np.logaddexp(final, alpha[end, rows, np.maximum(last - 1, 0)]),
                         final)
        final = np.where(np.asarray(input_lengths) > 0, final, np.where(last == 0, 0.0, -np.inf))
        nll = -final.astype(lp.dtype)
        if ctx.needs_input_grad[0]:
            ctx.saved = (lp, ext, skip, inside, alpha, emit, nll, input_lengths, target_lengths,
                         zero_infinity)
        return nll

    @staticmethod
    def backward(ctx, grad):
        lp, ext, skip, inside, alpha, emit, nll, input_lengths, target_lengths, zero_inf = \
            ctx.saved
        beta = _betas(emit, skip, inside, input_lengths, target_lengths)
        both = alpha + beta
        top = np.max(both, axis=2, keepdims=True)
        top = np.where(np.isfinite(top), top, 0)
        onehot = (ext[:, :, None] == np.arange(lp.shape[2])).astype(lp.dtype)   # (N, S', C)
        with np.errstate(divide="ignore"):
            lcab = np.log(np.einsum("tns,nsc->tnc", np.exp(both - top), onehot)) + top
        with np.errstate(invalid="ignore"):
            unit = np.exp(lp) - np.exp(lcab + nll[None, :, None] - lp)
        active = np.arange(lp.shape[0])[:, None] < np.asarray(input_lengths)[None, :]
        if zero_inf:
            active = active & (nll != np.inf)[None, :]
        unit = np.where(active[:, :, None], unit, 0).astype(lp.dtype)
        return (grad.reshape((1, lp.shape[1], 1)) * unit,) + (None,) * 5


def _lengths(value, name):
    """A list of ints from a tensor or a sequence of lengths."""
    if isinstance(value, Tensor):
        if value.dtype.is_floating_point or value.dtype.is_complex or value.dtype == bool_:
            raise RuntimeError("{} must be integral".format(name))
        return [int(v) for v in value.reshape(-1).tolist()]
    return [int(v) for v in value]


_WHILE = " (while checking arguments for ctc_loss_allocate_outputs)"


def _check_lengths(lengths, name, low, high=None):
    for v in lengths:
        if v < low:
            raise RuntimeError("Expected {} to have value at least {}, but got value {}".format(
                name, low, v) + _WHILE)
        if high is not None and v > high:
            raise RuntimeError("Expected {} to have value at most {}, but got value {}".format(
                name, high, v) + _WHILE)


def _split_targets(targets, target_lengths, batch):
    """Each sample's target as an int array, from a padded (N, S) or a concatenated (sum S,)."""
    array = targets.detach().numpy().astype(np.int64)
    _check_lengths(target_lengths, "target_lengths", 0)
    if array.ndim == 2:
        longest = max(target_lengths + [0])
        if array.shape[0] != batch:
            raise RuntimeError("Expected tensor to have size {} at dimension 0, but got size {} "
                               "for argument #2 'targets'".format(batch, array.shape[0]) + _WHILE)
        if array.shape[1] < longest:
            raise RuntimeError("Expected tensor to have size at least {} at dimension 1, but got "
                               "size {} for argument #2 'targets'".format(longest, array.shape[1])
                               + _WHILE)
        return [array[i, :s] for i, s in enumerate(target_lengths)]
    if array.shape[0] != sum(target_lengths):
        raise RuntimeError("Expected tensor to have size {} at dimension 0, but got size {} for "
                           "argument #2 'targets'".format(sum(target_lengths), array.shape[0])
                           + _WHILE)
    ends = np.cumsum(target_lengths)
    return [array[e - s:e] for s, e in zip(target_lengths, ends)]


@export("F")
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """The CTC loss of log-probabilities (T, N, C) (or (T, C)) against targets (N, S) padded
    (or all targets concatenated), given each sample's input and target length."""
    if reduction not in ("none", "mean", "sum"):
        raise _errors.invalid_reduction(reduction)
    input_lengths = _lengths(input_lengths, "input_lengths")
    target_lengths = _lengths(target_lengths, "target_lengths")
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    targets = targets if batched else targets.unsqueeze(0)
    if not log_probs.dtype.is_floating_point:
        raise _errors.not_implemented("ctc_loss_cpu", log_probs.dtype.scalar_name)
    if lp.dim() != 3:
        raise RuntimeError("Expected 3-dimensional tensor, but got {}-dimensional tensor for "
                           "argument #1 'log_probs'".format(lp.dim()) + _WHILE)
    if not 1 <= targets.dim() <= 2:
        raise RuntimeError("Expected 1 to 2 dimensions, but got {}-dimensional tensor for "
                           "argument #2 'targets'".format(targets.dim()) + _WHILE)
    steps, n, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    if len(input_lengths) != n:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(target_lengths) != n:
        raise RuntimeError("target_lengths must be of size batch_size")
    parts = _split_targets(targets, target_lengths, n)
    _check_lengths(input_lengths, "input_lengths", 0, steps)
    res = CtcLoss.apply(lp, parts, input_lengths, target_lengths, blank, bool(zero_infinity))
    if not batched:
        res = res.squeeze(0)
    if zero_infinity:
        res = where(res == float("inf"), zeros((), dtype=res.dtype), res)
    if reduction == "mean":
        lengths = tensor(target_lengths if batched else target_lengths[0]).clamp_min(1)
        return (res / lengths.to(res.dtype)).mean()
    if reduction == "sum":
        return res.sum()
    return res
