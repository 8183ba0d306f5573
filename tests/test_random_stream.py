"""ember draws torch's random numbers: after the same seed every sampling function gives
exactly torch's values (all bits, every dtype) and leaves the generator in torch's state."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 12345]
SIZES = [1, 15, 16, 17, 1000, (3, 7), (2, 3, 5)]
FLOATS = ["float16", "float32", "float64"]
INTS = ["int64", "int32", "int16", "int8", "uint8"]


def _arrays(result):
    results = result if isinstance(result, (list, tuple)) else [result]
    return [np.ascontiguousarray(r.detach().numpy()) for r in results]


def identical(fn, seeds=SEEDS):
    """``fn(lib)`` gives bit-identical tensors with ember and torch after each seed, and both
    generators end in the same state."""
    for seed in seeds:
        torch.manual_seed(seed)
        ember.manual_seed(seed)
        want, got = _arrays(fn(torch)), _arrays(fn(ember))
        for t, e in zip(want, got):
            assert e.dtype == t.dtype and e.shape == t.shape
            assert np.array_equal(e.view(np.uint8), t.view(np.uint8)), (seed, t, e)
        assert np.array_equal(ember.get_rng_state().numpy(), torch.get_rng_state().numpy())


def _shape(size):
    return size if isinstance(size, tuple) else (size,)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_rand_randn(size, dtype):
    shape = _shape(size)
    identical(lambda L: [L.rand(*shape, dtype=getattr(L, dtype)),
                         L.randn(*shape, dtype=getattr(L, dtype)),
                         L.randn(3, dtype=getattr(L, dtype)),         # the scalar path after
                         L.randn(shape, dtype=getattr(L, dtype))])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_uniform_normal_in_place(size, dtype):
    shape = _shape(size)

    def draw(L):
        d = getattr(L, dtype)
        return [L.empty(shape, dtype=d).uniform_(), L.empty(shape, dtype=d).uniform_(-0.3, 0.7),
                L.empty(shape, dtype=d).uniform_(2.5, 7.1), L.empty(shape, dtype=d).normal_(),
                L.empty(shape, dtype=d).normal_(0.5, 2.0), L.normal(-1.0, 3.0, size=shape,
                                                                   dtype=d)]
    identical(draw)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_normal_with_tensors(size, dtype):
    shape = _shape(size)

    def draw(L):
        d = getattr(L, dtype)
        mean, std = L.linspace(-2, 2, 7, dtype=d)[:1].expand(shape), L.ones(shape, dtype=d) * 2
        return [L.normal(mean, std), L.normal(mean, 3.0), L.normal(0.5, std),
                L.randn_like(std), L.rand_like(std), L.randint_like(std, 3, 9)]
    identical(draw)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_continuous_distributions(size, dtype):
    shape = _shape(size)

    def draw(L):
        d = getattr(L, dtype)
        return [L.empty(shape, dtype=d).exponential_(), L.empty(shape, dtype=d).exponential_(2.5),
                L.empty(shape, dtype=d).cauchy_(), L.empty(shape, dtype=d).cauchy_(1.0, 0.5),
                L.empty(shape, dtype=d).log_normal_(), L.empty(shape, dtype=d).log_normal_(0, .5),
                L.empty(shape, dtype=d).geometric_(0.3)]
    identical(draw)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS + INTS + ["bool"])
def test_bernoulli(size, dtype):
    shape = _shape(size)

    def draw(L):
        d = getattr(L, dtype)
        return [L.empty(shape, dtype=d).bernoulli_(), L.empty(shape, dtype=d).bernoulli_(0.3),
                L.empty(shape, dtype=d).bernoulli_(L.rand(shape)),
                L.empty(shape, dtype=d).bernoulli_(L.rand(shape, dtype=L.float64))]
    identical(draw)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_bernoulli_function(size, dtype):
    shape = _shape(size)
    identical(lambda L: [L.bernoulli(L.rand(shape, dtype=getattr(L, dtype))),
                         L.bernoulli(L.ones(shape, dtype=getattr(L, dtype)), 0.25)])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_random_(size, dtype):
    shape = _shape(size)

    def draw(L):
        d = getattr(L, dtype)
        return [L.empty(shape, dtype=d).random_(), L.empty(shape, dtype=d).random_(3, 10),
                L.empty(shape, dtype=d).random_(7), L.empty(shape, dtype=d).geometric_(0.2)]
    identical(draw)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("low, high", [(0, 10), (-5, 3), (0, 2 ** 28 - 1), (0, 2 ** 28),
                                       (-2 ** 31, 2 ** 31 - 1), (-2 ** 40, 2 ** 40)])
def test_randint_ranges(size, low, high):
    shape = _shape(size)
    identical(lambda L: [L.randint(low, high, shape), L.randint(high, shape),
                         L.empty(shape, dtype=L.int64).random_(low, high)])


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8", "float32", "float64"])
def test_randint_dtypes(dtype):
    identical(lambda L: [L.randint(0, 100, (17,), dtype=getattr(L, dtype)),
                         L.randint(5, (3, 4), dtype=getattr(L, dtype))])


@pytest.mark.parametrize("n", [0, 1, 2, 3, 8, 15, 16, 17, 100, 1000, 60000])
def test_randperm(n):
    identical(lambda L: [L.randperm(n), L.randperm(n, dtype=L.int32)])


@pytest.mark.parametrize("k", [1, 2, 5, 11])
def test_multinomial(k):
    weights = [0.1, 0.5, 0.2, 0.2, 1.0, 3.0, 0.4, 0.1, 0.7, 0.3, 0.2]

    def draw(L):
        w = L.tensor(weights)
        return [L.multinomial(w, k), L.multinomial(w, k, replacement=True),
                L.multinomial(L.tensor([weights] * 3, dtype=L.float64), k, True),
                L.multinomial(L.rand(4, 20), k), L.multinomial(L.rand(4, 20), 2 * k, True),
                w.multinomial(k)]
    identical(draw)


def test_poisson():
    rates = [0.0, 0.5, 3.0, 9.9, 10.0, 50.0, 1000.0] * 5
    identical(lambda L: [L.poisson(L.tensor(rates)), L.poisson(L.rand(3, 4, dtype=L.float64) * 20)])


def test_non_contiguous_tensors_are_filled_in_memory_order():
    identical(lambda L: [L.zeros(5, 7).t().uniform_(), L.zeros(5, 7).t().normal_(),
                         L.zeros(4, 6).t().bernoulli_(0.4), L.zeros(3, 40)[:, ::2].normal_(),
                         L.zeros(4, 5).t().exponential_()])


def test_the_scalar_normal_waits_in_the_generator():
    """An odd number of scalar-path normals leaves one sample for the next call."""
    identical(lambda L: [L.randn(3, dtype=L.float64), L.empty(5).log_normal_(), L.randn(1),
                         L.randn(1), L.randn(2, 2), L.randn(20)])


def test_generator_argument():
    def draw(L):
        g = L.Generator().manual_seed(11)
        return [L.rand(5, generator=g), L.randn(20, generator=g), L.randperm(9, generator=g),
                L.randint(0, 4, (6,), generator=g), L.empty(8).normal_(generator=g),
                L.multinomial(L.ones(5), 3, generator=g), L.rand(2)]
    identical(draw)


def test_the_course_snippet():
    identical(lambda L: [L.rand(3), L.randn(2, 3), L.randint(0, 10, (5,)), L.randperm(8),
                         L.normal(0.0, 1.0, size=(4,))])


def test_a_million_normals():
    identical(lambda L: L.randn(1000003), seeds=[3])


@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_random_from_up_to_the_dtypes_limit(dtype):
    identical(lambda L: [L.empty(9, dtype=getattr(L, dtype)).random_(5, None),
                         L.empty(9, dtype=getattr(L, dtype)).random_(0, None)])


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64"])
def test_random_over_all_64_bits(dtype):
    identical(lambda L: L.empty(9, dtype=getattr(L, dtype)).random_(-2 ** 63, None))
