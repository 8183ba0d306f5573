"""Attention and transformers against torch: scaled_dot_product_attention, MultiheadAttention,
the transformer layers and stacks (values, gradients, grad_fn names, reprs, parameter names,
warnings and errors)."""
import warnings

import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")


def _copy(t, e):
    e.load_state_dict({k: ember.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})


def _close(a, b, tol=1e-10):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol)


def _name(t):
    return type(t.grad_fn).__name__


@pytest.mark.parametrize("kwargs", [dict(), dict(is_causal=True), dict(scale=0.3),
                                    dict(attn_mask="bool"), dict(attn_mask="float"),
                                    dict(attn_mask="float", is_causal=True)])
def test_sdpa_matches_torch(kwargs):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5))
    masks = {"bool": rng.random((4, 4)) > 0.3, "float": rng.standard_normal((4, 4))}
    results = []
    for lib in (torch, ember):
        q = lib.tensor(x, requires_grad=True)
        kw = dict(kwargs)
        if "attn_mask" in kw:
            kw["attn_mask"] = lib.tensor(masks[kw["attn_mask"]])
        out = lib.nn.functional.scaled_dot_product_attention(q, q * 2, q * 3, **kw)
        (out * lib.tensor(np.arange(out.numel()).reshape(out.shape) % 5 * 1.0)).sum().backward()
        results.append((out, q.grad))
    (to, tg), (eo, eg) = results
    _close(to, eo)
    _close(tg, eg)
    assert _name(to) == _name(eo)


def test_sdpa_gqa_dropout_and_gradcheck():
    rng = np.random.default_rng(1)
    q, k = rng.standard_normal((2, 4, 3, 5)), rng.standard_normal((2, 2, 3, 5))
    f = [lib.nn.functional.scaled_dot_product_attention(
        lib.tensor(q), lib.tensor(k), lib.tensor(k), enable_gqa=True) for lib in (torch, ember)]
    _close(*f)
    x = ember.tensor(q, requires_grad=True)
    y = ember.tensor(k, requires_grad=True)
    assert gradcheck(lambda a, b: ember.nn.functional.scaled_dot_product_attention(
        a, b, b, enable_gqa=True, is_causal=True), (x, y))
    ember.manual_seed(0)
    out = ember.nn.functional.scaled_dot_product_attention(x, x, x, dropout_p=0.5)
    assert out.shape == x.shape and not np.allclose(
        out.detach().numpy(), ember.nn.functional.scaled_dot_product_attention(x, x, x).detach()
        .numpy())


@pytest.mark.parametrize("call", [
    lambda lib, q: lib.nn.functional.scaled_dot_product_attention(
        q, q, q, attn_mask=lib.zeros(4, 4, dtype=lib.int64)),
    lambda lib, q: lib.nn.functional.scaled_dot_product_attention(q, q, q,
                                                                  attn_mask=lib.zeros(3, 4)),
    lambda lib, q: lib.nn.functional.scaled_dot_product_attention(q, q[..., :4], q),
    lambda lib, q: lib.nn.MultiheadAttention(6, 4),
    lambda lib, q: lib.nn.MultiheadAttention(4, 2)(q[0], q[0], q[0], attn_mask=lib.zeros(2, 2)),
    lambda lib, q: lib.nn.MultiheadAttention(5, 1)(q[0], q[0], q[0]),
    lambda lib, q: lib.nn.TransformerEncoderLayer(4, 2, activation="tanh"),
    lambda lib, q: lib.nn.MultiheadAttention(4, 2)(q[0], q[0], q[0], is_causal=True),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib, lib.zeros(2, 3, 4, 5))
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)


MHA_CONFIGS = [dict(), dict(batch_first=True), dict(bias=False),
               dict(kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True)]
CALLS = [dict(), dict(need_weights=False), dict(average_attn_weights=False),
         dict(key_padding_mask="kpm"), dict(attn_mask="am")]


@pytest.mark.parametrize("config", MHA_CONFIGS)
@pytest.mark.parametrize("call", CALLS)
def test_multihead_attention_matches_torch(config, call):
    torch.manual_seed(0)
    t = torch.nn.MultiheadAttention(8, 2, **config).double()
    e = ember.nn.MultiheadAttention(8, 2, **config).double()
    _copy(t, e)
    assert repr(t) == repr(e)
    assert [(n, tuple(p.shape)) for n, p in t.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in e.named_parameters()]
    rng = np.random.default_rng(2)
    q = rng.standard_normal((3, 2, 8))
    k = rng.standard_normal((4, 2, config.get("kdim", 8)))
    v = rng.standard_normal((4, 2, config.get("vdim", 8)))
    if config.get("batch_first"):
        q, k, v = (a.swapaxes(0, 1).copy() for a in (q, k, v))
    extra = {"kpm": np.array([[False, False, True, False], [False, True, False, False]]),
             "am": (rng.random((3, 4)) > 0.4) & ~np.eye(3, 4, dtype=bool)}
    results = []
    for lib, m in ((torch, t), (ember, e)):
        ins = [lib.tensor(a, requires_grad=True) for a in (q, k, v)]
        kw = {key: (lib.tensor(extra[val]) if val in extra else val) for key, val in
              call.items()}
        out, w = m(*ins, **kw)
        loss = out.sum() * 1.0 + (0 if w is None else (w * w).sum())
        loss.backward()
        results.append((out, w, [a.grad for a in ins], [p.grad for p in m.parameters()]))
    (to, tw, tg, tp), (eo, ew, eg, ep) = results
    _close(to, eo)
    assert _name(to) == _name(eo)
    assert (tw is None) == (ew is None)
    if tw is not None:
        _close(tw, ew)
        assert _name(tw) == _name(ew)
    for a, b in zip(tg + tp, eg + ep):
        _close(a, b, 1e-9)


@pytest.mark.parametrize("config", [dict(), dict(norm_first=True, activation="gelu"),
                                    dict(batch_first=True, activation=lambda x: x.tanh())])
def test_encoder_layer_and_stack_match_torch(config):
    torch.manual_seed(0)
    t = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **config).double()
    e = ember.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **config).double()
    _copy(t, e)
    assert repr(t) == repr(e)
    x = np.random.default_rng(3).standard_normal((3, 3, 8))
    mask = np.triu(np.full((3, 3), -np.inf), 1)
    to = t(torch.tensor(x), src_mask=torch.tensor(mask), is_causal=True)
    eo = e(ember.tensor(x), src_mask=ember.tensor(mask), is_causal=True)
    _close(to, eo)
    assert _name(to) == _name(eo)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        ts = torch.nn.TransformerEncoder(t, 2, norm=torch.nn.LayerNorm(8).double())
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        es = ember.nn.TransformerEncoder(e, 2, norm=ember.nn.LayerNorm(8).double())
    assert [str(w.message) for w in tw] == [str(w.message) for w in ew]
    assert repr(ts) == repr(es)
    _copy(ts, es)
    tx, ex = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
    to, eo = ts(tx, torch.tensor(mask)), es(ex, ember.tensor(mask))
    _close(to, eo)
    to.pow(2).sum().backward()
    eo.pow(2).sum().backward()
    _close(tx.grad, ex.grad, 1e-9)


def test_transformer_matches_torch():
    torch.manual_seed(0)
    kw = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
              dim_feedforward=16, dropout=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = torch.nn.Transformer(**kw).double()
        e = ember.nn.Transformer(**kw).double()
    _copy(t, e)
    assert repr(t) == repr(e)
    rng = np.random.default_rng(4)
    src, tgt = rng.standard_normal((4, 2, 8)), rng.standard_normal((3, 2, 8))
    mask = torch.nn.Transformer.generate_square_subsequent_mask(3).double()
    emask = ember.nn.Transformer.generate_square_subsequent_mask(3, dtype=ember.float64)
    assert str(torch.nn.Transformer.generate_square_subsequent_mask(3)) == \
        str(ember.nn.Transformer.generate_square_subsequent_mask(3))
    ts, es = torch.tensor(src, requires_grad=True), ember.tensor(src, requires_grad=True)
    to = t(ts, torch.tensor(tgt), tgt_mask=mask)
    eo = e(es, ember.tensor(tgt), tgt_mask=emask)
    _close(to, eo)
    assert _name(to) == _name(eo)
    to.sum().backward()
    eo.sum().backward()
    _close(ts.grad, es.grad, 1e-9)
    d = [lib.nn.TransformerDecoderLayer(8, 2, 16, norm_first=True) for lib in (torch, ember)]
    assert repr(d[0]) == repr(d[1])


def test_sdpa_rows_far_apart_and_fully_masked_rows():
    q = np.zeros((1, 1, 3, 2), np.float32)
    q[0, 0, 0], q[0, 0, 1] = [100, 0], [-100, 0]        # row 1 lies far below row 0
    k = np.array([[[[1, 0], [0.5, 1], [0, 2]]]], np.float32)
    v = np.random.default_rng(0).standard_normal((1, 1, 3, 2)).astype(np.float32)
    mask = np.ones((3, 3), bool)
    mask[2] = False                                      # row 2 may attend to nothing
    out = [lib.nn.functional.scaled_dot_product_attention(
        lib.tensor(q), lib.tensor(k), lib.tensor(v), attn_mask=lib.tensor(mask)).numpy()
        for lib in (torch, ember)]
    np.testing.assert_allclose(out[0], out[1], rtol=1e-6, atol=1e-7)
