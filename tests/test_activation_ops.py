"""Activation functions (ember/_ops/activation.py, activation_smooth.py, ``ember.nn.functional``)
against torch: values, gradients at the kinks, graph node names (also of the in-place forms),
stability for large inputs, error texts, gradcheck."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402

import ember  # noqa: E402
import ember.nn.functional as EF  # noqa: E402
from parity import compare, gradcheck, same_error  # noqa: E402

# NumPy's inf/nan warnings, which ember silences with a filter that pytest's collection drops
# (test_arithmetic checks in a fresh process that none reach the user)
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered:RuntimeWarning")


def F(lib):
    return EF if lib is ember else TF


# points on and around every kink: 0, +-0.5 (shrink), +-1 (hardtanh), +-3, 6, 20 (softplus)
EDGES = np.array([-30.0, -6.0, -3.0001, -3.0, -2.9999, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0,
                  2.9999, 3.0, 3.0001, 6.0, 6.5, 19.9, 20.0, 20.1, 40.0])

ACTIVATIONS = {
    "relu": lambda f, x: f.relu(x),
    "relu6": lambda f, x: f.relu6(x),
    "leaky_relu": lambda f, x: f.leaky_relu(x),
    "leaky_relu_slope": lambda f, x: f.leaky_relu(x, -0.5),
    "elu": lambda f, x: f.elu(x),
    "elu_alpha": lambda f, x: f.elu(x, -0.7),
    "selu": lambda f, x: f.selu(x),
    "celu": lambda f, x: f.celu(x, 2.0),
    "gelu": lambda f, x: f.gelu(x),
    "gelu_tanh": lambda f, x: f.gelu(x, approximate="tanh"),
    "silu": lambda f, x: f.silu(x),
    "mish": lambda f, x: f.mish(x),
    "hardtanh": lambda f, x: f.hardtanh(x),
    "hardtanh_range": lambda f, x: f.hardtanh(x, -0.5, 3.0),
    "hardsigmoid": lambda f, x: f.hardsigmoid(x),
    "hardswish": lambda f, x: f.hardswish(x),
    "hardshrink": lambda f, x: f.hardshrink(x),
    "hardshrink_lambd": lambda f, x: f.hardshrink(x, 1.0),
    "softshrink": lambda f, x: f.softshrink(x),
    "softshrink_lambd": lambda f, x: f.softshrink(x, 0.0),
    "tanhshrink": lambda f, x: f.tanhshrink(x),
    "threshold": lambda f, x: f.threshold(x, 0.25, -2.0),
    "softplus": lambda f, x: f.softplus(x),
    "softplus_beta": lambda f, x: f.softplus(x, 2.0, 10.0),
    "softplus_small_beta": lambda f, x: f.softplus(x, 0.5),
    "softsign": lambda f, x: f.softsign(x),
    "logsigmoid": lambda f, x: f.logsigmoid(x),
    "sigmoid": lambda f, x: f.sigmoid(x),
    "tanh": lambda f, x: f.tanh(x),
    "rrelu_eval": lambda f, x: f.rrelu(x),
    "rrelu_eval_bounds": lambda f, x: f.rrelu(x, 0.1, 0.6),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activations_match_torch(name, dtype):
    fn = ACTIVATIONS[name]
    compare(lambda lib, x: fn(F(lib), x), EDGES.astype(dtype), atol=1e-6)
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(dtype) * 3
    compare(lambda lib, x: fn(F(lib), x), x)


# torch has no second derivative of hardsigmoid ("derivative for hardsigmoid_backward is not
# implemented"); the other piecewise-linear ones have a second derivative of 0
TWICE = sorted(n for n in ACTIVATIONS if n != "hardsigmoid")


@pytest.mark.parametrize("name", TWICE)
def test_second_derivatives_match_torch(name):
    x = np.random.default_rng(1).standard_normal((2, 5)) * 3
    compare(lambda lib, t: ACTIVATIONS[name](F(lib), t), x, double=True)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", ["int64", "bool", "float16"])
def test_other_dtypes(name, dtype):
    x = np.array([-2, 0, 1, 3, 7]).astype(dtype)
    fn = lambda lib, t: ACTIVATIONS[name](F(lib), t)              # noqa: E731
    try:
        fn(torch, torch.tensor(x))
    except Exception:                                            # noqa: BLE001
        same_error(fn, x)
        return
    compare(fn, x, rtol=2e-3, atol=2e-3)


def test_large_inputs_stay_finite():
    x = np.array([-1e4, -800.0, -100.0, 0.0, 100.0, 800.0, 1e4])
    for name in ("softplus", "logsigmoid", "silu", "mish", "gelu", "elu", "sigmoid", "selu",
                 "softplus_beta"):
        for dtype in ("float32", "float64"):
            re, rt = compare(lambda lib, t: ACTIVATIONS[name](F(lib), t), x.astype(dtype))
            assert np.all(np.isfinite(re.detach().numpy()))


# ---------------------------------------------------------------- in-place forms

INPLACE = {
    "relu": lambda f, x: f.relu(x, inplace=True),
    "relu_": lambda f, x: f.relu_(x),
    "relu6": lambda f, x: f.relu6(x, inplace=True),
    "leaky_relu": lambda f, x: f.leaky_relu(x, 0.2, inplace=True),
    "leaky_relu_": lambda f, x: f.leaky_relu_(x, 0.2),
    "elu": lambda f, x: f.elu(x, 0.5, inplace=True),
    "elu_": lambda f, x: f.elu_(x),
    "selu": lambda f, x: f.selu(x, inplace=True),
    "selu_": lambda f, x: f.selu_(x),
    "celu": lambda f, x: f.celu(x, 1.5, inplace=True),
    "celu_": lambda f, x: f.celu_(x),
    "silu": lambda f, x: f.silu(x, inplace=True),
    "mish": lambda f, x: f.mish(x, inplace=True),
    "hardtanh": lambda f, x: f.hardtanh(x, -0.5, 0.5, inplace=True),
    "hardtanh_": lambda f, x: f.hardtanh_(x),
    "hardsigmoid": lambda f, x: f.hardsigmoid(x, inplace=True),
    "hardswish": lambda f, x: f.hardswish(x, inplace=True),
    "threshold": lambda f, x: f.threshold(x, 0.1, 20.0, inplace=True),
    "threshold_": lambda f, x: f.threshold_(x, 0.1, -20.0),
    "rrelu": lambda f, x: f.rrelu(x, inplace=True),
    "rrelu_": lambda f, x: f.rrelu_(x),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_forms(name):
    """The input is overwritten and returned; on a non-leaf the node is torch's (EluBackward1,
    LeakyReluBackward1, ... where torch computes the gradient from the output)."""
    def fn(lib, x):
        y = x * 1
        out = INPLACE[name](F(lib), y)
        assert out is y
        return y
    compare(fn, np.array([[-2.0, -0.3, 0.0], [0.05, 0.4, 3.0]]))
    for lib in (torch, ember):
        x = lib.tensor([-1.0, 2.0])
        assert INPLACE[name](F(lib), x) is x
        assert x._version == 1


def test_inplace_on_a_leaf_that_requires_grad():
    same_error(lambda lib, x: F(lib).relu(x.requires_grad_(), inplace=True), np.ones(3))
    same_error(lambda lib, x: F(lib).elu_(x.requires_grad_()), np.ones(3))


@pytest.mark.parametrize("fn", [
    lambda lib, x: F(lib).leaky_relu(x * 1, -0.5, inplace=True).sum().backward(),
    lambda lib, x: F(lib).elu(x * 1, -0.5, inplace=True).sum().backward(),
])
def test_inplace_with_a_negative_slope_cannot_backward(fn):
    same_error(lambda lib, x: fn(lib, x.requires_grad_()), np.array([-1.0, 2.0]))


def test_saved_output_modified_after_inplace_activation():
    """The in-place node saved its output, which is the tensor itself: changing it again makes
    the backward pass refuse."""
    def fn(lib, x):
        y = (x.requires_grad_() * 1).exp_()
        y.mul_(2)
        y.sum().backward()
    same_error(fn, np.array([-1.0, 2.0]))
    x = ember.tensor([-1.0, 2.0], requires_grad=True)
    y = EF.elu(x * 1, inplace=True)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# ---------------------------------------------------------------- glu, prelu, rrelu


@pytest.mark.parametrize("shape, dim", [((4,), -1), ((2, 6), 1), ((4, 3), 0), ((2, 2, 4), -1),
                                        ((2, 4, 3), 1)])
def test_glu(shape, dim):
    x = np.random.default_rng(0).standard_normal(shape)
    compare(lambda lib, t: F(lib).glu(t, dim), x, double=True)


@pytest.mark.parametrize("x_shape, w_shape", [((2, 3), (3,)), ((2, 3), (1,)), ((2, 3, 4, 5), (3,)),
                                              ((2, 3, 4), ()), ((5,), (1,)), ((), (1,)),
                                              ((4, 1, 2), (1,))])
def test_prelu(x_shape, w_shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.uniform(-0.5, 0.5, w_shape).astype(np.float32)
    compare(lambda lib, t, a: F(lib).prelu(t, a), x, w)
    compare(lambda lib, t, a: t.prelu(a), x, w)


@pytest.mark.parametrize("fn", [
    lambda lib, x: F(lib).glu(x, 1), lambda lib, x: F(lib).glu(x[0, 0]),
    lambda lib, x: F(lib).glu(x, 2), lambda lib, x: F(lib).glu(x.long(), 0),
    lambda lib, x: F(lib).prelu(x, lib.ones(2)), lambda lib, x: F(lib).prelu(x, lib.ones(1, 3)),
    lambda lib, x: F(lib).prelu(x, lib.ones(3, dtype=lib.float64)),
    lambda lib, x: F(lib).rrelu(x, 0.5, 0.2), lambda lib, x: F(lib).rrelu(x, 0.5, 0.2, True),
    lambda lib, x: F(lib).hardtanh(x, 1.0, -1.0), lambda lib, x: F(lib).softshrink(x, -0.5),
    lambda lib, x: F(lib).softshrink(x.double(), -1.0),
    lambda lib, x: F(lib).gelu(x, approximate="bad"), lambda lib, x: F(lib).celu(x, 0.0),
    lambda lib, x: F(lib).elu(x.long()), lambda lib, x: F(lib).relu6(x.bool()),
])
def test_error_texts(fn):
    same_error(fn, np.ones((2, 3), np.float32))


def test_rrelu_while_training():
    ember.manual_seed(3)
    x = ember.tensor(np.linspace(-3, 3, 400), requires_grad=True)
    y = EF.rrelu(x * 1, 0.1, 0.3, training=True)
    assert type(y.grad_fn).__name__ == "RreluWithNoiseBackward0"
    y.sum().backward()
    xs, ys, gs = x.detach().numpy(), y.detach().numpy(), x.grad.numpy()
    positive = xs > 0
    assert np.array_equal(ys[positive], xs[positive]) and np.all(gs[positive] == 1)
    slopes = ys[~positive & (xs != 0)] / xs[~positive & (xs != 0)]
    assert np.all((slopes >= 0.1) & (slopes <= 0.3)) and len(np.unique(slopes)) > 100
    np.testing.assert_allclose(gs[~positive & (xs != 0)], slopes, rtol=1e-12)
    ember.manual_seed(3)
    again = EF.rrelu(x.detach(), 0.1, 0.3, training=True)
    assert np.array_equal(again.numpy(), ys)


# ---------------------------------------------------------------- names and gradcheck


def test_public_names_follow_torch():
    for name in ("relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu",
                 "selu_", "celu", "celu_", "gelu", "silu", "mish", "hardtanh", "hardtanh_",
                 "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink",
                 "threshold", "threshold_", "softplus", "softsign", "logsigmoid", "glu", "prelu",
                 "rrelu", "rrelu_", "sigmoid", "tanh"):
        assert hasattr(EF, name), name
        assert hasattr(ember, name) == hasattr(torch, name), name
        assert hasattr(ember.Tensor, name) == hasattr(torch.Tensor, name), name


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish",
                                  "softplus", "softplus_beta", "logsigmoid", "leaky_relu",
                                  "hardswish", "hardsigmoid", "softshrink", "hardshrink",
                                  "hardtanh_range", "threshold", "tanhshrink", "softsign",
                                  "rrelu_eval"])
def test_gradcheck(name):
    x = np.array([[-2.3, -0.7, 0.15], [0.8, 1.9, 4.2]])
    gradcheck(lambda lib, t: ACTIVATIONS[name](F(lib), t), x)


def test_gradcheck_glu_prelu():
    rng = np.random.default_rng(0)
    gradcheck(lambda lib, t: F(lib).glu(t, 1), rng.standard_normal((2, 4)))
    gradcheck(lambda lib, t, w: F(lib).prelu(t, w), rng.standard_normal((2, 3, 2)),
              np.array([0.2, -0.3, 0.5]))
