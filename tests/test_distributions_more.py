"""More distributions of ``ember.distributions`` against torch: Pareto, Weibull,
InverseGamma, NegativeBinomial, FisherSnedecor, LogisticNormal, Kumaraswamy, VonMises,
GeneralizedPareto, ContinuousBernoulli, LKJCholesky,
Wishart."""
import pytest

from distribution_checks import check_against_torch
from parity import same_error

torch = pytest.importorskip("torch")

# (recipe, a point of the support, whether seeded samples are equal bit for bit: those
# through exp/log/pow agree to float32 rounding, ember's elementwise functions being NumPy's)
CASES = {
    "pareto": (lambda lib: lib.distributions.Pareto(lib.tensor([1.0, 2.0]),
                                                    lib.tensor([3.0, 1.5])), [1.5, 4.0], False),
    "weibull": (lambda lib: lib.distributions.Weibull(lib.tensor([1.0, 2.0]),
                                                      lib.tensor([3.0, 1.5])), [1.5, 4.0], False),
    "inverse_gamma": (lambda lib: lib.distributions.InverseGamma(
        lib.tensor([3.0, 1.5]), lib.tensor([1.0, 2.0])), [1.5, 4.0], True),
    "negative_binomial": (lambda lib: lib.distributions.NegativeBinomial(
        lib.tensor([3.0, 10.0]), lib.tensor([0.3, 0.6])), [2.0, 7.0], True),
    "negative_binomial_logits": (lambda lib: lib.distributions.NegativeBinomial(
        5.0, logits=lib.tensor([0.3, -0.6])), [2.0, 0.0], True),
    "fisher_snedecor": (lambda lib: lib.distributions.FisherSnedecor(
        lib.tensor([3.0, 10.0]), lib.tensor([5.0, 2.0])), [1.0, 0.7], True),
    "logistic_normal": (lambda lib: lib.distributions.LogisticNormal(
        lib.tensor([0.0, 1.0]), lib.tensor([1.0, 0.5])), [0.2, 0.3, 0.5], False),
    "kumaraswamy": (lambda lib: lib.distributions.Kumaraswamy(
        lib.tensor([2.0, 0.5]), lib.tensor([3.0, 1.5])), [0.3, 0.6], False),
    "von_mises": (lambda lib: lib.distributions.VonMises(
        lib.tensor([0.0, 1.0, -2.0]), lib.tensor([0.5, 4.0, 1e-6])), [0.3, 1.2, 2.0], True),
    "generalized_pareto": (lambda lib: lib.distributions.GeneralizedPareto(
        lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0]), lib.tensor([0.5, 0.0])), [1.5, 4.0],
        False),
    "continuous_bernoulli": (lambda lib: lib.distributions.ContinuousBernoulli(
        lib.tensor([0.2, 0.5, 0.9])), [0.3, 0.6, 0.99], False),
    "continuous_bernoulli_logits": (lambda lib: lib.distributions.ContinuousBernoulli(
        logits=lib.tensor([1.5, -3.0])), [0.3, 0.6], False),
    "lkj_cholesky": (lambda lib: lib.distributions.LKJCholesky(3, lib.tensor([0.5, 2.0])),
                     [[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.6, 0.8]], False),
    "wishart": (lambda lib: lib.distributions.Wishart(
        lib.tensor([4.0, 6.0]), lib.tensor([[2.0, 0.3], [0.3, 1.0]])),
        [[3.0, 0.5], [0.5, 2.0]], False),
    "wishart_precision": (lambda lib: lib.distributions.Wishart(
        5.0, precision_matrix=lib.tensor([[2.0, 0.3], [0.3, 1.0]])),
        [[3.0, 0.5], [0.5, 2.0]], False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    make, value, exact = CASES[name]
    check_against_torch(make, value, torch, rtol=1e-5, atol=1e-5, exact_samples=exact)


def test_errors_are_torchs():
    same_error(lambda lib: lib.distributions.Pareto(1.0, 2.0).log_prob(lib.tensor(0.5)))
    same_error(lambda lib: lib.distributions.Weibull(lib.tensor([-1.0]), lib.tensor([1.0])))
    same_error(lambda lib: lib.distributions.NegativeBinomial(lib.tensor([3.0]),
                                                              lib.tensor([1.0])))
    same_error(lambda lib: lib.distributions.FisherSnedecor(0.0, 1.0))
