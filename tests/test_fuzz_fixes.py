"""Defects of issue 12 fixed after the fuzzer's first campaign, each checked against torch."""
import numpy as np
import pytest

import ember
from parity import compare, same

torch = pytest.importorskip("torch")

NAN = float("nan")


# ---------------------------------------------------------------- quantile's gradient in q


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_differentiates_a_tensor_q_as_torch(name, interpolation):
    """torch's linear interpolation depends on q (d/dq = (above - below) (n - 1)); the other
    modes do not, and q then gets no gradient at all."""
    x = np.array([[1., 5., 2., 8.], [3., NAN, 1., 0.], [NAN] * 4])
    q = np.array([0.3, 0.6, 0.0, 1.0])
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=1, interpolation=interpolation),
            x, q, grad=(False, True))
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=0, keepdim=True), x[:1].T, q)
    compare(lambda lib, x, q: getattr(lib, name)(x, q), x[0], np.array(0.4))
