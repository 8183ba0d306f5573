"""The integer products of quantized layers: the float GEMM on integers equals the int64
product exactly, on both sides of the float32/float64 switch."""
import numpy as np
import pytest

from ember._quantized import integer


@pytest.mark.parametrize("k, x_range, w_range", [
    (16, (0, 256), (-128, 128)),          # small: float32
    (784, (0, 128), (-128, 128)),         # x86's 7-bit activations: still float32
    (784, (0, 256), (-128, 128)),         # needs float64
    (5000, (0, 256), (-128, 128)),
])
def test_int_linear_is_exact(k, x_range, w_range):
    rng = np.random.default_rng(k)
    xq = rng.integers(*x_range, (9, k)).astype(np.uint8)
    xq[0] = x_range[1] - 1                 # the extremes, so the bound is reached
    w = rng.integers(*w_range, (7, k)).astype(np.int32)
    w[0] = w_range[0]
    zero_point = 3
    weight = integer.IntWeight(w)
    acc = integer.int_linear(xq, zero_point, weight)
    expected = (xq.astype(np.int64) - zero_point) @ w.astype(np.int64).T
    assert np.array_equal(acc, expected)
    bound = k * (x_range[1] - 1 - zero_point) * -w_range[0]
    assert acc.dtype == (np.float32 if bound < 2 ** 24 else np.float64)


def test_int_conv2d_is_exact():
    rng = np.random.default_rng(0)
    xq = rng.integers(0, 256, (2, 6, 9, 9)).astype(np.uint8)
    w = rng.integers(-128, 128, (8, 3, 3, 3)).astype(np.int32)
    acc = integer.int_conv2d(xq, 100, integer.IntWeight(w), (2, 1), (1, 1), (1, 2), 2)
    x = np.pad(xq.astype(np.int64) - 100, ((0, 0), (0, 0), (1, 1), (1, 1)))
    oh, ow = (9 + 2 - 3) // 2 + 1, (9 + 2 - 5) // 1 + 1
    expected = np.zeros((2, 8, oh, ow), np.int64)
    for o in range(8):
        g = o // 4
        for i in range(oh):
            for j in range(ow):
                patch = x[:, g * 3:(g + 1) * 3, 2 * i:2 * i + 3, j:j + 5:2]
                expected[:, o, i, j] = (patch * w[o]).sum(axis=(1, 2, 3))
    assert np.array_equal(acc, expected)
