"""The eigendecomposition of general matrices (``linalg.eig``, ``linalg.eigvals``,
``ember/_ops/linalg/eig.py``) against torch: eigenvalues, eigenvectors up to the phase each one
is free to take (A V = V diag(L), norm 1, largest component real), complex dtypes, batches,
return types and ``out=``, errors (type and text), gradients of phase-invariant losses, the
phase check of the backward pass, gradcheck and gradgradcheck."""
import numpy as np
import pytest

import ember
from parity import arr, same_error

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64", "complex64", "complex128"]
COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
              "complex128": "complex128"}


def _matrix(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


def _tol(dtype):
    return 1e-4 if dtype in ("float32", "complex64") else 1e-10


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (5, 5), (2, 4, 4), (2, 1, 3, 3)])
def test_eig_matches_torch_up_to_the_phase_of_each_vector(dtype, shape):
    a = _matrix(shape, dtype, seed=sum(shape))
    le, ve = (arr(t) for t in ember.linalg.eig(ember.tensor(a)))
    lt, vt = (t.numpy() for t in torch.linalg.eig(torch.tensor(a)))
    tol = _tol(dtype)
    assert le.dtype == lt.dtype == np.dtype(COMPLEX_OF[dtype])
    assert le.shape == lt.shape and ve.shape == vt.shape
    # the same values; in single precision the two LAPACKs (NumPy's OpenBLAS, torch's MKL) may
    # find them in another order, so each of ember's is paired with the nearest of torch's
    order = np.abs(le[..., :, None] - lt[..., None, :]).argmin(-1)
    lt = np.take_along_axis(lt, order, -1)
    vt = np.take_along_axis(vt, order[..., None, :], -1)
    assert np.allclose(le, lt, rtol=tol, atol=tol)
    assert np.allclose(a @ ve, ve * le[..., None, :], atol=tol * 10)       # A V = V diag(L)
    assert np.allclose(np.linalg.norm(ve, axis=-2), 1, atol=tol)
    biggest = np.take_along_axis(ve, np.abs(ve).argmax(-2)[..., None, :], -2)
    assert np.allclose(biggest.imag, 0, atol=tol)               # LAPACK's normalisation
    phase = (vt.conj() * ve).sum(-2)                            # torch's vectors times a phase
    assert np.allclose(np.abs(phase), 1, atol=tol * 10)
    assert np.allclose(ve, vt * phase[..., None, :], atol=tol * 10)


def test_complex_eigenvalues_of_a_real_matrix_and_printing():
    rotation = [[0.0, -1.0], [1.0, 0.0]]
    for lib in (ember, torch):
        r = lib.linalg.eig(lib.tensor(rotation, dtype=lib.float64))
        assert str(r.eigenvalues) == "tensor([0.+1.j, 0.-1.j], dtype=torch.complex128)"
    pair = [[1.0, 2.0], [3.0, 4.0]]
    assert repr(ember.linalg.eig(ember.tensor(pair))) == repr(torch.linalg.eig(torch.tensor(pair)))
    assert repr(ember.linalg.eigvals(ember.tensor(pair))) == repr(
        torch.linalg.eigvals(torch.tensor(pair)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigvals_are_eigs_eigenvalues(dtype):
    a = _matrix((3, 4, 4), dtype, seed=3)
    e = ember.linalg.eigvals(ember.tensor(a))
    assert np.array_equal(arr(e), arr(ember.linalg.eig(ember.tensor(a)).eigenvalues))
    assert np.allclose(arr(e), torch.linalg.eigvals(torch.tensor(a)).numpy(), atol=_tol(dtype))
    assert str(e.dtype) == str(torch.linalg.eigvals(torch.tensor(a)).dtype)


def test_return_type_fields_and_out():
    r = ember.linalg.eig(ember.eye(2))
    assert type(r).__name__ == "linalg_eig" and r._fields == ("eigenvalues", "eigenvectors")
    assert r.eigenvalues is r[0] and r.eigenvectors is r[1]
    assert isinstance(r, ember.return_types.linalg_eig)
    for lib in (ember, torch):
        out = (lib.empty(0, dtype=lib.cfloat), lib.empty(0, dtype=lib.cfloat))
        w = lib.linalg.eig(lib.eye(2), out=out)
        assert type(w).__name__ == "linalg_eig_out" and w[0] is out[0] and w[1] is out[1]
        assert out[1].shape == (2, 2)
        o = lib.empty(0, dtype=lib.cdouble)
        assert lib.linalg.eigvals(lib.eye(2), out=o) is o and o.shape == (2,)
    same_error(lambda lib, x: lib.linalg.eig(x, out=(lib.empty(0), lib.empty(0))), np.eye(2))
    same_error(lambda lib, x: lib.linalg.eigvals(x, out=lib.empty(0)), np.eye(2))
    same_error(lambda lib, x: lib.linalg.eig(x, out=(lib.empty(0, dtype=lib.cfloat),
                                                     lib.empty(0))), np.eye(2, dtype=np.float32))


def test_empty_matrices():
    for shape in [(0, 0), (2, 0, 0)]:
        for fn in ("eig", "eigvals"):
            e = getattr(ember.linalg, fn)(ember.ones(shape))
            t = getattr(torch.linalg, fn)(torch.ones(shape))
            assert repr(e) == repr(t)


def test_errors_match_torch():
    for fn in ("eig", "eigvals"):
        for a in (np.ones(3), np.ones((2, 3)), np.ones((2, 3, 2)), np.array(1.0),
                  np.ones((2, 2), np.int64), np.ones((2, 2), bool), np.ones((2, 2), np.float16)):
            same_error(lambda lib, x: getattr(lib.linalg, fn)(x), a)
        same_error(lambda lib, x: getattr(lib.linalg, fn)(x.to(lib.bfloat16)), np.eye(2))
        same_error(lambda lib: getattr(lib.linalg, fn)([[1.0]]))
    for bad in (np.nan, np.inf, -np.inf):
        a = np.eye(3)
        a[0, 2] = bad
        same_error(lambda lib, x: lib.linalg.eig(x), a)
        same_error(lambda lib, x: lib.linalg.eig(x), np.stack([np.eye(3), a]))
        same_error(lambda lib, x: lib.linalg.eigvals(x.requires_grad_()), a)
    # the removed torch.eig
    same_error(lambda lib, x: lib.eig(x), np.eye(2))
    same_error(lambda lib, x: x.eig(True), np.eye(2))


def test_eigvals_of_a_matrix_with_inf_is_nan_as_in_torch():
    a = np.array([[1.0, np.inf], [0.0, 1.0]])
    assert repr(ember.linalg.eigvals(ember.tensor(a))) == repr(
        torch.linalg.eigvals(torch.tensor(a)))
    batch = ember.linalg.eigvals(ember.tensor(np.stack([np.diag([1.0, 2.0]), a])))
    assert np.array_equal(arr(batch)[0], [1, 2]) and np.isnan(arr(batch)[1]).all()


# ---------------------------------------------------------------- gradients

LOSSES = {
    "values": lambda lib, L, V, m: (L * L).real.sum() + (L.imag * m[..., 0, :]).sum(),
    "abs_vectors": lambda lib, L, V, m: (V.abs() * m).sum(),
    "both": lambda lib, L, V, m: (V.abs() ** 2 * m).sum() + L.abs().sum(),
    "projector": lambda lib, L, V, m: ((V[..., :, :1] @ V[..., :, :1].mH).abs() * m).sum(),
}


def _grads(lib, a, weights, loss, fn="eig"):
    A = lib.tensor(a, requires_grad=True)
    if fn == "eig":
        L, V = lib.linalg.eig(A)
    else:
        L, V = lib.linalg.eigvals(A), None
    out = loss(lib, L, V, lib.tensor(weights))
    out.backward()
    return A.grad.numpy(), type(L.grad_fn).__name__


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_gradients_match_torch(dtype, loss):
    a = _matrix((2, 4, 4), dtype, seed=5)
    weights = np.random.default_rng(6).standard_normal((2, 4, 4))
    ge, ne = _grads(ember, a, weights, LOSSES[loss])
    gt, nt = _grads(torch, a, weights, LOSSES[loss])
    assert ge.dtype == gt.dtype and ne == nt == "LinalgEigBackward0"
    tol = 1e-3 if dtype in ("float32", "complex64") else 1e-9
    assert np.allclose(ge, gt, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigvals_gradient_matches_torch(dtype):
    a = _matrix((3, 3), dtype, seed=7)
    weights = np.random.default_rng(8).standard_normal((3, 3))
    ge, ne = _grads(ember, a, weights, LOSSES["values"], "eigvals")
    gt, nt = _grads(torch, a, weights, LOSSES["values"], "eigvals")
    assert ne == nt == "LinalgEigBackward0"
    tol = 1e-3 if dtype in ("float32", "complex64") else 1e-9
    assert np.allclose(ge, gt, rtol=tol, atol=tol)


def test_eigvals_without_grad_records_nothing():
    a = ember.tensor(_matrix((3, 3)), requires_grad=True)
    with ember.no_grad():
        assert ember.linalg.eigvals(a).grad_fn is None


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_a_loss_that_depends_on_the_phase_is_refused_as_in_torch(dtype):
    def run(lib):
        A = lib.tensor(_matrix((3, 3), dtype, seed=9), requires_grad=True)
        try:
            lib.linalg.eig(A).eigenvectors.real.sum().backward()
        except RuntimeError as e:
            return str(e)
        return None
    message = run(torch)
    assert message is not None and run(ember) == message


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_gradcheck_and_gradgradcheck(dtype):
    def f(A):
        L, V = ember.linalg.eig(A)
        return L, V.abs()
    a = ember.tensor(_matrix((3, 3), dtype, seed=10), requires_grad=True)
    assert ember.autograd.gradcheck(f, (a,))
    assert ember.autograd.gradgradcheck(f, (a,))
    b = ember.tensor(_matrix((2, 3, 3), dtype, seed=11), requires_grad=True)
    assert ember.autograd.gradcheck(ember.linalg.eigvals, (b,))


def test_func_transforms():
    x = _matrix((2, 3, 3), seed=12)
    e, t = ember.tensor(x), torch.tensor(x)
    assert np.allclose(arr(ember.func.vmap(ember.linalg.eigvals)(e)),
                       torch.func.vmap(torch.linalg.eigvals)(t).numpy())
    ge = ember.func.grad(lambda a: ember.linalg.eigvals(a).abs().sum())(e[0])
    gt = torch.func.grad(lambda a: torch.linalg.eigvals(a).abs().sum())(t[0])
    assert np.allclose(arr(ge), gt.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_mode_matches_torch(dtype):
    a, da = _matrix((2, 3, 3), dtype, seed=13), _matrix((2, 3, 3), dtype, seed=14)
    results = []
    for lib in (ember, torch):
        fw = lib.autograd.forward_ad
        with fw.dual_level():
            L, V = lib.linalg.eig(fw.make_dual(lib.tensor(a), lib.tensor(da)))
            values = lib.linalg.eigvals(fw.make_dual(lib.tensor(a), lib.tensor(da)))
            results.append([fw.unpack_dual(t).tangent.numpy() for t in (L, V, values)]
                           + [fw.unpack_dual(V).primal.numpy()])
    (dl, dv, dvalues, v), (tl, tv, tvalues, vt) = results
    tol = 1e-3 if dtype in ("float32", "complex64") else 1e-9
    order = np.abs(arr(ember.linalg.eigvals(ember.tensor(a)))[..., :, None]
                   - torch.linalg.eigvals(torch.tensor(a)).numpy()[..., None, :]).argmin(-1)
    tl, tvalues = (np.take_along_axis(x, order, -1) for x in (tl, tvalues))
    tv, vt = (np.take_along_axis(x, order[..., None, :], -1) for x in (tv, vt))
    assert dl.dtype == tl.dtype and dv.dtype == tv.dtype
    assert np.allclose(dl, tl, atol=tol) and np.allclose(dvalues, tvalues, atol=tol)
    phase = (vt.conj() * v).sum(-2)[..., None, :]       # the tangent turns with its vector
    assert np.allclose(dv, tv * phase, atol=tol)
