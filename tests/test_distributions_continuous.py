"""Continuous distributions of ``ember.distributions`` against torch: Cauchy, LogNormal,
Gumbel, StudentT, HalfNormal, HalfCauchy and the relaxed (Gumbel-softmax) distributions.

Their samples use torch's primitives in torch's order; those passed through exp, log or
sigmoid agree with torch's to float32 rounding (ember's elementwise functions are NumPy's,
which may differ from torch's in the last bit), the others bit for bit."""
import pytest

import ember
from distribution_checks import check_against_torch
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

CASES = {
    "cauchy": (lambda lib: lib.distributions.Cauchy(lib.tensor([0.0, 1.0]),
                                                    lib.tensor([1.0, 2.5])), [0.5, -3.0], True),
    "lognormal": (lambda lib: lib.distributions.LogNormal(lib.tensor([0.0, 1.0]),
                                                          lib.tensor([1.0, 0.5])), [0.5, 3.0],
                  False),
    "lognormal_scalar": (lambda lib: lib.distributions.LogNormal(0.0, 1.0), 1.5, False),
    "gumbel": (lambda lib: lib.distributions.Gumbel(lib.tensor([0.0, 1.0]),
                                                    lib.tensor([1.0, 2.0])), [0.5, -1.0], False),
    "gumbel_scalar": (lambda lib: lib.distributions.Gumbel(0.0, 1.0), 0.5, False),
    "studentt": (lambda lib: lib.distributions.StudentT(lib.tensor([3.0, 0.8, 1.5]),
                                                        lib.tensor([0.0, 1.0, 2.0]),
                                                        lib.tensor([1.0, 2.0, 0.5])),
                 [0.5, -1.0, 2.5], True),
    "studentt_scalar": (lambda lib: lib.distributions.StudentT(4.0), 0.3, True),
    "halfnormal": (lambda lib: lib.distributions.HalfNormal(lib.tensor([1.0, 2.0])),
                   [0.5, 3.0], True),
    "halfcauchy": (lambda lib: lib.distributions.HalfCauchy(lib.tensor([1.0, 2.0])),
                   [0.5, 3.0], True),
    "relaxed_bernoulli": (lambda lib: lib.distributions.RelaxedBernoulli(
        lib.tensor(0.5), lib.tensor([0.2, 0.7])), [0.3, 0.9], False),
    "logit_relaxed_bernoulli": (lambda lib: lib.distributions.relaxed_bernoulli.LogitRelaxedBernoulli(
        lib.tensor(0.5), logits=lib.tensor([0.2, -0.7])), [0.3, -0.9], False),
    "relaxed_one_hot": (lambda lib: lib.distributions.RelaxedOneHotCategorical(
        lib.tensor(0.7), lib.tensor([0.2, 0.3, 0.5])), [0.2, 0.3, 0.5], False),
    "exp_relaxed_categorical": (lambda lib: lib.distributions.relaxed_categorical.ExpRelaxedCategorical(
        lib.tensor(0.7), logits=lib.tensor([0.2, 0.3, 0.5])), [-1.0, -1.5, -0.9], False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    make, value, exact = CASES[name]
    check_against_torch(make, value, torch, exact_samples=exact)


GRADIENT_CASES = {
    "cauchy": lambda lib, a, b: lib.distributions.Cauchy(a, b),
    "lognormal": lambda lib, a, b: lib.distributions.LogNormal(a, b),
    "gumbel": lambda lib, a, b: lib.distributions.Gumbel(a, b),
    "studentt": lambda lib, a, b: lib.distributions.StudentT(b + 2, a, b),
    "halfnormal": lambda lib, a, b: lib.distributions.HalfNormal(b + a),
    "halfcauchy": lambda lib, a, b: lib.distributions.HalfCauchy(b),
    "relaxed_bernoulli": lambda lib, a, b: lib.distributions.RelaxedBernoulli(b, logits=a),
    "relaxed_one_hot": lambda lib, a, b: lib.distributions.RelaxedOneHotCategorical(
        b[0], logits=a),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_rsample_gradients_match_torch(name):
    grads = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        a = lib.tensor([0.3, -0.5, 1.2], requires_grad=True)
        b = lib.tensor([0.8, 1.5, 2.0], requires_grad=True)
        x = GRADIENT_CASES[name](lib, a, b).rsample((3,))
        grads.append(lib.autograd.grad(x.pow(2).sum(), [a, b], allow_unused=True))
    for ge, gt in zip(*grads):
        assert_close(ge, gt, rtol=1e-4, atol=1e-5)


def test_errors_are_torchs():
    same_error(lambda lib: lib.distributions.Cauchy(lib.tensor([0.0]), lib.tensor([0.0])))
    same_error(lambda lib: lib.distributions.LogNormal(0.0, 1.0).log_prob(lib.tensor(-1.0)))
    same_error(lambda lib: lib.distributions.HalfNormal(lib.tensor([1.0])).log_prob(
        lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.StudentT(lib.tensor([-1.0])))
    same_error(lambda lib: lib.distributions.Gumbel(0.0, -1.0))
    same_error(lambda lib: lib.distributions.RelaxedBernoulli(lib.tensor(0.5)))
