"""Loss modules: ``loss_fn = nn.MSELoss(); loss = loss_fn(prediction, target)``.

Each module stores its settings (``reduction`` and the loss's own options) and calls the
function of the same name in ``ember.nn.functional``, where the formula and its gradient are
(``ember/_ops/loss.py``).  As in torch, losses with per-class weights keep them as a buffer
named ``weight`` (so ``.to()`` and ``state_dict()`` see them).
"""
from ... import _errors
from ..functional import loss as _L
from .. import functional as F
from .distance import PairwiseDistance
from .module import Module

__all__ = ["L1Loss", "NLLLoss", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "MSELoss",
           "BCELoss", "BCEWithLogitsLoss", "HingeEmbeddingLoss", "MultiLabelMarginLoss",
           "SmoothL1Loss", "HuberLoss", "SoftMarginLoss", "CrossEntropyLoss",
           "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
           "MultiMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss"]


class _Loss(Module):
    """Base class of the losses: holds ``reduction`` ('none' | 'mean' | 'sum').  The legacy
    ``size_average``/``reduce`` flags, when given, decide it instead (with a warning)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = _L.legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with optional per-class weights, registered as the buffer ``weight``."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    r"""Mean absolute error: :math:`\ell = \text{mean}(|x - y|)`.

    Its gradient, sign(x - y) / n, pushes every prediction by the same amount whatever its error.

    Shape: input (*), target (*) the same shape; output a scalar (or (*) with 'none').
    """

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    r"""Mean squared error: :math:`\ell = \text{mean}((x - y)^2)`.

    Its gradient with respect to x is 2 (x - y) / n: large errors are corrected fastest.
    Mind the shapes: predictions (N, 1) against targets (N,) broadcast to (N, N) -- torch warns,
    and so does ember.

    Example::

        >>> loss_fn = nn.MSELoss()
        >>> loss = loss_fn(model(x), y)
        >>> loss.backward()
    """

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross entropy of raw scores (logits) against class indices (or class probabilities):

    .. math:: \ell_n = -\log \frac{e^{x_{n, y_n}}}{\sum_c e^{x_{n, c}}}

    the same as ``LogSoftmax`` followed by ``NLLLoss``.  The gradient with respect to the
    logits is softmax(x) - onehot(y) (over N for the mean).

    Args:
        weight (Tensor, optional): a weight per class (C,).
        ignore_index (int): target value that contributes nothing (default: -100).
        reduction (str): 'none' | 'mean' | 'sum' (default: 'mean').
        label_smoothing (float): mixes the target with the uniform distribution (default: 0).

    Shape: input (N, C) or (C,) or (N, C, d1, ...); target (N,) or () or (N, d1, ...) class
    indices (int64), or the input's shape with probabilities.
    """

    __constants__ = ["ignore_index", "reduction", "label_smoothing"]

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    r"""Negative log likelihood of log-probabilities: :math:`\ell_n = -w_{y_n} x_{n, y_n}`.

    Use it after ``LogSoftmax`` (the pair is :class:`CrossEntropyLoss`).  The mean divides by
    the sum of the weights of the counted samples.
    """

    __constants__ = ["ignore_index", "reduction"]

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    r"""Binary cross entropy of probabilities:
    :math:`\ell = -w [y \log x + (1 - y) \log(1 - x)]` (logs clamped at -100).

    The gradient is w (x - y) / (x (1 - x)).  Prefer :class:`BCEWithLogitsLoss` on raw scores.
    """

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    r"""Sigmoid and binary cross entropy in one numerically stable step:
    :math:`\ell = -w [p\,y \log \sigma(x) + (1 - y) \log(1 - \sigma(x))]`.

    The gradient with respect to the logit is w (sigmoid(x) - y) (without pos_weight).

    Args:
        weight (Tensor, optional): a weight broadcast over the batch.
        pos_weight (Tensor, optional): a weight for the positive examples of each class.
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class KLDivLoss(_Loss):
    r"""Kullback-Leibler divergence :math:`\ell = y (\log y - x)` for log-probabilities x (with
    ``log_target``, y is given as log-probabilities too).  Use ``reduction='batchmean'`` for
    the true KL divergence of a batch; 'mean' warns, as in torch."""

    __constants__ = ["reduction"]

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class HuberLoss(_Loss):
    r"""Squared error for small errors and absolute error for large ones:
    :math:`\ell = 0.5 d^2` if :math:`|d| < \delta`, else :math:`\delta (|d| - 0.5 \delta)`.

    Robust to outliers: their gradient is capped at delta."""

    __constants__ = ["reduction", "delta"]

    def __init__(self, reduction="mean", delta=1.0):
        if not isinstance(delta, (float, int)):
            raise TypeError("delta must be a float or int, got: {}".format(type(delta)))
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    r"""Huber loss divided by beta: :math:`0.5 d^2 / \beta` if :math:`|d| < \beta`, else
    :math:`|d| - 0.5 \beta`; its gradient is capped at 1."""

    __constants__ = ["reduction"]

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class SoftMarginLoss(_Loss):
    r"""Two-class logistic loss for targets +-1: :math:`\ell = \log(1 + e^{-y x})`."""

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    r"""Multi-label logistic loss: a binary cross entropy on logits per class, averaged over the
    C classes.  Targets are 0 or 1 per class, shape (N, C)."""

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight,
                                             reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    r"""Multi-label hinge loss: every target class should score at least 1 above every
    non-target class.  The target row lists the target classes, ending at the first -1."""

    __constants__ = ["reduction"]

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    r"""Multi-class hinge loss:
    :math:`\ell_n = \sum_{i \ne y} \max(0, \text{margin} - x_y + x_i)^p / C`."""

    __constants__ = ["p", "margin", "reduction"]

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise _errors.only_p_1_or_2()
        if weight is not None and weight.dim() != 1:
            raise ValueError("MultiMarginLoss: expected weight to be None or 1D tensor, got {}D "
                             "instead".format(weight.dim()))
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    r"""For pairs (x1, x2): :math:`1 - \cos(x_1, x_2)` when y = 1 and
    :math:`\max(0, \cos(x_1, x_2) - \text{margin})` when y = -1."""

    __constants__ = ["margin", "reduction"]

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin,
                                       reduction=self.reduction)


class MarginRankingLoss(_Loss):
    r"""Ranking loss :math:`\max(0, -y (x_1 - x_2) + \text{margin})`: with y = 1, x1 should
    exceed x2 by the margin."""

    __constants__ = ["margin", "reduction"]

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin,
                                     reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    r"""For a distance x: x itself when y = 1, :math:`\max(0, \text{margin} - x)` when y = -1."""

    __constants__ = ["margin", "reduction"]

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin,
                                      reduction=self.reduction)


class TripletMarginLoss(_Loss):
    r"""Triplet loss :math:`\max(0, d(a, p) - d(a, n) + \text{margin})` with p-norm distances:
    an anchor should be nearer its positive than its negative."""

    __constants__ = ["margin", "p", "eps", "swap", "reduction"]

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError("TripletMarginLoss: expected margin to be greater than 0, got {} "
                             "instead".format(margin))
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                     eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    r"""Triplet loss with any ``distance_function`` (default: :class:`PairwiseDistance`)."""

    __constants__ = ["margin", "swap", "reduction"]

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__(size_average=None, reduce=None, reduction=reduction)
        if margin <= 0:
            raise ValueError("TripletMarginWithDistanceLoss: expected margin to be greater than "
                             "0, got {} instead".format(margin))
        self.distance_function = distance_function if distance_function is not None \
            else PairwiseDistance()
        self.margin = margin
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    r"""Poisson negative log likelihood: :math:`e^x - y x` for log-rates x (``log_input``), or
    :math:`x - y \log(x + \epsilon)` for rates."""

    __constants__ = ["log_input", "full", "eps", "reduction"]

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    r"""Gaussian negative log likelihood with predicted variances:
    :math:`0.5 (\log v + (x - y)^2 / v)` (v clamped at eps)."""

    __constants__ = ["full", "eps", "reduction"]

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)
