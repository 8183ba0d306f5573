"""Multivariate distributions of ``ember.distributions`` against torch: MultivariateNormal
(three parameterisations), LowRankMultivariateNormal and MixtureSameFamily."""
import pytest

import ember
from distribution_checks import check_against_torch
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

COV = [[2.0, 0.3], [0.3, 1.0]]
CASES = {
    "mvn_covariance": (lambda lib: lib.distributions.MultivariateNormal(
        lib.tensor([0.5, -1.0]), lib.tensor(COV)), [0.1, 0.2]),
    "mvn_precision": (lambda lib: lib.distributions.MultivariateNormal(
        lib.tensor([[0.5, -1.0], [0.0, 0.0]]), precision_matrix=lib.tensor(COV)), [0.1, 0.2]),
    "mvn_scale_tril": (lambda lib: lib.distributions.MultivariateNormal(
        lib.tensor([0.5, -1.0]), scale_tril=lib.tensor([[2.0, 0.0], [0.3, 1.0]])),
        [0.1, 0.2]),
    "lowrank": (lambda lib: lib.distributions.LowRankMultivariateNormal(
        lib.tensor([0.5, -1.0, 0.0]), lib.tensor([[1.0], [0.5], [-0.3]]),
        lib.tensor([1.0, 2.0, 0.5])), [0.1, 0.2, 0.3]),
    "mixture": (lambda lib: lib.distributions.MixtureSameFamily(
        lib.distributions.Categorical(lib.tensor([0.3, 0.7])),
        lib.distributions.Normal(lib.tensor([0.0, 2.0]), lib.tensor([1.0, 0.5]))), [0.5]),
    "mixture_mvn": (lambda lib: lib.distributions.MixtureSameFamily(
        lib.distributions.Categorical(lib.tensor([0.3, 0.7])),
        lib.distributions.Independent(lib.distributions.Normal(
            lib.tensor([[0.0, 1.0], [2.0, -1.0]]), lib.tensor([[1.0, 0.5], [0.5, 2.0]])), 1)),
        [0.5, 0.1]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    # matrix products round differently from torch's now and then: samples agree to float32
    check_against_torch(*CASES[name], torch, exact_samples=False)


@pytest.mark.parametrize("name", ["mvn_covariance", "mvn_precision", "lowrank"])
def test_derived_matrices_match_torch(name):
    e, t = CASES[name][0](ember), CASES[name][0](torch)
    for attr in ("covariance_matrix", "precision_matrix", "scale_tril"):
        assert_close(getattr(e, attr), getattr(t, attr), rtol=1e-5, atol=1e-5)


def test_rsample_gradients_match_torch():
    grads = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        loc = lib.tensor([0.5, -1.0], requires_grad=True)
        tril = lib.tensor([[2.0, 0.0], [0.3, 1.0]], requires_grad=True)
        x = lib.distributions.MultivariateNormal(loc, scale_tril=tril).rsample((4,))
        lp = lib.distributions.MultivariateNormal(loc, scale_tril=tril).log_prob(x.detach())
        grads.append(lib.autograd.grad(x.pow(2).sum() + lp.sum(), [loc, tril]))
    for ge, gt in zip(*grads):
        assert_close(ge, gt, rtol=1e-4, atol=1e-5)


def test_errors_are_torchs():
    D = "distributions"
    same_error(lambda lib: getattr(lib, D).MultivariateNormal(lib.tensor(0.0), lib.eye(2)))
    same_error(lambda lib: getattr(lib, D).MultivariateNormal(lib.zeros(2)))
    same_error(lambda lib: getattr(lib, D).MultivariateNormal(lib.zeros(2), lib.ones(2)))
    same_error(lambda lib: getattr(lib, D).MultivariateNormal(
        lib.zeros(2), lib.tensor([[1.0, 2.0], [2.0, 1.0]])))
    same_error(lambda lib: getattr(lib, D).LowRankMultivariateNormal(
        lib.zeros(2), lib.ones(3, 1), lib.ones(2)))
    same_error(lambda lib: getattr(lib, D).MixtureSameFamily(
        getattr(lib, D).Categorical(lib.tensor([0.3, 0.7])),
        getattr(lib, D).Normal(lib.zeros(3), lib.ones(3))))
