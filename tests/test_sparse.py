"""Embeddings against torch: F.embedding (padding_idx, max_norm, scale_grad_by_freq),
F.embedding_bag (sum / mean / max, offsets, per_sample_weights, include_last_offset,
padding_idx), F.one_hot, and the Embedding / EmbeddingBag modules."""
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from parity import assert_close, backward_both, node_name

torch = pytest.importorskip("torch")
TF = torch.nn.functional

SETTINGS = settings(max_examples=30, deadline=None)


# Embeddings only copy, sum and scale rows: tighter tolerances than parity's defaults.
close = partial(assert_close, rtol=1e-6, atol=1e-7)


def tables(rows, cols, seed):
    w = np.random.default_rng(seed).standard_normal((rows, cols))
    return ember.tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)


@SETTINGS
@given(rows=st.integers(1, 6), cols=st.integers(1, 4), data=st.data(),
       scale=st.booleans(), seed=st.integers(0, 100))
def test_embedding_matches_torch(rows, cols, data, scale, seed):
    shape = data.draw(st.lists(st.integers(0, 4), max_size=3))
    idx = np.random.default_rng(seed).integers(0, rows, shape)
    padding = data.draw(st.one_of(st.none(), st.integers(-rows, rows - 1)))
    we, wt = tables(rows, cols, seed)
    out_e = F.embedding(ember.tensor(idx), we, padding, scale_grad_by_freq=scale)
    out_t = TF.embedding(torch.tensor(idx), wt, padding, scale_grad_by_freq=scale)
    close(out_e, out_t)
    assert node_name(out_e) == node_name(out_t) == "EmbeddingBackward0"
    backward_both(out_e, out_t, seed + 5)
    close(we.grad, wt.grad)


@SETTINGS
@given(max_norm=st.floats(0.1, 2.0), norm_type=st.sampled_from([1.0, 2.0, 3.0]),
       seed=st.integers(0, 100))
def test_embedding_max_norm_renormalises_rows_in_place(max_norm, norm_type, seed):
    idx = np.random.default_rng(seed).integers(0, 6, (2, 3))
    we, wt = tables(6, 3, seed)
    version = we._version
    out_e = F.embedding(ember.tensor(idx), we, max_norm=max_norm, norm_type=norm_type)
    out_t = TF.embedding(torch.tensor(idx), wt, max_norm=max_norm, norm_type=norm_type)
    close(out_e, out_t)
    close(we, wt)                                        # the table itself changed
    assert we._version == wt._version == version + 1
    backward_both(out_e, out_t, seed + 5)
    close(we.grad, wt.grad)


def test_embedding_int32_indices_and_float32_table():
    w = np.random.default_rng(0).standard_normal((5, 2)).astype(np.float32)
    idx = np.array([[0, 4], [4, 1]], dtype=np.int32)
    close(F.embedding(ember.tensor(idx), ember.tensor(w)),
          TF.embedding(torch.tensor(idx), torch.tensor(w)))


def test_embedding_gradgradcheck():
    idx = ember.tensor([[0, 2, 2], [1, 0, 3]])

    def fn(w):
        return F.embedding(idx, w) ** 2
    w = ember.tensor(np.random.default_rng(0).standard_normal((4, 2)), requires_grad=True)
    assert ember.autograd.gradcheck(fn, [w])
    assert ember.autograd.gradgradcheck(fn, [w])


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.embedding(ember.tensor([10]), ember.randn(10, 3)), IndexError,
     "index out of range in self"),
    (lambda: F.embedding(ember.tensor([-1]), ember.randn(10, 3)), IndexError,
     "index out of range in self"),
    (lambda: F.embedding(ember.tensor([1.0]), ember.randn(10, 3)), RuntimeError,
     "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
     "Int; but got torch.FloatTensor instead (while checking arguments for embedding)"),
    (lambda: F.embedding(ember.tensor([1]), ember.randn(10, 3), padding_idx=10), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda: F.embedding(ember.tensor([1]), ember.randn(10)), RuntimeError,
     "'weight' must be 2-D"),
    (lambda: F.one_hot(ember.tensor([1, 2]), 2), RuntimeError,
     "Class values must be smaller than num_classes."),
    (lambda: F.one_hot(ember.tensor([-1, 2])), RuntimeError, "Class values must be non-negative."),
    (lambda: F.one_hot(ember.tensor([1.0])), RuntimeError,
     "one_hot is only applicable to index tensor of type LongTensor."),
    (lambda: F.one_hot(ember.tensor([], dtype=ember.int64)), RuntimeError,
     "Can not infer total number of classes from empty tensor."),
])
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_sparse_gradients_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="ember has no sparse tensors"):
        F.embedding(ember.tensor([1]), ember.randn(3, 2), sparse=True)
    assert repr(nn.Embedding(3, 2, sparse=True)) == "Embedding(3, 2, sparse=True)"


# ---------------------------------------------------------------- embedding_bag


@SETTINGS
@given(mode=st.sampled_from(["sum", "mean", "max"]), rows=st.integers(1, 6),
       lengths=st.lists(st.integers(0, 4), min_size=1, max_size=4), last=st.booleans(),
       weighted=st.booleans(), padding=st.one_of(st.none(), st.integers(0, 5)),
       scale=st.booleans(), seed=st.integers(0, 100))
def test_embedding_bag_matches_torch(mode, rows, lengths, last, weighted, padding, scale, seed):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, rows, sum(lengths))
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    if last:           # the last bag runs to the end of the input, whatever the last offset
        offsets = np.append(offsets, offsets[-1] + lengths[-1] // 2)
    padding = None if padding is None or padding >= rows else padding
    scale = scale and mode != "max"
    we, wt = tables(rows, 3, seed)
    psw = rng.standard_normal(idx.shape) if weighted and mode == "sum" else None
    pe = None if psw is None else ember.tensor(psw, requires_grad=True)
    pt = None if psw is None else torch.tensor(psw, requires_grad=True)
    kwargs = dict(mode=mode, include_last_offset=last, padding_idx=padding)
    out_e = F.embedding_bag(ember.tensor(idx), we, ember.tensor(offsets), per_sample_weights=pe,
                            scale_grad_by_freq=scale, **kwargs)
    out_t = TF.embedding_bag(torch.tensor(idx), wt, torch.tensor(offsets), per_sample_weights=pt,
                             **kwargs)
    close(out_e, out_t)
    assert node_name(out_e) == node_name(out_t)
    backward_both(out_e, out_t, seed + 5)
    if scale:
        # Every occurrence of row r is divided by r's frequency, so r's whole gradient is.
        # (torch 2.13's CPU kernel divides by the wrong count when indices repeat; its
        # F.embedding does it right, and ember follows that.)
        wt.grad /= torch.tensor(np.maximum(np.bincount(idx, minlength=rows), 1))[:, None]
    close(we.grad, wt.grad)
    if pe is not None:
        close(pe.grad, pt.grad)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_2d_input(mode):
    idx = np.array([[1, 2, 4], [4, 3, 0]])
    we, wt = tables(5, 2, 0)
    out_e, out_t = F.embedding_bag(ember.tensor(idx), we, mode=mode), \
        TF.embedding_bag(torch.tensor(idx), wt, mode=mode)
    close(out_e, out_t)
    backward_both(out_e, out_t, 5)
    close(we.grad, wt.grad)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_without_bags(mode):
    """A single offset with include_last_offset: no bags at all.  (torch 2.13 gives the same
    empty output, but its backward reads uninitialised memory here and may even crash.)"""
    we, _ = tables(4, 2, 0)
    out = F.embedding_bag(ember.tensor([1, 2]), we, ember.tensor([0]), mode=mode,
                          include_last_offset=True)
    assert out.shape == (0, 2)
    out.sum().backward()
    assert we.grad.tolist() == [[0.0, 0.0]] * 4


def test_embedding_bag_gradgradcheck():
    idx, offsets = ember.tensor([0, 2, 2, 1, 3]), ember.tensor([0, 2])

    def fn(w, psw):
        return F.embedding_bag(idx, w, offsets, mode="sum", per_sample_weights=psw) ** 2
    w = ember.tensor(np.random.default_rng(0).standard_normal((4, 2)), requires_grad=True)
    psw = ember.tensor(np.random.default_rng(1).standard_normal(5), requires_grad=True)
    assert ember.autograd.gradcheck(fn, [w, psw])
    assert ember.autograd.gradgradcheck(fn, [w, psw])


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.embedding_bag(ember.tensor([1, 2, 3]), ember.randn(10, 3), ember.tensor([1, 2])),
     RuntimeError, "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
     "start from position 0. However, got 1\n[ torch.LongTensor{} ]"),
    (lambda: F.embedding_bag(ember.tensor([1, 2, 3]), ember.randn(10, 3), ember.tensor([0, 5])),
     RuntimeError, "offsets[-1] can not be greater than input's length 3 but got offsets[-1] of 5"),
    (lambda: F.embedding_bag(ember.tensor([1, 2, 30]), ember.randn(10, 3), ember.tensor([0, 2])),
     RuntimeError, "Expected i < index_size to be true, but got false.  (Could this error message "
     "be improved?  If so, please report an enhancement request to PyTorch.)"),
    (lambda: F.embedding_bag(ember.tensor([1, 2]), ember.randn(10, 3), ember.tensor([0]),
                             mode="min"), ValueError, "mode has to be one of sum, mean or max"),
    (lambda: F.embedding_bag(ember.tensor([1, 2]), ember.randn(10, 3), ember.tensor([0]),
                             per_sample_weights=ember.ones(2)), NotImplementedError,
     "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for "
     "mode='sum' (got mode='mean'). Please open a feature request on GitHub."),
    (lambda: F.embedding_bag(ember.tensor([1, 2]), ember.randn(10, 3)), ValueError,
     "offsets has to be a 1D Tensor but got None"),
    (lambda: F.embedding_bag(ember.ones(2, 2, 2, dtype=ember.int64), ember.randn(10, 3)),
     ValueError, "input has to be 1D or 2D Tensor, but got Tensor of dimension 3"),
    (lambda: F.embedding_bag(ember.tensor([1, 2]), ember.randn(10, 3), ember.tensor([0]),
                             mode="max", scale_grad_by_freq=True), ValueError,
     "max mode does not support scaling the gradient by the frequency"),
])
def test_embedding_bag_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


# ---------------------------------------------------------------- one_hot


@SETTINGS
@given(shape=st.lists(st.integers(0, 4), max_size=3), classes=st.integers(1, 5),
       infer=st.booleans(), seed=st.integers(0, 100))
def test_one_hot_matches_torch(shape, classes, infer, seed):
    labels = np.random.default_rng(seed).integers(0, classes, shape)
    if infer and labels.size == 0:
        infer = False
    n = -1 if infer else classes
    out_e, out_t = F.one_hot(ember.tensor(labels), n), TF.one_hot(torch.tensor(labels), n)
    assert out_e.dtype == ember.int64
    np.testing.assert_array_equal(out_e.numpy(), out_t.numpy())
    assert out_e.shape == out_t.shape


# ---------------------------------------------------------------- modules


def test_embedding_module():
    for args, kwargs in [((10, 3), {}), ((10, 3), {"padding_idx": 0}),
                         ((10, 3), {"padding_idx": -1}),
                         ((10, 3), {"max_norm": 1.0, "norm_type": 1.0,
                                    "scale_grad_by_freq": True})]:
        assert repr(nn.Embedding(*args, **kwargs)) == repr(torch.nn.Embedding(*args, **kwargs))
    emb = nn.Embedding(10, 3, padding_idx=2)
    assert emb.weight.shape == (10, 3) and emb.weight.requires_grad
    assert emb.weight[2].tolist() == [0.0, 0.0, 0.0]
    assert list(emb.state_dict()) == ["weight"]
    values = nn.Embedding(1000, 10).weight.detach().numpy()      # N(0, 1)
    assert abs(values.mean()) < 0.05 and abs(values.std() - 1) < 0.05
    emb_t = torch.nn.Embedding(10, 3, padding_idx=2)
    emb.load_state_dict({"weight": ember.tensor(emb_t.weight.detach().numpy())})
    idx = np.array([[2, 5], [5, 9]])
    out_e, out_t = emb(ember.tensor(idx)), emb_t(torch.tensor(idx))
    close(out_e, out_t)
    backward_both(out_e, out_t, 5)
    close(emb.weight.grad, emb_t.weight.grad)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(10, 3, padding_idx=10)


def test_embedding_from_pretrained():
    table = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    emb = nn.Embedding.from_pretrained(table)
    assert not emb.weight.requires_grad and emb.weight.tolist() == table.tolist()
    assert repr(emb) == "Embedding(2, 2)"
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad
    out = emb(ember.tensor([1]))
    assert out.tolist() == [[3.0, 4.0]] and not out.requires_grad
    with pytest.raises(AssertionError, match="expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(ember.ones(3))


def test_embedding_bag_module():
    for kwargs in [{}, {"mode": "sum"}, {"mode": "max", "padding_idx": 2, "max_norm": 2},
                   {"norm_type": 1.0, "scale_grad_by_freq": True, "include_last_offset": True}]:
        assert repr(nn.EmbeddingBag(10, 3, **kwargs)) == repr(torch.nn.EmbeddingBag(10, 3,
                                                                                     **kwargs))
    bag, bag_t = nn.EmbeddingBag(10, 3, mode="sum"), torch.nn.EmbeddingBag(10, 3, mode="sum")
    bag.load_state_dict({"weight": ember.tensor(bag_t.weight.detach().numpy())})
    idx, offsets, psw = np.array([1, 2, 4, 5, 4]), np.array([0, 2]), np.arange(5.0)
    out_e = bag(ember.tensor(idx), ember.tensor(offsets), ember.tensor(psw, dtype=ember.float32))
    out_t = bag_t(torch.tensor(idx), torch.tensor(offsets), torch.tensor(psw,
                                                                         dtype=torch.float32))
    close(out_e, out_t, rtol=1e-5)
    frozen = nn.EmbeddingBag.from_pretrained(ember.ones(4, 2), mode="max")
    assert not frozen.weight.requires_grad and repr(frozen) == "EmbeddingBag(4, 2, mode='max')"
