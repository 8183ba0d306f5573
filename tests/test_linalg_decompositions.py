"""Matrix decompositions and their relatives in ``ember.linalg``
(``ember/_ops/linalg/decompositions.py``) against torch: values, gradients, node names,
gradcheck, batches and errors."""
import numpy as np
import pytest

import ember
from parity import compare, gradcheck, same_error

torch = pytest.importorskip("torch")


def _spd(rng, *batch, n=3):
    """Symmetric positive-definite matrices."""
    m = rng.standard_normal(batch + (n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def _general(rng, *batch, n=3):
    return rng.standard_normal(batch + (n, n)) + 2 * np.eye(n)


def _sym(f):
    """f of the symmetric part of its input (the gradient of a function of a symmetric matrix
    is defined up to that)."""
    return lambda lib, a, *rest: f(lib, (a + a.mT) / 2, *rest)


@pytest.mark.parametrize("batch", [(), (2,)])
def test_values_and_gradients_match_torch(batch):
    rng = np.random.default_rng(0)
    spd, gen = _spd(rng, *batch), _general(rng, *batch)
    compare(_sym(lambda lib, a: lib.linalg.cholesky(a)), spd)
    compare(_sym(lambda lib, a: lib.linalg.cholesky(a, upper=True)), spd)
    compare(_sym(lambda lib, a: tuple(lib.linalg.cholesky_ex(a))), spd)
    compare(_sym(lambda lib, a: lib.linalg.eigvalsh(a)), spd)
    compare(_sym(lambda lib, a: lib.linalg.eigh(a).eigenvalues), spd)
    # eigenvectors up to sign: compare a function that does not depend on the signs
    compare(_sym(lambda lib, a: (lib.linalg.eigh(a).eigenvectors ** 2)), spd, rtol=1e-4)
    compare(lambda lib, a: lib.linalg.svdvals(a), gen)
    compare(lambda lib, a: tuple(lib.linalg.slogdet(a)), gen)
    compare(lambda lib, a: lib.logdet(a), spd)
    compare(lambda lib, a: lib.linalg.matrix_power(a, 3), gen)
    compare(lambda lib, a: lib.linalg.matrix_power(a, -2), gen)
    compare(lambda lib, a: lib.linalg.matrix_power(a, 0), gen)
    compare(lambda lib, a: lib.linalg.matrix_exp(a / 3), gen, rtol=1e-4)
    compare(lambda lib, a: lib.linalg.cond(a), gen, rtol=1e-4)
    compare(lambda lib, a: lib.linalg.matrix_rank(a), gen, grad=False)
    compare(lambda lib, a: lib.linalg.diagonal(a), gen)
    low = np.tril(gen)
    rhs = rng.standard_normal(batch + (3, 2))
    compare(lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=False), low, rhs)
    compare(lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=True), gen, rhs)
    compare(lambda lib, a, b: lib.linalg.solve_triangular(a, b.mT, upper=True, left=False),
            gen, rhs)
    compare(lambda lib, a, b: lib.linalg.solve_triangular(a, b, upper=False,
                                                          unitriangular=True), low, rhs)


def test_multi_dot_vander_and_deprecated_forms():
    rng = np.random.default_rng(1)
    a, b, c = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    compare(lambda lib, x, y, z: lib.linalg.multi_dot([x, y, z]), a, b, c)
    compare(lambda lib, x: lib.linalg.vander(x), np.array([1.0, 2.0, 3.0]))
    compare(lambda lib, x: lib.linalg.vander(x, N=4), np.array([1.5, -2.0]))
    spd = _spd(rng)
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated"):
        compare(_sym(lambda lib, x: lib.cholesky(x)), spd)
    compare(lambda lib, x: tuple(lib.slogdet(x)), spd)
    assert repr(ember.linalg.slogdet(ember.eye(2))) == repr(torch.linalg.slogdet(torch.eye(2)))


@pytest.mark.parametrize("fn", [
    _sym(lambda lib, a: lib.linalg.cholesky(a)),
    _sym(lambda lib, a: lib.linalg.eigvalsh(a)),
    lambda lib, a: lib.linalg.svdvals(a),
    lambda lib, a: lib.linalg.slogdet(a).logabsdet,
    lambda lib, a: lib.linalg.matrix_exp(a / 4),
    lambda lib, a: lib.linalg.solve_triangular(a, a.tril() + 1, upper=True),
])
def test_gradcheck(fn):
    gradcheck(fn, _spd(np.random.default_rng(2)), double=False)


def test_not_positive_definite():
    bad = np.array([[1.0, 2.0], [2.0, 1.0]])
    same_error(lambda lib, a: lib.linalg.cholesky(a), bad)
    same_error(lambda lib, a: lib.linalg.cholesky(a), np.stack([np.eye(2), bad]))
    e = ember.linalg.cholesky_ex(ember.tensor(np.stack([np.eye(2), bad])))
    t = torch.linalg.cholesky_ex(torch.tensor(np.stack([np.eye(2), bad])))
    assert e.info.tolist() == t.info.tolist() and str(e.info.dtype) == str(t.info.dtype)


def test_errors_are_torchs():
    same_error(lambda lib: lib.linalg.cholesky(lib.ones(2, 3)))
    same_error(lambda lib: lib.linalg.eigh(lib.ones(3)))
    same_error(lambda lib: lib.linalg.matrix_power(lib.ones(2, 3), 2))
    same_error(lambda lib: lib.linalg.solve_triangular(lib.eye(2), lib.ones(2), upper=True))
    same_error(lambda lib: lib.linalg.cholesky(lib.tensor([[1, 0], [0, 1]])))
    same_error(lambda lib: lib.linalg.multi_dot([lib.ones(2, 2)]))
