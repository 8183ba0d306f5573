"""broadcast_to/tensors/shapes, meshgrid, cartesian_prod, combinations, block_diag, rot90 and
repeat_interleave (``_ops/shape/combining.py``) against torch: values, dtypes, gradients, errors."""
import numpy as np
import pytest

from parity import compare, gradcheck, same, same_error

torch = pytest.importorskip("torch")

A = np.arange(6.0).reshape(2, 3) - 2.5
V = np.array([1.5, -2.0, 3.0])
W = np.array([0.5, 4.0])

CASES = [
    (lambda l, a, v: l.broadcast_to(v, (2, 3)) * a, (A, V)),
    (lambda l, a, v: a.broadcast_to((4, 2, 3)), (A, V)),
    (lambda l, a, v: l.broadcast_tensors(a, v), (A, V)),
    (lambda l, v, w: l.meshgrid(v, w, indexing="ij"), (V, W)),
    (lambda l, v, w: l.meshgrid(v, w, indexing="xy"), (V, W)),
    (lambda l, v, w: l.meshgrid([v, w, v], indexing="xy"), (V, W)),
    (lambda l, v, w: l.cartesian_prod(v, w), (V, W)),
    (lambda l, v, w: l.cartesian_prod(v), (V, W)),
    (lambda l, v, w: l.combinations(v), (V, W)),
    (lambda l, v, w: l.combinations(v, 3, with_replacement=True), (V, W)),
    (lambda l, v, w: l.combinations(v, 1), (V, W)),
    (lambda l, v, w: l.combinations(w, 3), (V, W)),
    (lambda l, a, v: l.block_diag(a, v, v[0]), (A, V)),
    (lambda l, a, v: l.block_diag(a), (A, V)),
    (lambda l, a, v: l.rot90(a), (A, V)),
    (lambda l, a, v: l.rot90(a, 2), (A, V)),
    (lambda l, a, v: l.rot90(a, -1, (1, 0)), (A, V)),
    (lambda l, a, v: a.rot90(4), (A, V)),
    (lambda l, a, v: l.repeat_interleave(a, 2), (A, V)),
    (lambda l, a, v: a.repeat_interleave(2, dim=0), (A, V)),
    (lambda l, a, v: l.repeat_interleave(a, l.tensor([1, 0, 3]), dim=1), (A, V)),
    (lambda l, a, v: l.repeat_interleave(a, l.tensor([2]), dim=-1), (A, V)),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_and_gradients_match_torch(case):
    fn, arrays = CASES[case]
    compare(fn, *arrays, nodes=False)


@pytest.mark.parametrize("case", [0, 3, 6, 8, 12, 14, 20])
def test_gradcheck(case):
    fn, arrays = CASES[case]
    gradcheck(fn, *arrays, double=False)


def test_integer_inputs_and_counts():
    same(lambda l: l.repeat_interleave(l.tensor([2, 0, 1])).tolist())
    same(lambda l: l.block_diag(l.tensor([[1, 2]]), l.tensor([3.5])).tolist())
    same(lambda l: str(l.block_diag(l.tensor([[1, 2]]), l.tensor([3.5])).dtype))
    same(lambda l: tuple(l.broadcast_shapes((2, 1), (3,), 1)))
    same(lambda l: l.combinations(l.tensor([1, 2, 3]), 0).tolist())


@pytest.mark.parametrize("fn", [
    lambda l: l.broadcast_shapes((2,), (3,)),
    lambda l: l.meshgrid(l.ones(2), l.ones(2), indexing="yx"),
    lambda l: l.cartesian_prod(l.ones(2, 2)),
    lambda l: l.combinations(l.ones(2, 2)),
    lambda l: l.block_diag(l.ones(1, 1, 1)),
    lambda l: l.rot90(l.ones(2)),
    lambda l: l.rot90(l.ones(2, 2), 1, (0, 0)),
    lambda l: l.rot90(l.ones(2, 2), 1, (0,)),
    lambda l: l.repeat_interleave(l.ones(3), l.tensor([1, 2])),
    lambda l: l.repeat_interleave(l.ones(3), -1),
    lambda l: l.repeat_interleave(l.tensor([1.0, 2.0])),
])
def test_errors_match_torch(fn):
    same_error(fn)


def test_meshgrid_warns_without_indexing():
    with pytest.warns(UserWarning, match="indexing argument"):
        import ember
        ember.meshgrid(ember.ones(2), ember.ones(3))
