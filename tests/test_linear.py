"""Identity, Linear, Bilinear, Flatten and Unflatten against torch."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, assert_close, node_name, same, same_error

torch = pytest.importorskip("torch")


def copy_params(src, dst):
    """Copies the parameters of a torch module into the matching ember module (or back)."""
    lib = ember if isinstance(dst, ember.nn.Module) else torch
    with lib.no_grad():
        for (name, p), (name2, q) in zip(src.named_parameters(), dst.named_parameters()):
            assert name == name2
            q.copy_(lib.tensor(arr(p)))


# ---------------------------------------------------------------- Linear


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(st.integers(1, 4), min_size=0, max_size=3),
       n_in=st.integers(1, 6), n_out=st.integers(1, 6), bias=st.booleans(),
       seed=st.integers(0, 2 ** 16))
def test_linear_matches_torch(batch, n_in, n_out, bias, seed):
    t_layer = torch.nn.Linear(n_in, n_out, bias=bias)
    e_layer = ember.nn.Linear(n_in, n_out, bias=bias)
    copy_params(t_layer, e_layer)
    x = np.random.default_rng(seed).standard_normal(batch + [n_in]).astype(np.float32)
    xe = ember.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ye, yt = e_layer(xe), t_layer(xt)
    assert tuple(ye.shape) == tuple(yt.shape)
    assert_close(ye, yt)
    g = np.random.default_rng(seed + 1).standard_normal(tuple(yt.shape)).astype(np.float32)
    ye.backward(ember.tensor(g))
    yt.backward(torch.tensor(g))
    assert_close(xe.grad, xt.grad)
    assert_close(e_layer.weight.grad, t_layer.weight.grad, rtol=1e-4, atol=1e-5)
    if bias:
        assert_close(e_layer.bias.grad, t_layer.bias.grad, rtol=1e-4, atol=1e-5)
    if len(batch) == 1:
        assert node_name(ye) == node_name(yt)


def test_linear_2d_is_one_addmm_node():
    out = ember.nn.Linear(3, 2)(ember.ones(4, 3))
    assert type(out.grad_fn).__name__ == "AddmmBackward0"
    assert type(ember.nn.Linear(3, 2, bias=False)(ember.ones(4, 3)).grad_fn).__name__ == \
        "MmBackward0"


def test_linear_attributes_repr_and_state_dict():
    def run(lib):
        nn = lib.nn
        m = nn.Linear(3, 1)
        n = nn.Linear(2, 3, bias=False, dtype=lib.float64)
        return (repr(m), repr(n), str(m), m.in_features, m.out_features, tuple(m.weight.shape),
                tuple(m.bias.shape), type(m.weight).__name__, m.weight.requires_grad,
                list(m.state_dict()), list(n.state_dict()), n.bias, str(n.weight.dtype),
                [name for name, _ in m.named_parameters()])
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.Linear(4, 2)(lib.ones(3, 5)),
    lambda lib: lib.nn.Linear(4, 2)(lib.ones(5)),
    lambda lib: lib.nn.Linear(4, 2)(lib.ones(2, 3, 5)),
    lambda lib: lib.nn.Linear(4, 2)(lib.ones(3, 4, dtype=lib.float64)),
    lambda lib: lib.nn.Linear(4, 2)(lib.ones(3, 4, dtype=lib.int64)),
], ids=["2d", "1d", "3d", "double", "long"])
def test_linear_errors(case):
    same_error(case)


def test_linear_default_init_bounds():
    lin = ember.nn.Linear(100, 2000)
    w, b = arr(lin.weight), arr(lin.bias)
    bound = 1 / math.sqrt(100)
    assert -bound <= w.min() < -0.99 * bound and 0.99 * bound < w.max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound
    assert -bound <= b.min() < -0.95 * bound and 0.95 * bound < b.max() <= bound
    ref = torch.nn.Linear(100, 2000)
    assert abs(w.std() - ref.weight.detach().numpy().std()) < 0.02 * bound
    old = w.copy()
    lin.reset_parameters()
    assert not np.array_equal(old, arr(lin.weight))
    assert -bound <= arr(lin.weight).min() and arr(lin.weight).max() <= bound


def test_linear_zero_in_features_warns_like_torch():
    def run(lib):
        import warnings
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = lib.nn.Linear(0, 3)
        return [str(c.message) for c in w], arr(m.bias).tolist(), repr(m)
    same(run)


def test_linear_trains_in_float64():
    def run(lib):
        m = lib.nn.Linear(2, 1).double()
        with lib.no_grad():
            m.weight.copy_(lib.tensor([[0.5, -1.0]]))
            m.bias.fill_(0.25)
        x = lib.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=lib.float64)
        out = m(x)
        out.sum().backward()
        return str(out.dtype), arr(out).tolist(), arr(m.weight.grad).tolist(), \
            arr(m.bias.grad).tolist()
    same(run)


# ---------------------------------------------------------------- Identity


def test_identity():
    def run(lib):
        m = lib.nn.Identity(54, unused="argument")
        x = lib.ones(2, requires_grad=True)
        return repr(m), m(x) is x, list(m.parameters())
    e = same(run)
    assert e[1]


# ---------------------------------------------------------------- Bilinear


@settings(max_examples=15, deadline=None)
@given(batch=st.integers(1, 4), n1=st.integers(1, 4), n2=st.integers(1, 4),
       n_out=st.integers(1, 4), bias=st.booleans(), seed=st.integers(0, 2 ** 16))
def test_bilinear_matches_torch(batch, n1, n2, n_out, bias, seed):
    t_layer = torch.nn.Bilinear(n1, n2, n_out, bias=bias)
    e_layer = ember.nn.Bilinear(n1, n2, n_out, bias=bias)
    copy_params(t_layer, e_layer)
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((batch, n1)).astype(np.float32)
    b = rng.standard_normal((batch, n2)).astype(np.float32)
    ae, be = ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)
    at, bt = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ye, yt = e_layer(ae, be), t_layer(at, bt)
    assert_close(ye, yt)
    ye.sum().backward()
    yt.sum().backward()
    assert_close(ae.grad, at.grad, rtol=1e-4, atol=1e-5)
    assert_close(be.grad, bt.grad, rtol=1e-4, atol=1e-5)
    assert_close(e_layer.weight.grad, t_layer.weight.grad, rtol=1e-4, atol=1e-5)


def test_bilinear_repr_and_init():
    same(lambda lib: (repr(lib.nn.Bilinear(2, 3, 4)), repr(lib.nn.Bilinear(2, 3, 4, bias=False)),
                      list(lib.nn.Bilinear(2, 3, 4).state_dict()),
                      tuple(lib.nn.Bilinear(2, 3, 4).weight.shape)))
    m = ember.nn.Bilinear(25, 3, 500)
    bound = 1 / 5
    for p in (arr(m.weight), arr(m.bias)):
        assert -bound <= p.min() < -0.9 * bound and 0.9 * bound < p.max() <= bound


# ---------------------------------------------------------------- Flatten / Unflatten


def test_flatten_and_unflatten():
    def run(lib):
        nn = lib.nn
        x = lib.arange(24.0).reshape(2, 3, 4).requires_grad_()
        a = nn.Flatten()(x)
        b = nn.Flatten(0, 1)(x)
        c = nn.Unflatten(1, (3, 1, 1))(a.reshape(2, 3, 4)[:, :, 0])
        d = nn.Unflatten(-1, [2, -1])(x)
        (a.sum() + b.sum() + c.sum() + d.sum()).backward()
        return ([tuple(t.shape) for t in (a, b, c, d)], arr(x.grad).tolist(),
                [type(t.grad_fn).__name__ for t in (a, b, d)],
                repr(nn.Flatten()), repr(nn.Flatten(0, 2)), repr(nn.Unflatten(1, (2, 3))),
                repr(nn.Unflatten(1, [2, 3])))
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.Flatten()(lib.ones(3)),
    lambda lib: lib.nn.Flatten(2, 1)(lib.ones(2, 3, 4)),
    lambda lib: lib.nn.Unflatten(1, (2, "a")),
    lambda lib: lib.nn.Unflatten(1, 6),
    lambda lib: lib.nn.Unflatten(1, (4, 2))(lib.ones(4, 6)),
], ids=["flatten-dim", "flatten-order", "unflatten-element", "unflatten-type",
        "unflatten-size"])
def test_flatten_errors(case):
    same_error(case)
