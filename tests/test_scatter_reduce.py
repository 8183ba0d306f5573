"""scatter_reduce(_), index_reduce(_), isin, unique_consecutive, tril_indices and triu_indices
against torch: values, gradients (ties and zeros included), errors."""
import numpy as np
import pytest

from parity import compare, gradcheck, same, same_error

torch = pytest.importorskip("torch")

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [1.0, 1.0, 0.0]])
S = np.array([[5.0, 1.0, 2.0], [0.0, 9.0, 3.0]])
IX = np.array([[0, 1, 3], [0, 0, 3]])
REDUCTIONS = ["sum", "prod", "mean", "amax", "amin"]


@pytest.mark.parametrize("reduce", REDUCTIONS)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_matches_torch(reduce, include_self):
    compare(lambda l, x, s: l.scatter_reduce(x, 0, l.tensor(IX), s, reduce,
                                             include_self=include_self), X, S)
    compare(lambda l, x, s: x.scatter_reduce(1, l.tensor(IX[:, :2]), s[:, :2], reduce,
                                             include_self=include_self), X, S)


@pytest.mark.parametrize("reduce", REDUCTIONS[1:])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_matches_torch(reduce, include_self):
    compare(lambda l, x, s: l.index_reduce(x, 0, l.tensor([0, 3]), s, reduce,
                                           include_self=include_self), X, S)
    compare(lambda l, x: x.index_reduce(1, l.tensor([2, 2, 0]), x, reduce,
                                        include_self=include_self), X)


@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_integer_and_inplace_versions(reduce):
    same(lambda l: l.tensor(X).long().scatter_reduce(0, l.tensor(IX), l.tensor(S).long(),
                                                       reduce).tolist())
    same(lambda l: l.tensor(X).scatter_reduce_(0, l.tensor(IX), l.tensor(S), reduce,
                                               include_self=False).tolist())
    if reduce != "sum":
        same(lambda l: l.tensor(X).index_reduce_(0, l.tensor([1, 1]), l.tensor(S),
                                                 reduce).tolist())


@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_gradcheck(reduce):
    x = X + np.arange(12).reshape(4, 3) * 0.1      # no ties: the gradient is smooth there
    gradcheck(lambda l, x, s: l.scatter_reduce(x, 0, l.tensor(IX), s, reduce), x, S + 0.5,
              double=False)


def test_old_reduction_names():
    same(lambda l: l.scatter_reduce(l.zeros(3), 0, l.tensor([0, 0]), l.tensor([1.0, 2.0]),
                                    "max").tolist())


@pytest.mark.parametrize("fn", [
    lambda l: l.scatter_reduce(l.zeros(3), 0, l.tensor([0]), l.ones(1), "add"),
    lambda l: l.scatter_reduce(l.zeros(3), 0, l.tensor([5]), l.ones(1), "sum"),
    lambda l: l.index_reduce(l.zeros(3), 0, l.tensor([0]), l.ones(1), "sum"),
    lambda l: l.index_reduce(l.zeros(3), 0, l.tensor([4]), l.ones(1), "prod"),
    lambda l: l.index_reduce(l.zeros(3), 0, l.tensor([0]), l.ones(1).double(), "prod"),
])
def test_errors_match_torch(fn):
    same_error(fn)


@pytest.mark.parametrize("fn", [
    lambda l: l.isin(l.tensor([1, 2, 3]), l.tensor([2, 5])),
    lambda l: l.isin(l.tensor([1, 2, 3]), 2),
    lambda l: l.isin(2, l.tensor([1, 2])),
    lambda l: l.isin(l.tensor([1.0, 2.0]), l.tensor([2, 5]), invert=True),
    lambda l: l.unique_consecutive(l.tensor([1, 1, 2, 2, 3, 1, 1, 2])),
    lambda l: l.unique_consecutive(l.tensor([1, 1, 2, 3, 3]), return_inverse=True,
                                   return_counts=True),
    lambda l: l.tensor([[1, 1], [1, 1], [2, 3]]).unique_consecutive(dim=0, return_counts=True),
    lambda l: l.tensor([[1, 1, 2], [1, 1, 3]]).unique_consecutive(return_inverse=True, dim=1),
    lambda l: l.tril_indices(3, 3),
    lambda l: l.triu_indices(3, 4, 1),
    lambda l: l.tril_indices(4, 3, -1, dtype=l.int32),
    lambda l: l.triu_indices(3, 5, -7),
    lambda l: l.triu_indices(0, 3),
])
def test_sets_and_indices_match_torch(fn):
    def plain(lib):
        result = fn(lib)
        parts = result if isinstance(result, tuple) else (result,)
        return [(str(p.dtype), p.tolist()) for p in parts]
    same(plain)


@pytest.mark.parametrize("fn", [
    lambda l: l.tril_indices(3, 3, dtype=l.float32),
    lambda l: l.tril_indices(-1, 3),
    lambda l: l.triu_indices(3, -2),
])
def test_index_errors_match_torch(fn):
    same_error(fn)
