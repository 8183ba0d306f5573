"""``ember.distributions`` (``torch.distributions``): probability distributions to sample from,
score (``log_prob``), and differentiate through (``rsample``), with ``kl_divergence``.

Each distribution is one file.  Sampling draws from ember's random generator exactly as torch's
distributions draw from torch's, so seeded programs sample the same values.  This first part
holds the distributions most courses meet; the rest of torch's list is still to come.
"""
from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exponential import Exponential
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Exponential", "Independent", "Laplace",
           "Normal", "Uniform", "constraints", "kl_divergence", "register_kl"]
