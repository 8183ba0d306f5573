"""Distance layers: ``PairwiseDistance`` and ``CosineSimilarity`` between two inputs."""
from .. import functional as F
from .module import Module

__all__ = ["PairwiseDistance", "CosineSimilarity"]


class PairwiseDistance(Module):
    r"""The p-norm distance between corresponding vectors (the last dimension) of two inputs:
    :math:`\|x_1 - x_2 + \epsilon\|_p`.

    Args:
        p: the norm degree (stored as ``self.norm``).  Default: 2
        eps: added to the difference, so that the norm of equal vectors is differentiable.
            Default: 1e-6
        keepdim: keep the vector dimension (as size 1).  Default: ``False``
    """

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    r"""The cosine of the angle between corresponding vectors of two inputs along ``dim``:
    :math:`\frac{x_1 \cdot x_2}{\max(\|x_1\|, \epsilon) \max(\|x_2\|, \epsilon)}`.

    Args:
        dim: the dimension of the vectors.  Default: 1
        eps: the smallest norm divided by.  Default: 1e-8
    """

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
