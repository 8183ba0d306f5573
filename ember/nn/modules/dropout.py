"""Dropout layers: while training, zero random elements (or channels) of their input and scale
the rest up by 1 / (1 - p); in ``eval()`` mode they pass the input through unchanged."""
from ... import _errors
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    """The probability ``p`` of dropping, and whether to work ``inplace``."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise _errors.dropout_probability(p)
        self.p = p
        self.inplace = inplace

    def extra_repr(self):
        return "p={}, inplace={}".format(self.p, self.inplace)


class Dropout(_DropoutNd):
    r"""During training, zeroes each element with probability ``p`` and multiplies the others
    by :math:`\frac{1}{1-p}`, so that the expected value of each element is unchanged; the
    identity in ``eval()`` mode.  A regulariser: no unit can rely on any particular other one.

    Example::

        >>> drop = nn.Dropout(p=0.2)
        >>> drop(torch.ones(2, 5))      # about one element in five is 0, the rest 1.25
    """

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zeroes whole channels of a (N, C, L) or (C, L) input while training."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels (feature maps) of a (N, C, H, W) or (C, H, W) input while
    training: neighbouring pixels are correlated, so dropping single ones would hardly
    regularise."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels of a (N, C, D, H, W) or (C, D, H, W) input while training."""

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for self-normalising networks (with SELU): dropped elements take SELU's
    negative saturation value and an affine map keeps the mean and the variance."""

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels."""

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)
