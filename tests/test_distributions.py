"""``ember.distributions`` against ``torch.distributions``: reprs, shapes, moments, log_prob,
cdf/icdf, entropy, gradients through rsample and log_prob, KL divergences, validation errors,
and (once the random streams agree) seeded samples."""
import numpy as np
import pytest

import ember
from parity import assert_close, same_error

torch = pytest.importorskip("torch")


def _both(make):
    """The same distribution built by ember and by torch."""
    return make(ember), make(torch)


CASES = {
    "normal": (lambda lib: lib.distributions.Normal(lib.tensor([0.5, -1.0]),
                                                    lib.tensor([1.5, 0.3])),
               [0.2, -0.7]),
    "normal_scalar": (lambda lib: lib.distributions.Normal(0.0, 2.0), 1.3),
    "uniform": (lambda lib: lib.distributions.Uniform(lib.tensor([0.0, -1.0]),
                                                      lib.tensor([2.0, 1.0])), [1.5, 0.25]),
    "bernoulli_probs": (lambda lib: lib.distributions.Bernoulli(probs=lib.tensor([0.3, 0.9])),
                        [1.0, 0.0]),
    "bernoulli_logits": (lambda lib: lib.distributions.Bernoulli(logits=lib.tensor([-1.0, 2.0])),
                         [0.0, 1.0]),
    "categorical": (lambda lib: lib.distributions.Categorical(
        probs=lib.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])), [2, 0]),
    "categorical_logits": (lambda lib: lib.distributions.Categorical(
        logits=lib.tensor([0.2, -1.3, 0.5])), 1),
    "exponential": (lambda lib: lib.distributions.Exponential(lib.tensor([0.5, 3.0])),
                    [0.7, 2.5]),
    "laplace": (lambda lib: lib.distributions.Laplace(lib.tensor([0.0, 1.0]),
                                                      lib.tensor([1.0, 0.5])), [0.3, -2.0]),
    "independent": (lambda lib: lib.distributions.Independent(lib.distributions.Normal(
        lib.zeros(3, 2), lib.ones(3, 2)), 1), [[0.1, 0.2], [0.3, -0.4], [1.0, 2.0]]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_distributions_match_torch(name):
    make, value = CASES[name]
    e, t = _both(make)
    assert repr(e) == repr(t)
    assert tuple(e.batch_shape) == tuple(t.batch_shape)
    assert tuple(e.event_shape) == tuple(t.event_shape)
    ve, vt = ember.tensor(value), torch.tensor(value)
    if isinstance(value, (list, float)) and np.asarray(value).dtype.kind == "f":
        ve, vt = ve.float(), vt.float()
    assert_close(e.log_prob(ve), t.log_prob(vt))
    for attr in ("mean", "variance", "stddev"):
        try:
            expected = getattr(t, attr)
        except NotImplementedError:
            continue
        assert_close(getattr(e, attr), expected)
    assert_close(e.entropy(), t.entropy())
    assert tuple(e.sample((4,)).shape) == tuple(t.sample((4,)).shape)
    if name in ("normal", "uniform", "exponential", "laplace"):
        assert_close(e.cdf(ve), t.cdf(vt))
        p = ember.tensor([0.25, 0.75])
        assert_close(e.icdf(p), t.icdf(torch.tensor([0.25, 0.75])))
    expanded_e, expanded_t = e.expand((5,) + tuple(e.batch_shape)), \
        t.expand((5,) + tuple(t.batch_shape))
    assert tuple(expanded_e.batch_shape) == tuple(expanded_t.batch_shape)
    assert_close(expanded_e.log_prob(ve), expanded_t.log_prob(vt))


def test_gradients_through_log_prob_and_rsample():
    def run(lib):
        loc = lib.tensor([0.5, -1.0], requires_grad=True)
        scale = lib.tensor([1.5, 0.3], requires_grad=True)
        d = lib.distributions.Normal(loc, scale)
        lp = d.log_prob(lib.tensor([0.2, -0.7])).sum()
        (gl, gs) = lib.autograd.grad(lp, [loc, scale])
        x = d.rsample((3,))
        assert x.requires_grad
        (g,) = lib.autograd.grad(x.sum(), [loc])
        return gl, gs, g
    for a, b in zip(run(ember), run(torch)):
        assert_close(a, b)


@pytest.mark.parametrize("pair", [
    lambda lib: (lib.distributions.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0])),
                 lib.distributions.Normal(lib.tensor([0.5, 0.0]), lib.tensor([0.5, 1.0]))),
    lambda lib: (lib.distributions.Bernoulli(probs=lib.tensor([0.3, 0.0])),
                 lib.distributions.Bernoulli(probs=lib.tensor([0.6, 0.5]))),
    lambda lib: (lib.distributions.Categorical(probs=lib.tensor([0.2, 0.8])),
                 lib.distributions.Categorical(logits=lib.tensor([0.1, 0.4]))),
    lambda lib: (lib.distributions.Uniform(0.0, 1.0), lib.distributions.Uniform(-1.0, 2.0)),
    lambda lib: (lib.distributions.Exponential(lib.tensor([2.0])),
                 lib.distributions.Exponential(lib.tensor([0.5]))),
    lambda lib: (lib.distributions.Laplace(0.0, 1.0), lib.distributions.Laplace(1.0, 3.0)),
    lambda lib: (lib.distributions.Independent(lib.distributions.Normal(lib.zeros(2, 3),
                                                                        lib.ones(2, 3)), 1),
                 lib.distributions.Independent(lib.distributions.Normal(lib.ones(2, 3),
                                                                        lib.ones(2, 3)), 1)),
])
def test_kl_divergence_matches_torch(pair):
    pe, qe = pair(ember)
    pt, qt = pair(torch)
    assert_close(ember.distributions.kl_divergence(pe, qe),
                 torch.distributions.kl_divergence(pt, qt))


def test_validation_errors_are_torchs():
    same_error(lambda lib: lib.distributions.Normal(lib.tensor([0.0]), lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.Normal(lib.zeros(2), lib.ones(2)).log_prob(
        lib.zeros(3)))
    same_error(lambda lib: lib.distributions.Bernoulli(probs=lib.tensor([0.3])).log_prob(
        lib.tensor([0.5])))
    same_error(lambda lib: lib.distributions.Bernoulli(probs=0.3, logits=0.1))
    same_error(lambda lib: lib.distributions.Uniform(0.0, 2.0).log_prob(lib.tensor(3.0)))
    same_error(lambda lib: lib.distributions.kl_divergence(
        lib.distributions.Categorical(probs=lib.tensor([0.5, 0.5])),
        lib.distributions.Normal(0.0, 1.0)))


def test_constraints_print_as_torchs():
    for name in ("real", "positive", "unit_interval", "simplex", "boolean", "nonnegative_integer",
                 "real_vector"):
        assert repr(getattr(ember.distributions.constraints, name)) == \
            repr(getattr(torch.distributions.constraints, name))
    assert repr(ember.distributions.constraints.interval(0, 1)) == \
        repr(torch.distributions.constraints.interval(0, 1))
