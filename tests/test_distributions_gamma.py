"""The gamma family of ``ember.distributions`` against torch: Gamma, Chi2, Beta, Dirichlet
(their samplers are torch's rejection samplers, bit for bit), with reparameterised gradients."""
import numpy as np
import pytest

import ember
from distribution_checks import check_against_torch
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

CASES = {
    "gamma": (lambda lib: lib.distributions.Gamma(lib.tensor([0.5, 2.0, 7.0]),
                                                  lib.tensor([1.0, 0.5, 3.0])), [0.3, 1.5, 2.0]),
    "gamma_scalar": (lambda lib: lib.distributions.Gamma(0.3, 2.0), 0.7),
    "chi2": (lambda lib: lib.distributions.Chi2(lib.tensor([1.0, 3.0])), [0.5, 2.0]),
    "beta": (lambda lib: lib.distributions.Beta(lib.tensor([0.5, 2.0]), lib.tensor([1.5, 3.0])),
             [0.3, 0.6]),
    "beta_scalar": (lambda lib: lib.distributions.Beta(0.5, 2.0), 0.2),
    "dirichlet": (lambda lib: lib.distributions.Dirichlet(
        lib.tensor([[0.5, 2.0, 3.0], [1.0, 1.0, 1.0]])), [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]),
    "dirichlet_sparse": (lambda lib: lib.distributions.Dirichlet(lib.tensor([0.3, 0.2, 0.9])),
                         [0.2, 0.3, 0.5]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    check_against_torch(*CASES[name], torch)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_samplers_are_torchs_bit_for_bit(dtype):
    alpha = [0.3, 1.0, 2.5, 7.0, 0.05, 100.0, 1e-3, 0.0] * 3
    count = [[1.0, 5.0, 20.0, 100.0], [3.0, 50.0, 1000.0, 7.0]]
    prob = [[0.1, 0.5, 0.3, 0.9], [0.99, 0.02, 0.7, 0.0]]
    for seed in range(4):
        results = []
        for lib in (ember, torch):
            lib.manual_seed(seed)
            dt = getattr(lib, dtype)
            results.append([lib._standard_gamma(lib.tensor(alpha, dtype=dt)),
                            lib.binomial(lib.tensor(count, dtype=dt), lib.tensor(prob, dtype=dt)),
                            lib._sample_dirichlet(lib.tensor(count, dtype=dt)),
                            lib.rand(3)])
        for a, b in zip(*results):
            assert str(a.dtype) == str(b.dtype)
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_binomial_large_counts_are_torchs():
    results = []
    for lib in (ember, torch):
        lib.manual_seed(3)
        p = lib.rand(500, dtype=lib.float64)
        results.append(lib.binomial(lib.full((500,), 400.0, dtype=lib.float64), p))
    np.testing.assert_array_equal(results[0].numpy(), results[1].numpy())


@pytest.mark.parametrize("make", [
    lambda lib, a, b: lib.distributions.Gamma(a, b),
    lambda lib, a, b: lib.distributions.Beta(a, b),
    lambda lib, a, b: lib.distributions.Dirichlet(lib.stack([a, b], -1)),
])
def test_reparameterised_gradients_are_close_to_torchs(make):
    """torch approximates d sample / d alpha by series; ember differentiates the distribution
    function numerically (both estimate the same implicit gradient)."""
    grads = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        a = lib.tensor([0.5, 2.0, 5.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.5, 1.0, 3.0], dtype=lib.float64, requires_grad=True)
        x = make(lib, a, b).rsample((4,))
        grads.append(lib.autograd.grad((x * x).sum(), [a, b]))
    for ge, gt in zip(*grads):
        assert_close(ge, gt, rtol=2e-3, atol=1e-6)


def test_gamma_sampler_gradient_node():
    a = ember.tensor([0.5, 2.0], requires_grad=True)
    assert type(ember._standard_gamma(a).grad_fn).__name__ == "StandardGammaBackward0"
    assert type(ember._sample_dirichlet(a).grad_fn).__name__ == "SampleDirichletBackward0"


def test_errors_are_torchs():
    same_error(lambda lib: lib.distributions.Gamma(lib.tensor([0.0]), lib.tensor([1.0])))
    same_error(lambda lib: lib.distributions.Gamma(lib.tensor([1.0]), lib.tensor([1.0]))
               .log_prob(lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.Dirichlet(lib.tensor(1.0)))
    same_error(lambda lib: lib.distributions.Beta(lib.tensor([0.5]), lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.Beta(0.5, 0.5).log_prob(lib.tensor(1.5)))
    same_error(lambda lib: lib._standard_gamma(lib.tensor([1, 2])))
    same_error(lambda lib: lib.binomial(lib.tensor([1, 2]), lib.tensor([0.5, 0.5])))


def test_exponential_family_entropy_by_autograd():
    """The generic exponential-family entropy (the Bregman form) equals the closed forms."""
    e = ember.distributions.Gamma(ember.tensor([0.5, 2.0]), ember.tensor([1.0, 3.0]))
    generic = ember.distributions.ExponentialFamily.entropy(e)
    assert_close(generic, e.entropy())
