"""Recurrent layers and cells against torch: reprs, parameters, state dicts both ways, outputs,
gradients through time, grad_fn names, packed input and torch's errors."""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(),
    dict(num_layers=2),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True, batch_first=True),
    dict(bias=False),
    dict(batch_first=True),
]


def _to_ember(t_module, e_module):
    e_module.load_state_dict({k: ember.tensor(v.detach().numpy())
                              for k, v in t_module.state_dict().items()})


def _np(t):
    return t.detach().numpy()


def _pair(name, kwargs, seed=0):
    torch.manual_seed(seed)
    t = getattr(torch.nn, name)(3, 5, **kwargs).double()
    e = getattr(ember.nn, name)(3, 5, **kwargs).double()
    _to_ember(t, e)
    return t, e


def _flat(result):
    out, state = result
    state = list(state) if isinstance(state, tuple) else [state]
    return [out] + state


def _run_both(t, e, x, hx=None):
    tx = torch.tensor(x, requires_grad=True)
    ex = ember.tensor(x, requires_grad=True)
    if hx is None:
        tr, er = t(tx), e(ex)
    else:
        th = tuple(torch.tensor(h, requires_grad=True) for h in hx)
        eh = tuple(ember.tensor(h, requires_grad=True) for h in hx)
        tr, er = t(tx, th if len(th) > 1 else th[0]), e(ex, eh if len(eh) > 1 else eh[0])
    tf, ef = _flat(tr), _flat(er)
    for a, b in zip(tf, ef):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(_np(a), b.detach().numpy(), rtol=1e-9, atol=1e-10)
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal(tuple(a.shape)) for a in tf]
    sum(torch.mul(a, torch.tensor(w)).sum() for a, w in zip(tf, weights)).backward()
    sum((b * ember.tensor(w)).sum() for b, w in zip(ef, weights)).backward()
    np.testing.assert_allclose(_np(tx.grad), ex.grad.numpy(), rtol=1e-8, atol=1e-10)
    for (name, p), (name2, q) in zip(t.named_parameters(), e.named_parameters()):
        assert name == name2
        np.testing.assert_allclose(_np(p.grad), q.grad.numpy(), rtol=1e-8, atol=1e-10)
    if hx is not None:
        for a, b in zip(th, eh):
            np.testing.assert_allclose(_np(a.grad), b.grad.numpy(), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs", CONFIGS)
def test_layers_match_torch(name, kwargs):
    t, e = _pair(name, kwargs)
    assert repr(t) == repr(e)
    assert [(n, tuple(p.shape)) for n, p in t.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in e.named_parameters()]
    x = np.random.default_rng(0).standard_normal((4, 2, 3))
    _run_both(t, e, x)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_initial_states_and_unbatched(name):
    t, e = _pair(name, dict(num_layers=2, bidirectional=True))
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 2, 3))
    hx = [rng.standard_normal((4, 2, 5))] * (2 if name == "LSTM" else 1)
    _run_both(t, e, x, hx)
    _run_both(t, e, x[:, 0], [h[:, 0] for h in hx])


def test_relu_and_projection():
    t, e = _pair("RNN", dict(nonlinearity="relu", num_layers=2))
    _run_both(t, e, np.random.default_rng(3).standard_normal((5, 2, 3)))
    t, e = _pair("LSTM", dict(proj_size=2, num_layers=2, bidirectional=True))
    assert repr(t) == repr(e)
    _run_both(t, e, np.random.default_rng(3).standard_normal((5, 2, 3)))


def test_state_dict_back_to_torch():
    e = ember.nn.LSTM(3, 4, num_layers=2)
    t = torch.nn.LSTM(3, 4, num_layers=2)
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((3, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(_np(t(torch.tensor(x))[0]), e(ember.tensor(x))[0].detach().numpy(),
                               rtol=1e-5, atol=1e-6)


def test_parameters_drawn_from_the_bound():
    ember.manual_seed(0)
    m = ember.nn.GRU(3, 16, num_layers=2)
    values = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
    assert np.abs(values).max() <= 0.25 and np.abs(values).max() > 0.2
    assert len(m.all_weights) == 2 and len(m._flat_weights) == 8
    m.flatten_parameters()


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_gradcheck_through_time(name):
    e = getattr(ember.nn, name)(2, 3, num_layers=2, bidirectional=True).double()
    x = ember.randn(4, 2, 2, dtype=ember.float64, requires_grad=True)
    params = list(e.parameters())

    def fn(x, *ps):
        return _flat(e(x))[0].sum(-1) + _flat(e(x))[1].sum()

    assert gradcheck(fn, (x,) + tuple(params))


def test_gradcheck_projection_and_packed():
    e = ember.nn.LSTM(2, 3, proj_size=2).double()
    x = ember.randn(4, 2, 2, dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x, w: e(x)[1][1] * w.sum(), (x, e.weight_hr_l0))
    pack = ember.nn.utils.rnn.pack_padded_sequence
    g = ember.nn.GRU(2, 3, bidirectional=True).double()
    assert gradcheck(lambda x: g(pack(x, [4, 2]))[0].data, (x,))


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_packed_input_matches_torch(name):
    t, e = _pair(name, dict(bidirectional=True, num_layers=2))
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 3, 3))
    lengths = [2, 5, 3]
    tx, ex = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    tp = torch.nn.utils.rnn.pack_padded_sequence(tx, lengths, enforce_sorted=False)
    ep = ember.nn.utils.rnn.pack_padded_sequence(ex, lengths, enforce_sorted=False)
    (to, ts), (eo, es) = t(tp), e(ep)
    assert type(eo).__name__ == "PackedSequence"
    ts = ts if isinstance(ts, tuple) else (ts,)
    es = es if isinstance(es, tuple) else (es,)
    np.testing.assert_allclose(_np(to.data), eo.data.detach().numpy(), rtol=1e-9)
    for a, b in zip(ts, es):
        np.testing.assert_allclose(_np(a), b.detach().numpy(), rtol=1e-9)
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    assert type(to.data.grad_fn).__name__ == type(eo.data.grad_fn).__name__
    tpad, tl = torch.nn.utils.rnn.pad_packed_sequence(to, batch_first=True)
    epad, el = ember.nn.utils.rnn.pad_packed_sequence(eo, batch_first=True)
    assert tl.tolist() == el.tolist()
    (tpad.sum() + sum(s.sum() for s in ts)).backward()
    (epad.sum() + sum(s.sum() for s in es)).backward()
    np.testing.assert_allclose(_np(tx.grad), ex.grad.numpy(), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_torch(name):
    torch.manual_seed(0)
    t = getattr(torch.nn, name)(3, 4).double()
    e = getattr(ember.nn, name)(3, 4).double()
    _to_ember(t, e)
    assert repr(t) == repr(e)
    rng = np.random.default_rng(5)
    for shape in [(2, 3), (3,)]:
        x = rng.standard_normal(shape)
        h = rng.standard_normal(shape[:-1] + (4,))
        state = (h, h * 0.5) if name == "LSTMCell" else (h,)
        tr = t(torch.tensor(x), tuple(torch.tensor(s) for s in state) if len(state) > 1
               else torch.tensor(h))
        er = e(ember.tensor(x), tuple(ember.tensor(s) for s in state) if len(state) > 1
               else ember.tensor(h))
        tr = tr if isinstance(tr, tuple) else (tr,)
        er = er if isinstance(er, tuple) else (er,)
        for a, b in zip(tr, er):
            np.testing.assert_allclose(_np(a), b.detach().numpy(), rtol=1e-10)
    x = ember.randn(2, 3, dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x: e(x)[0] if name == "LSTMCell" else e(x), (x,))
    assert repr(torch.nn.RNNCell(2, 3, bias=False, nonlinearity="relu")) == \
        repr(ember.nn.RNNCell(2, 3, bias=False, nonlinearity="relu"))


def _error(fn):
    try:
        fn()
    except Exception as exc:        # noqa: BLE001 - the type is what is compared
        return type(exc).__name__, str(exc)
    return None


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 3, 5)),
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 3, 3), (lib.zeros(1, 2, 4), lib.zeros(1, 3, 4))),
    lambda lib: lib.nn.GRU(3, 4)(lib.zeros(2, 3, 3), lib.zeros(2, 3, 4)),
    lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 3, 3), lib.zeros(3, 4)),
    lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 3, 3, 1)),
    lambda lib: lib.nn.GRU(3, 4)(lib.zeros(2, 3, 3, dtype=lib.float64)),
    lambda lib: lib.nn.RNN(3, 4, nonlinearity="sigmoid"),
    lambda lib: lib.nn.GRU(3, 4, proj_size=2),
    lambda lib: lib.nn.LSTM(3, 4, proj_size=4),
    lambda lib: lib.nn.LSTM(3, 4, dropout=2),
    lambda lib: lib.nn.LSTM(3, 0),
    lambda lib: lib.nn.LSTMCell(3, 4)(lib.zeros(2, 2, 3)),
    lambda lib: lib.nn.GRUCell(3, 4)(lib.zeros(2, 3), lib.zeros(2, 2, 4)),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [1, 3]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [3, 0]),
])
def test_errors_match_torch(call):
    assert _error(lambda: call(ember)) == _error(lambda: call(torch))
