"""Shape operations against torch: values, dtypes, strides, views, node names, gradients, errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import compare_exact, error_of, same_error

torch = pytest.importorskip("torch")


X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7 - 1


# ---------------------------------------------------------------- views and copies

CASES = {
    "view": lambda L, x: x.view(6, 4),
    "view-1": lambda L, x: x.view(-1),
    "view tuple": lambda L, x: x.view((2, -1)),
    "view list": lambda L, x: x.view([4, 6]),
    "view Size": lambda L, x: x.view(L.Size([3, 8])),
    "view same": lambda L, x: x.view(2, 3, 4),
    "view_as": lambda L, x: x.view_as(L.zeros(4, 6)),
    "reshape": lambda L, x: x.reshape(4, -1),
    "reshape fn": lambda L, x: L.reshape(x, (24,)),
    "reshape copy": lambda L, x: x.transpose(0, 1).reshape(-1),
    "reshape view of T": lambda L, x: x.transpose(0, 1).reshape(3, 2, 2, 2),
    "reshape_as": lambda L, x: x.reshape_as(L.zeros(24)),
    "flatten": lambda L, x: x.flatten(),
    "flatten 1": lambda L, x: x.flatten(1),
    "flatten 0 1": lambda L, x: L.flatten(x, 0, 1),
    "flatten same": lambda L, x: x.flatten(1, 1),
    "flatten copy": lambda L, x: x.transpose(0, 2).flatten(1),
    "flatten 0-d": lambda L, x: x.sum().flatten(),
    "unflatten": lambda L, x: x.unflatten(2, (2, -1)),
    "unflatten T": lambda L, x: x.transpose(0, 1).unflatten(2, (2, 2)),
    "ravel": lambda L, x: x.ravel(),
    "ravel copy": lambda L, x: L.ravel(x.transpose(0, 1)),
    "squeeze": lambda L, x: x[:, :1].squeeze(),
    "squeeze dim": lambda L, x: x[:, :1].squeeze(1),
    "squeeze dim noop": lambda L, x: x.squeeze(0),
    "squeeze dims": lambda L, x: x[:1, :1].squeeze((0, 1, 2)),
    "squeeze empty tuple": lambda L, x: x.squeeze(()),
    "squeeze 0-d": lambda L, x: x.sum().squeeze(0),
    "unsqueeze": lambda L, x: x.unsqueeze(1),
    "unsqueeze -1": lambda L, x: L.unsqueeze(x, -1),
    "unsqueeze 0-d": lambda L, x: x.sum().unsqueeze(0),
    "transpose": lambda L, x: x.transpose(0, 2),
    "transpose same": lambda L, x: x.transpose(1, 1),
    "swapaxes": lambda L, x: x.swapaxes(0, 1),
    "swapdims": lambda L, x: L.swapdims(x, -1, 0),
    "t": lambda L, x: x[0].t(),
    "t 1-d": lambda L, x: x[0, 0].t(),
    "mT": lambda L, x: x.mT,
    "permute": lambda L, x: x.permute(2, 0, 1),
    "permute tuple": lambda L, x: L.permute(x, (1, 2, 0)),
    "permute neg": lambda L, x: x.permute(-1, -2, -3),
    "movedim": lambda L, x: x.movedim(0, 2),
    "movedim tuple": lambda L, x: L.movedim(x, (0, 1), (2, 0)),
    "moveaxis": lambda L, x: L.moveaxis(x, -1, 0),
    "expand": lambda L, x: x[:, :1].expand(2, 3, 4),
    "expand new dims": lambda L, x: x[:, :1].expand(5, -1, 3, 4),
    "expand same": lambda L, x: x.expand(2, 3, 4),
    "expand_as": lambda L, x: x[:1].expand_as(x),
    "expand then copy": lambda L, x: x[:, :1].expand(2, 5, 4).contiguous(),
    "repeat": lambda L, x: x.repeat(2, 1, 3),
    "repeat more dims": lambda L, x: x.repeat(2, 1, 2, 1),
    "repeat 0-d": lambda L, x: x.sum().repeat(3),
    "repeat zero": lambda L, x: x.repeat(0, 1, 1),
    "tile": lambda L, x: x.tile(2),
    "tile fn": lambda L, x: L.tile(x, (2, 1, 1, 2)),
    "flip": lambda L, x: x.flip(0),
    "flip many": lambda L, x: L.flip(x, (0, 2)),
    "flip none": lambda L, x: x.flip([]),
    "fliplr": lambda L, x: x.fliplr(),
    "flipud": lambda L, x: L.flipud(x),
    "roll": lambda L, x: x.roll(5),
    "roll dim": lambda L, x: x.roll(-1, 2),
    "roll dims": lambda L, x: L.roll(x, (1, 2), (0, 1)),
    "narrow": lambda L, x: x.narrow(2, 1, 2),
    "narrow neg": lambda L, x: L.narrow(x, 0, -1, 1),
    "narrow empty": lambda L, x: x.narrow(0, 2, 0),
    "select": lambda L, x: x.select(1, -1),
    "select fn": lambda L, x: L.select(x, 2, 3),
    "chunk": lambda L, x: x.chunk(2, 2),
    "chunk uneven": lambda L, x: x.chunk(3, 2),
    "chunk more than size": lambda L, x: L.chunk(x, 5, 1),
    "chunk one": lambda L, x: x.chunk(1, 0),
    "split": lambda L, x: x.split(3, 2),
    "split sizes": lambda L, x: x.split([1, 0, 3], 2),
    "split fn": lambda L, x: L.split(x, 1),
    "split one piece": lambda L, x: x.split(4, 2),
    "split_with_sizes": lambda L, x: x.split_with_sizes([2, 1], 1),
    "tensor_split": lambda L, x: x.tensor_split(3, 2),
    "tensor_split indices": lambda L, x: L.tensor_split(x, [1, 9], 2),
    "tensor_split decreasing": lambda L, x: x.tensor_split((3, 1), 2),
    "tensor_split tensor": lambda L, x: x.tensor_split(L.tensor([1, 2]), 2),
    "tensor_split negative": lambda L, x: x.tensor_split([-1], 2),
    "hsplit": lambda L, x: L.hsplit(x, 3),
    "vsplit": lambda L, x: x.vsplit([1]),
    "dsplit": lambda L, x: L.dsplit(x, 2),
    "unbind": lambda L, x: x.unbind(),
    "unbind dim": lambda L, x: L.unbind(x, -1),
    "iterate": lambda L, x: list(x[0]),
    "iterate vector": lambda L, x: list(x[0, 0]),
    "diagonal": lambda L, x: x.diagonal(),
    "diagonal offset": lambda L, x: L.diagonal(x, 1, 1, 2),
    "diagonal negative": lambda L, x: x.diagonal(offset=-1, dim1=-1, dim2=0),
    "diagonal far": lambda L, x: x.diagonal(10),
    "diagonal matrix": lambda L, x: x[0].diagonal(),
    "atleast_1d": lambda L, x: L.atleast_1d(x.sum()),
    "atleast_2d": lambda L, x: L.atleast_2d(x[0, 0]),
    "atleast_3d": lambda L, x: L.atleast_3d(x[0, 0]),
    "atleast_3d matrix": lambda L, x: L.atleast_3d(x[0]),
    "atleast_3d 0-d": lambda L, x: L.atleast_3d(x.sum()),
    "atleast many": lambda L, x: L.atleast_2d(x, x[0, 0], x.sum()),
    "atleast list": lambda L, x: L.atleast_1d([x, x.sum()]),
    "chain": lambda L, x: x.transpose(0, 1)[1:].permute(2, 0, 1).unsqueeze(0).squeeze(0)[1],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name):
    compare_exact(CASES[name], X)


JOIN = {
    "cat": lambda L, x, y: L.cat([x, y]),
    "cat dim": lambda L, x, y: L.cat((x, y, x), 2),
    "cat neg dim": lambda L, x, y: L.cat([x, y], dim=-1),
    "cat one": lambda L, x, y: L.cat([x]),
    "cat empty vector": lambda L, x, y: L.cat([x, L.tensor([]), y]),
    "cat empty vectors": lambda L, x, y: L.cat([L.zeros(0), L.zeros(0)]),
    "cat zero size": lambda L, x, y: L.cat([x, L.zeros(2, 3, 0)], 2),
    "concat": lambda L, x, y: L.concat([x, y], 1),
    "concatenate": lambda L, x, y: L.concatenate([x, y], axis=1) if L is torch else
    L.concatenate([x, y], 1),
    "cat promotes": lambda L, x, y: L.cat([x, y.double()]),
    "cat int": lambda L, x, y: L.cat([x.long(), y.int()]),
    "cat bool uint8": lambda L, x, y: L.cat([x > 0, (y > 0).byte()]),
    "cat int8 uint8": lambda L, x, y: L.cat([x.char(), y.byte()]),
    "cat float int": lambda L, x, y: L.cat([x, y.long()]),
    "stack": lambda L, x, y: L.stack([x, y]),
    "stack dim": lambda L, x, y: L.stack((x, y), 3),
    "stack neg": lambda L, x, y: L.stack([x, y, x], dim=-2),
    "stack 0-d": lambda L, x, y: L.stack([x.sum(), y.sum()]),
    "stack promotes": lambda L, x, y: L.stack([x, y.double()]),
    "hstack": lambda L, x, y: L.hstack([x, y]),
    "hstack vectors": lambda L, x, y: L.hstack([x[0, 0], y[0, 0]]),
    "hstack 0-d": lambda L, x, y: L.hstack([x.sum(), y.sum()]),
    "vstack": lambda L, x, y: L.vstack([x[0, 0], y[0, 0]]),
    "vstack matrices": lambda L, x, y: L.vstack((x[0], y[1])),
    "row_stack": lambda L, x, y: L.row_stack([x[0, 0], y[0, 0]]),
    "dstack": lambda L, x, y: L.dstack([x[0, 0], y[0, 0]]),
    "dstack matrices": lambda L, x, y: L.dstack([x[0], y[0]]),
    "column_stack": lambda L, x, y: L.column_stack([x[0, 0], y[0, 0]]),
    "column_stack matrix": lambda L, x, y: L.column_stack([x[0, 0, :3], y[0]]),
    "column_stack 0-d": lambda L, x, y: L.column_stack([x.sum(), y.sum()]),
}


@pytest.mark.parametrize("name", sorted(JOIN))
def test_joining_matches_torch(name):
    compare_exact(JOIN[name], X, X[::-1].copy() * 2)


def test_views_share_memory_with_their_input():
    x = ember.zeros(2, 3, 4)
    for v in (x.view(6, 4), x.reshape(24), x.transpose(0, 1), x.permute(2, 0, 1), x.t()
              if x.ndim == 2 else x[0].t(), x.unsqueeze(0), x.narrow(2, 1, 2), x.select(1, 1),
              x.diagonal(), x.unflatten(2, (2, 2)), x.movedim(0, 2), x[:, 1:], x.flatten(1),
              x.chunk(2, 2)[1], x.split([1, 3], 2)[1], x.unbind(1)[2], x.tensor_split(2)[1],
              x.squeeze(), x.expand(2, 3, 4)):
        v_before = v._version
        x.add_(1)
        assert v._version == v_before + 1                 # views share the version counter
        assert np.shares_memory(v.numpy(), x.numpy())
    for c in (x.repeat(1, 1, 1), x.flip(0), x.roll(1), ember.cat([x]), ember.stack([x]),
              x.transpose(0, 1).reshape(-1), x.transpose(0, 1).contiguous()):
        assert not np.shares_memory(c.numpy(), x.numpy())
        assert c._base is None


def test_writing_through_a_view_changes_the_base():
    x = ember.zeros(3, 4)
    x.t()[1].fill_(5)
    x.diagonal().add_(1)
    x.view(12)[0] = 7
    x.narrow(0, 2, 1).mul_(0)
    t = torch.zeros(3, 4)
    t.t()[1].fill_(5)
    t.diagonal().add_(1)
    t.view(12)[0] = 7
    t.narrow(0, 2, 1).mul_(0)
    np.testing.assert_array_equal(x.numpy(), t.numpy())


def test_expand_is_read_only_where_elements_repeat():
    with pytest.raises(RuntimeError, match="more than one element"):
        ember.zeros(3, 1).expand(3, 4).add_(1)
    x = ember.zeros(3, 4)
    x.expand(3, 4).add_(1)                  # nothing repeats: writable, as in torch
    assert x.sum().item() == 12


# ---------------------------------------------------------------- random shapes


@st.composite
def shape_and_perm(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    perm = draw(st.permutations(range(len(shape))))
    return shape, perm


@settings(max_examples=40, deadline=None)
@given(shape_and_perm(), st.data())
def test_view_of_permuted_tensors(sp, data):
    """view succeeds exactly where torch's does, with the same result and strides; reshape
    then agrees whether it copies."""
    shape, perm = sp
    n = int(np.prod(shape))
    a = np.arange(n, dtype=np.float32).reshape(shape)
    new = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=4).filter(
        lambda s: int(np.prod(s)) == n) | st.just([n]))

    def f(L, x):
        return x.permute(*perm).view(*new)
    e = error_of(lambda: f(ember, ember.tensor(a)))
    t = error_of(lambda: f(torch, torch.tensor(a)))
    assert e == t
    if t is None:
        compare_exact(f, a)
    compare_exact(lambda L, x: x.permute(*perm).reshape(*new), a)
    compare_exact(lambda L, x: x.permute(*perm).flatten(), a)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=3), st.integers(1, 4), st.data())
def test_split_chunk_and_cat_on_random_shapes(shape, pieces, data):
    a = np.random.RandomState(0).standard_normal(shape).astype(np.float32)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    compare_exact(lambda L, x: x.chunk(pieces, dim), a)
    compare_exact(lambda L, x: x.tensor_split(pieces, dim), a)
    if shape[dim] or True:
        size = data.draw(st.integers(1, 4))
        compare_exact(lambda L, x: L.cat(x.split(size, dim)[::-1], dim), a)
    compare_exact(lambda L, x: L.stack(x.unbind(dim), -1) if shape[dim] else x, a)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=3),
       st.lists(st.integers(0, 3), min_size=0, max_size=4))
def test_repeat_and_tile_on_random_shapes(shape, reps):
    a = np.random.RandomState(1).standard_normal(shape).astype(np.float32)
    if len(reps) >= len(shape):
        compare_exact(lambda L, x: x.repeat(*reps) if reps else x.repeat(()), a)
    compare_exact(lambda L, x: x.tile(reps), a)


# ---------------------------------------------------------------- errors

ERRORS = [
    lambda L, x: x.view(4),
    lambda L, x: x.view(-1, -1),
    lambda L, x: x.view(5, -1),
    lambda L, x: x.view(0, -1),
    lambda L, x: x.view(-2, 12),
    lambda L, x: x.transpose(0, 1).view(-1),
    lambda L, x: x.view(2.0, 12),
    lambda L, x: L.zeros(0, 3).view(0, -1),
    lambda L, x: x.reshape(-1, -1),
    lambda L, x: x.reshape((2.0, 12)),
    lambda L, x: x.sum().view(L.float16),
    lambda L, x: x.transpose(0, 2).view(L.int16),
    lambda L, x: x[:, :, :3].view(L.int64),
    lambda L, x: x.flatten(2, 1),
    lambda L, x: x.flatten(0, 5),
    lambda L, x: x.flatten(0.),
    lambda L, x: x.unflatten(2, (3, -1)),
    lambda L, x: x.unflatten(2, ()),
    lambda L, x: x.squeeze(5),
    lambda L, x: x.squeeze((0, 0)),
    lambda L, x: x.sum().squeeze(1),
    lambda L, x: x.unsqueeze(4),
    lambda L, x: x.unsqueeze(1.0),
    lambda L, x: x.transpose(0, 3),
    lambda L, x: x.transpose(0., 1),
    lambda L, x: x.t(),
    lambda L, x: x.permute(0, 1),
    lambda L, x: x.permute(0, 0, 1),
    lambda L, x: x.permute(0, 1, 3),
    lambda L, x: x.movedim((0, 1), (1,)),
    lambda L, x: x.movedim((0, 0), (1, 2)),
    lambda L, x: x.movedim(3, 0),
    lambda L, x: x.expand(3, 3, 4),
    lambda L, x: x.expand(3, 4),
    lambda L, x: x.expand(-1, 2, 3, 4),
    lambda L, x: x.expand(2, 3, -2),
    lambda L, x: x.expand_as(3),
    lambda L, x: x.repeat(2),
    lambda L, x: x.repeat(-1, 1, 1),
    lambda L, x: x.tile(-1),
    lambda L, x: x.tile(2.),
    lambda L, x: x.flip(0, 0),
    lambda L, x: x.flip(3),
    lambda L, x: x.flip(0.),
    lambda L, x: x[0, 0].fliplr(),
    lambda L, x: x.sum().flipud(),
    lambda L, x: x.roll((1, 2), (0,)),
    lambda L, x: x.roll(1, 5),
    lambda L, x: x.roll((1, 1)),
    lambda L, x: x.roll(1.),
    lambda L, x: x.narrow(0, 1, 2),
    lambda L, x: x.narrow(0, 3, 0),
    lambda L, x: x.narrow(0, -3, 1),
    lambda L, x: x.narrow(0, 0, -1),
    lambda L, x: x.narrow(5, 0, 1),
    lambda L, x: x.sum().narrow(0, 0, 1),
    lambda L, x: x.select(0, 2),
    lambda L, x: x.select(3, 0),
    lambda L, x: x.select(0, 0.5),
    lambda L, x: x.sum().select(0, 0),
    lambda L, x: x.chunk(0),
    lambda L, x: x.chunk(2.),
    lambda L, x: x.sum().chunk(2),
    lambda L, x: x.split(0, 2),
    lambda L, x: x.split(-1),
    lambda L, x: x.split(2.),
    lambda L, x: x.split([1, 2], 2),
    lambda L, x: x.split([5, -1], 2),
    lambda L, x: x.split([1., 1.]),
    lambda L, x: x.sum().split(1),
    lambda L, x: x.tensor_split(0),
    lambda L, x: x.tensor_split(L.tensor([[1]]), 2),
    lambda L, x: x.sum().tensor_split(2),
    lambda L, x: L.hsplit(x, 2),
    lambda L, x: L.vsplit(x[0, 0], 2),
    lambda L, x: x.unbind(3),
    lambda L, x: x.sum().unbind(),
    lambda L, x: x.diagonal(0, 0, 0),
    lambda L, x: L.cat(x),
    lambda L, x: L.cat([]),
    lambda L, x: L.cat([x, x], dim=3),
    lambda L, x: L.cat([L.zeros(2, 3), L.zeros(2, 4)]),
    lambda L, x: L.cat([L.zeros(2, 3), L.zeros(3)]),
    lambda L, x: L.cat([x.sum(), x.sum()]),
    lambda L, x: L.cat([L.zeros(3), x.sum()]),
    lambda L, x: L.cat([L.zeros(0, 2), L.zeros(0, 3)]),
    lambda L, x: L.cat([L.zeros(2, 3), L.zeros(2, 0)], 0),
    lambda L, x: L.cat([x, 1]),
    lambda L, x: L.stack([x, x[:, :, :3]]),
    lambda L, x: L.stack([x, x], 4),
    lambda L, x: L.stack([]),
    lambda L, x: L.stack(x),
    lambda L, x: L.stack([x, 1]),
    lambda L, x: L.hstack([]),
    lambda L, x: L.vstack(x),
    lambda L, x: L.column_stack([x[0, 0], x[0]]),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_match_torch(i):
    same_error(ERRORS[i], X)


# ---------------------------------------------------------------- gradients


def double(a):
    return ember.tensor(a.astype(np.float64), requires_grad=True)


GRADCHECK = {
    "reshape copy": lambda x: x.transpose(0, 1).reshape(-1),
    "expand": lambda x: x[:, :1].expand(2, 3, 4),
    "repeat": lambda x: x.repeat(2, 1, 1, 2),
    "flip": lambda x: x.flip(0, 2),
    "roll": lambda x: x.roll((1, -1), (1, 2)),
    "roll flat": lambda x: x.roll(3),
    "narrow": lambda x: x.narrow(2, 1, 2),
    "select": lambda x: x.select(1, 2),
    "diagonal": lambda x: x.diagonal(1, 1, 2),
    "chunk": lambda x: x.chunk(3, 2)[1],
    "split": lambda x: x.split([1, 3], 2),
    "unbind": lambda x: x.unbind(1),
    "cat": lambda x: ember.cat([x, x * 2], 1),
    "stack": lambda x: ember.stack([x, x[::-1] if False else x.flip(0)], 2),
    "movedim": lambda x: x.movedim(0, -1),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    x = double(np.random.RandomState(0).standard_normal((2, 3, 4)))
    assert ember.autograd.gradcheck(GRADCHECK[name], (x,))


@pytest.mark.parametrize("name", ["reshape copy", "expand", "repeat", "flip", "roll", "narrow",
                                  "select", "diagonal", "split", "unbind", "cat", "stack"])
def test_gradgradcheck(name):
    """The backward formulas are themselves differentiable (create_graph=True)."""
    x = double(np.random.RandomState(1).standard_normal((2, 3, 4)))
    assert ember.autograd.gradgradcheck(GRADCHECK[name], (x,))


def test_unused_outputs_of_a_split_get_zero_gradient():
    for lib in (ember, torch):
        x = lib.tensor(X, requires_grad=True)
        a, b, c = x.chunk(3, 2)[:3] if False else x.split([1, 2, 1], 2)
        (b * 2).sum().backward()
        expected = np.zeros_like(X)
        expected[:, :, 1:3] = 2
        np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_view_dtype_shares_memory_and_is_detached():
    x = ember.tensor(X, requires_grad=True)
    v = x.view(ember.int32)
    assert v.dtype == ember.int32 and not v.requires_grad
    np.testing.assert_array_equal(v.numpy(), torch.tensor(X).view(torch.int32).numpy())
    assert tuple(x.detach().view(ember.float16).shape) == (2, 3, 8)


# ---------------------------------------------------------------- copies

COPIES = {
    "clone": lambda L, x: x.clone(),
    "clone transposed": lambda L, x: L.clone(x.transpose(0, 2)),
    "clone sliced": lambda L, x: x[:, ::2].clone(),
    "clone expanded": lambda L, x: x[:, :1].expand(2, 3, 4).clone(),
    "contiguous": lambda L, x: x.transpose(0, 1).contiguous(),
    "contiguous noop": lambda L, x: x.contiguous(),
    "double": lambda L, x: x.double(),
    "to int": lambda L, x: (x * 3).to(L.int64),
    "to transposed": lambda L, x: x.transpose(0, 2).to(L.float16),
    "to same": lambda L, x: x.to(L.float32),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_match_torch(name):
    compare_exact(COPIES[name], X)


def test_contiguous_returns_the_tensor_itself_when_it_can():
    x = ember.tensor(X)
    assert x.contiguous() is x
    y = x.t() if x.ndim == 2 else x.transpose(0, 1)
    c = y.contiguous()
    assert c is not y and c.is_contiguous() and not np.shares_memory(c.numpy(), x.numpy())
    d = x.clone()
    assert not np.shares_memory(d.numpy(), x.numpy())


def test_copy_gradients():
    x = double(np.random.RandomState(2).standard_normal((2, 3, 4)))
    assert ember.autograd.gradcheck(lambda t: t.transpose(0, 1).contiguous() * t.clone()
                                    .transpose(0, 1), (x,))
    assert ember.autograd.gradgradcheck(lambda t: t.clone() * t.transpose(0, 1).contiguous()
                                        .transpose(0, 1), (x,))
