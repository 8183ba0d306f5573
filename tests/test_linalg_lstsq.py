"""Least squares and the tensor forms of inverse and solve (``ember/_ops/linalg/lstsq.py``)
against torch: solutions, residuals, ranks and singular values per driver, gradients (of the
solution and of the residuals), gradcheck, broadcasting, errors and hypothesis over shapes and
conditioning."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same_error

torch = pytest.importorskip("torch")

DRIVERS = [None, "gels", "gelsy", "gelsd", "gelss"]
PAIRS = [((5, 3), (5, 2)), ((3, 5), (3, 2)), ((2, 5, 3), (2, 5)), ((2, 5, 3), (1, 5, 2)),
         ((4, 4), (4, 1)), ((5, 3), (5,))]


def _matrix(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shapes", PAIRS)
@pytest.mark.parametrize("driver", DRIVERS)
def test_lstsq_matches_torch(shapes, driver):
    a, b = _matrix(shapes[0]), _matrix(shapes[1], 1)
    re, _ = compare(lambda lib, x, y: tuple(lib.linalg.lstsq(x, y, driver=driver)), a, b,
                    rtol=1e-7, atol=1e-9)
    assert type(re).__name__ == "tuple"
    result = ember.linalg.lstsq(ember.tensor(a), ember.tensor(b), driver=driver)
    assert type(result).__name__ == "linalg_lstsq"
    assert result._fields == ("solution", "residuals", "rank", "singular_values")
    compare(lambda lib, x, y: lib.linalg.lstsq(x, y, driver=driver).solution, a, b, rtol=1e-7,
            atol=1e-9)
    compare(lambda lib, x, y: tuple(lib.linalg.lstsq(x.float(), y.float(), driver=driver)), a, b)


def test_rank_deficient_problems_give_the_minimum_norm_solution():
    a = np.ones((4, 3))
    b = _matrix((4, 2))
    for driver in ("gelsy", "gelsd", "gelss"):     # (gels assumes full rank: LAPACK's noise)
        compare(lambda lib, x, y: tuple(lib.linalg.lstsq(x, y, driver=driver))[:3:2], a, b,
                rtol=1e-7, atol=1e-9, grad=False)
    compare(lambda lib, x, y: tuple(lib.linalg.lstsq(x, y, 0.5, driver="gelsd")),
            _matrix((5, 3)), _matrix((5, 2), 1), rtol=1e-7, atol=1e-9)


def test_gradcheck():
    a, b = _matrix((2, 5, 3)), _matrix((2, 5, 2), 1)
    gradcheck(lambda lib, x, y: lib.linalg.lstsq(x, y).solution, a, b)
    gradcheck(lambda lib, x, y: tuple(lib.linalg.lstsq(x, y, driver="gelsd"))[:2], a, b)
    gradcheck(lambda lib, x, y: lib.linalg.lstsq(x.mT, y[..., :3, :]).solution, a, b)
    gradcheck(lambda lib, x, y: lib.linalg.lstsq(x, y[..., 0]).solution, a, b)
    gradcheck(lambda lib, x: lib.linalg.tensorinv(x.reshape(2, 3, 6), ind=2), _matrix((6, 6)))
    gradcheck(lambda lib, x, y: lib.linalg.tensorsolve(x.reshape(2, 3, 6), y), _matrix((6, 6)),
              _matrix((2, 3), 1))


def test_tensorinv_and_tensorsolve_match_torch():
    compare(lambda lib, x: lib.linalg.tensorinv(x, ind=2), _matrix((4, 6, 8, 3)), nodes=False)
    compare(lambda lib, x: lib.linalg.tensorinv(x, ind=1), _matrix((6, 2, 3)), nodes=False)
    compare(lambda lib, x, y: lib.linalg.tensorsolve(x, y), _matrix((2, 3, 6)),
            _matrix((2, 3), 1), nodes=False)
    compare(lambda lib, x, y: lib.linalg.tensorsolve(x, y, dims=(0, 2)),
            _matrix((3, 6, 8, 4)), _matrix((6, 4), 1), nodes=False)


def test_errors_match_torch():
    a = _matrix((5, 3))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), a, np.ones(5, np.float32))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), a, np.ones((4, 2)))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), a, np.ones(4))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y, driver="x"), a, np.ones((5, 2)))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), np.ones(3), np.ones(3))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), a, np.array(1.0))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), np.ones((3, 3), np.int64),
               np.ones((3, 3), np.int64))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), _matrix((2, 5, 3)), np.ones((5, 2)))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), _matrix((2, 5, 3)), np.ones(5))
    same_error(lambda lib, x, y: lib.linalg.lstsq(x, y), _matrix((2, 5, 3)),
               np.ones((3, 5, 3)))
    same_error(lambda lib, x: lib.linalg.tensorinv(x, ind=0), np.ones((4, 6, 8, 3)))
    same_error(lambda lib, x: lib.linalg.tensorinv(x, ind=2), np.ones((4, 6, 8, 2)))
    same_error(lambda lib, x, y: lib.linalg.tensorsolve(x, y), np.ones((2, 3, 5)),
               np.ones((2, 3)))
    same_error(lambda lib, x, y: lib.linalg.tensorsolve(x, y, dims=(0, 2)),
               np.ones((6, 4, 4, 3, 2)), np.ones((6, 4)))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), m=st.integers(1, 6),
       n=st.integers(1, 4), k=st.integers(1, 3), condition=st.sampled_from([1.0, 1e4, 1e8]),
       seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_and_conditioning(batch, m, n, k, condition, seed):
    """Any batch and shape, ill-conditioned matrices: the solution and the singular values are
    torch's (gelsd)."""
    rng = np.random.default_rng(seed)
    r = min(m, n)
    u, _ = np.linalg.qr(rng.standard_normal(tuple(batch) + (m, m)))
    v, _ = np.linalg.qr(rng.standard_normal(tuple(batch) + (n, n)))
    s = np.zeros(tuple(batch) + (m, n))
    s[..., np.arange(r), np.arange(r)] = np.logspace(0, -np.log10(condition), r)
    a, b = u @ s @ v, rng.standard_normal(tuple(batch) + (m, k))
    re = ember.linalg.lstsq(ember.tensor(a), ember.tensor(b), driver="gelsd")
    rt = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver="gelsd")
    scale = condition * np.abs(b).max()
    assert np.allclose(arr(re.solution), arr(rt.solution), atol=1e-9 * scale)
    assert np.allclose(arr(re.singular_values), arr(rt.singular_values), atol=1e-12)
    assert np.array_equal(arr(re.rank), arr(rt.rank))
