"""softmax, log_softmax, softmin (tensor, top-level and ``F.`` forms) against torch: values,
node names, gradients (first and second order), dtypes, the implicit-dim warning, errors."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember
from parity import compare, gradcheck, same_error, same_warnings

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=30, deadline=None)


def functional(lib):
    return lib.nn.functional


@SETTINGS
@given(st.data())
def test_softmax_family(data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    x = data.draw(hnp.arrays(np.float32, shape, elements=st.floats(-30, 30, width=32)))
    n = max(x.ndim, 1)
    dim = data.draw(st.integers(-n, n - 1))
    compare(lambda lib, t: t.softmax(dim), x)
    compare(lambda lib, t: lib.log_softmax(t, dim), x, rtol=1e-4, atol=1e-5)
    compare(lambda lib, t: functional(lib).softmin(t, dim), x)
    compare(lambda lib, t: functional(lib).log_softmax(t, dim=dim, dtype=lib.float64), x)
    compare(lambda lib, t: lib.softmax(t, dim, dtype=lib.float64), x)


def test_large_and_infinite_inputs():
    x = np.array([[1000.0, 0.0, -1000.0], [-np.inf, 1.0, 2.0], [-np.inf, -np.inf, -np.inf],
                  [np.inf, 1.0, 0.0]], np.float32)
    compare(lambda lib, t: t.softmax(1), x[:2])
    compare(lambda lib, t: t.log_softmax(1), x[:2])
    compare(lambda lib, t: t.softmax(1), x, grad=False)
    compare(lambda lib, t: t.log_softmax(-1), x, grad=False)


def test_second_order_and_gradcheck():
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    compare(lambda lib, t: t.softmax(1) * t, x, double=True, rtol=1e-4)
    compare(lambda lib, t: t.log_softmax(0) ** 2, x, double=True, rtol=1e-4)
    gradcheck(lambda lib, t: t.softmax(1), x)
    gradcheck(lambda lib, t: t.log_softmax(0), x)
    gradcheck(lambda lib, t: functional(lib).softmin(t, 1), x)


def test_half_precision_and_dtype_argument():
    x = np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]], np.float32)
    compare(lambda lib, t: t.half().softmax(1), x, rtol=1e-3, atol=1e-3)
    compare(lambda lib, t: t.half().log_softmax(0), x, rtol=1e-3, atol=1e-3)
    compare(lambda lib, t: t.long().softmax(1, dtype=lib.float32), x, grad=False)
    compare(lambda lib, t: functional(lib).softmin(t.long(), 1, dtype=lib.float64), x,
            grad=False)
    compare(lambda lib, t: lib.softmax(t, 1, lib.float64), x)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (2, 3, 2, 2)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_implicit_dim(shape, name):
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(lambda lib, t: getattr(functional(lib), name)(t), x, rtol=1e-4)
    same_warnings(lambda lib, t: getattr(functional(lib), name)(t), x)


def test_implicit_dim_warning_points_at_the_caller():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember.nn.functional.softmax(ember.ones(2, 3))
    assert caught[0].filename == __file__


def test_errors():
    x = np.arange(6).reshape(2, 3)
    for name in ("softmax", "log_softmax"):
        same_error(lambda lib, t: getattr(t, name)(1), x)
        same_error(lambda lib, t: getattr(t, name)(0), x)
        same_error(lambda lib, t: getattr(lib, name)(t.bool(), -1), x)
        same_error(lambda lib, t: getattr(t.float(), name)(2), x)
        same_error(lambda lib, t: getattr(t.float(), name)(1, dtype=lib.int64), x)
        same_error(lambda lib, t: getattr(t.float(), name)("a"), x)
        same_error(lambda lib, t: getattr(functional(lib), name)(t.float(), 1.5), x)
    compare(lambda lib, t: t[:0].softmax(0), x, grad=False)


def test_gumbel_softmax():
    logits = ember.randn(4, 5, requires_grad=True)
    soft = ember.nn.functional.gumbel_softmax(logits, tau=0.5)
    assert type(soft.grad_fn).__name__ == "SoftmaxBackward0"
    np.testing.assert_allclose(soft.detach().numpy().sum(1), 1, rtol=1e-5)
    hard = ember.nn.functional.gumbel_softmax(logits, hard=True, dim=0)
    assert sorted(np.unique(hard.detach().numpy()).tolist()) == [0.0, 1.0]
    assert (hard.detach().numpy().sum(0) == 1).all()
    hard.sum().backward()
    assert logits.grad is not None and logits.grad.shape == logits.shape
