"""Transforms (``torch.distributions.transforms``): functions y = f(x), mostly invertible,
with the log of |det df/dx|, from which ``TransformedDistribution`` builds new distributions.

If x has density p(x) and y = f(x) is invertible, y has density p(f^-1(y)) / |det df/dx|, so
log p(y) = log p(x) - log |det df/dx|: ``TransformedDistribution.log_prob`` runs the
transforms backwards and subtracts each ``log_abs_det_jacobian``.  The classes live in
``transform_base.py`` (base, inverse, composition), ``transforms_elementwise.py`` and
``transforms_vector.py`` and ``transforms_pieces.py``.
"""
from .transform_base import (ComposeTransform, IndependentTransform, ReshapeTransform,
                             Transform, _InverseTransform, identity_transform)
from .transforms_elementwise import (AbsTransform, AffineTransform, ExpTransform,
                                     PowerTransform, SigmoidTransform, SoftplusTransform,
                                     TanhTransform)
from .transforms_pieces import CatTransform, StackTransform
from .transforms_vector import (CorrCholeskyTransform, CumulativeDistributionTransform,
                                LowerCholeskyTransform,
                                PositiveDefiniteTransform, SoftmaxTransform,
                                StickBreakingTransform)

__all__ = ["AbsTransform", "AffineTransform", "CatTransform", "ComposeTransform",
           "CorrCholeskyTransform",
           "CumulativeDistributionTransform", "ExpTransform", "IndependentTransform",
           "LowerCholeskyTransform", "PositiveDefiniteTransform", "PowerTransform",
           "ReshapeTransform", "SigmoidTransform", "SoftmaxTransform", "SoftplusTransform",
           "StackTransform", "StickBreakingTransform", "TanhTransform", "Transform",
           "identity_transform"]
_ = _InverseTransform        # (kept importable from here, as in torch)
