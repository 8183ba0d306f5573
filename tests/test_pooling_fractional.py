"""F.fractional_max_pool2d/3d and nn.FractionalMaxPool2d/3d against torch: with the same seed
both draw the same random samples, so outputs, indices and gradients are equal exactly."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")

CASES = [
    (2, (2, 3, 9, 11), 3, dict(output_size=(4, 5))),
    (2, (1, 3, 9, 11), (2, 3), dict(output_size=(4, 6))),
    (2, (3, 9, 11), (2, 3), dict(output_ratio=(0.5, 0.6))),
    (2, (1, 2, 5, 5), 2, dict(output_size=1)),
    (2, (2, 2, 7, 7), 2, dict(output_size=(6, 6))),
    (3, (2, 2, 6, 7, 8), 2, dict(output_size=(3, 4, 5))),
    (3, (2, 5, 6, 7), (2, 3, 2), dict(output_ratio=(0.5, 0.5, 0.7))),
    (3, (1, 1, 9, 5, 7), (3, 1, 2), dict(output_size=(4, 4, 3))),
]


def _run(lib, k, shape, kernel, kwargs, dtype, nan=False):
    lib.manual_seed(3)
    data = np.random.default_rng(0).standard_normal(shape)
    if nan:
        data.reshape(-1)[::7] = np.nan
    x = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=True)
    f = getattr(lib.nn.functional, "fractional_max_pool{}d".format(k))
    out, indices = f(x, kernel, return_indices=True, **kwargs)
    (out * lib.arange(out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    return (out.detach().numpy(), indices.numpy(), x.grad.numpy(), type(out.grad_fn).__name__,
            indices.dtype.is_floating_point, indices.requires_grad, lib.rand(2).tolist())


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fractional_max_pool(case, dtype):
    e, t = _run(ember, *case, dtype), _run(torch, *case, dtype)
    for a, b in zip(e[:3], t[:3]):
        np.testing.assert_array_equal(a, b)
    assert e[3:] == t[3:]                     # node name, index dtype, and the stream after


def test_fractional_max_pool_nan():
    e, t = _run(ember, *CASES[0], "float64", nan=True), _run(torch, *CASES[0], "float64", nan=True)
    np.testing.assert_array_equal(e[0], t[0])
    np.testing.assert_array_equal(e[1], t[1])


def test_given_samples_and_without_indices():
    samples = np.random.default_rng(1).random((2, 3, 2)).astype("float32")
    x = np.random.default_rng(2).standard_normal((2, 3, 8, 8)).astype("float32")

    def run(lib):
        out = lib.nn.functional.fractional_max_pool2d(
            lib.tensor(x, requires_grad=True), 3, output_size=(3, 4),
            _random_samples=lib.tensor(samples))
        return out.detach().numpy().tolist(), type(out.grad_fn).__name__
    same(run)


def test_modules():
    x = np.random.default_rng(4).standard_normal((2, 3, 10, 10)).astype("float32")

    def run(lib):
        lib.manual_seed(5)
        m2 = lib.nn.FractionalMaxPool2d(3, output_ratio=0.5)
        m3 = lib.nn.FractionalMaxPool3d(2, output_size=(1, 3, 4), return_indices=True)
        out = m2(lib.tensor(x))
        out3, idx3 = m3(lib.tensor(x))
        fixed = lib.nn.FractionalMaxPool2d((2, 3), output_size=4,
                                           _random_samples=lib.full((2, 3, 2), 0.5))
        return [repr(m2), repr(m3), m2.kernel_size, m2.output_ratio, m2.output_size,
                m3.output_size, list(m2.state_dict()), list(fixed.state_dict()),
                [n for n, _ in fixed.named_buffers()], out.numpy().tolist(),
                out3.numpy().tolist(), idx3.tolist(), fixed(lib.tensor(x)).numpy().tolist()]
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), 3),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), 3,
                                                        output_size=(7, 7)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), 3,
                                                        output_size=(2, 8)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), 3,
                                                        output_ratio=(0.5, 0.5, 0.5)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), 3,
                                                        output_ratio=0.5),
    lambda lib: lib.nn.functional.fractional_max_pool2d(
        lib.zeros(2, 3, 8, 9), 3, output_size=2, _random_samples=lib.zeros(2, 3, 3)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(
        lib.zeros(2, 3, 8, 9), 3, output_size=2, _random_samples=lib.zeros(1, 3, 2)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(
        lib.zeros(2, 3, 8, 9), 3, output_size=2, _random_samples=lib.zeros(2, 2, 2)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(
        lib.zeros(2, 3, 8, 9), 3, output_size=2, _random_samples=lib.zeros(2, 3)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(
        lib.zeros(2, 3, 8, 9), 3, output_size=2,
        _random_samples=lib.zeros(2, 3, 2, dtype=lib.float64)),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 2, 3, 8, 8), 3,
                                                        output_size=2),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 0, 9), 3,
                                                        output_size=2),
    lambda lib: lib.nn.functional.fractional_max_pool2d(lib.zeros(2, 3, 8, 9), (3, 2, 1),
                                                        output_size=2),
    lambda lib: lib.nn.functional.fractional_max_pool3d(lib.zeros(2, 3, 5, 6, 7), 2,
                                                        output_size=(6, 2, 2)),
    lambda lib: lib.nn.functional.fractional_max_pool3d(lib.zeros(2, 3, 5, 6, 7), 2,
                                                        output_size=(2, 2, 6)),
    lambda lib: lib.nn.functional.fractional_max_pool3d(lib.zeros(1, 1, 9, 5, 7), (3, 1, 2),
                                                        output_size=(4, 5, 3)),
    lambda lib: lib.nn.functional.fractional_max_pool3d(
        lib.zeros(2, 3, 5, 6, 7), 2, output_size=2, _random_samples=lib.zeros(2, 3, 2)),
    lambda lib: lib.nn.FractionalMaxPool2d(3, output_ratio=1.5),
    lambda lib: lib.nn.FractionalMaxPool2d(3),
    lambda lib: lib.nn.FractionalMaxPool2d(3, output_size=2, output_ratio=0.5),
    lambda lib: lib.nn.FractionalMaxPool2d(3, output_ratio=(0.5,)),
    lambda lib: lib.nn.FractionalMaxPool3d(0, output_size=2),
    lambda lib: lib.nn.FractionalMaxPool3d(2),
    lambda lib: lib.nn.FractionalMaxPool3d(2, output_ratio=(0.5, 1.2, 0.5)),
])
def test_errors(case):
    same_error(case)
