"""Gradients of gradients through nn.RNN, nn.LSTM and nn.GRU (create_graph=True, e.g. a
gradient penalty) against torch: every layout the layers accept."""
import numpy as np
import pytest

import ember
from parity import gradcheck

torch = pytest.importorskip("torch")

LAYERS = [
    ("RNN", {}), ("RNN", dict(nonlinearity="relu")), ("LSTM", {}), ("LSTM", dict(proj_size=2)),
    ("GRU", {}), ("GRU", dict(bias=False)),
]


def _penalty(lib, name, kwargs, dtype="float64", batch_first=False, packed=False, states=False):
    """A gradient penalty: |d(sum y^2)/dx|^2, backpropagated to everything."""
    lib.manual_seed(0)
    dt = getattr(lib, dtype)
    m = getattr(lib.nn, name)(3, 4, num_layers=2, bidirectional=True, batch_first=batch_first,
                              **kwargs).to(dt)
    rng = np.random.default_rng(1)
    data = rng.standard_normal((2, 5, 3) if batch_first else (5, 2, 3))
    x = lib.tensor(data, dtype=dt, requires_grad=True)
    extra = ()
    if states:
        out_size = 2 if kwargs.get("proj_size") else 4
        h0 = lib.tensor(rng.standard_normal((4, 2, out_size)), dtype=dt, requires_grad=True)
        if name == "LSTM":
            c0 = lib.tensor(rng.standard_normal((4, 2, 4)), dtype=dt, requires_grad=True)
            extra = ((h0, c0),)
        else:
            extra = (h0,)
    inp = x
    if packed:
        inp = lib.nn.utils.rnn.pack_padded_sequence(x, [5, 3], batch_first=batch_first)
    out, hidden = m(inp, *extra)
    if packed:
        out = out.data
    last = hidden[0] if name == "LSTM" else hidden
    loss = out.pow(2).sum() + last.pow(3).sum()
    wrt = [x] + [t for pair in extra for t in (pair if isinstance(pair, tuple) else (pair,))]
    grads = lib.autograd.grad(loss, wrt, create_graph=True)
    penalty = sum((g ** 2).sum() for g in grads)
    penalty.backward()
    return ([penalty.item()] + [g.detach().numpy() for g in grads]
            + [p.grad.numpy() for _, p in m.named_parameters()] + [t.grad.numpy() for t in wrt])


def _same(e, t, rtol):
    assert len(e) == len(t)
    for a, b in zip(e, t):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name, kwargs", LAYERS)
def test_gradient_penalty(name, kwargs):
    _same(_penalty(ember, name, kwargs), _penalty(torch, name, kwargs), 1e-9)


@pytest.mark.parametrize("name, kwargs", LAYERS)
def test_gradient_penalty_with_states_and_batch_first(name, kwargs):
    run = dict(batch_first=True, states=True)
    _same(_penalty(ember, name, kwargs, **run), _penalty(torch, name, kwargs, **run), 1e-9)


@pytest.mark.parametrize("name, kwargs", LAYERS)
def test_gradient_penalty_packed(name, kwargs):
    run = dict(packed=True, states=True)
    _same(_penalty(ember, name, kwargs, **run), _penalty(torch, name, kwargs, **run), 1e-9)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_gradient_penalty_float32(name):
    _same(_penalty(ember, name, {}, "float32"), _penalty(torch, name, {}, "float32"), 2e-4)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_gradgradcheck(name):
    ember.manual_seed(0)
    m = getattr(ember.nn, name)(2, 3).double()
    x = np.random.default_rng(2).standard_normal((3, 1, 2))
    gradcheck(lambda lib, x: m(x)[0], x, double=True)
