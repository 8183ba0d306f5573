"""Pooling against torch: F.max_pool1d/2d/3d, avg_pool1d/2d/3d, adaptive avg and max pooling,
lp_pool and max_unpool, and their modules (outputs, indices, node names, gradients, second
derivatives, gradcheck, ties and NaNs, reprs, errors)."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same, same_error

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=25, deadline=None)


def normal(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def F(lib):
    return lib.nn.functional


@st.composite
def poolings(draw, nd, kind):
    """(input shape, kwargs) of a valid nd max or avg pooling."""
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd)) if kind == "max" else (1,) * nd
    size = tuple(draw(st.integers(1, 7)) for _ in range(nd))
    ceil_mode = draw(st.booleans())
    s = stride or kernel
    for h, k, st_, p, d in zip(size, kernel, s, padding, dilation):
        o = (h + 2 * p - d * (k - 1) - 1 + (st_ - 1 if ceil_mode else 0)) // st_ + 1
        if ceil_mode and (o - 1) * st_ >= h + p:
            o -= 1
        assume(o >= 1)
        # every window must see the input (a dilated window that misses it makes torch
        # scatter its gradient out of bounds)
        assume(all(any(0 <= w * st_ - p + i * d < h for i in range(k)) for w in range(o)))
    kwargs = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
    if kind == "max":
        kwargs.update(dilation=dilation, return_indices=draw(st.booleans()))
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
        if nd > 1 and draw(st.booleans()):
            kwargs["divisor_override"] = draw(st.integers(1, 5))
    batch = draw(st.sampled_from([(), (2,)]))
    return batch + (draw(st.integers(1, 2)),) + size, kwargs


def _check(name, shape, kwargs, seed):
    # distinct values: the position of a maximum is then the same in both libraries
    x = np.random.default_rng(seed).permutation(math.prod(shape)).reshape(shape) / 7.0 - 3.0
    compare(lambda lib, x: getattr(F(lib), name)(x, **kwargs), x, rtol=1e-7, atol=1e-9)


@SETTINGS
@given(case=poolings(2, "max"), seed=st.integers(0, 1000))
def test_max_pool2d_matches_torch(case, seed):
    _check("max_pool2d", *case, seed)


@SETTINGS
@given(case=poolings(1, "max"), seed=st.integers(0, 1000))
def test_max_pool1d_matches_torch(case, seed):
    _check("max_pool1d", *case, seed)


@settings(max_examples=12, deadline=None)
@given(case=poolings(3, "max"), seed=st.integers(0, 1000))
def test_max_pool3d_matches_torch(case, seed):
    _check("max_pool3d", *case, seed)


@SETTINGS
@given(case=poolings(2, "avg"), seed=st.integers(0, 1000))
def test_avg_pool2d_matches_torch(case, seed):
    _check("avg_pool2d", *case, seed)


@SETTINGS
@given(case=poolings(1, "avg"), seed=st.integers(0, 1000))
def test_avg_pool1d_matches_torch(case, seed):
    _check("avg_pool1d", *case, seed)


@settings(max_examples=12, deadline=None)
@given(case=poolings(3, "avg"), seed=st.integers(0, 1000))
def test_avg_pool3d_matches_torch(case, seed):
    shape, kwargs = case
    assume(all(h >= k for h, k in zip(shape[-3:], kwargs["kernel_size"])))
    _check("avg_pool3d", shape, kwargs, seed)


def test_max_pool_without_grad_matches_torch():
    x = normal((2, 3, 9))
    for lib_out in (F(ember).max_pool1d(ember.tensor(x), 3, 2, 1),
                    F(ember).max_pool2d(ember.tensor(x), 2)):
        assert lib_out.grad_fn is None
    same(lambda lib: F(lib).max_pool1d(lib.tensor(x), 3, 2, 1).tolist())
    same(lambda lib: F(lib).max_pool2d(lib.tensor(x), (2, 3), ceil_mode=True).tolist())


def test_max_pool_ties_take_the_first_maximum():
    """ReLU outputs are full of equal zeros: the gradient goes to the first of a window."""
    x = np.maximum(normal((2, 3, 8, 8), 1).round(), 0)
    compare(lambda lib, x: F(lib).max_pool2d(x, 2, return_indices=True), x)
    compare(lambda lib, x: F(lib).max_pool2d(x, 3, 1, 1, return_indices=True), x)
    compare(lambda lib, x: F(lib).max_pool2d(x, 2, dilation=2, return_indices=True), x)
    compare(lambda lib, x: F(lib).adaptive_max_pool2d(x, (3, 5), return_indices=True), x)


def test_max_pool_nans_win_as_in_torch():
    x = normal((1, 2, 6, 6), 2)
    x[0, 0, 1, 1] = x[0, 0, 1, 0] = x[0, 1, 4, 5] = x[0, 1, 0, 0] = np.nan
    compare(lambda lib, x: F(lib).max_pool2d(x, 2, return_indices=True), x)
    compare(lambda lib, x: F(lib).max_pool2d(x, 3, 2, 1, return_indices=True), x)
    compare(lambda lib, x: F(lib).adaptive_max_pool2d(x, 4, return_indices=True), x)


def test_max_pool_all_minus_infinity_with_padding():
    x = np.full((1, 1, 4, 4), -np.inf)
    x[0, 0, 3, 3] = 1.0
    same(lambda lib: [t.tolist() for t in F(lib).max_pool2d(lib.tensor(x), 3, 2, 1,
                                                             return_indices=True)])


def test_window_missing_the_input_passes_no_gradient():
    """A dilated window over padding only: -inf, torch's index (outside the input), and no
    gradient anywhere (torch writes that gradient out of bounds)."""
    x = ember.tensor([[[5.0]], [[6.0]]], requires_grad=True)
    out, indices = F(ember).max_pool2d(x, (1, 2), padding=(0, 1), dilation=(1, 2),
                                       return_indices=True)
    assert out.tolist() == [[[-math.inf]], [[-math.inf]]] and indices.tolist() == [[[1]], [[1]]]
    out.sum().backward()
    assert x.grad.tolist() == [[[0.0]], [[0.0]]]


def test_integer_pooling_matches_torch():
    x = (np.arange(2 * 3 * 7 * 6).reshape(2, 3, 7, 6) * 37 % 23 - 11).astype(np.int64)
    same(lambda lib: [t.tolist() for t in F(lib).max_pool2d(lib.tensor(x), 3, 2, 1,
                                                             return_indices=True)])
    same(lambda lib: F(lib).avg_pool2d(lib.tensor(x), 3, 2, 1, ceil_mode=True).tolist())
    same(lambda lib: F(lib).avg_pool2d(lib.tensor(x), 3, 2, 1, divisor_override=4).tolist())
    same(lambda lib: str(F(lib).max_pool1d(lib.tensor(x[0]), 2, return_indices=True)[0].dtype))


def test_float32_and_float16():
    x = normal((2, 3, 8, 8), 3, np.float32)
    compare(lambda lib, x: F(lib).max_pool2d(x, 2), x)
    compare(lambda lib, x: F(lib).avg_pool2d(x, 3, 2, 1), x, rtol=1e-6)
    same(lambda lib: F(lib).avg_pool2d(lib.tensor(x.astype(np.float16)), 2).dtype == lib.float16)


@st.composite
def adaptive_cases(draw, nd):
    size = tuple(draw(st.integers(1, 7)) for _ in range(nd))
    out = tuple(draw(st.one_of(st.integers(1, 8), st.none())) for _ in range(nd))
    if draw(st.booleans()) and nd > 1:
        out = draw(st.integers(1, 8))
    elif nd == 1:
        out = out[0] or 1
    batch = draw(st.sampled_from([(), (2,)]))
    return batch + (2,) + size, out


@SETTINGS
@given(case=adaptive_cases(2), seed=st.integers(0, 1000), kind=st.sampled_from(["avg", "max"]))
def test_adaptive_pool2d_matches_torch(case, seed, kind):
    shape, out = case
    kwargs = {"return_indices": True} if kind == "max" else {}
    _check("adaptive_{}_pool2d".format(kind), shape, dict(output_size=out, **kwargs), seed)


@SETTINGS
@given(case=adaptive_cases(1), seed=st.integers(0, 1000), kind=st.sampled_from(["avg", "max"]))
def test_adaptive_pool1d_matches_torch(case, seed, kind):
    shape, out = case
    _check("adaptive_{}_pool1d".format(kind), shape, dict(output_size=out), seed)


@settings(max_examples=12, deadline=None)
@given(case=adaptive_cases(3), seed=st.integers(0, 1000), kind=st.sampled_from(["avg", "max"]))
def test_adaptive_pool3d_matches_torch(case, seed, kind):
    shape, out = case
    _check("adaptive_{}_pool3d".format(kind), shape, dict(output_size=out), seed)


@pytest.mark.parametrize("name, shape, out", [
    ("adaptive_avg_pool2d", (2, 3, 5, 4), 1), ("adaptive_avg_pool2d", (3, 5, 4), (1, 1)),
    ("adaptive_avg_pool1d", (2, 3, 5), 1), ("adaptive_avg_pool3d", (1, 2, 3, 3, 2), 1),
    ("adaptive_max_pool2d", (2, 3, 5, 4), 1),
])
def test_global_pooling_nodes_match_torch(name, shape, out):
    compare(lambda lib, x: getattr(F(lib), name)(x, out), normal(shape))


def test_lp_pool_matches_torch():
    x = normal((2, 3, 6, 7), 4)
    compare(lambda lib, x: F(lib).lp_pool2d(x, 2, 3, 2), x)
    compare(lambda lib, x: F(lib).lp_pool2d(x, 3.0, (2, 3), ceil_mode=True), x)
    compare(lambda lib, x: F(lib).lp_pool1d(x[0], 1.5, 2), x)
    compare(lambda lib, x: F(lib).lp_pool2d(x, math.inf, 2), x)
    compare(lambda lib, x: F(lib).lp_pool3d(x, 2, 2), x)


@pytest.mark.parametrize("nd, kwargs", [
    (2, dict(kernel_size=2)), (2, dict(kernel_size=3, stride=2, padding=1)),
    (1, dict(kernel_size=2)), (3, dict(kernel_size=2)),
])
def test_max_unpool_matches_torch(nd, kwargs):
    x = normal((2, 3) + (6,) * nd, nd)
    pool, unpool = "max_pool{}d".format(nd), "max_unpool{}d".format(nd)

    if "padding" not in kwargs:           # else only output_size says the size to restore
        def run(lib, x):
            out, indices = getattr(F(lib), pool)(x, return_indices=True, **kwargs)
            return getattr(F(lib), unpool)(out, indices, **kwargs)
        compare(run, x)

    def sized(lib, x):
        out, indices = getattr(F(lib), pool)(x, return_indices=True, **kwargs)
        return getattr(F(lib), unpool)(out, indices, output_size=x.shape[-nd:], **kwargs)
    compare(sized, x)


@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, 3, 2, 1, dilation=(1, 2)),
    lambda F, x: F.max_pool1d(x[0], 2, 1, ceil_mode=True),
    lambda F, x: F.max_pool3d(x[None], 2, 1),
    lambda F, x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    lambda F, x: F.avg_pool1d(x[0], 3, 2, 1),
    lambda F, x: F.avg_pool3d(x[None], 2, 1, divisor_override=3),
    lambda F, x: F.adaptive_avg_pool2d(x, (2, 3)),
    lambda F, x: F.adaptive_max_pool2d(x, (3, 2)),
    lambda F, x: F.adaptive_max_pool1d(x[0], 3),
    lambda F, x: F.lp_pool2d(x, 2, 2),
])
def test_gradcheck(fn):
    gradcheck(lambda lib, x: fn(F(lib), x), normal((1, 2, 4, 5), 5))


@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, 2, 1).sin(),
    lambda F, x: F.avg_pool2d(x, 3, 2, 1).sin(),
    lambda F, x: F.adaptive_avg_pool2d(x, (3, 2)).sin(),
    lambda F, x: F.adaptive_max_pool2d(x, 3).sin(),
])
def test_second_derivatives_match_torch(fn):
    compare(lambda lib, x: fn(F(lib), x), normal((2, 2, 5, 6), 6), double=True)


# ---------------------------------------------------------------- errors


def t(lib, shape, dtype="float32"):
    return lib.zeros(shape, dtype=getattr(lib, dtype))


X = (1, 2, 5, 5)


@pytest.mark.parametrize("call", [
    lambda F, t: F.max_pool2d(t(X), 0),
    lambda F, t: F.max_pool2d(t(X), -1),
    lambda F, t: F.max_pool2d(t(X), 0, 1),
    lambda F, t: F.max_pool2d(t(X), 2, 0),
    lambda F, t: F.max_pool2d(t(X), 2, -1),
    lambda F, t: F.max_pool2d(t(X), 2, padding=2),
    lambda F, t: F.max_pool2d(t(X), 2, padding=-1),
    lambda F, t: F.max_pool2d(t(X), 3, padding=2, dilation=2),
    lambda F, t: F.max_pool2d(t(X), (3, 2), padding=(2, 1)),
    lambda F, t: F.max_pool2d(t(X), 2, dilation=0),
    lambda F, t: F.max_pool2d(t(X), 2, dilation=-1),
    lambda F, t: F.max_pool2d(t((1, 1, 2, 2)), 3),
    lambda F, t: F.max_pool2d(t((5, 5)), 2),
    lambda F, t: F.max_pool2d(t((5, 5)), 2, 0),
    lambda F, t: F.max_pool2d(t((1, 1, 1, 5, 5)), 2),
    lambda F, t: F.max_pool2d(t(X), (2, 2, 2)),
    lambda F, t: F.max_pool2d(t(X), 2, (2, 2, 2)),
    lambda F, t: F.max_pool2d(t(X), 2, padding=(1, 1, 1)),
    lambda F, t: F.max_pool2d(t(X), 2, dilation=(1, 1, 1)),
    lambda F, t: F.max_pool2d(t(X, "bool"), 2),
    lambda F, t: F.max_pool2d(t((1, 0, 4, 4)), 2),
    lambda F, t: F.max_pool3d(t((5, 5)), 2),
    lambda F, t: F.max_pool3d(t((1, 2, 2, 2)), 3),
    lambda F, t: F.max_pool3d(t(X), (2, 2)),
    lambda F, t: F.max_pool3d(t(X), 0, 1),
    lambda F, t: F.max_pool3d(t(X), 2, dilation=0),
    lambda F, t: F.max_pool3d(t(X), 2, padding=2),
    lambda F, t: F.max_pool3d(t(X), 3, padding=2, dilation=2),
    lambda F, t: F.max_pool3d(t((1, 0, 2, 2, 2)), 2),
    lambda F, t: F.max_pool1d(t((5,)), 2),
    lambda F, t: F.max_pool1d(t((1, 1, 2)), 3),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 0),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, 0),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, padding=2),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, padding=-1),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, dilation=0),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), (2, 2)),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, (2, 2)),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, 2, (1, 1)),
    lambda F, t: F.max_pool1d(t((1, 1, 4)), 2, 2, 0, (1, 1)),
    lambda F, t: F.max_pool1d(t((1, 0, 4)), 2),
    lambda F, t: F.max_pool1d(t((1, 1, 4, 4)), 2),
    lambda F, t: F.max_pool1d(t((1, 1, 4), "int64"), 2),
    lambda F, t: F.avg_pool2d(t(X), 0),
    lambda F, t: F.avg_pool2d(t(X), -1),
    lambda F, t: F.avg_pool2d(t(X), 2, padding=2),
    lambda F, t: F.avg_pool2d(t(X), 2, padding=-1),
    lambda F, t: F.avg_pool2d(t(X), 2, 0),
    lambda F, t: F.avg_pool2d(t(X), 2, -1),
    lambda F, t: F.avg_pool2d(t((1, 1, 2, 2)), 3),
    lambda F, t: F.avg_pool2d(t((5, 5)), 2),
    lambda F, t: F.avg_pool2d(t(X), 2, divisor_override=0),
    lambda F, t: F.avg_pool2d(t(X), (2, 2, 2)),
    lambda F, t: F.avg_pool2d(t(X), 2, (2, 2, 2)),
    lambda F, t: F.avg_pool2d(t(X), 2, padding=(1, 1, 1)),
    lambda F, t: F.avg_pool2d(t(X, "bool"), 2),
    lambda F, t: F.avg_pool2d(t((1, 0, 4, 4)), 2),
    lambda F, t: F.avg_pool3d(t((4, 4)), 2),
    lambda F, t: F.avg_pool3d(t((1, 2, 2, 2)), 3),
    lambda F, t: F.avg_pool3d(t((1, 1, 1, 5, 5)), 2, 1, padding=1),
    lambda F, t: F.avg_pool3d(t(X), (2, 2)),
    lambda F, t: F.avg_pool3d(t(X), 2, divisor_override=0),
    lambda F, t: F.avg_pool3d(t((1, 0, 5, 5, 5)), 2),
    lambda F, t: F.avg_pool3d(t((1, 1, 5, 5, 5)), 2, -1),
    lambda F, t: F.avg_pool1d(t((5,)), 2),
    lambda F, t: F.avg_pool1d(t((1, 1, 4, 4)), 2),
    lambda F, t: F.avg_pool1d(t((1, 1, 2)), 3),
    lambda F, t: F.avg_pool1d(t((1, 1, 4)), 2, padding=2),
    lambda F, t: F.avg_pool1d(t((1, 1, 4)), 0),
    lambda F, t: F.avg_pool1d(t((1, 1, 4)), (2, 2)),
    lambda F, t: F.avg_pool1d(t((1, 1, 4)), 2, (2, 2)),
    lambda F, t: F.avg_pool1d(t((1, 1, 4)), 2, 2, (1, 1)),
    lambda F, t: F.adaptive_avg_pool2d(t(X), -1),
    lambda F, t: F.adaptive_avg_pool2d(t((5,)), 2),
    lambda F, t: F.adaptive_avg_pool2d(t(X), (2, 2, 2)),
    lambda F, t: F.adaptive_avg_pool2d(t((1, 1, 0, 4)), 2),
    lambda F, t: F.adaptive_avg_pool2d(t(X, "int64"), 2),
    lambda F, t: F.adaptive_avg_pool2d(t(X, "int64"), 1),
    lambda F, t: F.adaptive_avg_pool3d(t((5, 5)), 2),
    lambda F, t: F.adaptive_avg_pool3d(t((2, 5, 5, 5)), -1),
    lambda F, t: F.adaptive_avg_pool3d(t((2, 5, 5, 5)), (1, 1)),
    lambda F, t: F.adaptive_avg_pool3d(t((2, 0, 5, 5)), 2),
    lambda F, t: F.adaptive_avg_pool1d(t((5,)), 2),
    lambda F, t: F.adaptive_avg_pool1d(t((1, 5, 5)), (2, 2)),
    lambda F, t: F.adaptive_avg_pool1d(t((2, 5, 5)), -1),
    lambda F, t: F.adaptive_max_pool2d(t((5,)), 2),
    lambda F, t: F.adaptive_max_pool2d(t(X), -1),
    lambda F, t: F.adaptive_max_pool2d(t((2, 5, 5)), (1, 1, 1)),
    lambda F, t: F.adaptive_max_pool2d(t((2, 0, 5)), 2),
    lambda F, t: F.adaptive_max_pool2d(t(X, "int64"), 2),
    lambda F, t: F.adaptive_max_pool3d(t((5, 5)), 2),
    lambda F, t: F.adaptive_max_pool3d(t((2, 5, 5, 5)), (1, 1)),
    lambda F, t: F.adaptive_max_pool3d(t((2, 0, 5, 5)), 2),
    lambda F, t: F.adaptive_max_pool1d(t((5,)), 2),
    lambda F, t: F.adaptive_max_pool1d(t((2, 5, 5)), (2, 2)),
    lambda F, t: F.max_unpool2d(t((1, 1, 2, 2)), t((1, 1, 2, 2), "int64"), 2,
                                output_size=(9, 9)),
    lambda F, t: F.max_unpool2d(t((1, 1, 2, 2)), t((1, 1, 2, 2), "int64"), 2,
                                output_size=(4, 4, 4)),
])
def test_errors_match_torch(call):
    def run(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(F(lib), lambda shape, dtype="float32": t(lib, shape, dtype))
    same_error(run)


# ---------------------------------------------------------------- modules


@pytest.mark.parametrize("make, shape", [
    (lambda nn: nn.MaxPool2d(2), (2, 3, 8, 8)),
    (lambda nn: nn.MaxPool2d((2, 3), padding=1, ceil_mode=True), (3, 7, 8)),
    (lambda nn: nn.MaxPool2d(3, 2, 1, dilation=2, return_indices=True), (1, 2, 9, 9)),
    (lambda nn: nn.MaxPool1d(2, return_indices=True), (2, 3, 7)),
    (lambda nn: nn.MaxPool3d(2, stride=1), (1, 1, 3, 4, 3)),
    (lambda nn: nn.AvgPool2d(2), (2, 3, 8, 8)),
    (lambda nn: nn.AvgPool2d(3, 2, 1, count_include_pad=False, divisor_override=2),
     (1, 2, 7, 6)),
    (lambda nn: nn.AvgPool1d(3, padding=1, ceil_mode=True), (2, 3, 8)),
    (lambda nn: nn.AvgPool3d(2, divisor_override=2), (1, 1, 4, 4, 4)),
    (lambda nn: nn.AdaptiveAvgPool2d((None, 2)), (2, 3, 5, 7)),
    (lambda nn: nn.AdaptiveAvgPool2d(1), (2, 3, 5, 7)),
    (lambda nn: nn.AdaptiveAvgPool1d(3), (2, 3, 7)),
    (lambda nn: nn.AdaptiveAvgPool3d((2, 1, 3)), (1, 2, 4, 4, 4)),
    (lambda nn: nn.AdaptiveMaxPool1d(3, return_indices=True), (2, 3, 7)),
    (lambda nn: nn.AdaptiveMaxPool2d((3, None)), (2, 3, 5, 7)),
    (lambda nn: nn.AdaptiveMaxPool3d(2), (1, 2, 4, 4, 4)),
    (lambda nn: nn.LPPool1d(2, 3), (2, 3, 7)),
    (lambda nn: nn.LPPool2d(1.5, (2, 3), stride=1), (2, 3, 5, 7)),
    (lambda nn: nn.LPPool3d(2, 2), (1, 2, 4, 4, 4)),
])
def test_modules_match_torch(make, shape):
    same(lambda lib: repr(make(lib.nn)))
    same(lambda lib: list(make(lib.nn).state_dict()))
    compare(lambda lib, x: make(lib.nn)(x), normal(shape, 7))


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_modules_match_torch(nd):
    def run(lib, x):
        pool = getattr(lib.nn, "MaxPool{}d".format(nd))(2, return_indices=True)
        unpool = getattr(lib.nn, "MaxUnpool{}d".format(nd))(2)
        out, indices = pool(x)
        return unpool(out, indices, output_size=tuple(x.shape))
    same(lambda lib: repr(getattr(lib.nn, "MaxUnpool{}d".format(nd))(2, padding=1)))
    compare(run, normal((1, 2) + (5,) * nd))


def test_lenet_pooling_path_matches_torch():
    """The benchmark's pooling: MaxPool2d(2) after ReLU, float32, a batch of 64."""
    x = normal((64, 6, 28, 28), 8, np.float32)
    compare(lambda lib, x: lib.nn.MaxPool2d(2)(lib.nn.ReLU()(x)), x)
    assert arr(F(ember).max_pool2d(ember.tensor(x), 2)).flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, 2, return_indices=True),
    lambda F, x: F.max_pool1d(x[:, 0], 2),
    lambda F, x: F.avg_pool2d(x, 2),
    lambda F, x: F.adaptive_avg_pool2d(x, 2),
    lambda F, x: F.adaptive_max_pool2d(x, (2, 3)),
    lambda F, x: F.lp_pool2d(x, 2, 2),
])
def test_empty_batch_matches_torch(fn):
    compare(lambda lib, x: fn(F(lib), x), np.zeros((0, 3, 5, 4)))


def test_zero_output_size_matches_torch():
    # (torch cannot differentiate these: compare the values only)
    compare(lambda lib, x: F(lib).adaptive_max_pool2d(x, 0, True), normal((2, 3, 5, 4)),
            grad=False)
    compare(lambda lib, x: F(lib).adaptive_avg_pool2d(x, (0, 2)), normal((2, 3, 5, 4)),
            grad=False)


@pytest.mark.parametrize("fn", [
    lambda F, y: F.max_pool2d(y, 2),
    lambda F, y: F.avg_pool2d(y, 2),
    lambda F, y: F.adaptive_avg_pool2d(y, 2),
    lambda F, y: F.adaptive_max_pool2d(y, 2),
    lambda F, y: F.pad(y, (1, 1, 1, 1), mode="reflect"),
    lambda F, y: F.conv2d(y, y.detach()[0:1, :, :2, :2]),
])
def test_changing_the_input_in_place_breaks_backward_as_in_torch(fn):
    def run(lib, x):
        y = x.requires_grad_() * 1
        out = fn(F(lib), y)
        y.add_(1)
        out.sum().backward()
    same_error(run, normal((1, 1, 4, 4)))
