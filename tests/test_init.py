"""nn.init against torch: gains, fans, the distributions' moments and bounds, errors."""
import math
import statistics

import numpy as np
import pytest

import ember
from ember.nn import init
from parity import both, same, same_error, warnings_of

torch = pytest.importorskip("torch")


NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@pytest.mark.parametrize("param", [None, 0.2, 1, 0.3])
def test_calculate_gain(nonlinearity, param):
    e, t = both(lambda lib: lib.nn.init.calculate_gain(nonlinearity, param))
    assert e == t and type(e) is type(t)


@pytest.mark.parametrize("args", [("gelu",), ("foo",), ("leaky_relu", True),
                                  ("leaky_relu", "a")])
def test_calculate_gain_errors(args):
    same_error(lambda lib: lib.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("shape", [(3, 4), (3, 4, 5, 6), (3, 0), (7, 2, 5), (1, 1)])
def test_fan_in_and_fan_out(shape):
    same(lambda lib: lib.nn.init._calculate_fan_in_and_fan_out(lib.ones(*shape)))


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.init._calculate_fan_in_and_fan_out(lib.ones(3)),
    lambda lib: lib.nn.init.xavier_uniform_(lib.ones(3)),
    lambda lib: lib.nn.init.xavier_normal_(lib.ones(3)),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.ones(3)),
    lambda lib: lib.nn.init.kaiming_normal_(lib.ones(3, 3), mode="foo"),
    lambda lib: lib.nn.init.kaiming_uniform_(lib.ones(3, 3), nonlinearity="foo"),
    lambda lib: lib.nn.init.eye_(lib.ones(3)),
    lambda lib: lib.nn.init.dirac_(lib.ones(2, 3)),
    lambda lib: lib.nn.init.dirac_(lib.zeros(4, 2, 3), groups=3),
    lambda lib: lib.nn.init.orthogonal_(lib.ones(3)),
    lambda lib: lib.nn.init.sparse_(lib.ones(3), 0.1),
    lambda lib: lib.nn.init.sparse_(lib.ones(3, 4, 5), 0.1),
    lambda lib: lib.nn.init.uniform_(lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.nn.init.normal_(lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.nn.init.uniform_(lib.ones(3), 2, 1),
    lambda lib: lib.nn.init.uniform_(lib.ones(3), 0.5, 0.25),
    lambda lib: lib.nn.init.normal_(lib.ones(3), 0, -1),
    lambda lib: lib.nn.init.normal_(lib.ones(3), 0, -1e-7),
    lambda lib: lib.nn.init.xavier_uniform_(lib.empty(0, 0)),
], ids=lambda case: None)
def test_init_errors(case):
    same_error(case)


def test_zero_element_tensors_warn_and_empty_orthogonal():
    def run(lib):
        init = lib.nn.init
        w1 = warnings_of(lambda: init.kaiming_uniform_(lib.ones(3, 0)))
        w2 = warnings_of(lambda: init.kaiming_normal_(lib.ones(0, 3)))
        w3 = warnings_of(lambda: init.orthogonal_(lib.empty(0, 3)))
        return w1, w2, w3
    same(run)


def test_deterministic_fills():
    def run(lib):
        init = lib.nn.init
        out = [init.eye_(lib.empty(2, 3)), init.eye_(lib.empty(3, 2)),
               init.dirac_(lib.empty(4, 2, 3), groups=2), init.dirac_(lib.empty(2, 3, 3, 3)),
               init.dirac_(lib.empty(3, 2, 1, 2, 2)), init.constant_(lib.empty(2), 2.5),
               init.constant_(lib.empty(3, dtype=lib.int64), 2.5), init.ones_(lib.empty(2)),
               init.zeros_(lib.empty(2, dtype=lib.float64))]
        return [(t.numpy().tolist(), str(t.dtype)) for t in out]
    same(run)


def test_fills_are_in_place_on_parameters():
    def run(lib):
        p = lib.nn.Parameter(lib.ones(3, 3))
        v = p._version
        results = [lib.nn.init.kaiming_uniform_(p) is p, lib.nn.init.zeros_(p) is p,
                   lib.nn.init.normal_(p) is p, lib.nn.init.trunc_normal_(p) is p]
        return results, p.requires_grad, p.is_leaf, p.grad_fn, type(p).__name__, p._version > v
    e = same(run)
    assert all(e[0])


def test_deprecated_names_warn_and_work():
    def run(lib):
        init = lib.nn.init
        out = []
        for name, args in [("uniform", ()), ("normal", ()), ("constant", (1.0,)), ("eye", ()),
                           ("xavier_uniform", ()), ("xavier_normal", ()),
                           ("kaiming_uniform", ()), ("kaiming_normal", ()), ("orthogonal", ()),
                           ("sparse", (0.5,))]:
            out.append(warnings_of(lambda: getattr(init, name)(lib.empty(4, 4), *args)))
        out.append(warnings_of(lambda: init.dirac(lib.empty(2, 2, 3))))
        return out
    same(run)


# ---------------------------------------------------------------- distributions

N = 200_000


def moments(t):
    a = t.numpy().astype(np.float64)
    return a.mean(), a.std(), a.min(), a.max()


@pytest.mark.parametrize("fill,mean,std,low,high", [
    (lambda t: init.uniform_(t, -2.0, 3.0), 0.5, 5 / math.sqrt(12), -2.0, 3.0),
    (lambda t: init.normal_(t, 1.5, 0.5), 1.5, 0.5, None, None),
    (lambda t: init.xavier_uniform_(t, gain=2.0), 0.0, 2 * math.sqrt(2 / (400 + 500)),
     -2 * math.sqrt(6 / 900), 2 * math.sqrt(6 / 900)),
    (lambda t: init.xavier_normal_(t), 0.0, math.sqrt(2 / 900), None, None),
    (lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)), 0.0, 1 / math.sqrt(3 * 400),
     -1 / math.sqrt(400), 1 / math.sqrt(400)),
    (lambda t: init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), 0.0,
     math.sqrt(2 / 500), -math.sqrt(6 / 500), math.sqrt(6 / 500)),
    (lambda t: init.kaiming_normal_(t, nonlinearity="relu"), 0.0, math.sqrt(2 / 400), None, None),
    (lambda t: init.kaiming_normal_(t, a=0.2, mode="fan_out"), 0.0,
     math.sqrt(2 / (1.04 * 500)), None, None),
], ids=["uniform", "normal", "xavier_uniform", "xavier_normal", "kaiming_uniform",
        "kaiming_uniform_fan_out", "kaiming_normal", "kaiming_normal_leaky"])
def test_distributions_match_their_formulas_and_torch(fill, mean, std, low, high):
    t = ember.empty(500, 400)
    assert fill(t) is t
    m, s, lo, hi = moments(t)
    assert abs(m - mean) < 5 * std / math.sqrt(N) + 1e-12
    assert abs(s - std) < 0.01 * std
    if low is not None:
        assert low <= lo < low + 0.001 * (high - low) and high - 0.001 * (high - low) < hi <= high


def test_torch_draws_with_the_same_moments():
    """The same calls under torch give the same mean, std and (for bounded ones) range, to
    sampling error.  Both sides are seeded (ember by the autouse fixture), so the draws, and
    the verdict, are the same on every run and in any test order."""
    torch.manual_seed(0)
    for name, args, bounded in [
            ("uniform_", (-1.0, 2.0), True), ("normal_", (0.5, 2.0), False),
            ("xavier_uniform_", (), True), ("kaiming_uniform_", (math.sqrt(5),), True),
            ("kaiming_normal_", (0, "fan_out", "relu"), False),
            ("trunc_normal_", (0.5, 1.0), True)]:
        e = getattr(ember.nn.init, name)(ember.empty(500, 400), *args).numpy()
        t = getattr(torch.nn.init, name)(torch.empty(500, 400), *args).numpy()
        assert abs(e.mean() - t.mean()) < 6 * t.std() / math.sqrt(N), name
        assert abs(e.std() - t.std()) < 0.01 * t.std(), name
        if bounded:
            assert abs(e.min() - t.min()) < 0.001 * t.std(), name
            assert abs(e.max() - t.max()) < 0.001 * t.std(), name


@pytest.mark.parametrize("mean,std,a,b", [(0.0, 1.0, -2.0, 2.0), (0.0, 0.02, -0.04, 0.04),
                                          (1.0, 2.0, 0.0, 10.0), (0.0, 1.0, 1.0, 3.0)])
def test_trunc_normal_moments(mean, std, a, b):
    t = init.trunc_normal_(ember.empty(N), mean, std, a, b).numpy().astype(np.float64)
    assert a <= t.min() and t.max() <= b
    # the exact mean and variance of a truncated normal
    alpha, beta = (a - mean) / std, (b - mean) / std
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    z = statistics.NormalDist().cdf(beta) - statistics.NormalDist().cdf(alpha)
    mu = mean + std * (phi(alpha) - phi(beta)) / z
    var = std ** 2 * (1 + (alpha * phi(alpha) - beta * phi(beta)) / z
                      - ((phi(alpha) - phi(beta)) / z) ** 2)
    assert abs(t.mean() - mu) < 5 * math.sqrt(var / N)
    assert abs(t.std() - math.sqrt(var)) < 0.01 * math.sqrt(var)


def test_trunc_normal_warns_like_torch():
    same(lambda lib: warnings_of(lambda: lib.nn.init.trunc_normal_(lib.ones(3), mean=5, a=-2,
                                                                   b=2)))


def test_orthogonal():
    for shape in [(6, 4), (4, 6), (3, 2, 2, 2)]:
        t = init.orthogonal_(ember.empty(*shape), gain=2.0).numpy().reshape(shape[0], -1)
        gram = t @ t.T if t.shape[0] <= t.shape[1] else t.T @ t
        np.testing.assert_allclose(gram, 4 * np.eye(gram.shape[0]), atol=1e-5)


def test_sparse_zeros_each_column():
    t = init.sparse_(ember.empty(10, 300), sparsity=0.25, std=0.5).numpy()
    assert ((t == 0).sum(axis=0) == 3).all()               # ceil(0.25 * 10) per column
    nonzero = t[t != 0]
    assert abs(nonzero.std() - 0.5) < 0.05


def test_generator_makes_fills_reproducible():
    g = ember.Generator()
    a = init.normal_(ember.empty(5), generator=g.manual_seed(3)).numpy().copy()
    b = init.normal_(ember.empty(5), generator=g.manual_seed(3)).numpy().copy()
    c = init.normal_(ember.empty(5)).numpy().copy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    for fn in (init.uniform_, init.xavier_uniform_, init.kaiming_normal_, init.orthogonal_,
               init.trunc_normal_):
        x = fn(ember.empty(4, 4), generator=g.manual_seed(1)).numpy().copy()
        y = fn(ember.empty(4, 4), generator=g.manual_seed(1)).numpy().copy()
        np.testing.assert_array_equal(x, y)
