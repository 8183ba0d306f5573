"""The ``torch.*`` forms of linear algebra (``ember/_ops/linalg/top_level.py``, ``lowrank.py``,
``deprecation.py``) against torch: the namespaces are complete, the removed functions raise
torch's errors, the deprecation warnings come once per process as torch gives them, and the
randomized low-rank SVD and PCA draw torch's numbers."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import ember
from parity import arr, compare, same_error

torch = pytest.importorskip("torch")

# torch.linalg names ember does not have yet.
NOT_YET = set()


def test_torch_linalg_namespace_is_complete():
    public = {n for n in dir(torch.linalg) if not n.startswith("_") and n != "common_notes"}
    missing = public - set(dir(ember.linalg))
    assert missing == NOT_YET


@pytest.mark.parametrize("name", [
    "svd", "qr", "lu", "lu_solve", "lu_unpack", "pinverse", "triangular_solve", "geqrf",
    "orgqr", "ormqr", "cholesky_solve", "cholesky_inverse", "matrix_power", "matrix_exp",
    "chain_matmul", "nuclear_norm", "frobenius_norm", "svd_lowrank", "pca_lowrank", "lstsq",
    "eig", "symeig", "solve", "matrix_rank"])
def test_torch_level_names_and_methods_exist_where_torch_has_them(name):
    assert hasattr(ember, name)
    assert hasattr(ember.Tensor, name) == hasattr(torch.Tensor, name)


def test_removed_functions_raise_torch_errors():
    a = np.eye(2)
    same_error(lambda lib, x: lib.lstsq(x, x), a)
    same_error(lambda lib, x: x.lstsq(x), a)
    same_error(lambda lib, x: lib.solve(x, x), a)
    same_error(lambda lib, x: x.solve(x), a)
    same_error(lambda lib, x: lib.eig(x), a)
    same_error(lambda lib, x: x.eig(), a)
    same_error(lambda lib, x: lib.symeig(x), a)
    same_error(lambda lib, x: x.symeig(), a)
    same_error(lambda lib, x: lib.matrix_rank(x), a)


def test_torch_forms_match_torch():
    a = np.random.default_rng(0).standard_normal((2, 3, 3))
    compare(lambda lib, x: lib.matrix_power(x, 3), a)
    compare(lambda lib, x: x.matrix_power(-2), a)
    compare(lambda lib, x: lib.matrix_exp(x / 3), a)
    compare(lambda lib, x: x.matrix_exp(), a / 3)
    compare(lambda lib, x: lib.chain_matmul(x[0], x[1], x[0]), a, nodes=False)
    compare(lambda lib, x: lib.nuclear_norm(x[0]), a)
    compare(lambda lib, x: lib.nuclear_norm(x, dim=(1, 2), keepdim=True), a)
    compare(lambda lib, x: lib.frobenius_norm(x, dim=(1, 2)), a, nodes=False)
    same_error(lambda lib, x: lib.nuclear_norm(x), np.ones(3))


_WARNINGS = """
import json, sys, warnings
lib = __import__(sys.argv[1])
A = lib.eye(3, dtype=lib.float64)
calls = [lambda: lib.qr(A), lambda: lib.lu(A), lambda: lib.lu_solve(A, *lib.linalg.lu_factor(A)),
         lambda: lib.triangular_solve(A, A), lambda: lib.chain_matmul(A, A),
         lambda: lib.nuclear_norm(A), lambda: lib.frobenius_norm(A, dim=(0, 1))]
out = []
for call in calls:
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        out.append([(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
                    for w in caught])
print(json.dumps(out))
"""


def test_deprecation_warnings_come_once_per_process_as_torch_gives_them():
    """torch warns once per process (TORCH_WARN_ONCE): fresh processes compare the first and
    the second call of each deprecated function."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(ember.__file__)), os.environ.get("PYTHONPATH", "")]))

    def run(name):
        done = subprocess.run([sys.executable, "-c", _WARNINGS, name], capture_output=True,
                              text=True, env=env, check=True)
        return json.loads(done.stdout)
    e, t = run("ember"), run("torch")
    assert e == t
    assert all(first and not second for first, second in zip(t[::2], t[1::2]))


@pytest.mark.parametrize("shape", [(20, 8), (8, 20), (2, 10, 7)])
@pytest.mark.parametrize("fn", ["svd_lowrank", "pca_lowrank"])
def test_lowrank_draws_torch_numbers(shape, fn):
    """Seeded alike, the randomized range finder sees torch's random matrix: the singular values
    agree, the vectors up to sign, and so do gradients of sign-free losses."""
    a = np.random.default_rng(0).standard_normal(shape)
    results = []
    for lib in (ember, torch):
        lib.manual_seed(5)
        x = lib.tensor(a, requires_grad=True)
        u, s, v = getattr(lib, fn)(x, q=4)
        (u.abs().sum() + s.sum() + v.abs().sum()).backward()
        results.append((arr(u), arr(s), arr(v), arr(x.grad)))
    (ue, se, ve, ge), (ut, st_, vt, gt) = results
    assert np.allclose(se, st_, rtol=1e-10)
    assert np.allclose(np.abs(ue), np.abs(ut), atol=1e-8)
    assert np.allclose(np.abs(ve), np.abs(vt), atol=1e-8)
    assert np.allclose(ge, gt, atol=1e-8)


def test_lowrank_float32_and_errors():
    a = np.random.default_rng(1).standard_normal((10, 7)).astype(np.float32)
    for lib in (ember, torch):
        lib.manual_seed(3)
    e = ember.svd_lowrank(ember.tensor(a))
    t = torch.svd_lowrank(torch.tensor(a))
    assert all(str(x.dtype) == str(y.dtype) for x, y in zip(e, t))
    assert np.allclose(arr(e[1]), arr(t[1]), rtol=1e-4)
    with pytest.raises(ValueError, match=r"q\(=9\) must be non-negative integer and not greater"):
        ember.pca_lowrank(ember.tensor(a), q=9)
    with pytest.raises(ValueError, match=r"niter\(=-1\) must be non-negative integer"):
        ember.pca_lowrank(ember.tensor(a), niter=-1)


def test_half_precision_is_refused_as_torch_refuses_it():
    h = np.ones((3, 3), np.float16)
    for fn in (lambda lib, x: lib.linalg.svd(x), lambda lib, x: lib.linalg.svdvals(x),
               lambda lib, x: lib.svd(x), lambda lib, x: lib.linalg.qr(x),
               lambda lib, x: lib.geqrf(x), lambda lib, x: lib.linalg.householder_product(x, x[0]),
               lambda lib, x: lib.linalg.lu_factor(x), lambda lib, x: lib.linalg.lstsq(x, x),
               lambda lib, x: lib.linalg.pinv(x), lambda lib, x: lib.cholesky_solve(x, x),
               lambda lib, x: lib.cholesky_inverse(x), lambda lib, x: lib.triangular_solve(x, x),
               lambda lib, x: lib.linalg.ldl_factor(x), lambda lib, x: lib.linalg.solve_ex(x, x),
               lambda lib, x: lib.linalg.inv_ex(x), lambda lib, x: lib.linalg.matrix_norm(x, 2),
               lambda lib, x: lib.linalg.lu_solve(x, lib.ones(3, dtype=lib.int32), x)):
        same_error(fn, h)


def test_empty_integer_matrices_factor_as_in_torch():
    compare(lambda lib, x: tuple(lib.linalg.lu(x)), np.ones((4, 1, 0), np.uint8), grad=False)
    compare(lambda lib, x: tuple(lib.linalg.lu_factor(x)), np.ones((1, 3, 0), np.int8),
            grad=False)


def test_non_finite_inputs_of_the_svd():
    """A nan is LAPACK's convergence failure (an error, in torch); inf alone gives nan values."""
    for fn in (lambda lib, x: lib.linalg.svd(x), lambda lib, x: lib.linalg.svdvals(x),
               lambda lib, x: lib.linalg.pinv(x)):
        same_error(fn, np.array([[np.nan, 1.0], [1.0, 1.0]]))
    compare(lambda lib, x: lib.linalg.svdvals(x), np.array([[np.inf, 1.0], [1.0, 1.0]]),
            grad=False)
