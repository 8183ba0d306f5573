"""``kl_divergence`` for the pairs registered in ``kl_more.py``, against torch."""
import pytest

import ember
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

PAIRS = {
    "beta": lambda D, T: (D.Beta(T([0.5, 2.0]), T([1.5, 3.0])), D.Beta(T([1.5, 1.0]),
                                                                       T([0.5, 2.0]))),
    "binomial": lambda D, T: (D.Binomial(10, T([0.2, 0.7])), D.Binomial(10, T([0.4, 0.5]))),
    "binomial_inf": lambda D, T: (D.Binomial(T([12.0, 10.0]), T([0.2, 0.7])),
                                  D.Binomial(10, T([0.4, 0.5]))),
    "dirichlet": lambda D, T: (D.Dirichlet(T([0.5, 2.0, 3.0])), D.Dirichlet(T([1.0, 1.0, 2.0]))),
    "gamma": lambda D, T: (D.Gamma(T([0.5, 2.0]), T([1.0, 3.0])), D.Gamma(T([1.5, 1.0]),
                                                                          T([0.5, 2.0]))),
    "chi2": lambda D, T: (D.Chi2(T([3.0])), D.Chi2(T([2.0]))),
    "gumbel": lambda D, T: (D.Gumbel(T([0.0, 1.0]), T([1.0, 2.0])),
                            D.Gumbel(T([0.5, 0.0]), T([2.0, 1.0]))),
    "geometric": lambda D, T: (D.Geometric(T([0.2, 0.7])), D.Geometric(T([0.5, 0.3]))),
    "halfnormal": lambda D, T: (D.HalfNormal(T([1.0, 2.0])), D.HalfNormal(T([2.0, 0.5]))),
    "cauchy": lambda D, T: (D.Cauchy(T([0.0, 1.0]), T([1.0, 2.0])),
                            D.Cauchy(T([0.5, 0.0]), T([2.0, 1.0]))),
    "onehot": lambda D, T: (D.OneHotCategorical(T([0.2, 0.3, 0.5])),
                            D.OneHotCategorical(T([0.4, 0.4, 0.2]))),
    "poisson": lambda D, T: (D.Poisson(T([0.5, 4.0])), D.Poisson(T([1.0, 2.0]))),
    "lognormal": lambda D, T: (D.LogNormal(T([0.0, 1.0]), T([1.0, 2.0])),
                               D.LogNormal(T([0.5, 0.0]), T([2.0, 1.0]))),
    "continuous_bernoulli": lambda D, T: (D.ContinuousBernoulli(T([0.2, 0.5, 0.9])),
                                          D.ContinuousBernoulli(T([0.4, 0.7, 0.3]))),
    "mvn": lambda D, T: (D.MultivariateNormal(T([0.5, -1.0]), T([[2.0, 0.3], [0.3, 1.0]])),
                         D.MultivariateNormal(T([0.0, 1.0]), T([[1.0, -0.2], [-0.2, 0.5]]))),
    "lowrank": lambda D, T: (
        D.LowRankMultivariateNormal(T([0.5, -1.0]), T([[1.0], [0.5]]), T([1.0, 2.0])),
        D.LowRankMultivariateNormal(T([0.0, 1.0]), T([[0.3], [-0.5]]), T([0.5, 1.0]))),
    "mvn_lowrank": lambda D, T: (
        D.MultivariateNormal(T([0.5, -1.0]), T([[2.0, 0.3], [0.3, 1.0]])),
        D.LowRankMultivariateNormal(T([0.0, 1.0]), T([[0.3], [-0.5]]), T([0.5, 1.0]))),
    "lowrank_mvn": lambda D, T: (
        D.LowRankMultivariateNormal(T([0.5, -1.0]), T([[1.0], [0.5]]), T([1.0, 2.0])),
        D.MultivariateNormal(T([0.0, 1.0]), T([[1.0, -0.2], [-0.2, 0.5]]))),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_kl_matches_torch(name):
    pe, qe = PAIRS[name](ember.distributions, ember.tensor)
    pt, qt = PAIRS[name](torch.distributions, torch.tensor)
    assert_close(ember.distributions.kl_divergence(pe, qe),
                 torch.distributions.kl_divergence(pt, qt).detach(), rtol=1e-5, atol=1e-5)


def test_kl_errors_are_torchs():
    same_error(lambda lib: lib.distributions.kl_divergence(
        lib.distributions.Binomial(5, lib.tensor([0.5])),
        lib.distributions.Binomial(10, lib.tensor([0.5]))))
    same_error(lambda lib: lib.distributions.kl_divergence(
        lib.distributions.MultivariateNormal(lib.zeros(2), lib.eye(2)),
        lib.distributions.MultivariateNormal(lib.zeros(3), lib.eye(3))))
