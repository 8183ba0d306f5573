"""The older triangular and Cholesky solves (``ember/_ops/linalg/triangular.py``) against torch:
values, gradients (torch's full-matrix gradients of the factor), node names, broadcasting,
gradcheck, errors and hypothesis over shapes and conditioning."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same_error

torch = pytest.importorskip("torch")


def _matrix(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _factor(shape, upper, seed=0):
    """A Cholesky factor, with other numbers in its unused triangle (which must be ignored)."""
    m = _matrix(shape, seed)
    n = shape[-1]
    spd = m @ np.swapaxes(m, -1, -2) + n * np.eye(n)
    lower = np.linalg.cholesky(spd)
    noise = _matrix(shape, seed + 1)
    if upper:
        return np.swapaxes(lower, -1, -2) + np.tril(noise, -1)
    return lower + np.triu(noise, 1)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [True, False])
@pytest.mark.parametrize("unit", [True, False])
def test_triangular_solve_matches_torch(upper, transpose, unit):
    a = _matrix((2, 1, 3, 3)) + 3 * np.eye(3)
    b = _matrix((4, 3, 2), 1)
    compare(lambda lib, x, y: tuple(lib.triangular_solve(y, x, upper, transpose, unit)), a, b,
            rtol=1e-7, atol=1e-9, nodes=False)
    re = ember.triangular_solve(ember.tensor(b), ember.tensor(a, requires_grad=True))
    assert type(re.solution.grad_fn).__name__ == "TriangularSolveBackward0"
    assert type(re).__name__ == "triangular_solve"
    assert re._fields == ("solution", "cloned_coefficient")
    compare(lambda lib, x, y: y.triangular_solve(x, upper, transpose, unit).solution, a, b,
            rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("upper", [True, False])
def test_cholesky_solve_and_inverse_match_torch(upper):
    f = _factor((2, 3, 3), upper)
    compare(lambda lib, l, b: lib.cholesky_solve(b, l, upper), f, _matrix((3, 2), 5),
            rtol=1e-7, atol=1e-9)
    compare(lambda lib, l, b: b.cholesky_solve(l, upper), f, _matrix((2, 3, 2), 5), rtol=1e-7,
            atol=1e-9)
    compare(lambda lib, l: lib.cholesky_inverse(l, upper), f, rtol=1e-7, atol=1e-9)
    compare(lambda lib, l: l.cholesky_inverse(upper), f[0], rtol=1e-7, atol=1e-9)
    compare(lambda lib, l: lib.cholesky_inverse(l.float(), upper), f)


def test_gradcheck():
    a = _matrix((2, 3, 3)) + 3 * np.eye(3)
    b = _matrix((2, 3, 2), 1)
    gradcheck(lambda lib, x, y: lib.triangular_solve(y, x).solution, a, b)
    gradcheck(lambda lib, x, y: lib.triangular_solve(y, x, False, True, True).solution, a, b)
    gradcheck(lambda lib, x, y: lib.cholesky_solve(y, x.tril()), a, b)
    gradcheck(lambda lib, x, y: lib.cholesky_solve(y, x.triu(), True), a, b)
    gradcheck(lambda lib, x: lib.cholesky_inverse(x.tril()), a)
    gradcheck(lambda lib, x: lib.cholesky_inverse(x.triu(), True), a)


def test_errors_match_torch():
    a = _matrix((3, 3))
    same_error(lambda lib, x, y: lib.triangular_solve(y, x), np.ones((3, 2)), np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.triangular_solve(y, x), a, np.ones(3))
    same_error(lambda lib, x, y: lib.triangular_solve(y, x), np.ones(3), np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.triangular_solve(y, x), a, np.ones((4, 2)))
    same_error(lambda lib, x, y: lib.triangular_solve(y.float(), x), a, np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.triangular_solve(y, x), np.ones((3, 3), np.int64),
               np.ones((3, 2), np.int64))
    same_error(lambda lib, x, y: lib.cholesky_solve(y, x), np.ones((3, 2)), np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.cholesky_solve(y, x), a, np.ones(3))
    same_error(lambda lib, x, y: lib.cholesky_solve(y, x), np.ones(3), np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.cholesky_solve(y.float(), x), a, np.ones((3, 2)))
    same_error(lambda lib, x, y: lib.cholesky_solve(y, x), a, np.ones((4, 2)))
    same_error(lambda lib, x, y: lib.cholesky_solve(y, x), np.ones((3, 3, 3)),
               np.ones((2, 3, 2)))
    same_error(lambda lib, x: lib.cholesky_inverse(x), np.ones((3, 2)))
    same_error(lambda lib, x: lib.cholesky_inverse(x), np.ones(3))
    same_error(lambda lib, x: lib.cholesky_inverse(x), np.ones((3, 3), np.int64))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), n=st.integers(1, 5), k=st.integers(1, 3),
       condition=st.sampled_from([1.0, 1e3, 1e6]), seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_and_conditioning(batch, n, k, condition, seed):
    """Any batch and size, ill-conditioned factors: the solves agree with torch."""
    rng = np.random.default_rng(seed)
    lower = np.tril(rng.standard_normal(tuple(batch) + (n, n)), -1) * 0.1
    lower[..., np.arange(n), np.arange(n)] = np.logspace(0, -np.log10(condition), n)
    b = rng.standard_normal(tuple(batch) + (n, k))
    for fn in (lambda lib, l, y: lib.cholesky_solve(y, l),
               lambda lib, l, y: lib.triangular_solve(y, l, upper=False).solution,
               lambda lib, l, y: lib.cholesky_inverse(l)):
        e = arr(fn(ember, ember.tensor(lower), ember.tensor(b)))
        t = arr(fn(torch, torch.tensor(lower), torch.tensor(b)))
        assert np.allclose(e, t, rtol=1e-6, atol=1e-9 * np.abs(t).max())
