"""The LDL decomposition with Bunch-Kaufman pivoting (``ember/_ops/linalg/ldl.py``) against
torch: LD, the pivots (1x1 and 2x2 blocks) and info exactly as LAPACK's sytf2 gives them, the
solves, return types, no gradient, errors, and hypothesis over sizes, batches and pivoting."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, same_error

torch = pytest.importorskip("torch")

TWO_BY_TWO = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [2.0, 3.0, 0.0]])


def _symmetric(shape, seed=0):
    m = np.random.default_rng(seed).standard_normal(shape)
    return m + np.swapaxes(m, -1, -2)


@pytest.mark.parametrize("a", [_symmetric((4, 4)), _symmetric((2, 3, 5, 5), 1), TWO_BY_TWO,
                               np.zeros((3, 3)), np.diag([0.0, 1.0, 2.0])])
def test_factor_matches_torch(a):
    compare(lambda lib, x: tuple(lib.linalg.ldl_factor_ex(x)), a, grad=False)
    compare(lambda lib, x: tuple(lib.linalg.ldl_factor_ex(x, hermitian=True)), a, grad=False)
    compare(lambda lib, x: tuple(lib.linalg.ldl_factor_ex(x.float())), a, grad=False)


def test_solve_and_return_types():
    for a in (_symmetric((4, 4)), TWO_BY_TWO, _symmetric((2, 3, 3), 2)):
        b = np.random.default_rng(3).standard_normal(a.shape[:-1] + (2,))
        compare(lambda lib, x, y: lib.linalg.ldl_solve(*lib.linalg.ldl_factor(x), y), a, b,
                grad=False, rtol=1e-7, atol=1e-9)
        compare(lambda lib, x, y: tuple(lib.linalg.ldl_factor(x)), a, b, grad=False)
    r = ember.linalg.ldl_factor_ex(ember.tensor(TWO_BY_TWO))
    assert type(r).__name__ == "linalg_ldl_factor_ex" and r._fields == ("LD", "pivots", "info")
    r = ember.linalg.ldl_factor(ember.tensor(TWO_BY_TWO))
    assert type(r).__name__ == "linalg_ldl_factor" and r._fields == ("LD", "pivots")
    # broadcasting one factorization over a batch of right-hand sides
    a, b = _symmetric((3, 3)), np.ones((4, 3, 1))
    compare(lambda lib, x, y: lib.linalg.ldl_solve(*lib.linalg.ldl_factor(x), y), a, b,
            grad=False, rtol=1e-7, atol=1e-9)


def test_no_derivative_as_in_torch():
    for lib in (ember, torch):
        x = lib.tensor(_symmetric((3, 3)), requires_grad=True)
        with pytest.raises(RuntimeError, match="derivative for aten::linalg_ldl_factor_ex is "
                                               "not implemented"):
            lib.linalg.ldl_factor(x).LD.sum().backward()
        b = lib.ones(3, 1, dtype=lib.float64, requires_grad=True)
        ld, piv = lib.linalg.ldl_factor(x.detach())
        with pytest.raises(RuntimeError, match="derivative for aten::linalg_ldl_solve is not "
                                               "implemented"):
            lib.linalg.ldl_solve(ld, piv, b).sum().backward()


def test_errors_match_torch():
    same_error(lambda lib, x: lib.linalg.ldl_factor(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.ldl_factor(x), np.ones((2, 3)))
    same_error(lambda lib, x: lib.linalg.ldl_factor(x), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.ldl_factor(x), np.zeros((3, 3)))
    same_error(lambda lib, x: lib.linalg.ldl_factor_ex(x, check_errors=True), np.zeros((3, 3)))
    same_error(lambda lib, x, y: lib.linalg.ldl_solve(*lib.linalg.ldl_factor(x), y.float()),
               TWO_BY_TWO, np.ones((3, 1)))
    same_error(lambda lib, x, y: lib.linalg.ldl_solve(*lib.linalg.ldl_factor(x), y),
               TWO_BY_TWO, np.ones((4, 1)))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), n=st.integers(1, 6),
       shrink=st.sampled_from([1.0, 1e-2, 0.0]), seed=st.integers(0, 2 ** 16))
def test_hypothesis_pivoting(batch, n, shrink, seed):
    """Random symmetric matrices with small (or zero) diagonals, which force 2x2 blocks and
    swaps: LD, pivots and info are LAPACK's, and the solve agrees where A is invertible."""
    a = _symmetric(tuple(batch) + (n, n), seed)
    a[..., np.arange(n), np.arange(n)] *= shrink
    re = ember.linalg.ldl_factor_ex(ember.tensor(a))
    rt = torch.linalg.ldl_factor_ex(torch.tensor(a))
    assert np.array_equal(arr(re.pivots), arr(rt.pivots))
    assert np.array_equal(arr(re.info), arr(rt.info))
    assert np.allclose(arr(re.LD), arr(rt.LD), rtol=1e-9, atol=1e-9)
    if not arr(rt.info).any() and np.linalg.cond(a).max() < 1e8:
        b = np.ones(a.shape[:-1] + (1,))
        xe = arr(ember.linalg.ldl_solve(re.LD, re.pivots, ember.tensor(b)))
        xt = arr(torch.linalg.ldl_solve(rt.LD, rt.pivots, torch.tensor(b)))
        assert np.allclose(xe, xt, rtol=1e-6, atol=1e-8 * np.abs(xt).max())
