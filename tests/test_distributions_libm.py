"""The C library's float64 log, cos and sin for whole arrays (``ember/_ops/creation/libm.py``):
element for element equal to ``math.log``/``math.cos``/``math.sin``, and float64 normal samples
bit for bit torch's."""
import math

import numpy as np
import pytest

import ember
from ember._ops.creation import libm


def _reference(fn, x):
    return np.array([fn(v) for v in x.tolist()])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_log_equals_the_c_library(seed):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 2 ** 53, 200_000) * 2.0 ** -53
    x = np.concatenate([1 - u, 1 - u * 2.0 ** -40, 1 - np.arange(1, 2000) * 2.0 ** -53,
                        np.linspace(0.5, 1, 20001), [2.0 ** -53, 2.0 ** -1074, 0.25, 1.0]])
    assert np.array_equal(libm.log(x), _reference(math.log, x))


def test_log_keeps_the_shape():
    x = np.linspace(0.1, 1, 24).reshape(2, 3, 4)
    assert libm.log(x).shape == (2, 3, 4)
    assert np.array_equal(libm.log(x).reshape(-1), _reference(math.log, x.reshape(-1)))


def test_sincos_equals_the_c_library():
    theta = np.random.default_rng(3).random(100_000) * 2 * math.pi
    sin, cos = libm.sincos(theta)
    assert np.array_equal(sin, _reference(math.sin, theta))
    assert np.array_equal(cos, _reference(math.cos, theta))


@pytest.mark.parametrize("n", [16, 31, 4096, 200_003])
def test_float64_normals_match_torch(n):
    torch = pytest.importorskip("torch")
    for seed in (0, 5):
        ember.manual_seed(seed)
        torch.manual_seed(seed)
        mine = ember.randn(n, dtype=ember.float64).numpy()
        theirs = torch.randn(n, dtype=torch.float64).numpy()
        assert np.array_equal(mine, theirs)
        assert ember.rand(3).tolist() == torch.rand(3).tolist()     # the stream moved alike
