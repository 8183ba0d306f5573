"""The singular value decomposition (``linalg.svd``, ``torch.svd``), the pseudoinverse and the
matrix norms through singular values (``ember/_ops/linalg/svd.py``) against torch: values (the
singular vectors up to sign, which the SVD leaves free), gradients of losses that do not depend
on the signs, node names, return types, gradcheck, errors, and hypothesis over shapes."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same_error

torch = pytest.importorskip("torch")

SHAPES = [(4, 3), (3, 4), (3, 3), (2, 5, 3), (2, 3, 5), (2, 1, 4, 4)]


def _matrix(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _sign_free(lib, r):
    """Functions of an SVD that do not depend on the signs of the singular vectors."""
    u, s, vh = r
    k = s.shape[-1]
    return u[..., :k] @ vh[..., :k, :], u[..., :k] ** 2, vh[..., :k, :] ** 2, s


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("full", [False, True])
def test_svd_values_and_gradients_match_torch(shape, full):
    compare(lambda lib, a: _sign_free(lib, lib.linalg.svd(a, full_matrices=full)),
            _matrix(shape), rtol=1e-7, atol=1e-9, nodes=False)
    compare(lambda lib, a: lib.linalg.svd(a, full_matrices=full).S, _matrix(shape),
            rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("shape", SHAPES)
def test_svd_shapes_dtypes_node_names_and_fields(shape):
    for dtype in (np.float32, np.float64):
        a = _matrix(shape).astype(dtype)
        for full in (True, False):
            re = ember.linalg.svd(ember.tensor(a, requires_grad=True), full_matrices=full)
            rt = torch.linalg.svd(torch.tensor(a, requires_grad=True), full_matrices=full)
            assert type(re).__name__ == "linalg_svd" and re._fields == ("U", "S", "Vh")
            for e, t in zip(re, rt):
                assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
                assert type(e.grad_fn).__name__ == type(t.grad_fn).__name__
            assert np.allclose(arr(re.S), arr(rt.S), rtol=1e-4 if dtype == np.float32 else 1e-10)
            # the decomposition: A = U diag(S) Vh, orthonormal U and Vh
            k = min(shape[-2:])
            u, s, vh = arr(re.U)[..., :k], arr(re.S), arr(re.Vh)[..., :k, :]
            assert np.allclose((u * s[..., None, :]) @ vh, a, atol=1e-4)
            assert np.allclose(np.abs(u), np.abs(arr(rt.U)[..., :k]), atol=1e-4)


def test_old_svd_returns_v_and_honours_some_and_compute_uv():
    a = _matrix((2, 5, 3))
    for some in (True, False):
        compare(lambda lib, x: _sign_free(lib, (lambda r: (r.U, r.S, r.V.mT))(
            lib.svd(x, some=some))), a, nodes=False)
        re, rt = ember.svd(ember.tensor(a), some=some), torch.svd(torch.tensor(a), some=some)
        assert type(re).__name__ == "svd" and re._fields == ("U", "S", "V")
        assert [tuple(t.shape) for t in re] == [tuple(t.shape) for t in rt]
    compare(lambda lib, x: tuple(lib.svd(x, compute_uv=False)), a)     # zero U and V, and S
    compare(lambda lib, x: tuple(x.svd(compute_uv=False)), a)
    compare(lambda lib, x: x.svd().S, a)
    x = ember.tensor(a, requires_grad=True)
    assert type(ember.svd(x).V.grad_fn).__name__ == "TransposeBackward0"


def test_gradcheck():
    a = _matrix((2, 4, 3))
    gradcheck(lambda lib, x: _sign_free(lib, lib.linalg.svd(x, full_matrices=False)), a)
    gradcheck(lambda lib, x: _sign_free(lib, lib.linalg.svd(x.mT, full_matrices=False)), a)
    gradcheck(lambda lib, x: _sign_free(lib, lib.linalg.svd(x[..., :3, :])), a)
    gradcheck(lambda lib, x: lib.linalg.pinv(x), a)
    gradcheck(lambda lib, x: lib.linalg.pinv(x.mT), a)
    gradcheck(lambda lib, x: lib.linalg.matrix_norm(x, "nuc"), a)
    gradcheck(lambda lib, x: lib.linalg.matrix_norm(x, 2), a)
    gradcheck(lambda lib, x: lib.linalg.matrix_norm(x, -2), a)


def test_gradient_of_only_the_singular_values_at_repeated_values():
    """svd(...).S alone takes the short formula (finite at equal singular values); the
    vectors' gradient there is not defined (nan), in both libraries."""
    eye = np.eye(3)
    compare(lambda lib, a: lib.linalg.svd(a).S, eye)
    e = ember.tensor(eye, requires_grad=True)
    t = torch.tensor(eye, requires_grad=True)
    re, rt = ember.linalg.svd(e), torch.linalg.svd(t)
    (re.U.sum() + re.Vh.sum()).backward()
    (rt.U.sum() + rt.Vh.sum()).backward()
    assert np.isnan(arr(e.grad)).all() and np.isnan(arr(t.grad)).all()


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3), (3, 5, 2)])
def test_pinv_matches_torch(shape):
    a = _matrix(shape)
    compare(lambda lib, x: lib.linalg.pinv(x), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.pinverse(x), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: x.pinverse(), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.linalg.pinv(x, rtol=0.4), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.linalg.pinv(x, atol=1.0), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.linalg.pinv(x, 0.3), a, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: lib.linalg.pinv(x.float()), a)


def test_pinv_of_rank_deficient_and_symmetric_matrices():
    low_rank = _matrix((4, 2)) @ _matrix((2, 5), 1)
    compare(lambda lib, x: lib.linalg.pinv(x), low_rank, rtol=1e-6, atol=1e-8, grad=False)
    spd = _matrix((2, 3, 3))
    spd = spd @ spd.swapaxes(-1, -2)
    compare(lambda lib, x: lib.linalg.pinv(x, hermitian=True), spd, rtol=1e-6, atol=1e-8,
            grad=False)
    compare(lambda lib, x: lib.linalg.pinv((x + x.mT) / 2, hermitian=True), spd, rtol=1e-6,
            atol=1e-8)


@pytest.mark.parametrize("ord", ["nuc", 2, -2])
def test_matrix_norms_through_singular_values(ord):
    a = _matrix((2, 3, 4))
    compare(lambda lib, x: lib.linalg.matrix_norm(x, ord), a)
    compare(lambda lib, x: lib.linalg.matrix_norm(x, ord, dim=(0, 2), keepdim=True), a)
    compare(lambda lib, x: lib.linalg.matrix_norm(x, ord, dim=(-1, 1)), a)
    compare(lambda lib, x: lib.linalg.matrix_norm(x.float(), ord, dtype=lib.float64), a)
    compare(lambda lib, x: lib.linalg.norm(x[0], ord), a)
    compare(lambda lib, x: lib.linalg.norm(x, ord, dim=(1, 2)), a)
    compare(lambda lib, x: lib.linalg.cond(x[:, :, :3], ord), a)
    if ord == "nuc":
        compare(lambda lib, x: lib.norm(x[0], "nuc"), a)
        compare(lambda lib, x: x.norm("nuc", dim=(1, 2)), a)
        compare(lambda lib, x: lib.norm(x, "nuc", dim=(0, 1), keepdim=True), a)


def test_errors_match_torch():
    same_error(lambda lib, x: lib.linalg.svd(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.svd(x), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.svd(x), np.full((2, 2), np.nan))
    same_error(lambda lib, x: lib.svd(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.svd(x, driver="gesvd"), np.eye(2))
    same_error(lambda lib, x: lib.linalg.svdvals(x, driver="gesvd"), np.eye(2))
    same_error(lambda lib, x: lib.linalg.pinv(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.pinv(x), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.pinv(x, hermitian=True), np.ones((3, 2)))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, 3), np.ones((3, 3)))
    same_error(lambda lib, x: lib.norm(x, "nuc"), np.ones((2, 2, 2)))
    same_error(lambda lib, x: lib.linalg.norm(x, "nuc"), np.ones((2, 2, 2)))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, "nuc"), np.ones(3))


def test_empty_matrices():
    for shape in [(0, 3), (2, 0, 3), (3, 0)]:
        compare(lambda lib, x: tuple(lib.linalg.svd(x)), np.ones(shape), grad=False)
        compare(lambda lib, x: tuple(lib.linalg.svd(x, full_matrices=False)), np.ones(shape),
                grad=False)
    compare(lambda lib, x: lib.linalg.matrix_norm(x, "nuc"), np.ones((0, 3)), grad=False)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), m=st.integers(1, 5),
       n=st.integers(1, 5), scale=st.sampled_from([1e-6, 1.0, 1e6]),
       seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_and_scales(batch, m, n, scale, seed):
    """Any batch, any shape, badly scaled columns: S, the reconstruction and pinv agree with
    torch."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(tuple(batch) + (m, n)) * np.logspace(0, np.log10(scale), n)
    re = ember.linalg.svd(ember.tensor(a), full_matrices=False)
    rt = torch.linalg.svd(torch.tensor(a), full_matrices=False)
    top = np.abs(a).max() + 1e-300
    assert np.allclose(arr(re.S), arr(rt.S), rtol=1e-8, atol=1e-12 * top)
    rebuilt = (arr(re.U) * arr(re.S)[..., None, :]) @ arr(re.Vh)
    assert np.allclose(rebuilt, a, atol=1e-10 * top)
    assert np.allclose(arr(ember.linalg.matrix_norm(ember.tensor(a), "nuc")),
                       arr(torch.linalg.matrix_norm(torch.tensor(a), "nuc")), rtol=1e-8)


def test_matrix_norm_argument_errors_match_torch():
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, "nuc"), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, "fro"), np.ones((3, 3), np.int64))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, 2, dim=(0, 0)), np.ones((3, 3)))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, "nuc", dim=(0, 3)), np.ones((3, 3)))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, "fro", dtype=lib.int64), np.ones((3, 3)))
    same_error(lambda lib, x: lib.linalg.matrix_norm(x, 3), np.ones((3, 3), np.int64))
