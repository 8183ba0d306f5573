"""Indexing against torch: x[...] reading and writing, gather/scatter, masks, sorting."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import compare_exact, error_of, same_error

torch = pytest.importorskip("torch")


X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7 - 1


# ---------------------------------------------------------------- reading

READ = [
    "x[0]", "x[-1]", "x[1:]", "x[:]", "x[0:2]", "x[0:5]", "x[-10:1]", "x[1:1]", "x[::2]",
    "x[:, ::2, 1::3]", "x[None]", "x[None, None]", "x[...]", "x[..., 0]", "x[..., None]",
    "x[..., None, 0]", "x[0, None]", "x[None, 0]", "x[:, None]", "x[:, :]", "x[0:2, :]",
    "x[:, :, 0:4]", "x[..., :]", "x[:, None, :]", "x[1:, :]", "x[:, 1:]", "x[:, -1]",
    "x[0, 1:]", "x[1:, 0]", "x[0, 0, 0]", "x[0][1]", "x[(0, 1)]", "x[1, ..., 2]",
    "x[..., ...]", "x[L.tensor(0)]", "x[L.tensor(0), 1]", "x[np.int64(1)]", "x[np.array(1)]",
    "x[slice(0, L.tensor(1))]",
    "x[[0, 1]]", "x[[1, 1, 0]]", "x[[1.7, 0.2]]", "x[[0, 1],]", "x[(L.tensor([0]),)]",
    "x[L.tensor([0])]",
    "x[L.tensor([[0, 1], [1, 0]])]", "x[0, [0, 1]]", "x[0, :, [0, 1]]", "x[[0, 1], :, [0, 1]]",
    "x[:, [0, 1], [0, 1]]", "x[[0, 1], 0]", "x[L.tensor([0]), 1]", "x[[0, 1], ..., [0, 1]]",
    "x[:, [2, 0, 2]]", "x[:, :, [-1, 0]]", "x[[-2, 1]]", "x[[]]", "x[[True, False]]",
    "x[[0, True]]", "x[np.array([0, 1])]", "x[np.array([True, False])]",
    "x[L.tensor([0], dtype=L.int32)]", "x[x > 0]", "x[x[:, :, 0] > 0]", "x[x[:, :, 0] > 0, 0]",
    "x[:, x[0, :, 0] > -1]", "x[..., x[0, 0] > 0]", "x[x[0] > 0.5]" if False else "x[0][x[0] > 0]",
    "x[True]", "x[False]", "x[True, 0]", "x[L.tensor(True)]", "x[None, [1, 0], None]",
    "x[1:, [2, 0]]", "x[[1, 0], 1:, [0, 3]]", "x[L.tensor([[1], [0]]), L.tensor([0, 2])]",
    "x[[[0, 1], [1, 0]]]", "x[[0, slice(None)]]", "x[[0, None]]", "x[[0, ...]]",
    "x.sum()[None]", "x.sum()[...]", "x.sum()[True]", "x[0, 0][2]", "x[0, 0][[2, 2]]",
    "x.transpose(0, 2)[1]",
    "x[x > 100]", "x[:, [0]][0]",
]


@pytest.mark.parametrize("expr", READ)
def test_reading_matches_torch(expr):
    compare_exact(lambda L, x: eval(expr, {"L": L, "x": x, "np": np}), X)


def test_reading_a_transposed_tensor():
    """The result of index tensors is a fresh tensor (here torch orders its memory like the
    input's, ember row by row: only the strides differ)."""
    compare_exact(lambda L, x: x.transpose(0, 2)[:, [0, 1]], X, strides=False)


def test_reading_with_byte_masks():
    compare_exact(lambda L, x: x[L.tensor(1, dtype=L.uint8)], X)
    compare_exact(lambda L, x: x[L.tensor([1, 0], dtype=L.uint8)], X)
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        ember.tensor(X)[ember.tensor([1, 0], dtype=ember.uint8)]


def test_sequence_index_warns_like_torch():
    with pytest.warns(UserWarning, match="Using a non-tuple sequence for multidimensional"):
        ember.tensor(X)[[[0, 1], [1, 0]]]


def test_reading_views_share_memory():
    x = ember.zeros(2, 3, 4)
    for v in (x[0], x[1:], x[None], x[...], x[:, 1, 2], x[0, 0, 0], x[..., None, 1]):
        assert np.shares_memory(v.numpy(), x.numpy())
        assert v._base is x
    for c in (x[[0, 1]], x[x > 0], x[0, [1]]):
        assert not np.shares_memory(c.numpy(), x.numpy())
    x[0, 1, 2].add_(5)                      # a 0-d view writes through
    assert x[0, 1, 2].item() == 5


@st.composite
def indices(draw, shape):
    """A random mix of ints, slices, None, Ellipsis and index lists for a tensor of shape."""
    parts = []
    dims = len(shape)
    used_ellipsis = False
    d = 0
    for _ in range(draw(st.integers(0, dims + 1))):
        kind = draw(st.sampled_from(["int", "slice", "none", "ellipsis", "list"]))
        if kind == "none":
            parts.append(None)
            continue
        if kind == "ellipsis":
            if not used_ellipsis:
                parts.append(Ellipsis)
                used_ellipsis = True
            continue
        if d >= dims:
            break
        n = shape[d]
        if kind == "int":
            parts.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            parts.append(slice(draw(st.integers(-n - 1, n + 1) | st.none()),
                               draw(st.integers(-n - 1, n + 1) | st.none()),
                               draw(st.integers(1, 3) | st.none())))
        else:
            parts.append(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3)))
        d += 1
    lists = [p for p in parts if isinstance(p, list)]
    if len({len(p) for p in lists}) > 1:
        parts = [p[:1] if isinstance(p, list) else p for p in parts]
    return tuple(parts)


shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(shapes.flatmap(lambda s: st.tuples(st.just(s), indices(s))))
def test_random_indices(shape_index):
    """Random mixes of ints, slices, None, Ellipsis and index lists read what torch reads
    (or fail as torch fails)."""
    shape, index = shape_index
    a = np.random.RandomState(0).standard_normal(shape).astype(np.float32)
    e = error_of(lambda: ember.tensor(a)[index])
    t = error_of(lambda: torch.tensor(a)[index])
    assert e == t
    if t is None:
        compare_exact(lambda L, x: x[index], a)


@settings(max_examples=80, deadline=None)
@given(shapes.flatmap(lambda s: st.tuples(st.just(s), indices(s))), st.integers(0, 3))
def test_random_writes(shape_index, kind):
    """Random writes x[index] = value (a number, a tensor of the region's shape, one with
    fewer dimensions, or one that does not fit) change what torch changes, record the same
    graph and give the same gradients."""
    shape, index = shape_index
    a = np.random.RandomState(0).standard_normal(shape).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            region = tuple(torch.tensor(a)[index].shape)
        except Exception:           # noqa: BLE001 - an index torch refuses: errors compared
            region = (1,)
    values = [2.5, np.full(region, 3.0, np.float32), np.full(region[1:], 4.0, np.float32),
              np.ones(tuple(n + 1 for n in region) or (2,), np.float32)]
    v = values[kind]

    def f(L, w, *value):
        x = w * 1
        x[index] = value[0] * 2 if value else v
        return x, x._version
    arrays = (a,) if kind == 0 else (a, v)
    e = error_of(lambda: f(ember, *[ember.tensor(b) for b in arrays]))
    t = error_of(lambda: f(torch, *[torch.tensor(b) for b in arrays]))
    assert e == t
    if t is None:
        compare_exact(f, *arrays, strides=False)


# ---------------------------------------------------------------- reading errors

READ_ERRORS = [
    "x[2]", "x[-3]", "x[0, 5]", "x[:, -4]", "x[0, 0, 0, 0]", "x[[0, 5]]", "x[L.tensor([5])]",
    "x[:, [0, -4]]", "x[:, :, [9]]", "x[[0], [0], [9]]", "x[[0], [9]]", "x[0, :, [9]]",
    "x[[0], :, [-7]]", "x[[[5]]]", "x[0.5]", "x[L.tensor([0.])]", "x[L.tensor([0], dtype=L.int16)]",
    "x[L.tensor([1], dtype=L.int8)]", "x['a']", "x[{1}]", "x[[0, 1], [0, 1, 2]]",
    "x[L.tensor([True])]", "x[L.tensor([True, False, True])]", "x[:, L.tensor([0, 1]) > 0]",
    "x[L.ones(2, 2, dtype=L.bool)]", "x[::-1]", "x[::0]", "x.sum()[0]",
    "x[x[:, :, 0] > 0, 0, 0, 0]",
]


@pytest.mark.parametrize("expr", READ_ERRORS)
def test_reading_errors_match_torch(expr):
    same_error(lambda L, x: eval(expr, {"L": L, "x": x}), X)


# ---------------------------------------------------------------- writing

WRITE = [
    ("[0]", "5."), ("[0]", "L.ones(4)"), ("[0]", "L.ones(1, 3, 4)"), ("[[0, 1]]", "L.ones(4)"),
    ("[0, [0, 1]]", "1."), ("[x.detach() > 0]", "0."), ("[:, 1:]", "v[:, :2] * 2"),
    ("[...]", "1."), ("[:]", "1."), ("[:]", "L.ones(4)"), ("[...]", "v * 3"), ("[None]", "1."),
    ("[[0, 1]]", "L.ones(2, 1, 1)"), ("[0, 0]", "L.tensor([1.])"), ("[0, 0]", "L.tensor([[1.]])"),
    ("[[0, 0]]", "v[1] * 2"), ("[0]", "L.tensor([1, 2, 3, 4])"),
    ("[0]", "v[1].double()"), ("[1, :, 2]", "v[0, :, 0]"), ("[..., 1]", "v[..., 2]"),
    ("[x.detach() > 0]", "L.tensor(7.)"), ("[0, 1, 2]", "v[1, 2, 3]"), ("[True]", "2."),
    ("[1:, [2, 0]]", "v[0, 0]"), ("[L.tensor(1)]", "3."), ("[:, 0]", "v.sum(1)"),
]


@pytest.mark.parametrize("index,value", WRITE)
def test_writing_matches_torch(index, value):
    def f(L, w, v):
        x = w * 1
        exec("x" + index + " = " + value, {"L": L, "x": x, "v": v})
        return x, x._version
    compare_exact(f, X, X[::-1].copy())


def test_writing_into_a_fresh_tensor_records_the_value():
    """x = zeros(); x[i] = f(w): the graph leads from x back to w (CopySlices)."""
    def f(L, w):
        x = L.zeros(3, 4)
        x[0] = w[0, 0] * 2
        x[2, 1:] = w[1, 0, :3] * 3
        return x, x._version, x.requires_grad
    compare_exact(f, X)


def test_writing_through_views_of_non_leaves():
    """Writing into a view rebases the base on CopySlices and the view on AsStridedBackward0."""
    for write in ("v = y[0]; v[1] = 7.", "v = y.view(24); v[[0, 5]] = w[1, 0, :2]",
                  "v = y.transpose(0, 2); v[1:, 0] = 3.", "v = y[1:, 1]; v[...] = w[0, 0] * 2",
                  "v = y[:, 1].unsqueeze(0)[0]; v.t()[1] = w[0, 0, :2]"):
        def f(L, w):
            y = w * 1
            scope = {"y": y, "w": w}
            exec(write, scope)
            return y, scope["v"]
        compare_exact(f, X, strides=False)

    def g(L, w):
        a = L.zeros(2, 3)
        a[0][1] = w[0, 0, 0] * 2                      # a view of a tensor needing no grad
        return a
    compare_exact(g, X)


def test_writing_errors_on_leaves_like_torch():
    for expr in ["w[...] = 1", "w[[0]] = 1", "w[:] = 1", "w[0] = 1", "w[w > 0] = 1",
                 "w.view(24)[0] = 1", "w[0][1] = 1"]:
        def f(L, w):
            exec(expr, {"w": w.requires_grad_()})
        same_error(f, X)


def test_writing_under_no_grad_and_into_detached_tensors():
    for lib in (ember, torch):
        w = lib.tensor(X, requires_grad=True)
        with lib.no_grad():
            w[0] = 1
        w.detach()[1, 0] = 2
        assert w._version == 2 and w.grad_fn is None and w.requires_grad
        np.testing.assert_array_equal(w.detach().numpy()[1, 0], 2)


WRITE_ERRORS = [
    ("[0]", "L.ones(2)"), ("[[0, 1]]", "L.ones(2)"), ("[0]", "L.ones(2, 3, 4)"),
    ("[0, 0]", "L.tensor([1., 2.])"), ("[5]", "1."), ("[[5]]", "1."), ("[0]", "'a'"),
    ("[0]", "[1., 2., 3.]"), ("[0]", "np.ones(3)"), ("[0]", "None"),
]


@pytest.mark.parametrize("index,value", WRITE_ERRORS)
def test_writing_errors_match_torch(index, value):
    def f(L, x):
        exec("x" + index + " = " + value, {"L": L, "x": x, "np": np})
    same_error(f, X)


@pytest.mark.parametrize("dtype,value", [("int64", "2.7"), ("int64", "L.tensor(2.7)"),
                                         ("bool", "5"), ("float32", "True"),
                                         ("uint8", "-1"), ("int32", "1e20"), ("uint8", "300"),
                                         ("int8", "-129"), ("int64", "float('nan')"),
                                         ("int64", "2**63"), ("float16", "1e10")])
def test_writing_numbers_converts_like_torch(dtype, value):
    def f(L):
        x = L.zeros(3, dtype=getattr(L, dtype))
        exec("x[0] = " + value, {"L": L, "x": x})
        exec("x[[1]] = " + value, {"L": L, "x": x})
        return x
    e, t = error_of(lambda: f(ember)), error_of(lambda: f(torch))
    assert e == t
    if t is None:
        np.testing.assert_array_equal(f(ember).numpy(), f(torch).numpy())


def test_write_repeated_index_last_value_wins():
    for lib in (ember, torch):
        x = lib.zeros(3)
        x[lib.tensor([0, 0])] = lib.tensor([1., 2.])
        assert x.tolist() == [2.0, 0.0, 0.0]


def test_write_saved_tensor_then_backward_raises_version_error():
    for lib in (ember, torch):
        w = lib.tensor(X, requires_grad=True)
        y = w * 1
        z = y.exp()                 # saves its output
        z[0] = 0.
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


# ---------------------------------------------------------------- gather, scatter and friends

I = np.array([[[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]]])
OPS = {
    "gather": lambda L, x: x.gather(0, L.tensor(I)),
    "gather dim 2": lambda L, x: L.gather(x, 2, L.tensor([[[3, 0, 3]], [[1, 1, 2]]])),
    "gather int32 smaller": lambda L, x: x.gather(1, L.tensor([[[2]], [[0]]], dtype=L.int32)),
    "gather 0-d": lambda L, x: x.sum().gather(0, L.tensor(0)),
    "scatter src": lambda L, x: x.scatter(0, L.tensor(I), x[1:] * 2),
    "scatter value": lambda L, x: x.scatter(0, L.tensor(I), 1.5),
    "scatter kw": lambda L, x: L.scatter(x, 2, L.tensor([[[0, 2]]]), src=x[:1, :1, :2] + 1),
    "scatter value kw": lambda L, x: x.scatter(1, L.tensor([[[1]]]), value=-1.0),
    "scatter_add": lambda L, x: x.scatter_add(0, L.tensor(I), x[:1] * 3),
    "scatter_add repeats": lambda L, x: L.scatter_add(x, 2, L.tensor([[[1, 1, 1, 1]]]),
                                                      x[1:, :1]),
    "scatter reduce add": lambda L, x: x.detach().scatter(0, L.tensor(I), 2.0, reduce="add"),
    "scatter reduce multiply": lambda L, x: x.detach().scatter(0, L.tensor(I), x.detach() + 1,
                                                               reduce="multiply"),
    "index_select": lambda L, x: x.index_select(1, L.tensor([2, 0, 2])),
    "index_select 0-d index": lambda L, x: L.index_select(x, 0, L.tensor(1)),
    "index_select int32": lambda L, x: x.index_select(2, L.tensor([3], dtype=L.int32)),
    "index_add": lambda L, x: x.index_add(1, L.tensor([2, 0, 2]), x * 2),
    "index_add alpha": lambda L, x: L.index_add(x, 0, L.tensor([1]), x[:1], alpha=-2),
    "index_copy": lambda L, x: x.index_copy(2, L.tensor([3, 0]), x[:, :, :2] * 5),
    "index_fill": lambda L, x: x.index_fill(1, L.tensor([0, -1]), 2.5),
    "index_fill tensor": lambda L, x: L.index_fill(x, 0, L.tensor([1]), x.sum() / 10),
    "masked_fill": lambda L, x: x.masked_fill(x > 0, 0.),
    "masked_fill broadcast": lambda L, x: x.masked_fill(L.tensor([True, False, True, False]),
                                                        -1.),
    "masked_fill grows": lambda L, x: x[0, 0].masked_fill(L.ones(2, 4, dtype=L.bool), 1.),
    "masked_fill tensor": lambda L, x: L.masked_fill(x, x < 0, x.mean()),
    "masked_fill double value": lambda L, x: x.masked_fill(x > 0, L.tensor(1.,
                                                                           dtype=L.float64)),
    "masked_fill int": lambda L, x: L.zeros(3, dtype=L.long).masked_fill(
        L.tensor([True, False, True]), 1.5),
    "masked_select": lambda L, x: x.masked_select(x > 0),
    "masked_select broadcast": lambda L, x: x[0, 0].masked_select(x[0, :2] > 0),
    "masked_scatter": lambda L, x: x.masked_scatter(x > 0, x.flip(0) * 10),
    "take": lambda L, x: x.take(L.tensor([[0, 23], [-1, 5]])),
    "take repeats": lambda L, x: L.take(x, L.tensor([3, 3, 3])),
    "take_along_dim": lambda L, x: x.take_along_dim(L.tensor([[[1], [0], [1]]]), 0),
    "take_along_dim flat": lambda L, x: L.take_along_dim(x, L.tensor([5, 0, 5])),
    "take_along_dim argsort": lambda L, x: x.take_along_dim(x.argsort(2), 2),
    "nonzero": lambda L, x: (x > 0).nonzero(),
    "nonzero tuple": lambda L, x: L.nonzero(x > 0, as_tuple=True),
    "nonzero 0-d": lambda L, x: (L.nonzero(L.tensor(1.)), L.nonzero(L.tensor(0.)),
                                 L.nonzero(L.tensor(2.), as_tuple=True)),
    "argwhere": lambda L, x: L.argwhere(x > 0.5),
    "index_put": lambda L, x: x.index_put((L.tensor([0, 0]),), x[1] * 2),
    "index_put accumulate": lambda L, x: L.index_put(x, (L.tensor([0, 0]), L.tensor([1, 1])),
                                                     x[0, 0] * 3, accumulate=True),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_ops_match_torch(name):
    compare_exact(OPS[name], X)


SORTING = {
    "sort": lambda L, x: x.sort(),
    "sort dim": lambda L, x: L.sort(x, 0, descending=True),
    "sort stable": lambda L, x: L.sort(x, stable=True, dim=1),
    "sort ties": lambda L, x: L.tensor([[1., 0., 1., 2., 0.]] * 2).sort(descending=True),
    "sort ties asc": lambda L, x: L.sort(L.tensor([[1., 0., 1., 2., 0.]] * 2), 1),
    "sort int": lambda L, x: L.tensor([3, 1, 2, 1]).sort(),
    "sort bool": lambda L, x: L.tensor([True, False, True]).sort(),
    "sort nan": lambda L, x: L.tensor([3., float("nan"), 1.]).sort(descending=True),
    "sort nan asc": lambda L, x: L.tensor([3., float("nan"), 1.]).sort(),
    "sort 0-d": lambda L, x: x.sum().sort(),
    "argsort": lambda L, x: x.argsort(),
    "argsort desc": lambda L, x: L.argsort(x, dim=0, descending=True),
    "argsort ties": lambda L, x: L.tensor([1., 1., 0.]).argsort(descending=True),
    "msort": lambda L, x: L.msort(x),
    "topk": lambda L, x: x.topk(2),
    "topk smallest": lambda L, x: L.topk(x, 2, dim=0, largest=False),
    "topk zero": lambda L, x: x.topk(0),
    "topk all": lambda L, x: x.topk(4, dim=2),
    "topk 0-d": lambda L, x: x.sum().topk(1),
    "topk nan": lambda L, x: L.tensor([1., float("nan"), 3.]).topk(2),
    "topk nan smallest": lambda L, x: L.tensor([1., float("nan"), 3.]).topk(2, largest=False),
    "unique": lambda L, x: L.unique(L.tensor([3, 1, 3, 2])),
    "unique all": lambda L, x: L.unique(L.tensor([[3, 1], [3, 0]]), return_inverse=True,
                                        return_counts=True),
    "unique dim": lambda L, x: L.unique(L.tensor([[3, 1], [3, 1], [0, 2]]), dim=0,
                                        return_inverse=True),
    "unique method": lambda L, x: L.tensor([2., 1., 2.]).unique(return_counts=True),
    "searchsorted": lambda L, x: L.searchsorted(L.tensor([1, 3, 5]), L.tensor([3, 6, 0])),
    "searchsorted right": lambda L, x: L.searchsorted(L.tensor([1., 3, 5]), L.tensor([3., 6]),
                                                      right=True),
    "searchsorted 2-d": lambda L, x: L.searchsorted(L.tensor([[1, 3, 5], [2, 4, 6]]),
                                                    L.tensor([[3], [3]])),
    "searchsorted scalar": lambda L, x: L.searchsorted(L.tensor([1, 3, 5]), 3),
    "searchsorted side": lambda L, x: L.searchsorted(L.tensor([1, 3, 5]), L.tensor([3]),
                                                     side="right", out_int32=True),
    "bucketize": lambda L, x: L.bucketize(L.tensor([3, 6, 0]), L.tensor([1, 3, 5])),
    "bucketize right": lambda L, x: L.bucketize(x, L.tensor([-0.5, 0., 0.5]), right=True,
                                                out_int32=True),
}


@pytest.mark.parametrize("name", sorted(SORTING))
def test_sorting_matches_torch(name):
    compare_exact(SORTING[name], X)


def test_sort_and_topk_return_named_tuples():
    x = ember.tensor([3., 1., 2.])
    s = x.sort()
    assert s.values.tolist() == [1., 2., 3.] and s.indices.tolist() == [1, 2, 0]
    v, i = x.topk(1)
    assert v.tolist() == [3.] and i.tolist() == [0]
    assert repr(x.topk(1)) == repr(torch.tensor([3., 1., 2.]).topk(1))


OP_ERRORS = [
    lambda L, x: x.gather(0, L.tensor(I).float()),
    lambda L, x: x.gather(0, L.tensor(I)[0]),
    lambda L, x: x.gather(0, L.zeros(1, 4, 4, dtype=L.long)),
    lambda L, x: x.gather(0, L.tensor(I) + 5),
    lambda L, x: x.gather(0, L.tensor(I) - 3),
    lambda L, x: x.gather(1, L.zeros(3, 1, 1, dtype=L.long)),
    lambda L, x: x.gather(3, L.tensor(I)),
    lambda L, x: x.scatter(0, L.tensor(I), x, reduce="mean"),
    lambda L, x: x.scatter(0, L.tensor(I) + 5, 1.0),
    lambda L, x: x.scatter(0, L.tensor(I), x.double()),
    lambda L, x: x.scatter(0, L.tensor(I), L.zeros(1, 1, 1)),
    lambda L, x: x.scatter(0, L.tensor(I)),
    lambda L, x: x.scatter_add(0, L.tensor(I), x.double()),
    lambda L, x: x.scatter_add(0, L.zeros(2, 3, 5, dtype=L.long), x),
    lambda L, x: x.index_select(0, L.tensor([[0]])),
    lambda L, x: x.index_select(0, L.tensor([0.])),
    lambda L, x: x.index_select(0, L.tensor([5])),
    lambda L, x: x.index_select(0, L.tensor([-1])),
    lambda L, x: x.index_select(0, L.tensor([1], dtype=L.int16)),
    lambda L, x: x.index_add(0, L.tensor([5]), x[:1]),
    lambda L, x: x.index_add(0, L.tensor([0]), x[:2]),
    lambda L, x: x.index_add(0, L.tensor([0]), x[:1].double()),
    lambda L, x: x.index_fill(0, L.tensor([5]), 1.),
    lambda L, x: x.index_fill(0, L.tensor([0]), L.tensor([1.])),
    lambda L, x: x.masked_fill(L.ones(3, 4, dtype=L.uint8), 1.),
    lambda L, x: x.masked_fill(L.ones(3, 4), 1.),
    lambda L, x: x.masked_fill(L.ones(5, dtype=L.bool), 1.),
    lambda L, x: x.masked_fill(x > 0, L.tensor([1.])),
    lambda L, x: L.zeros(3).masked_fill_(L.ones(2, 3, dtype=L.bool), 1.5),
    lambda L, x: x.masked_select(L.ones(5, dtype=L.bool)),
    lambda L, x: x.masked_select(L.ones(3, 4)),
    lambda L, x: x.masked_scatter(x > 0, L.zeros(2)),
    lambda L, x: x.take(L.tensor([24])),
    lambda L, x: x.take(L.tensor([1.])),
    lambda L, x: x.take(L.tensor([1], dtype=L.int32)),
    lambda L, x: x.take_along_dim(L.zeros(3, dtype=L.long), 0),
    lambda L, x: x.topk(5),
    lambda L, x: x.topk(-1),
    lambda L, x: L.tensor([2., 1.]).sort(dim=1),
]


@pytest.mark.parametrize("i", range(len(OP_ERRORS)))
def test_op_errors_match_torch(i):
    same_error(OP_ERRORS[i], X)


# ---------------------------------------------------------------- in place


INPLACE = {
    "scatter_": lambda L, x: x.scatter_(0, L.tensor(I), 1.5),
    "scatter_add_": lambda L, x: x.scatter_add_(0, L.tensor(I), x.detach()[:1].clone()),
    "index_add_": lambda L, x: x.index_add_(1, L.tensor([2, 0, 2]), L.ones(2, 3, 4)),
    "index_copy_": lambda L, x: x.index_copy_(0, L.tensor([1]), L.ones(1, 3, 4)),
    "index_fill_": lambda L, x: x.index_fill_(2, L.tensor([1]), -2.),
    "masked_fill_": lambda L, x: x.masked_fill_(x > 0, 0.),
    "masked_fill_ tensor": lambda L, x: x.masked_fill_(x > 0, L.tensor(3.)),
    "masked_scatter_": lambda L, x: x.masked_scatter_(x > 0, L.arange(24.)),
    "index_put_": lambda L, x: x.index_put_((L.tensor([0, 1]), L.tensor([2, 2])), L.tensor(9.)),
    "index_put_ accumulate": lambda L, x: x.index_put_((L.tensor([0, 0]),), L.ones(3, 4),
                                                       accumulate=True),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_matches_torch(name):
    def f(L, w):
        x = w * 1
        out = INPLACE[name](L, x)
        assert out is x
        return x, x._version
    compare_exact(f, X)

    def g(L, w):
        x = w.detach().clone()
        INPLACE[name](L, x)
        return x, x._version
    compare_exact(g, X)


def test_inplace_on_leaf_raises_like_torch():
    for name in sorted(INPLACE):
        same_error(lambda L, x: INPLACE[name](L, x.requires_grad_()), X)


# ---------------------------------------------------------------- gradients


def double(a):
    return ember.tensor(a.astype(np.float64), requires_grad=True)


GRADCHECK = {
    "index": lambda x: x[[0, 1, 0], :, [1, 1, 3]],
    "mask": lambda x: x[x > 0],
    "mixed": lambda x: x[1, 1:, [0, 2, 0]],
    "gather": lambda x: x.gather(2, ember.tensor([[[3, 0, 3]], [[1, 1, 1]]])),
    "scatter": lambda x: x.scatter(1, ember.tensor([[[2, 0]]]), x[:1, :1, :2] * 3),
    "scatter_add": lambda x: x.scatter_add(0, ember.tensor(I), x[1:] ** 2),
    "index_select": lambda x: x.index_select(2, ember.tensor([1, 1, 0])),
    "index_add": lambda x: x.index_add(0, ember.tensor([1, 1]), x * x),
    "index_copy": lambda x: x.index_copy(0, ember.tensor([1]), x[:1] * 2),
    "index_fill": lambda x: x.index_fill(1, ember.tensor([1]), x.sum()),
    "masked_fill": lambda x: x.masked_fill(ember.tensor([True, False, False, True]), x.mean()),
    "masked_select": lambda x: x[0, 0].masked_select(ember.tensor([[True], [False]])),
    "masked_scatter": lambda x: x.masked_scatter(x > 0, x.flip(2) * 3),
    "take": lambda x: x.take(ember.tensor([[1, 1], [-1, 0]])),
    "sort": lambda x: x.sort(1)[0],
    "topk": lambda x: x.topk(2, 0)[0],
    "setitem": lambda x: _setitem(x),
    "index_put": lambda x: x.index_put((ember.tensor([0, 0]),), x[1] * 2, accumulate=True),
}


def _setitem(x):
    y = x * 1
    y[0, 1:] = x[1, :2] ** 2
    y[y > 1] = 0.
    v = y[1]
    v[0] = x[0, 0].exp()
    return y


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    x = double(np.random.RandomState(0).standard_normal((2, 3, 4)))
    assert ember.autograd.gradcheck(GRADCHECK[name], (x,))


@pytest.mark.parametrize("name", ["index", "mask", "mixed", "gather", "scatter", "scatter_add",
                                  "index_select", "index_add", "masked_fill", "take", "sort"])
def test_gradgradcheck(name):
    x = double(np.random.RandomState(1).standard_normal((2, 3, 4)))
    assert ember.autograd.gradgradcheck(GRADCHECK[name], (x,))


def test_repeated_indices_accumulate_gradients():
    for lib in (ember, torch):
        x = lib.tensor([1., 2., 3.], requires_grad=True)
        x[[0, 0, 2, 0]].sum().backward()
        assert x.grad.tolist() == [3., 0., 1.]
