"""``ember.distributions`` (``torch.distributions``): probability distributions to sample from,
score (``log_prob``), and differentiate through (``rsample``), with ``kl_divergence``,
transforms (``transforms``, ``TransformedDistribution``) and ``biject_to``/``transform_to``.

Each distribution is one file.  Sampling draws from ember's random generator exactly as torch's
distributions draw from torch's (the same primitives in the same order, and torch's own
rejection samplers for Gamma, Beta, Dirichlet, Poisson and Binomial), so seeded programs sample
the same values.
"""
from . import chi2, constraints, transforms  # noqa: F401  (chi2: torch.distributions.chi2)
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .fishersnedecor import FisherSnedecor
from .gamma import Chi2, Gamma
from .generalized_pareto import GeneralizedPareto
from .geometric import Geometric
from .gumbel import Gumbel
from .half_cauchy import HalfCauchy
from .half_normal import HalfNormal
from .independent import Independent
from .inverse_gamma import InverseGamma
from .kl import kl_divergence, register_kl
from .kumaraswamy import Kumaraswamy
from .laplace import Laplace
from .lkj_cholesky import LKJCholesky
from .log_normal import LogNormal
from .logistic_normal import LogisticNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .pareto import Pareto
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .studentT import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import *  # noqa: F401,F403
from .uniform import Uniform
from .von_mises import VonMises
from .weibull import Weibull
from .wishart import Wishart
from . import kl_cross, kl_more  # noqa: F401  (register the KL pairs of those above)

__all__ = ["Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2", "Dirichlet",
           "Distribution", "Exponential", "ExponentialFamily",
           "Gamma", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent",
           "Laplace", "LogNormal", "LowRankMultivariateNormal",
           "MixtureSameFamily", "Multinomial", "MultivariateNormal", "Normal",
           "OneHotCategorical", "OneHotCategoricalStraightThrough", "Poisson",
           "RelaxedBernoulli", "RelaxedOneHotCategorical", "StudentT",
           "TransformedDistribution", "Uniform", "biject_to", "constraints", "kl_divergence",
           "register_kl", "transform_to", "transforms", "FisherSnedecor", "InverseGamma",
           "Kumaraswamy", "LogisticNormal", "NegativeBinomial", "Pareto",
           "Weibull", "GeneralizedPareto", "VonMises", "ContinuousBernoulli",
           "LKJCholesky", "Wishart"] + transforms.__all__
