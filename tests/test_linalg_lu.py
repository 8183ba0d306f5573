"""The LU decomposition and the solves built on it (``ember/_ops/linalg/lu.py``,
``lu_solve.py``) against torch: values (partial pivoting picks the same pivots as LAPACK), the
pivots and info, gradients, node names, return types, gradcheck, singular matrices, errors and
hypothesis over shapes and conditioning."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same_error

torch = pytest.importorskip("torch")

SHAPES = [(4, 3), (3, 4), (3, 3), (2, 5, 3), (2, 3, 5), (2, 1, 4, 4)]
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


def _matrix(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shape", SHAPES)
def test_factorizations_match_torch(shape):
    a = _matrix(shape)
    compare(lambda lib, x: tuple(lib.linalg.lu_factor_ex(x)), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: tuple(lib.linalg.lu_factor(x)), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: tuple(lib.linalg.lu(x)), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.linalg.lu(x).U, a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: tuple(lib.lu_unpack(*lib.linalg.lu_factor(x))), a, rtol=1e-7,
            atol=1e-9)
    compare(lambda lib, x: tuple(lib.linalg.lu_factor(x.float())), a)


def test_return_types_and_the_old_forms():
    a = _matrix((2, 3, 3))
    x = ember.tensor(a)
    for result, name, fields in [
            (ember.linalg.lu_factor(x), "linalg_lu_factor", ("LU", "pivots")),
            (ember.linalg.lu_factor_ex(x), "linalg_lu_factor_ex", ("LU", "pivots", "info")),
            (ember.linalg.lu(x), "linalg_lu", ("P", "L", "U")),
            (ember.lu_unpack(*ember.linalg.lu_factor(x)), "lu_unpack", ("P", "L", "U")),
            (ember.lu(x, get_infos=True), "_lu_with_info", ("LU", "pivots", "info"))]:
        assert type(result).__name__ == name and result._fields == fields
    compare(lambda lib, x: lib.lu(x), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: tuple(lib.lu(x, get_infos=True)), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: x.lu(), a, rtol=1e-7, atol=1e-9)
    assert type(ember.lu(x)) is tuple
    compare(lambda lib, x: tuple(lib.lu_unpack(*lib.linalg.lu_factor(x), unpack_data=False)),
            a, grad=False)
    compare(lambda lib, x: lib.lu_unpack(*lib.linalg.lu_factor(x), unpack_pivots=False)[1:],
            a, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve_matches_torch(left, adjoint):
    a, b = _matrix((2, 3, 3)) + 2 * np.eye(3), _matrix((2, 3, 2) if left else (2, 2, 3), 1)
    compare(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y, left=left,
                                                  adjoint=adjoint), a, b, rtol=1e-7, atol=1e-9)
    # the packed LU as the leaf
    lu, piv = (arr(t) for t in torch.linalg.lu_factor(torch.tensor(a)))
    compare(lambda lib, x, p, y: lib.linalg.lu_solve(x, p, y, left=left, adjoint=adjoint),
            lu, piv, b, rtol=1e-7, atol=1e-9)


def test_lu_solve_broadcasts_and_the_old_form():
    a, b = _matrix((3, 3)) + 2 * np.eye(3), _matrix((4, 3, 2), 1)
    compare(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y), a, b,
            rtol=1e-7, atol=1e-9)
    compare(lambda lib, x, y: lib.lu_solve(y, *lib.linalg.lu_factor(x)), a, b, rtol=1e-7,
            atol=1e-9)
    compare(lambda lib, x, y: y.lu_solve(*lib.linalg.lu_factor(x)), a, b, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("left", [True, False])
def test_solve_ex_and_inv_ex_match_torch(left):
    a = _matrix((2, 3, 3))
    compare(lambda lib, x: tuple(lib.linalg.inv_ex(x)), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x, y: tuple(lib.linalg.solve_ex(x, y, left=left)), a,
            _matrix((2, 3, 3), 1), rtol=1e-7, atol=1e-9)
    if left:
        compare(lambda lib, x, y: tuple(lib.linalg.solve_ex(x, y)), a, _matrix((2, 3), 1),
                rtol=1e-7, atol=1e-9)
    else:
        same_error(lambda lib, x, y: lib.linalg.solve_ex(x, y, left=False), a, _matrix((2, 3)))
    assert ember.linalg.inv_ex(ember.tensor(a))._fields == ("inverse", "info")
    assert ember.linalg.solve_ex(ember.tensor(a), ember.tensor(a))._fields == ("result", "info")


def test_singular_matrices_report_info_as_lapack():
    """No error without checks: info names the zero pivot and the results hold LAPACK's inf."""
    batch = np.stack([np.eye(2), SINGULAR])
    for a in (SINGULAR, batch):
        compare(lambda lib, x: tuple(lib.linalg.lu_factor_ex(x)), a, grad=False)
        compare(lambda lib, x: tuple(lib.linalg.lu(x)), a, grad=False)
        compare(lambda lib, x: tuple(lib.linalg.inv_ex(x)), a, grad=False)
        compare(lambda lib, x: tuple(lib.linalg.solve_ex(x, x[..., 0])), a, grad=False)
        compare(lambda lib, x: tuple(lib.linalg.solve_ex(x, x, left=False)), a, grad=False)
        compare(lambda lib, x: tuple(lib.lu(x, get_infos=True)), a, grad=False)
        same_error(lambda lib, x: lib.linalg.lu_factor(x), a)
        same_error(lambda lib, x: lib.linalg.lu_factor_ex(x, check_errors=True), a)
        compare(lambda lib, x: lib.lu(x), a, grad=False)
        same_error(lambda lib, x: lib.linalg.inv_ex(x, check_errors=True), a)
        same_error(lambda lib, x: lib.linalg.solve_ex(x, x, check_errors=True), a)
    zero_column = np.array([[0.0, 1.0], [0.0, 2.0]])
    compare(lambda lib, x: tuple(lib.linalg.lu_factor_ex(x)), zero_column, grad=False)


def test_gradcheck():
    a = _matrix((2, 4, 3)) + np.eye(4, 3)
    gradcheck(lambda lib, x: lib.linalg.lu_factor(x[..., :3, :]).LU, a)
    gradcheck(lambda lib, x: lib.linalg.lu_factor(x).LU, a)
    gradcheck(lambda lib, x: lib.linalg.lu_factor(x.mT).LU, a)
    gradcheck(lambda lib, x: tuple(lib.linalg.lu(x))[1:], a)
    gradcheck(lambda lib, x: tuple(lib.linalg.lu(x.mT))[1:], a)
    gradcheck(lambda lib, x: tuple(lib.lu_unpack(*lib.linalg.lu_factor(x)))[1:], a)
    for left in (True, False):
        for adjoint in (True, False):
            gradcheck(lambda lib, x: lib.linalg.lu_solve(
                *lib.linalg.lu_factor(x[..., :3, :]), x[..., 1:, :2] if left else x[..., :2, :],
                left=left, adjoint=adjoint), a)
    gradcheck(lambda lib, x: lib.linalg.inv_ex(x[..., :3, :]).inverse, a)
    gradcheck(lambda lib, x: lib.linalg.solve_ex(x[..., :3, :], x[..., 1:, :2]).result, a)


def test_errors_match_torch():
    same_error(lambda lib, x: lib.linalg.lu_factor(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.lu_factor(x), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.lu_factor(x, pivot=False), np.eye(3))
    same_error(lambda lib, x: lib.linalg.lu(x, pivot=False), np.eye(3))
    a = _matrix((2, 3, 3))
    same_error(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y.float()), a,
               np.ones((2, 3, 1)))
    same_error(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y), a,
               np.ones((2, 4, 1)))
    same_error(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y, left=False),
               a, np.ones((2, 3, 1)))
    same_error(lambda lib, x, y: lib.linalg.lu_solve(lib.linalg.lu_factor(x)[0],
                                                     lib.linalg.lu_factor(x)[1].long(), y),
               a, np.ones((2, 3, 1)))
    same_error(lambda lib, x, y: lib.linalg.lu_solve(*lib.linalg.lu_factor(x), y),
               _matrix((3, 4)), np.ones((3, 1)))
    same_error(lambda lib, x: lib.lu_unpack(lib.linalg.lu_factor(x)[0],
                                            lib.linalg.lu_factor(x)[1].long()), a)
    same_error(lambda lib, x: lib.linalg.inv_ex(x), np.ones((2, 2), np.int64))
    same_error(lambda lib, x, y: lib.linalg.solve_ex(x, y), a, np.ones(3, np.float32))


def test_empty_matrices():
    for shape in [(0, 3), (2, 0, 3), (3, 0)]:
        compare(lambda lib, x: tuple(lib.linalg.lu(x)), np.ones(shape), grad=False)
        compare(lambda lib, x: tuple(lib.linalg.lu_factor_ex(x)), np.ones(shape), grad=False)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), m=st.integers(1, 5),
       n=st.integers(1, 5), condition=st.sampled_from([1.0, 1e4, 1e10]),
       seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_and_conditioning(batch, m, n, condition, seed):
    """Any batch and shape, ill-conditioned matrices: the pivots are torch's and P L U = A."""
    rng = np.random.default_rng(seed)
    k = min(m, n)
    u, _ = np.linalg.qr(rng.standard_normal(tuple(batch) + (m, m)))
    v, _ = np.linalg.qr(rng.standard_normal(tuple(batch) + (n, n)))
    s = np.zeros(tuple(batch) + (m, n))
    s[..., np.arange(k), np.arange(k)] = np.logspace(0, -np.log10(condition), k)
    a = u @ s @ v
    re, rt = ember.linalg.lu_factor_ex(ember.tensor(a)), torch.linalg.lu_factor_ex(torch.tensor(a))
    assert np.array_equal(arr(re.pivots), arr(rt.pivots))
    assert np.array_equal(arr(re.info), arr(rt.info))
    assert np.allclose(arr(re.LU), arr(rt.LU), atol=1e-9)
    p, lower, upper = (arr(t) for t in ember.linalg.lu(ember.tensor(a)))
    assert np.allclose(p @ lower @ upper, a, atol=1e-12)
