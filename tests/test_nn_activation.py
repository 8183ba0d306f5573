"""Activation modules against torch: reprs, outputs, node names and gradients (in place on
non-leaf inputs too), PReLU's parameter, RReLU in both modes, the softmax family's dim
handling, errors and state_dict keys."""
import warnings
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
import ember.nn as nn
from parity import assert_close, backward_both, node_name

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=20, deadline=None)

# (class name, constructor arguments); every entry is built in ember and in torch.
CASES = [
    ("ReLU", ()), ("ReLU", (True,)), ("ReLU6", ()), ("ReLU6", (True,)),
    ("LeakyReLU", ()), ("LeakyReLU", (0.2, True)), ("ELU", ()), ("ELU", (0.5, True)),
    ("SELU", ()), ("SELU", (True,)), ("CELU", ()), ("CELU", (2.0,)), ("GELU", ()),
    ("GELU", ("tanh",)), ("SiLU", ()), ("SiLU", (True,)), ("Mish", ()), ("Sigmoid", ()),
    ("Tanh", ()), ("Hardtanh", ()), ("Hardtanh", (-2.0, 0.5)), ("Hardtanh", (-1.0, 1.0, True)),
    ("Hardsigmoid", ()), ("Hardsigmoid", (True,)), ("Hardswish", ()), ("Hardswish", (True,)),
    ("Hardshrink", ()), ("Hardshrink", (0.3,)), ("Softshrink", ()), ("Softshrink", (0.3,)),
    ("Tanhshrink", ()), ("Threshold", (0.1, 20.0)), ("Threshold", (0.1, 20, True)),
    ("Softplus", ()), ("Softplus", (2.0, 5.0)), ("Softsign", ()), ("LogSigmoid", ()),
    ("GLU", ()), ("GLU", (1,)), ("Softmax", (1,)), ("Softmax", (-1,)), ("Softmin", (0,)),
    ("LogSoftmax", (1,)), ("Softmax2d", ()), ("RReLU", ()), ("RReLU", (0.1, 0.3, True)),
]


def make(name, args):
    return getattr(nn, name)(*args), getattr(torch.nn, name)(*args)


# Float64 inputs unless a test says otherwise: tighter tolerances than parity's defaults.
close = partial(assert_close, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name, args", CASES)
def test_repr_and_state_dict(name, args):
    module_e, module_t = make(name, args)
    assert repr(module_e) == repr(module_t)
    assert list(module_e.state_dict()) == list(module_t.state_dict()) == []


@pytest.mark.parametrize("name, args", CASES)
@SETTINGS
@given(data=st.data())
def test_forward_and_backward_match_torch(name, args, data):
    module_e, module_t = make(name, args)
    module_e.eval()
    module_t.eval()                          # RReLU is deterministic in eval mode
    # Even sizes: GLU halves a dimension.  3 or 4 dimensions: Softmax2d's input.
    shape = data.draw(st.lists(st.integers(1, 2).map(lambda n: 2 * n), min_size=3, max_size=4))
    x = data.draw(st.integers(0, 1000).map(
        lambda seed: np.random.default_rng(seed).standard_normal(shape) * 3))
    xe = ember.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    # In-place modules need a non-leaf input, as in torch.
    out_e, out_t = module_e(xe * 1), module_t(xt * 1)
    close(out_e, out_t)
    assert node_name(out_e) == node_name(out_t)
    backward_both(out_e, out_t, 1)
    close(xe.grad, xt.grad)


def test_relu_inplace_on_a_non_leaf_prints_like_torch():
    a = ember.tensor(3.0, requires_grad=True)
    b = a * 2 + 1
    out = nn.ReLU(True)(b)
    assert out is b
    assert repr(out) == "tensor(7., grad_fn=<ReluBackward0>)"
    at = torch.tensor(3.0, requires_grad=True)
    assert repr(out) == repr(torch.nn.ReLU(True)(at * 2 + 1))


def test_inplace_on_a_leaf_that_requires_grad_fails():
    with pytest.raises(RuntimeError) as info:
        nn.ReLU(inplace=True)(ember.ones(3, requires_grad=True))
    assert str(info.value) == ("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_parameter_and_gradients(num_parameters):
    module_e, module_t = nn.PReLU(num_parameters), torch.nn.PReLU(num_parameters)
    assert repr(module_e) == repr(module_t) == "PReLU(num_parameters={})".format(num_parameters)
    assert list(module_e.state_dict()) == ["weight"]
    assert module_e.weight.tolist() == [0.25] * num_parameters
    assert nn.PReLU(2, init=0.1).weight.tolist() == pytest.approx([0.1, 0.1])
    with ember.no_grad():
        module_e.weight.copy_(ember.tensor(np.linspace(0.1, 0.5, num_parameters),
                                           dtype=ember.float32))
    with torch.no_grad():
        module_t.weight.copy_(torch.tensor(np.linspace(0.1, 0.5, num_parameters)))
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_e, out_t = module_e(xe), module_t(xt)
    close(out_e, out_t, rtol=1e-6, atol=1e-7)
    out_e.sum().backward()
    out_t.sum().backward()
    close(xe.grad, xt.grad)
    close(module_e.weight.grad, module_t.weight.grad, rtol=1e-5, atol=1e-6)


def test_rrelu_training_draws_slopes_between_bounds():
    x = -ember.ones(2000)
    out = nn.RReLU(0.1, 0.3)(x).numpy()
    assert np.all((out <= -0.1 + 1e-7) & (out >= -0.3 - 1e-7))
    assert abs(out.mean() + 0.2) < 0.01
    assert nn.RReLU(0.1, 0.3).eval()(x).tolist() == pytest.approx([-0.2] * 2000)


def test_softmax_without_dim_warns_like_torch():
    x = np.random.default_rng(0).standard_normal((2, 3))
    for name in ["Softmax", "Softmin", "LogSoftmax"]:
        with warnings.catch_warnings(record=True) as ours:
            warnings.simplefilter("always")
            out_e = getattr(nn, name)()(ember.tensor(x))
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            out_t = getattr(torch.nn, name)()(torch.tensor(x))
        close(out_e, out_t)
        assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
        assert [w.category for w in ours] == [w.category for w in theirs]


def test_errors():
    with pytest.raises(ValueError) as info:
        nn.Softmax2d()(ember.randn(2, 3))
    assert str(info.value) == "Softmax2d: expected input to be 3D or 4D, got 2D instead"
    with pytest.raises(AssertionError) as info:
        nn.Hardtanh(1.0, -1.0)
    assert str(info.value) == "max_val (-1.0) must be greater than min_val (1.0)"
    with pytest.warns(FutureWarning, match="`min_value` is deprecated"):
        assert nn.Hardtanh(min_value=-2.0).min_val == -2.0


def test_attributes_match_torch():
    for name, args in CASES:
        module_e, module_t = make(name, args)
        for attr in ["inplace", "negative_slope", "alpha", "dim", "approximate", "lambd",
                     "min_val", "max_val", "threshold", "value", "beta", "lower", "upper"]:
            assert getattr(module_e, attr, None) == getattr(module_t, attr, None), (name, attr)
