"""Seeded samples of ``ember.distributions`` equal torch's bit for bit: after
``manual_seed(s)`` on both sides, every distribution whose sampler is torch's draws the same
values, in several shapes and both float dtypes, and leaves the generator where torch's is."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _t(lib, values, dtype):
    return lib.tensor(values, dtype=getattr(lib, dtype))


EXACT = {
    "normal": lambda lib, d: lib.distributions.Normal(_t(lib, [0.5, -1.0], d),
                                                      _t(lib, [1.5, 0.3], d)),
    "uniform": lambda lib, d: lib.distributions.Uniform(_t(lib, [0.0, -1.0], d),
                                                        _t(lib, [2.0, 1.0], d)),
    "bernoulli": lambda lib, d: lib.distributions.Bernoulli(_t(lib, [0.3, 0.9], d)),
    "categorical": lambda lib, d: lib.distributions.Categorical(
        _t(lib, [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], d)),
    "exponential": lambda lib, d: lib.distributions.Exponential(_t(lib, [0.5, 3.0], d)),
    "gamma": lambda lib, d: lib.distributions.Gamma(_t(lib, [0.5, 2.0, 7.0], d),
                                                    _t(lib, [1.0, 0.5, 3.0], d)),
    "chi2": lambda lib, d: lib.distributions.Chi2(_t(lib, [1.0, 3.0], d)),
    "beta": lambda lib, d: lib.distributions.Beta(_t(lib, [0.5, 2.0], d), _t(lib, [1.5, 3.0], d)),
    "dirichlet": lambda lib, d: lib.distributions.Dirichlet(_t(lib, [0.5, 2.0, 3.0], d)),
    "poisson": lambda lib, d: lib.distributions.Poisson(_t(lib, [0.5, 4.0, 30.0], d)),
    "binomial": lambda lib, d: lib.distributions.Binomial(_t(lib, [10.0, 200.0], d),
                                                          _t(lib, [0.2, 0.7], d)),
    "multinomial": lambda lib, d: lib.distributions.Multinomial(7, _t(lib, [0.2, 0.3, 0.5], d)),
    "one_hot": lambda lib, d: lib.distributions.OneHotCategorical(_t(lib, [0.2, 0.3, 0.5], d)),
    "geometric": lambda lib, d: lib.distributions.Geometric(_t(lib, [0.2, 0.7], d)),
    "cauchy": lambda lib, d: lib.distributions.Cauchy(_t(lib, [0.0, 1.0], d),
                                                      _t(lib, [1.0, 2.5], d)),
    "student_t": lambda lib, d: lib.distributions.StudentT(_t(lib, [3.0, 0.8], d)),
    "half_normal": lambda lib, d: lib.distributions.HalfNormal(_t(lib, [1.0, 2.0], d)),
    "half_cauchy": lambda lib, d: lib.distributions.HalfCauchy(_t(lib, [1.0, 2.0], d)),
    "mixture": lambda lib, d: lib.distributions.MixtureSameFamily(
        lib.distributions.Categorical(_t(lib, [0.3, 0.7], d)),
        lib.distributions.Normal(_t(lib, [0.0, 2.0], d), _t(lib, [1.0, 0.5], d))),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(EXACT))
def test_seeded_samples_equal_torchs(name, dtype):
    for seed, shape in enumerate([(), (1,), (7,), (3, 4), (40,)]):
        draws = []
        for lib in (ember, torch):
            lib.manual_seed(seed)
            d = EXACT[name](lib, dtype)
            draws.append((d.sample(shape), d.sample(), lib.rand(3)))
        for a, b in zip(*draws):
            assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
            np.testing.assert_array_equal(a.numpy(), b.numpy())
