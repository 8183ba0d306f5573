"""``kl_divergence`` between every pair of these families that torch can compute (same or
different families, finite or infinite), against torch; and NotImplementedError where torch
has none."""
import itertools

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _families(lib):
    D, T = lib.distributions, lib.tensor
    return {
        "Normal": D.Normal(T([0.3, -1.0]), T([1.0, 2.0])),
        "Laplace": D.Laplace(T([0.3, -1.0]), T([1.0, 2.0])),
        "Gumbel": D.Gumbel(T([0.3, -1.0]), T([1.0, 2.0])),
        "Exponential": D.Exponential(T([0.5, 2.0])),
        "Gamma": D.Gamma(T([0.5, 3.0]), T([1.0, 2.0])),
        "Beta": D.Beta(T([0.5, 3.0]), T([1.5, 2.0])),
        "Uniform": D.Uniform(T([0.1, 0.2]), T([0.8, 0.9])),
        "UniformWide": D.Uniform(T([-1.0, 0.2]), T([2.0, 3.0])),
        "Pareto": D.Pareto(T([1.0, 2.0]), T([3.0, 2.5])),
        "ContinuousBernoulli": D.ContinuousBernoulli(T([0.3, 0.8])),
        "Poisson": D.Poisson(T([0.5, 2.0])),
        "Bernoulli": D.Bernoulli(T([0.3, 0.8])),
        "Binomial": D.Binomial(3, T([0.3, 0.8])),
    }


NAMES = sorted(_families(ember))


@pytest.mark.parametrize("p,q", list(itertools.product(NAMES, NAMES)))
def test_kl_pair_matches_torch(p, q):
    fe, ft = _families(ember), _families(torch)
    try:
        expected = torch.distributions.kl_divergence(ft[p], ft[q])
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            ember.distributions.kl_divergence(fe[p], fe[q])
        return
    result = ember.distributions.kl_divergence(fe[p], fe[q])
    np.testing.assert_allclose(result.detach().numpy(), expected.detach().numpy(),
                               rtol=1e-4, atol=1e-5)
