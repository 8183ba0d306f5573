"""inner, addr(_), addbmm(_), vander and diagflat against torch."""
import numpy as np
import pytest

from parity import compare, gradcheck, same, same_error

torch = pytest.importorskip("torch")

R = np.random.RandomState(0)
M, N = R.rand(3, 4), R.rand(2, 4)
B1, B2 = R.rand(3, 2, 5), R.rand(3, 5, 4)
U, V = R.rand(3), R.rand(4)

CASES = [
    (lambda l, m, n: l.inner(m, n), (M, N)),
    (lambda l, m, n: l.inner(m[0], n), (M, N)),
    (lambda l, m, n: m.inner(l.tensor(2.0)), (M, N)),
    (lambda l, m, u, v: l.addr(m, u, v), (M, U, V)),
    (lambda l, m, u, v: m.addr(u, v, beta=0.5, alpha=2), (M, U, V)),
    (lambda l, m, u, v: l.addr(m[0], u, v, beta=0), (M, U, V)),
    (lambda l, n, a, b: l.addbmm(n, a, b), (N, B1, B2)),
    (lambda l, n, a, b: n.addbmm(a, b, beta=0.5, alpha=3), (N, B1, B2)),
    (lambda l, u, v: l.vander(u), (U, V)),
    (lambda l, u, v: l.vander(v, 3, increasing=True), (U, V)),
    (lambda l, m, n: l.diagflat(n), (M, N)),
    (lambda l, m, n: m.diagflat(-2), (M, N)),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_and_gradients_match_torch(case):
    fn, arrays = CASES[case]
    compare(fn, *arrays, nodes=False, grad=case not in (8, 9))   # torch's vander grad fails


@pytest.mark.parametrize("case", range(len(CASES)))
def test_gradcheck(case):
    fn, arrays = CASES[case]
    gradcheck(fn, *arrays, double=False)


def test_integer_vander_and_inplace():
    same(lambda l: (lambda v: (str(v.dtype), v.tolist()))(l.vander(l.tensor([1, 2, 3]))))
    same(lambda l: l.vander(l.tensor([1.0, 2.0]), 0).shape == (2, 0))
    same(lambda l: l.ones(2, 2).addr_(l.ones(2), l.arange(2.0)).tolist())
    same(lambda l: l.ones(2, 4).addbmm_(l.ones(3, 2, 5), l.ones(3, 5, 4), alpha=2).tolist())
    same(lambda l: l.addr(l.ones(3, 1, dtype=l.int64), l.tensor([1, 2, 3]),
                          l.tensor([1, 2])).tolist())


@pytest.mark.parametrize("fn", [
    lambda l: l.inner(l.ones(2, 3), l.ones(2)),
    lambda l: l.addr(l.ones(2, 2), l.ones(2, 2), l.ones(2)),
    lambda l: l.addr(l.ones(3, 2), l.ones(2), l.ones(2)),
    lambda l: l.addbmm(l.ones(2, 4), l.ones(2, 5), l.ones(3, 5, 4)),
    lambda l: l.vander(l.ones(2, 2)),
])
def test_errors_match_torch(fn):
    same_error(fn)
