"""F.grid_sample and F.affine_grid against torch: values, gradients to input and grid, node
names, warnings and errors."""
import numpy as np
import pytest

import ember
from parity import compare, gradcheck, same_error, same_warnings

torch = pytest.importorskip("torch")

MODES = ["bilinear", "nearest", "bicubic"]
PADDINGS = ["zeros", "border", "reflection"]


def _data(shape, grid_shape, seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape).astype(dtype),
            rng.uniform(-1.3, 1.3, grid_shape).astype(dtype))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [True, False])
def test_grid_sample_2d(mode, padding_mode, align_corners):
    x, g = _data((2, 3, 5, 6), (2, 4, 7, 2))
    compare(lambda lib, x, g: lib.nn.functional.grid_sample(
        x, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners), x, g)


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [True, False])
def test_grid_sample_3d(mode, padding_mode, align_corners):
    x, g = _data((2, 2, 3, 4, 5), (2, 3, 2, 4, 3), seed=1)
    compare(lambda lib, x, g: lib.nn.functional.grid_sample(
        x, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners), x, g)


def test_grid_sample_float32_and_far_points():
    x, g = _data((1, 2, 4, 4), (1, 3, 5, 2), seed=2, dtype="float32")
    g[0, 0, :, 0] = np.linspace(-7, 7, 5)             # many reflections, far outside
    for padding_mode in PADDINGS:
        compare(lambda lib, x, g: lib.nn.functional.grid_sample(
            x, g, padding_mode=padding_mode, align_corners=False), x, g, rtol=1e-4, atol=1e-5)


def test_grid_sample_gradcheck():
    x, g = _data((1, 2, 3, 4), (1, 2, 3, 2), seed=3)
    for mode in ("bilinear", "bicubic"):
        gradcheck(lambda lib, x, g: lib.nn.functional.grid_sample(
            x, g, mode=mode, padding_mode="border", align_corners=True), x, g, double=False)


def test_grid_sample_size_one_axis_align_corners():
    x, g = _data((1, 1, 1, 3), (1, 2, 2, 2), seed=4)
    compare(lambda lib, x, g: lib.nn.functional.grid_sample(
        x, g, padding_mode="reflection", align_corners=True), x, g)


def test_grid_sample_gradient_is_recorded():
    x, g = _data((1, 2, 3, 4), (1, 2, 3, 2), seed=5)

    def run(lib):
        xt = lib.tensor(x, requires_grad=True)
        gt = lib.tensor(g, requires_grad=True)
        out = lib.nn.functional.grid_sample(xt, gt, align_corners=False)
        gx, gg = lib.autograd.grad(out.sum(), (xt, gt), create_graph=True)
        return gx.detach().numpy(), gg.detach().numpy(), gx.requires_grad
    e, t = run(ember), run(torch)
    np.testing.assert_allclose(e[0], t[0], atol=1e-12)
    np.testing.assert_allclose(e[1], t[1], atol=1e-12)
    assert e[2] == t[2]


def test_grid_sample_default_align_corners_warns():
    x, g = _data((1, 1, 2, 2), (1, 1, 1, 2), dtype="float32")
    same_warnings(lambda lib, x, g: lib.nn.functional.grid_sample(x, g), x, g, torch_warns=True)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4), lib.zeros(1, 5, 6, 2),
                                              mode="foo"),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4), lib.zeros(1, 5, 6, 2),
                                              padding_mode="foo"),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4), lib.zeros(1, 5, 6, 3),
                                              align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4), lib.zeros(2, 5, 6, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4), lib.zeros(1, 5, 6),
                                              align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4, 5), lib.zeros(1, 5, 6, 2, 3),
                                              mode="bicubic", align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4),
                                              lib.zeros(1, 5, 6, 2, dtype=lib.float64),
                                              align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 3, 4, dtype=lib.long),
                                              lib.zeros(1, 5, 6, 2, dtype=lib.long),
                                              align_corners=False),
    lambda lib: lib.nn.functional.grid_sample(lib.zeros(1, 2, 0, 4), lib.zeros(1, 5, 6, 2),
                                              align_corners=False),
])
def test_grid_sample_errors(case):
    same_error(case)


@pytest.mark.filterwarnings("ignore:Since version 1.3.0")
@pytest.mark.parametrize("align_corners", [True, False])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 3, 4, 5), (2, 1, 1, 3)])
def test_affine_grid(align_corners, size):
    rng = np.random.default_rng(6)
    theta = rng.standard_normal((2, len(size) - 2, len(size) - 1))
    compare(lambda lib, t: lib.nn.functional.affine_grid(t, size, align_corners=align_corners),
            theta)


def test_affine_grid_then_grid_sample():
    rng = np.random.default_rng(7)
    theta = np.array([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.2]]]) + rng.normal(0, 0.01, (1, 2, 3))
    image = rng.standard_normal((1, 3, 6, 6))

    def warp(lib, t, x):
        grid = lib.nn.functional.affine_grid(t, (1, 3, 5, 4), align_corners=False)
        return lib.nn.functional.grid_sample(x, grid, align_corners=False)
    compare(warp, theta, image)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 2, 2, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 3, 4), (1, 1, 2, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3, dtype=lib.long), (1, 1, 2, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 2, 2, 2, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), (1, 1, 0, 2),
                                              align_corners=False),
    lambda lib: lib.nn.functional.affine_grid(lib.zeros(2, 2, 3), (1, 1, 3, 2),
                                              align_corners=False),
])
def test_affine_grid_errors(case):
    same_error(case)


def test_affine_grid_warnings():
    theta = np.zeros((1, 2, 3), "float32")
    same_warnings(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 2, 2)), theta,
                  torch_warns=True)
    same_warnings(lambda lib, t: lib.nn.functional.affine_grid(t, (1, 1, 1, 2),
                                                               align_corners=True), theta,
                  torch_warns=True)
