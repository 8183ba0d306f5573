"""Loss functions and loss modules, against real torch: values, dtypes, shapes, gradients,
graph node names, warnings and error texts; gradcheck in float64."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
import ember.nn as enn
import ember.nn.functional as F
from parity import assert_close, node_name, same_error, same_warnings

torch = pytest.importorskip("torch")
TF = torch.nn.functional


# ----------------------------------------------------------------------------- helpers

def _lib_value(lib, v):
    if isinstance(v, np.ndarray):
        return lib.tensor(v)
    return v


def _make(lib, arrays, grads):
    return [lib.tensor(a, requires_grad=(i in grads)) for i, a in enumerate(arrays)]


def run_both(name, arrays, grads=(0,), rtol=1e-5, atol=1e-5, **kwargs):
    """Calls F.<name> in ember and torch on the same data; compares value, dtype, node name
    and the gradients of every input in ``grads`` for a random upstream gradient."""
    fe, ft = getattr(F, name), getattr(TF, name)
    E, T = _make(ember, arrays, grads), _make(torch, arrays, grads)
    ke = {k: _lib_value(ember, v) for k, v in kwargs.items()}
    kt = {k: _lib_value(torch, v) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        le, lt = fe(*E, **ke), ft(*T, **kt)
    assert_close(le, lt, rtol, atol)
    assert node_name(le) == node_name(lt)
    if not grads:
        return le, lt
    upstream = np.random.RandomState(1).uniform(0.5, 1.5, tuple(lt.shape)).astype(
        lt.detach().numpy().dtype)
    le.backward(ember.tensor(upstream))
    lt.backward(torch.tensor(upstream))
    for i in grads:
        assert E[i].grad is not None, "no gradient for input {}".format(i)
        assert_close(E[i].grad, T[i].grad, rtol, atol)
    return le, lt


rng = np.random.RandomState(0)
X = rng.randn(5, 4).astype(np.float32)
Y = rng.rand(5, 4).astype(np.float32)
P = rng.rand(5, 4).astype(np.float32) * 0.98 + 0.01
T_IDX = np.array([0, 3, 1, 1, 2])
SIGNS = np.where(rng.rand(5, 4) > 0.5, 1.0, -1.0).astype(np.float32)
REDUCTIONS = ["mean", "sum", "none"]


# ----------------------------------------------------------------------------- values and grads

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,arrays,grads,kwargs", [
    ("mse_loss", (X, Y), (0, 1), {}),
    ("l1_loss", (X, Y), (0, 1), {}),
    ("smooth_l1_loss", (X, Y), (0, 1), {}),
    ("smooth_l1_loss", (X, Y), (0, 1), {"beta": 0.3}),
    ("smooth_l1_loss", (X, Y), (0, 1), {"beta": 0.0}),
    ("huber_loss", (X, Y), (0, 1), {}),
    ("huber_loss", (X, Y), (0, 1), {"delta": 0.4}),
    ("soft_margin_loss", (X, SIGNS), (0,), {}),
    ("binary_cross_entropy", (P, Y), (0, 1), {}),
    ("binary_cross_entropy", (P, Y), (0, 1), {"weight": Y[0]}),
    ("binary_cross_entropy_with_logits", (X * 5, Y), (0, 1), {}),
    ("binary_cross_entropy_with_logits", (X * 5, Y), (0, 1),
     {"weight": P[0], "pos_weight": Y[1] * 3}),
    ("kl_div", (np.log(P), Y), (0, 1), {}),
    ("kl_div", (np.log(P), np.log(Y)), (0, 1), {"log_target": True}),
    ("poisson_nll_loss", (X, Y * 4), (0, 1), {}),
    ("poisson_nll_loss", (P, Y * 4), (0, 1), {"log_input": False, "full": True}),
    ("multilabel_soft_margin_loss", (X, (Y > 0.5).astype(np.float32)), (0, 1), {}),
    ("multilabel_soft_margin_loss", (X, Y), (0, 1), {"weight": P[0]}),
    ("hinge_embedding_loss", (X, SIGNS), (0,), {}),
    ("hinge_embedding_loss", (X, SIGNS), (0,), {"margin": 0.3}),
])
def test_elementwise_losses(name, arrays, grads, kwargs, reduction):
    run_both(name, arrays, grads, reduction=reduction, **kwargs)


def test_kl_div_batchmean():
    run_both("kl_div", (np.log(P), Y), (0, 1), reduction="batchmean")
    run_both("kl_div", (np.log(P[0]), Y[0]), (0, 1), reduction="batchmean")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kwargs", [
    {}, {"weight": np.array([0.2, 1.0, 2.0, 0.5], np.float32)}, {"ignore_index": 1},
    {"label_smoothing": 0.2},
    {"label_smoothing": 0.1, "weight": np.array([0.2, 1.0, 2.0, 0.5], np.float32),
     "ignore_index": 3},
])
def test_cross_entropy_class_indices(kwargs, reduction):
    le, lt = run_both("cross_entropy", (X * 3, T_IDX), (0,), reduction=reduction, **kwargs)
    run_both("nll_loss", (np.log(P), T_IDX), (0,), reduction=reduction,
             **{k: v for k, v in kwargs.items() if k != "label_smoothing"})


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kwargs", [
    {}, {"weight": np.array([0.2, 1.0, 2.0, 0.5], np.float32)}, {"label_smoothing": 0.3}])
def test_cross_entropy_probabilities(kwargs, reduction):
    probs = P / P.sum(1, keepdims=True)
    run_both("cross_entropy", (X, probs), (0, 1), reduction=reduction, **kwargs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_shapes(reduction):
    r = np.random.RandomState(3)
    run_both("cross_entropy", (r.randn(4).astype(np.float32), np.array(2)), (0,),
             reduction=reduction)
    run_both("cross_entropy", (r.randn(4).astype(np.float32), np.array([2])), (),
             reduction=reduction)          # torch's backward fails for this shape
    run_both("cross_entropy", (r.randn(2, 3, 4, 5).astype(np.float32),
                               r.randint(0, 3, (2, 4, 5))), (0,), reduction=reduction,
             weight=np.array([1.0, 2.0, 0.5], np.float32), ignore_index=2)
    run_both("cross_entropy", (r.randn(2, 3, 4).astype(np.float32), r.randint(0, 3, (2, 4))),
             (0,), reduction=reduction, label_smoothing=0.25)
    run_both("cross_entropy", (r.randn(2, 3, 4).astype(np.float32),
                               r.rand(2, 3, 4).astype(np.float32)), (0, 1), reduction=reduction)
    run_both("cross_entropy", (r.randn(6, 3).astype(np.float32),
                               r.randint(0, 3, 6).astype(np.uint8)), (0,), reduction=reduction)


def test_cross_entropy_graph_is_log_softmax_then_nll():
    x = ember.tensor(X, requires_grad=True)
    loss = F.cross_entropy(x, ember.tensor(T_IDX))
    assert type(loss.grad_fn).__name__ == "NllLossBackward0"
    inner = loss.grad_fn.next_functions[0][0]
    assert type(inner).__name__ == "LogSoftmaxBackward0"
    assert type(inner.next_functions[0][0]).__name__ == "AccumulateGrad"
    assert inner.next_functions[0][0].variable is x
    assert repr(loss).endswith("grad_fn=<NllLossBackward0>)")


def test_cross_entropy_everything_ignored_is_nan():
    run_both("cross_entropy", (X, np.full(5, -100)), (), reduction="mean")
    run_both("cross_entropy", (X, np.full(5, -100)), (), reduction="mean", label_smoothing=0.1)
    run_both("nll_loss", (np.zeros((0, 3), np.float32), np.zeros(0, np.int64)), ())
    run_both("nll_loss", (np.zeros((0, 3), np.float32), np.zeros(0, np.int64)), (),
             reduction="sum")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kwargs", [{}, {"p": 2}, {"margin": 0.3},
                                    {"weight": np.array([1.0, 0.5, 2.0, 1.5], np.float32)}])
def test_multi_margin_loss(kwargs, reduction):
    run_both("multi_margin_loss", (X, T_IDX), (0,), reduction=reduction, **kwargs)
    run_both("multi_margin_loss", (X[0], np.array(2)), (0,), reduction=reduction, **kwargs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss(reduction):
    target = np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 0, 0, 0], [2, -1, 0, 0],
                       [0, 0, -1, 2]])
    run_both("multilabel_margin_loss", (X, target), (0,), reduction=reduction)
    run_both("multilabel_margin_loss", (X[0], target[0]), (0,), reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pair_losses(reduction):
    t = np.array([1.0, -1.0, 1.0, -1.0, 0.0], np.float32)
    run_both("cosine_embedding_loss", (X, Y, t), (0, 1), reduction=reduction)
    run_both("cosine_embedding_loss", (X, Y, t), (0, 1), reduction=reduction, margin=0.2)
    run_both("cosine_embedding_loss", (X[0], Y[0], np.array(-1.0, np.float32)), (0, 1),
             reduction=reduction, margin=-0.5)
    run_both("margin_ranking_loss", (X, Y, SIGNS), (0, 1, 2), reduction=reduction, margin=0.1)
    run_both("margin_ranking_loss", (X[:, 0], Y[:1, 0], SIGNS[:, 0]), (0, 1, 2),
             reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kwargs", [{}, {"swap": True}, {"p": 1.0}, {"p": 3.0, "margin": 2.0},
                                    {"p": float("inf")}])
def test_triplet_margin_loss(kwargs, reduction):
    n = (rng.randn(5, 4) * 0.5).astype(np.float32)
    run_both("triplet_margin_loss", (X, Y, n), (0, 1, 2), reduction=reduction, **kwargs)
    run_both("triplet_margin_loss", (X[0], Y[0], n[0]), (0, 1, 2), reduction=reduction,
             **kwargs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_with_distance_loss(swap, reduction):
    n = (rng.randn(5, 4) * 0.5).astype(np.float32)
    run_both("triplet_margin_with_distance_loss", (X, Y, n), (0, 1, 2), reduction=reduction,
             swap=swap)
    E = _make(ember, (X, Y, n), (0, 1, 2))
    T = _make(torch, (X, Y, n), (0, 1, 2))
    le = F.triplet_margin_with_distance_loss(*E, distance_function=lambda a, b: (a - b).abs()
                                             .sum(-1), margin=0.5, reduction=reduction)
    lt = TF.triplet_margin_with_distance_loss(*T, distance_function=lambda a, b: (a - b).abs()
                                              .sum(-1), margin=0.5, reduction=reduction)
    np.testing.assert_allclose(le.detach().numpy(), lt.detach().numpy(), rtol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_loss(full, reduction):
    var = (P + 0.1).astype(np.float32)
    run_both("gaussian_nll_loss", (X, Y, var), (0, 1, 2), reduction=reduction, full=full)
    run_both("gaussian_nll_loss", (X, Y, var[:, :1]), (0, 1, 2), reduction=reduction,
             full=full)
    run_both("gaussian_nll_loss", (X, Y, var[:, 0]), (0, 1, 2), reduction=reduction, full=full)
    small = var.copy()
    small[0, 0] = 1e-9
    run_both("gaussian_nll_loss", (X, Y, small), (0, 1, 2), reduction=reduction, full=full)
    E, T = _make(ember, (X, Y), (0,)), _make(torch, (X, Y), (0,))
    np.testing.assert_allclose(F.gaussian_nll_loss(*E, 0.5, reduction=reduction).detach()
                               .numpy(), TF.gaussian_nll_loss(*T, 0.5, reduction=reduction)
                               .detach().numpy(), rtol=1e-5)


# ----------------------------------------------------------------------------- hypothesis

shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)


@settings(max_examples=25, deadline=None)
@given(shape=shapes, seed=st.integers(0, 2 ** 16),
       name=st.sampled_from(["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                             "binary_cross_entropy_with_logits", "soft_margin_loss"]),
       reduction=st.sampled_from(REDUCTIONS))
def test_elementwise_losses_any_shape(shape, seed, name, reduction):
    r = np.random.RandomState(seed)
    x = np.asarray(r.randn(*shape) * 2, np.float32)
    t = np.asarray(r.rand(*shape), np.float32)
    if name == "soft_margin_loss":
        t = np.asarray(np.sign(t - 0.5), np.float32)
    run_both(name, (x, t), (0,), reduction=reduction, rtol=1e-4)


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 6), classes=st.integers(1, 5),
       extra=st.lists(st.integers(1, 3), max_size=2), seed=st.integers(0, 2 ** 16),
       reduction=st.sampled_from(REDUCTIONS), smoothing=st.sampled_from([0.0, 0.15]))
def test_cross_entropy_any_shape(batch, classes, extra, seed, reduction, smoothing):
    r = np.random.RandomState(seed)
    x = (r.randn(batch, classes, *extra) * 3).astype(np.float32)
    t = r.randint(0, classes, (batch, *extra))
    run_both("cross_entropy", (x, t), (0,), reduction=reduction, label_smoothing=smoothing,
             rtol=1e-4)


@settings(max_examples=15, deadline=None)
@given(batch=st.integers(1, 5), classes=st.integers(2, 5), seed=st.integers(0, 2 ** 16))
def test_mse_broadcast_gradient(batch, classes, seed):
    r = np.random.RandomState(seed)
    run_both("mse_loss", (r.randn(batch, 1).astype(np.float32),
                          r.randn(classes).astype(np.float32)), (0, 1), rtol=1e-4)


def test_float64_and_mixed_dtypes():
    run_both("mse_loss", (X.astype(np.float64), Y), (0, 1))
    run_both("mse_loss", (X, np.round(Y * 4).astype(np.int64)), (0,))
    run_both("l1_loss", (X, Y.astype(np.float64)), (0, 1))
    run_both("cross_entropy", (X.astype(np.float64), T_IDX), (0,))
    run_both("binary_cross_entropy_with_logits", (X, Y.astype(np.float64)), (0, 1))
    run_both("kl_div", (np.log(P), Y.astype(np.float64)), (0, 1), reduction="sum")


def test_bce_clamps_log_at_minus_100():
    x = np.array([0.0, 1.0, 0.5, 1e-30], np.float32)
    t = np.array([1.0, 0.0, 0.5, 1.0], np.float32)
    run_both("binary_cross_entropy", (x, t), (), reduction="none")


def test_bce_with_logits_is_stable_for_large_logits():
    x = np.array([-200.0, -50.0, 0.0, 50.0, 200.0], np.float32)
    t = np.array([1.0, 0.0, 0.5, 1.0, 0.0], np.float32)
    le, _ = run_both("binary_cross_entropy_with_logits", (x, t), (0,), reduction="none")
    assert np.isfinite(le.detach().numpy()).all()


# ----------------------------------------------------------------------------- gradcheck

def _double(*arrays, grads=None):
    return [ember.tensor(np.asarray(a, np.float64), requires_grad=(grads is None or i in grads))
            for i, a in enumerate(arrays)]


@pytest.mark.parametrize("fn,arrays,grads", [
    (lambda x, t: F.mse_loss(x, t), (X, Y), None),
    (lambda x, t: F.mse_loss(x, t, reduction="none"), (X[:2], Y[:2]), None),
    (lambda x, t: F.l1_loss(x, t), (X, Y), None),
    (lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), (X, Y), None),
    (lambda x, t: F.huber_loss(x, t, delta=0.5, reduction="sum"), (X, Y), None),
    (lambda x, t: F.binary_cross_entropy(x, t), (P, Y), None),
    (lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=ember.tensor(
        [1.0, 2.0, 3.0, 0.5], dtype=ember.float64)), (X, Y), None),
    (lambda x, t: F.kl_div(x, t, reduction="batchmean"), (np.log(P), Y), None),
    (lambda x, t: F.soft_margin_loss(x, t), (X, SIGNS), (0,)),
    (lambda x: F.cross_entropy(x, ember.tensor(T_IDX)), (X,), None),
    (lambda x: F.cross_entropy(x, ember.tensor(T_IDX), label_smoothing=0.2,
                               reduction="none"), (X,), None),
    (lambda x, t: F.cross_entropy(x, t), (X, P), None),
    (lambda x: F.nll_loss(x, ember.tensor(T_IDX), weight=ember.tensor(
        [1.0, 2.0, 0.5, 1.0], dtype=ember.float64)), (X,), None),
    (lambda x: F.multi_margin_loss(x, ember.tensor(T_IDX), p=2), (X,), None),
    (lambda x, t: F.multilabel_soft_margin_loss(x, t), (X, Y), None),
    (lambda x, t: F.poisson_nll_loss(x, t), (X, Y), None),
    (lambda x, t, v: F.gaussian_nll_loss(x, t, v), (X, Y, P), None),
    (lambda a, b: F.cosine_embedding_loss(a, b, ember.tensor([1.0, -1.0, 1.0, -1.0, 1.0]),
                                          margin=-0.5), (X, Y), None),
    (lambda a, b, n: F.triplet_margin_loss(a, b, n, margin=3.0), (X, Y, P), None),
    (lambda a, b, n: F.triplet_margin_loss(a, b, n, margin=3.0, p=3), (X, Y, P), None),
])
def test_gradcheck(fn, arrays, grads):
    inputs = _double(*arrays, grads=grads)
    assert ember.autograd.gradcheck(fn, inputs)


@pytest.mark.parametrize("fn,arrays", [
    (lambda x, t: F.mse_loss(x, t), (X, Y)),
    (lambda x: F.cross_entropy(x, ember.tensor(T_IDX)), (X,)),
    (lambda x, t: F.binary_cross_entropy_with_logits(x, t), (X, Y)),
    (lambda x, t: F.binary_cross_entropy(x, t), (P, Y)),
    (lambda x, t: F.smooth_l1_loss(x, t, beta=2.0), (X, Y)),
    (lambda x, t: F.cross_entropy(x, t), (X, P)),
    (lambda x: F.multi_margin_loss(x, ember.tensor(T_IDX), p=2), (X,)),
    (lambda a, b: F.cosine_embedding_loss(a, b, ember.tensor([1.0, -1.0, 1.0, -1.0, 1.0]),
                                          margin=-0.5), (X, Y)),
])
def test_gradgradcheck(fn, arrays):
    assert ember.autograd.gradgradcheck(fn, _double(*arrays))


def test_hessian_of_mse_matches_torch():
    a = rng.randn(6, 3)
    b = rng.randn(6)
    w0 = rng.randn(3)
    he = ember.autograd.functional.hessian(
        lambda w: F.mse_loss(ember.tensor(a) @ w, ember.tensor(b)), ember.tensor(w0))
    ht = torch.autograd.functional.hessian(
        lambda w: TF.mse_loss(torch.tensor(a) @ w, torch.tensor(b)), torch.tensor(w0))
    np.testing.assert_allclose(he.numpy(), ht.numpy(), rtol=1e-10)


# ----------------------------------------------------------------------------- warnings

def test_mse_broadcast_warning():
    for loss in (lambda lib: lib.nn.functional.mse_loss, lambda lib: lib.nn.MSELoss(),
                 lambda lib: lib.nn.functional.l1_loss):
        same_warnings(lambda lib: loss(lib)(lib.zeros(3, 1), lib.zeros(3)), torch_warns=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(ember.zeros(3), ember.zeros(3))


@pytest.mark.parametrize("flags", [dict(size_average=False), dict(reduce=False),
                                   dict(size_average=True, reduce=True)])
def test_legacy_reduction_flags(flags):
    same_warnings(lambda lib: lib.nn.functional.mse_loss(lib.ones(3), lib.zeros(3), **flags),
                  torch_warns=True)
    same_warnings(lambda lib: lib.nn.CrossEntropyLoss(**flags), torch_warns=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert enn.MSELoss(**flags).reduction == torch.nn.MSELoss(**flags).reduction
        run_both("cross_entropy", (X, T_IDX), (0,), **flags)


def test_kl_div_mean_warning():
    same_warnings(lambda lib: lib.nn.functional.kl_div(lib.zeros(3), lib.ones(3)),
                  torch_warns=True)


# ----------------------------------------------------------------------------- errors

def _t(lib, a):
    return lib.tensor(np.asarray(a))


ERRORS = {
    "ce float target": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX.astype(np.float32))),
    "ce int32 target": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX.astype(np.int32))),
    "ce target out of bounds": lambda L, f: f.cross_entropy(_t(L, X), _t(L, [0, 7, 1, 1, 0])),
    "ce negative target": lambda L, f: f.cross_entropy(_t(L, X), _t(L, [0, -1, 1, 1, 0])),
    "ce batch mismatch": lambda L, f: f.cross_entropy(_t(L, X), _t(L, [0, 1, 1])),
    "ce spatial mismatch": lambda L, f: f.cross_entropy(L.zeros(2, 3, 4),
                                                        L.zeros(2, 5, dtype=L.long)),
    "ce weight size": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX), weight=L.ones(3)),
    "ce weight dtype": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX),
                                                    weight=L.ones(4, dtype=L.float64)),
    "ce smoothing": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX), label_smoothing=1.5),
    "ce reduction": lambda L, f: f.cross_entropy(_t(L, X), _t(L, T_IDX), reduction="avg"),
    "ce 2d target": lambda L, f: f.cross_entropy(_t(L, X), L.zeros(5, 2, dtype=L.long)),
    "ce 1d target size": lambda L, f: f.cross_entropy(L.zeros(3), _t(L, [1, 2])),
    "ce prob long": lambda L, f: f.cross_entropy(_t(L, X), L.ones(5, 4, dtype=L.long)),
    "ce prob ignore": lambda L, f: f.cross_entropy(_t(L, X), _t(L, Y), ignore_index=1),
    "ce long input": lambda L, f: f.cross_entropy(L.ones(5, 4, dtype=L.long), _t(L, T_IDX)),
    "ce list target": lambda L, f: f.cross_entropy(_t(L, X), [0, 1]),
    "nll 0d": lambda L, f: f.nll_loss(L.tensor(1.0), L.tensor(0)),
    "nll 4d target dims": lambda L, f: f.nll_loss(L.zeros(2, 3, 4, 5),
                                                  L.zeros(2, 4, dtype=L.long)),
    "nll weight grad": lambda L, f: f.nll_loss(_t(L, X).requires_grad_(), _t(L, T_IDX),
                                               weight=L.ones(4, requires_grad=True)),
    "mse broadcast": lambda L, f: f.mse_loss(L.zeros(3, 2), L.zeros(4)),
    "mse long": lambda L, f: f.mse_loss(L.ones(3, dtype=L.long), L.ones(3, dtype=L.long)),
    "mse reduction": lambda L, f: f.mse_loss(L.ones(3), L.ones(3), reduction="batchmean"),
    "bce size": lambda L, f: f.binary_cross_entropy(L.zeros(3, 1), L.zeros(3)),
    "bce input range": lambda L, f: f.binary_cross_entropy(_t(L, [1.5]), _t(L, [1.0])),
    "bce nan": lambda L, f: f.binary_cross_entropy(_t(L, [float("nan")]), _t(L, [1.0])),
    "bce target range": lambda L, f: f.binary_cross_entropy(_t(L, [0.5]), _t(L, [2.0])),
    "bce dtype": lambda L, f: f.binary_cross_entropy(L.zeros(3), L.zeros(3, dtype=L.float64)),
    "bce weight": lambda L, f: f.binary_cross_entropy(L.zeros(4, 3), L.zeros(4, 3),
                                                      weight=L.ones(2)),
    "bcel size": lambda L, f: f.binary_cross_entropy_with_logits(L.zeros(3, 1), L.zeros(3)),
    "bcel long target": lambda L, f: f.binary_cross_entropy_with_logits(
        L.zeros(3), L.zeros(3, dtype=L.long)),
    "bcel pos_weight": lambda L, f: f.binary_cross_entropy_with_logits(
        L.zeros(4, 3), L.zeros(4, 3), pos_weight=L.ones(2)),
    "kl reduction": lambda L, f: f.kl_div(L.zeros(3), L.zeros(3), reduction="bm"),
    "kl long": lambda L, f: f.kl_div(L.zeros(3), L.zeros(3, dtype=L.long), reduction="sum"),
    "huber delta": lambda L, f: f.huber_loss(L.zeros(3), L.zeros(3), delta=0.0),
    "smooth beta": lambda L, f: f.smooth_l1_loss(L.zeros(3), L.zeros(3), beta=-1.0),
    "soft shape": lambda L, f: f.soft_margin_loss(L.zeros(3, 1), L.zeros(3)),
    "soft target grad": lambda L, f: f.soft_margin_loss(L.zeros(3), L.ones(3,
                                                                           requires_grad=True)),
    "mm p": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, T_IDX), p=3),
    "mm target range": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, [0, 7, 1, 1, 0])),
    "mm 3d": lambda L, f: f.multi_margin_loss(L.zeros(2, 3, 4), L.zeros(2, dtype=L.long)),
    "mm target size": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, [0, 1, 1])),
    "mm weight dim": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, T_IDX),
                                                      weight=L.ones(4, 1)),
    "mm weight size": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, T_IDX),
                                                       weight=L.ones(3)),
    "mm float target": lambda L, f: f.multi_margin_loss(_t(L, X), _t(L, T_IDX * 1.0)),
    "mlm size": lambda L, f: f.multilabel_margin_loss(_t(L, X), L.zeros(1, 4, dtype=L.long)),
    "mlm range": lambda L, f: f.multilabel_margin_loss(_t(L, X[:1]), _t(L, [[0, 5, -1, 0]])),
    "mlm float": lambda L, f: f.multilabel_margin_loss(_t(L, X), L.zeros(5, 4)),
    "cos target dims": lambda L, f: f.cosine_embedding_loss(L.zeros(2, 3, 4), L.zeros(2, 3, 4),
                                                            L.ones(2)),
    "cos 0d target": lambda L, f: f.cosine_embedding_loss(_t(L, X), _t(L, X), L.tensor(1.0)),
    "cos 2d target": lambda L, f: f.cosine_embedding_loss(_t(L, X), _t(L, X), L.ones(5, 1)),
    "cos batch": lambda L, f: f.cosine_embedding_loss(_t(L, X), _t(L, X), L.ones(3)),
    "ranking dims": lambda L, f: f.margin_ranking_loss(L.zeros(3), L.zeros(3), L.ones(3, 1)),
    "triplet margin": lambda L, f: f.triplet_margin_loss(_t(L, X), _t(L, X), _t(L, X),
                                                         margin=0),
    "triplet dims": lambda L, f: f.triplet_margin_loss(_t(L, X), _t(L, X), L.zeros(4)),
    "triplet dist margin": lambda L, f: f.triplet_margin_with_distance_loss(
        _t(L, X), _t(L, X), _t(L, X), margin=-1.0),
    "poisson reduction": lambda L, f: f.poisson_nll_loss(_t(L, X), _t(L, X), reduction="x"),
    "gaussian negative": lambda L, f: f.gaussian_nll_loss(_t(L, X), _t(L, X), -1.0),
    "gaussian negative tensor": lambda L, f: f.gaussian_nll_loss(_t(L, X), _t(L, X),
                                                                 -L.ones(5, 4)),
    "gaussian size": lambda L, f: f.gaussian_nll_loss(_t(L, X), _t(L, X), L.ones(2)),
    "gaussian reduction": lambda L, f: f.gaussian_nll_loss(_t(L, X), _t(L, X), L.ones(5, 4),
                                                           reduction="x"),
    "module huber delta": lambda L, f: L.nn.HuberLoss(delta="1"),
    "module triplet margin": lambda L, f: L.nn.TripletMarginLoss(margin=0),
    "module multimargin p": lambda L, f: L.nn.MultiMarginLoss(p=3),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_match_torch(case):
    same_error(lambda lib: ERRORS[case](lib, lib.nn.functional))


# ----------------------------------------------------------------------------- modules

MODULES = ["L1Loss", "NLLLoss", "PoissonNLLLoss", "GaussianNLLLoss", "KLDivLoss", "MSELoss",
           "BCELoss", "BCEWithLogitsLoss", "HingeEmbeddingLoss", "MultiLabelMarginLoss",
           "SmoothL1Loss", "HuberLoss", "SoftMarginLoss", "CrossEntropyLoss",
           "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
           "MultiMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss"]


@pytest.mark.parametrize("name", MODULES)
def test_module_repr_and_attributes(name):
    me, mt = getattr(enn, name)(), getattr(torch.nn, name)()
    assert repr(me) == repr(mt)
    public = {k: v for k, v in vars(mt).items() if not k.startswith("_")}
    for key, value in public.items():
        assert getattr(me, key) == value, key
    assert list(me.state_dict()) == list(mt.state_dict())
    assert set(enn.modules.loss.__all__) >= set(MODULES)


def test_weighted_module_buffers():
    w = np.array([1.0, 2.0, 0.5, 1.0], np.float32)
    me = enn.CrossEntropyLoss(weight=ember.tensor(w), label_smoothing=0.1, ignore_index=2)
    mt = torch.nn.CrossEntropyLoss(weight=torch.tensor(w), label_smoothing=0.1, ignore_index=2)
    assert list(me.state_dict()) == list(mt.state_dict()) == ["weight"]
    assert [n for n, _ in me.named_buffers()] == ["weight"]
    xe, xt = ember.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    le, lt = me(xe, ember.tensor(T_IDX)), mt(xt, torch.tensor(T_IDX))
    np.testing.assert_allclose(le.item(), lt.item(), rtol=1e-6)
    le.backward()
    lt.backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-7)
    pw = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    be = enn.BCEWithLogitsLoss(pos_weight=ember.tensor(pw))
    bt = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw))
    assert list(be.state_dict()) == list(bt.state_dict())
    np.testing.assert_allclose(be(ember.tensor(X), ember.tensor(Y)).item(),
                               bt(torch.tensor(X), torch.tensor(Y)).item(), rtol=1e-6)


@pytest.mark.parametrize("name,args", [
    ("MSELoss", (X, Y)), ("L1Loss", (X, Y)), ("SmoothL1Loss", (X, Y)), ("HuberLoss", (X, Y)),
    ("CrossEntropyLoss", (X, T_IDX)), ("NLLLoss", (np.log(P), T_IDX)), ("BCELoss", (P, Y)),
    ("BCEWithLogitsLoss", (X, Y)), ("KLDivLoss", (np.log(P), Y)), ("SoftMarginLoss", (X, SIGNS)),
    ("MultiLabelSoftMarginLoss", (X, Y)), ("MultiMarginLoss", (X, T_IDX)),
    ("HingeEmbeddingLoss", (X, SIGNS)), ("PoissonNLLLoss", (X, Y)),
    ("GaussianNLLLoss", (X, Y, P)), ("CosineEmbeddingLoss", (X, Y, SIGNS[:, 0])),
    ("MarginRankingLoss", (X, Y, SIGNS)), ("TripletMarginLoss", (X, Y, P)),
    ("TripletMarginWithDistanceLoss", (X, Y, P)),
])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_modules_match_functional(name, args, reduction):
    me = getattr(enn, name)(reduction=reduction)
    mt = getattr(torch.nn, name)(reduction=reduction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        le = me(*[ember.tensor(a) for a in args])
        lt = mt(*[torch.tensor(a) for a in args])
    np.testing.assert_allclose(le.numpy(), lt.numpy(), rtol=1e-5, atol=1e-6)


def test_no_grad_loss_has_no_graph():
    with ember.no_grad():
        loss = F.cross_entropy(ember.tensor(X, requires_grad=True), ember.tensor(T_IDX))
    assert loss.grad_fn is None and not loss.requires_grad
    loss = F.mse_loss(ember.tensor(X), ember.tensor(Y))
    assert loss.grad_fn is None
    assert abs(loss.item() - TF.mse_loss(torch.tensor(X), torch.tensor(Y)).item()) < 1e-6


def test_loss_print_matches_torch():
    xe, xt = ember.tensor([[1.0], [2.0]], requires_grad=True), torch.tensor([[1.0], [2.0]],
                                                                          requires_grad=True)
    assert repr(F.mse_loss(xe, ember.tensor([[3.0], [5.0]]))) == repr(
        TF.mse_loss(xt, torch.tensor([[3.0], [5.0]])))
    assert repr(F.l1_loss(xe, ember.tensor([[3.0], [5.0]]))) == repr(
        TF.l1_loss(xt, torch.tensor([[3.0], [5.0]])))


def test_saved_input_modified_in_place_is_detected():
    x = ember.tensor(X, requires_grad=True)
    y = x * 1.0
    loss = F.mse_loss(y, ember.tensor(Y))
    with ember.no_grad():
        y.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
