"""Random numbers: reproducibility, generators, distributions (checked statistically), and
torch's dtypes, shapes, node names and errors.  That the values are torch's, bit for bit, is
checked in test_random_stream.py."""
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def outcome(lib, expr):
    """The dtype, shape and requires_grad of ``expr``'s result with ``L = lib`` (values are
    random), or its error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = eval(expr, {"L": lib, "np": np})
    except Exception as e:          # noqa: BLE001 - we compare whatever was raised
        return ("error", type(e).__name__, str(e).split("\nException raised from")[0])
    if isinstance(r, (torch.Tensor, ember.Tensor)):
        return (str(r.dtype), tuple(r.shape), r.requires_grad, type(r.grad_fn).__name__)
    return r


def same(expr):
    e, t = outcome(ember, expr), outcome(torch, expr)
    assert e == t, "{}\nember: {}\ntorch: {}".format(expr, e, t)


SHAPES = [
    "L.rand(2, 3)", "L.rand((2, 3))", "L.rand([2])", "L.rand(())", "L.rand(size=(2,))",
    "L.rand(2, dtype=L.float64)", "L.rand(2, dtype=L.float16)", "L.rand(2, requires_grad=True)",
    "L.rand(2, generator=L.Generator())", "L.rand(2, 3, dtype=L.long)", "L.rand(-1)",
    "L.rand(2.0)", "L.rand()",
    "L.randn(3)", "L.randn(2, 2, dtype=L.float64)", "L.randn(2, dtype=L.int32)", "L.randn(0)",
    "L.randint(5, (2,))", "L.randint(2, 5, (3, 2))", "L.randint(high=5, size=(2,))",
    "L.randint(5, size=(2,))", "L.randint(2, 5, size=(2,))",
    "L.randint(0, 5, (2,), dtype=L.float32)",
    "L.randint(3, 10, (2,), dtype=L.uint8)", "L.randint(5, (2,), generator=L.Generator())",
    "L.randint(5, 5, (2,))", "L.randint(5)", "L.randint(0, 5)",
    "L.randint(-5, 5, (2,), dtype=L.uint8)",
    "L.randint(0, 2**40, (2,), dtype=L.int32)", "L.randint(5, (2,), requires_grad=True)",
    "L.randint(5.5, (2,))", "L.randint(0, 5, (2,), dtype=L.bool)",
    "L.randperm(4)", "L.randperm(0)", "L.randperm(3, dtype=L.float32)", "L.randperm(-1)",
    "L.randperm(3.0)",
    "L.normal(L.zeros(2), L.ones(2))", "L.normal(L.zeros(2, 1), L.ones(3))", "L.normal(L.zeros(2))",
    "L.normal(0., L.ones(3))", "L.normal(0., 1., (2,))", "L.normal(2, 3, size=(2,))",
    "L.normal(0, 1, (2,), dtype=L.float64)", "L.normal(L.zeros(2, dtype=L.float64), L.ones(2))",
    "L.normal(L.zeros(2, requires_grad=True), 1.)", "L.normal(1., L.ones(2, requires_grad=True))",
    "L.normal(L.zeros(2, requires_grad=True), L.ones(2))",
    "L.normal(L.zeros(2), 1., generator=L.Generator())", "L.normal(L.zeros(2), L.ones(3))",
    "L.normal(L.zeros(2), -L.ones(2))", "L.normal(0., -1., (2,))", "L.normal(0., 1.)",
    "L.normal(L.zeros(2, dtype=L.long), 1.)",
    "L.bernoulli(L.full((3,), 0.5))", "L.bernoulli(L.zeros(2), 0.5)",
    "L.bernoulli(L.full((2,), 0.5, dtype=L.float64))",
    "L.bernoulli(L.zeros(2, requires_grad=True))",
    "L.bernoulli(L.tensor([0.5, 2.]))", "L.bernoulli(L.tensor([1, 0]))",
    "L.bernoulli(L.zeros(2), p=1.5)",
    "L.full((3,), 0.5).bernoulli()",
    "L.multinomial(L.tensor([1., 2.]), 2)", "L.multinomial(L.ones(3, 4), 5, replacement=True)",
    "L.tensor([1., 2.]).multinomial(1)", "L.multinomial(L.tensor([1., 2.]), 3)",
    "L.multinomial(L.tensor([1., 2.]), 0)", "L.multinomial(L.tensor([0., 0.]), 1)",
    "L.multinomial(L.tensor([-1., 2.]), 1)", "L.multinomial(L.tensor([1., float('nan')]), 1)",
    "L.multinomial(L.ones(2, 2, 2), 1)", "L.multinomial(L.tensor(1.), 1)",
    "L.multinomial(L.tensor([1, 2]), 1)", "L.multinomial(L.zeros(2, 0), 1)",
    "L.poisson(L.tensor([1., 2.]))", "L.poisson(L.tensor([1., 2.], dtype=L.float64))",
    "L.poisson(L.ones(2, requires_grad=True))", "L.poisson(L.tensor([1., -1.]))",
    "L.poisson(L.tensor([1, 2]))",
    "L.rand_like(L.zeros(2, 3))", "L.rand_like(L.zeros(2, dtype=L.float64))",
    "L.rand_like(L.zeros(2), generator=L.Generator())",
    "L.randn_like(L.zeros(2), requires_grad=True)",
    "L.randint_like(L.zeros(2), 5)", "L.randint_like(L.zeros(2), 2, 5)",
    "L.randint_like(L.zeros(2), low=2, high=5)", "L.randint_like(L.zeros(2, dtype=L.int32), 5)",
    "L.rand_like(L.zeros(2, dtype=L.long))", "L.randn_like(L.zeros(2, dtype=L.long))",
]


@pytest.mark.parametrize("expr", SHAPES)
def test_dtypes_shapes_and_errors_match_torch(expr):
    same(expr)


INPLACE = [
    "uniform_()", "uniform_(2, 5)", "uniform_(1, 0)", "uniform_(0, float('inf'))", "normal_()",
    "normal_(2, 0.5)", "normal_(0, -1)", "random_()", "random_(5)", "random_(2, 9)",
    "random_(5, 5)", "random_(-1)", "random_(0)", "bernoulli_()", "bernoulli_(0.3)",
    "bernoulli_(L.full((3,), 0.5))", "bernoulli_(2)", "bernoulli_(-0.1)",
    "bernoulli_(L.tensor([0.5, 2., 0.]))", "exponential_()", "exponential_(3)", "exponential_(0)",
    "exponential_(-1)", "geometric_(0.5)", "geometric_(0)", "geometric_(1)", "log_normal_()",
    "log_normal_(1, 0)", "cauchy_()", "cauchy_(0, 0)",
    "uniform_(generator=L.Generator())", "normal_(generator=L.Generator())",
]


@pytest.mark.parametrize("call", INPLACE)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "uint8", "bool"])
def test_inplace_samplers_match_torch(call, dtype):
    same("L.zeros(3, dtype=L.{}).{}".format(dtype, call))


@pytest.mark.parametrize("call", ["uniform_()", "uniform_(2, 5)", "normal_(2, 0.5)", "random_()",
                                  "random_(5)", "random_(2, 9)", "bernoulli_(0.3)",
                                  "bernoulli_(L.full((3,), 0.5))", "exponential_(3)",
                                  "geometric_(0.5)", "log_normal_()", "cauchy_()",
                                  "normal_(generator=L.Generator())"])
def test_inplace_samplers_record_like_torch(call):
    """On a non-leaf they take a zero-gradient node; on a leaf that requires grad they raise."""
    same("(lambda y: (y.{}, y)[1])(L.zeros(3, requires_grad=True) * 2)".format(call))
    same("L.zeros(3, requires_grad=True).{}".format(call))
    for lib in (ember, torch):
        x = lib.zeros(3, requires_grad=True)
        y = x * 2
        version = y._version
        eval("y." + call, {"L": lib, "y": y})
        assert y._version == version + 1
        y.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_sampling_has_zero_gradient_like_torch():
    for lib in (ember, torch):
        m = lib.zeros(3, requires_grad=True)
        s = lib.ones(3, requires_grad=True)
        (lib.normal(m, s).sum() + lib.normal(m, 1.).sum() + lib.bernoulli(m + 0.5).sum()
         + lib.poisson(s).sum()).backward()
        assert m.grad.tolist() == [0.0] * 3 and s.grad.tolist() == [0.0] * 3


# ---------------------------------------------------------------- reproducibility, generators


DRAWS = ["ember.rand(5)", "ember.randn(2, 3)", "ember.randint(0, 100, (6,))", "ember.randperm(7)",
         "ember.normal(0., 1., (3,))", "ember.bernoulli(ember.full((6,), 0.5))",
         "ember.multinomial(ember.ones(5), 3)", "ember.zeros(4).uniform_(-1, 1)",
         "ember.zeros(4).normal_()", "ember.rand(3, dtype=ember.float64)",
         "ember.rand_like(ember.zeros(3))", "ember.poisson(ember.ones(4) * 3)"]


@pytest.mark.parametrize("expr", DRAWS)
def test_same_seed_same_numbers(expr):
    ember.manual_seed(123)
    a = eval(expr)
    b = eval(expr)
    ember.manual_seed(123)
    c = eval(expr)
    np.testing.assert_array_equal(a.numpy(), c.numpy())
    assert a.numel() < 4 or not np.array_equal(a.numpy(), b.numpy())


def test_manual_seed_returns_the_default_generator():
    g = ember.manual_seed(7)
    assert g is ember.default_generator and ember.initial_seed() == 7
    assert isinstance(ember.seed(), int)
    assert ember.Generator().initial_seed() == torch.Generator().initial_seed()
    assert ember.Generator().manual_seed(-1).initial_seed() == \
        torch.Generator().manual_seed(-1).initial_seed()
    for bad in ("2**64", "1.5", "'a'"):
        same("L.Generator().manual_seed({})".format(bad))


def test_generators_are_independent_and_restorable():
    g = ember.Generator().manual_seed(5)
    assert g.manual_seed(5) is g
    state = g.get_state()
    assert state.dtype == ember.uint8 and state.ndim == 1
    a = ember.rand(4, generator=g)
    ember.manual_seed(0)
    ember.rand(10)                            # the default generator does not disturb g
    g.set_state(state)
    b = ember.rand(4, generator=g)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    x = ember.zeros(4).normal_(generator=g)
    g.set_state(state)
    ember.rand(4, generator=g)
    np.testing.assert_array_equal(ember.zeros(4).normal_(generator=g).numpy(), x.numpy())
    s = ember.get_rng_state()
    u = ember.rand(3)
    ember.set_rng_state(s)
    np.testing.assert_array_equal(ember.rand(3).numpy(), u.numpy())
    same("L.Generator().set_state(L.zeros(3))")
    same("L.set_rng_state(L.zeros(3))")
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size"):
        ember.Generator().set_state(ember.zeros(3, dtype=ember.uint8))
    assert str(ember.Generator().device) == "cpu"
    g.set_state(state)
    assert g.initial_seed() == 5


def test_generator_survives_deepcopy_and_pickle():
    import copy
    import pickle
    g = ember.Generator().manual_seed(3)
    for h in (copy.deepcopy(g), pickle.loads(pickle.dumps(g))):
        np.testing.assert_array_equal(ember.rand(3, generator=h).numpy(),
                                      ember.rand(3, generator=copy.deepcopy(g)).numpy())


# ---------------------------------------------------------------- distributions

N = 200_000


def moments(t):
    a = t.numpy().astype(np.float64)
    return a.mean(), a.var()


def test_uniform_and_normal_moments():
    for dtype in (ember.float32, ember.float64):
        u = ember.rand(N, dtype=dtype)
        assert u.dtype == dtype
        assert 0 <= u.min().item() and u.max().item() < 1
        mean, var = moments(u)
        assert abs(mean - 0.5) < 0.005 and abs(var - 1 / 12) < 0.002
        mean, var = moments(ember.randn(N, dtype=dtype))
        assert abs(mean) < 0.01 and abs(var - 1) < 0.01
    mean, var = moments(ember.empty(N).uniform_(-2, 4))
    assert abs(mean - 1) < 0.02 and abs(var - 3) < 0.03
    mean, var = moments(ember.normal(3., 2., (N,)))
    assert abs(mean - 3) < 0.02 and abs(var - 4) < 0.05
    mean, var = moments(ember.empty(N, dtype=ember.float64).normal_(-1, 0.5))
    assert abs(mean + 1) < 0.01 and abs(var - 0.25) < 0.005
    m = ember.tensor([0., 10.]).repeat(N // 2)
    s = ember.tensor([1., 3.]).repeat(N // 2)
    x = ember.normal(m, s).numpy().reshape(-1, 2)
    assert abs(x[:, 1].mean() - 10) < 0.05 and abs(x[:, 1].std() - 3) < 0.05


def test_integer_samplers_cover_their_range_uniformly():
    x = ember.randint(3, 8, (N,)).numpy()
    assert x.min() == 3 and x.max() == 7
    counts = np.bincount(x)[3:]
    assert np.all(np.abs(counts / N - 0.2) < 0.01)
    r = ember.zeros(N, dtype=ember.uint8).random_().numpy()
    assert r.min() == 0 and r.max() == 255
    f = ember.zeros(1000).random_(10).numpy()
    assert set(np.unique(f)) == set(range(10))
    p = ember.randperm(1000).numpy()
    assert sorted(p.tolist()) == list(range(1000))
    b = ember.zeros(N, dtype=ember.bool).random_().numpy()
    assert abs(b.mean() - 0.5) < 0.01


def test_bernoulli_poisson_exponential_geometric_cauchy_lognormal():
    assert abs(ember.bernoulli(ember.full((N,), 0.3)).mean().item() - 0.3) < 0.01
    assert abs(ember.zeros(N).bernoulli_(0.8).mean().item() - 0.8) < 0.01
    p = ember.tensor([0.1, 0.9]).repeat(N // 2)
    b = ember.zeros(N).bernoulli_(p).numpy().reshape(-1, 2).mean(0)
    assert abs(b[0] - 0.1) < 0.01 and abs(b[1] - 0.9) < 0.01
    mean, var = moments(ember.poisson(ember.full((N,), 4.)))
    assert abs(mean - 4) < 0.03 and abs(var - 4) < 0.1
    mean, var = moments(ember.empty(N).exponential_(2.))
    assert abs(mean - 0.5) < 0.01 and abs(var - 0.25) < 0.01
    g = ember.empty(N).geometric_(0.25).numpy()
    assert g.min() == 1 and abs(g.mean() - 4) < 0.05
    c = ember.empty(N).cauchy_(1., 2.).numpy()
    assert abs(np.median(c) - 1) < 0.05 and abs(np.percentile(c, 75) - 3) < 0.1
    ln = ember.empty(N).log_normal_(0.5, 0.25).numpy()
    assert abs(np.log(ln).mean() - 0.5) < 0.01 and abs(np.log(ln).std() - 0.25) < 0.01


def test_multinomial_frequencies():
    w = ember.tensor([[1., 2., 7., 0.], [0., 0., 1., 1.]])
    x = ember.multinomial(w, 20_000, replacement=True).numpy()
    f0 = np.bincount(x[0], minlength=4) / 20_000
    assert np.all(np.abs(f0 - [0.1, 0.2, 0.7, 0.]) < 0.015)
    assert set(np.unique(x[1])) == {2, 3}
    draws = np.stack([ember.multinomial(ember.tensor([1., 2., 7.]), 2).numpy()
                      for _ in range(3000)])
    assert np.all(draws[:, 0] != draws[:, 1])              # without replacement
    first = np.bincount(draws[:, 0], minlength=3) / 3000
    assert np.all(np.abs(first - [0.1, 0.2, 0.7]) < 0.03)
    assert sorted(ember.multinomial(ember.tensor([1., 0.]), 2).tolist()) == [0, 1]


def test_generator_argument_everywhere():
    fns = [lambda g: ember.rand(3, generator=g), lambda g: ember.randn(3, generator=g),
           lambda g: ember.randint(9, (3,), generator=g), lambda g: ember.randperm(5, generator=g),
           lambda g: ember.normal(0., 1., (3,), generator=g),
           lambda g: ember.normal(ember.zeros(3), generator=g),
           lambda g: ember.bernoulli(ember.full((3,), 0.5), generator=g),
           lambda g: ember.multinomial(ember.ones(4), 2, generator=g),
           lambda g: ember.poisson(ember.ones(3), generator=g),
           lambda g: ember.rand_like(ember.zeros(3), generator=g),
           lambda g: ember.zeros(3).uniform_(generator=g),
           lambda g: ember.zeros(3).random_(generator=g),
           lambda g: ember.zeros(3).exponential_(generator=g),
           lambda g: ember.zeros(3).cauchy_(generator=g),
           lambda g: ember.zeros(3).log_normal_(generator=g),
           lambda g: ember.zeros(3).geometric_(0.5, generator=g),
           lambda g: ember.zeros(3).bernoulli_(generator=g)]
    for fn in fns:
        a = fn(ember.Generator().manual_seed(11)).numpy()
        b = fn(ember.Generator().manual_seed(11)).numpy()
        np.testing.assert_array_equal(a, b)


def test_float32_is_drawn_directly():
    """float32 samples come from float32 draws (fast), so they are not float64 ones rounded."""
    x = ember.rand(1000)
    assert x.dtype == ember.float32
    ember.manual_seed(0)
    a = ember.rand(1000).numpy()
    ember.manual_seed(0)
    b = ember.rand(1000, dtype=ember.float64).numpy()
    assert not np.array_equal(a, b.astype(np.float32))
