"""Distances against torch: F.pairwise_distance, F.cosine_similarity, F.pdist, ember.cdist and
the PairwiseDistance / CosineSimilarity modules (values, gradients, node names, errors)."""
import math
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

SETTINGS = settings(max_examples=25, deadline=None)
NORMS = st.sampled_from([1.0, 2.0, 3.0, 0.5, 1.5, math.inf, 0.0])


def normal(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# Distances of float64 inputs: tighter tolerances than parity's defaults.
close = partial(assert_close, rtol=1e-6, atol=1e-8)


def run_both(ember_fn, torch_fn, arrays, seed=0):
    """Same inputs to both, same upstream gradient; compares outputs, node names and gradients.
    (torch's norm with p = 0 passes no gradient: ember must pass none either.)"""
    es = [ember.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_e, out_t = ember_fn(*es), torch_fn(*ts)
    close(out_e, out_t)
    assert node_name(out_e) == node_name(out_t)
    backward_both(out_e, out_t, seed + 7)
    for e, t in zip(es, ts):
        close(e.grad, t.grad)


shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3)


@SETTINGS
@given(shape=shapes, p=NORMS, keepdim=st.booleans(), broadcast=st.booleans(),
       seed=st.integers(0, 100))
def test_pairwise_distance_matches_torch(shape, p, keepdim, broadcast, seed):
    other = shape[-1:] if broadcast else shape
    run_both(lambda a, b: F.pairwise_distance(a, b, p, keepdim=keepdim),
             lambda a, b: TF.pairwise_distance(a, b, p, keepdim=keepdim),
             [normal(shape, seed), normal(other, seed + 1)], seed)


@SETTINGS
@given(shape=shapes, data=st.data(), broadcast=st.booleans(), seed=st.integers(0, 100))
def test_cosine_similarity_matches_torch(shape, data, broadcast, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    other = [1] + shape[1:] if broadcast else shape
    run_both(lambda a, b: F.cosine_similarity(a, b, dim),
             lambda a, b: TF.cosine_similarity(a, b, dim),
             [normal(shape, seed), normal(other, seed + 1)], seed)


def test_cosine_similarity_below_eps():
    """A norm below eps is clamped in the division while the gradient still flows through it."""
    tiny = normal((2, 4)) * 1e-10
    run_both(lambda a, b: F.cosine_similarity(a, b), lambda a, b: TF.cosine_similarity(a, b),
             [tiny, normal((2, 4), 1)])


@SETTINGS
@given(rows=st.integers(1, 5), cols=st.integers(1, 4), p=NORMS, seed=st.integers(0, 100))
def test_pdist_matches_torch(rows, cols, p, seed):
    run_both(lambda x: F.pdist(x, p), lambda x: TF.pdist(x, p), [normal((rows, cols), seed)],
             seed)


@SETTINGS
@given(batch=st.sampled_from([((), ()), ((2,), (2,)), ((2,), ()), ((3, 1), (2,))]),
       p_rows=st.integers(1, 4), r_rows=st.integers(1, 4), m=st.integers(1, 3), p=NORMS,
       seed=st.integers(0, 100))
def test_cdist_matches_torch(batch, p_rows, r_rows, m, p, seed):
    b1, b2 = batch
    run_both(lambda a, b: ember.cdist(a, b, p), lambda a, b: torch.cdist(a, b, p),
             [normal((*b1, p_rows, m), seed), normal((*b2, r_rows, m), seed + 1)], seed)


def test_cdist_of_identical_points_has_zero_gradient():
    x = normal((3, 2))
    run_both(lambda a, b: ember.cdist(a, b), lambda a, b: torch.cdist(a, b), [x, x.copy()])


def test_float32_results():
    a, b = normal((3, 4)).astype(np.float32), normal((3, 4), 1).astype(np.float32)
    for fe, ft in [(F.pairwise_distance, TF.pairwise_distance),
                   (F.cosine_similarity, TF.cosine_similarity), (ember.cdist, torch.cdist)]:
        out_e = fe(ember.tensor(a), ember.tensor(b))
        out_t = ft(torch.tensor(a), torch.tensor(b))
        assert out_e.dtype == ember.float32
        assert_close(out_e, out_t)


@pytest.mark.parametrize("fn", [
    lambda a, b: F.pairwise_distance(a, b, 3.0),
    lambda a, b: F.cosine_similarity(a, b, 0),
    lambda a, b: ember.cdist(a, b, 1.5),
    lambda a, b: F.pdist(a) + F.pdist(b, 2.5),
])
def test_gradcheck_and_gradgradcheck(fn):
    inputs = [ember.tensor(normal((3, 2), i), requires_grad=True) for i in range(2)]
    assert ember.autograd.gradcheck(fn, inputs)
    assert ember.autograd.gradgradcheck(fn, inputs)


@pytest.mark.parametrize("call, message", [
    (lambda: F.pairwise_distance(ember.randn(3, 4), ember.randn(3, 5)),
     "The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1"),
    (lambda: F.cosine_similarity(ember.ones(4, dtype=ember.int64),
                                 ember.ones(4, dtype=ember.int64), 0),
     "expected common dtype to be floating point, yet common dtype is Long"),
    (lambda: F.pdist(ember.randn(4)), "pdist only supports 2D tensors, got: 1D"),
    (lambda: F.pdist(ember.randn(4, 3), -1), "pdist only supports non-negative p values"),
    (lambda: ember.cdist(ember.randn(4), ember.randn(4, 1)),
     "cdist only supports at least 2D tensors, X1 got: 1D"),
    (lambda: ember.cdist(ember.randn(4, 3), ember.randn(4, 2)),
     "X1 and X2 must have the same number of columns. X1: 3 X2: 2"),
    (lambda: ember.cdist(ember.randn(4, 3), ember.randn(4, 3), -1),
     "cdist only supports non-negative p values"),
])
def test_errors(call, message):
    with pytest.raises(RuntimeError) as info:
        call()
    assert str(info.value) == message


def test_modules():
    assert repr(nn.PairwiseDistance()) == "PairwiseDistance()"
    assert repr(nn.CosineSimilarity(dim=0, eps=1e-6)) == "CosineSimilarity()"
    a, b = normal((3, 4)), normal((3, 4), 1)
    pd = nn.PairwiseDistance(p=1.0, keepdim=True)
    assert (pd.norm, pd.eps, pd.keepdim) == (1.0, 1e-6, True)
    close(pd(ember.tensor(a), ember.tensor(b)),
          torch.nn.PairwiseDistance(p=1.0, keepdim=True)(torch.tensor(a), torch.tensor(b)))
    cs = nn.CosineSimilarity(dim=0)
    close(cs(ember.tensor(a), ember.tensor(b)),
          torch.nn.CosineSimilarity(dim=0)(torch.tensor(a), torch.tensor(b)))
    assert list(cs.state_dict()) == []
