"""``CTCLoss``: the Connectionist Temporal Classification loss as a module (the formula and its
gradient are in ``nn/functional/ctc.py``)."""
from .. import functional as F
from .loss import _Loss

__all__ = ["CTCLoss"]


class CTCLoss(_Loss):
    r"""The CTC loss: minus the log of the total probability of every alignment of the target
    with the input frames.

    Shape: log_probs (T, N, C) or (T, C) (from ``log_softmax``), targets (N, S) or the targets
    concatenated, input_lengths and target_lengths (N,); output a scalar (or (N,) with 'none').
    """

    __constants__ = ["blank", "reduction"]

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)
