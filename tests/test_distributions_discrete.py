"""The discrete distributions of ``ember.distributions`` against torch: Poisson, Binomial,
Multinomial, OneHotCategorical, Geometric (seeded samples equal torch's bit for bit)."""
import pytest

import ember
from distribution_checks import check_against_torch
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

CASES = {
    "poisson": (lambda lib: lib.distributions.Poisson(lib.tensor([0.5, 4.0, 30.0])),
                [0.0, 3.0, 25.0]),
    "poisson_scalar": (lambda lib: lib.distributions.Poisson(3.0), 2.0),
    "binomial": (lambda lib: lib.distributions.Binomial(10, lib.tensor([0.2, 0.7])), [3.0, 6.0]),
    "binomial_logits": (lambda lib: lib.distributions.Binomial(
        lib.tensor([5.0, 50.0]), logits=lib.tensor([-1.0, 2.0])), [3.0, 40.0]),
    "multinomial": (lambda lib: lib.distributions.Multinomial(
        6, lib.tensor([0.2, 0.3, 0.5])), [1.0, 2.0, 3.0]),
    "multinomial_batch": (lambda lib: lib.distributions.Multinomial(
        4, logits=lib.tensor([[0.2, 0.3, 0.5], [1.0, -1.0, 0.0]])), [[1.0, 2.0, 1.0],
                                                                    [0.0, 0.0, 4.0]]),
    "onehot": (lambda lib: lib.distributions.OneHotCategorical(
        lib.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])), [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]),
    "onehot_st": (lambda lib: lib.distributions.OneHotCategoricalStraightThrough(
        lib.tensor([0.2, 0.3, 0.5])), [0.0, 1.0, 0.0]),
    "geometric": (lambda lib: lib.distributions.Geometric(lib.tensor([0.2, 0.7])), [3.0, 0.0]),
    "geometric_logits": (lambda lib: lib.distributions.Geometric(
        logits=lib.tensor([0.2, -0.7])), [3.0, 1.0]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    check_against_torch(*CASES[name], torch)


def test_enumerate_support():
    for make in (lambda lib: lib.distributions.Binomial(3, lib.tensor([0.2, 0.7])),
                 lambda lib: lib.distributions.OneHotCategorical(lib.tensor([0.2, 0.8]))):
        e, t = make(ember), make(torch)
        for expand in (True, False):
            assert_close(e.enumerate_support(expand), t.enumerate_support(expand))


def test_straight_through_gradient():
    grads = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        p = lib.tensor([0.2, 0.3, 0.5], requires_grad=True)
        x = lib.distributions.OneHotCategoricalStraightThrough(p).rsample((4,))
        grads.append(lib.autograd.grad((x * lib.arange(3.0)).sum(), [p])[0])
    assert_close(*grads)


def test_errors_are_torchs():
    same_error(lambda lib: lib.distributions.Poisson(lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.Poisson(lib.tensor([1.0])).log_prob(
        lib.tensor([0.5])))
    same_error(lambda lib: lib.distributions.Binomial(10, lib.tensor([1.5])))
    same_error(lambda lib: lib.distributions.Binomial(10))
    same_error(lambda lib: lib.distributions.Binomial(lib.tensor([2.0, 3.0]),
                                                      lib.tensor([0.5, 0.5])).entropy())
    same_error(lambda lib: lib.distributions.Multinomial(lib.tensor(3), lib.tensor([0.5, 0.5])))
    same_error(lambda lib: lib.distributions.Multinomial(3, lib.tensor([0.5, 0.5])).log_prob(
        lib.tensor([-1.0, 2.0])))
    same_error(lambda lib: lib.distributions.OneHotCategorical(lib.tensor([0.5, 0.5]))
               .log_prob(lib.tensor([1.0, 1.0])))
    same_error(lambda lib: lib.distributions.Geometric(lib.tensor([0.0, 0.5])))
    same_error(lambda lib: lib.distributions.Geometric(lib.tensor([1.5])))
