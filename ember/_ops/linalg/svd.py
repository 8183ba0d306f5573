"""The singular value decomposition A = U diag(S) Vh (``linalg.svd``, the older ``torch.svd``),
the pseudoinverse built on it (``linalg.pinv``, ``pinverse``) and the matrix norms that need
singular values ('nuc', 2, -2).  LAPACK computes through NumPy; batches work throughout.

Gradients (G_U, G_S, G_Vh the incoming gradients, ^T the transpose of the last two dimensions,
k = min(m, n) and E_ij = S_j^2 - S_i^2 off the diagonal):

* svd:  with J = U^T G_U - G_U^T U and K = Vh G_Vh^T - G_Vh Vh^T (both skew),
  inner = (J S_j + S_i K) / E + diag(G_S) and dA = U inner Vh, plus, for a tall A,
  (I - U U^T) G_U S^-1 Vh and, for a wide one, U S^-1 G_Vh (I - Vh^T Vh).  Only G_S:
  dA = U diag(G_S) Vh.  Equal singular values make E zero: the gradient of the vectors is then
  not defined (nan), as in torch.
* pinv, X = A^+:  dA = -X^T G X^T + (I - A X) G^T X X^T + X^T X G^T (I - X A)
  (Golub and Pereyra's derivative of the pseudoinverse of a matrix of constant rank).
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, wrap_dim
from ..core.operands import finish
from ..core.registry import export
from .solve import LinAlgError, _check_float, _mT
from .tuples import finish_tuple


def _vectors_absent(g):
    """True when an output's gradient is all zeros: the output was not used (torch passes no
    gradient at all then, and takes the shorter formula)."""
    return not np.any(dual.data(g))


def _svd_arrays(a, full_matrices):
    """U, S, Vh of (a batch of) matrices; an empty matrix gives identities where torch does.
    A nan is an error (LAPACK's convergence failure, in torch); inf alone gives nan."""
    if a.dtype == np.float16:
        raise _errors.not_implemented("linalg_svd_cpu", "Half")
    m, n = a.shape[-2:]
    if a.size == 0:
        k = min(m, n)
        eye = np.eye
        u = np.broadcast_to(eye(m, m if full_matrices else k, dtype=a.dtype),
                            a.shape[:-2] + (m, m if full_matrices else k)).copy()
        vh = np.broadcast_to(eye(n if full_matrices else k, n, dtype=a.dtype),
                             a.shape[:-2] + (n if full_matrices else k, n)).copy()
        return u, np.zeros(a.shape[:-2] + (k,), a.dtype), vh
    if not np.isfinite(a).all():
        if not np.isnan(a).any():
            return _nan_svd(a)
        raise LinAlgError("linalg.svd: The algorithm failed to converge because the input "
                          "matrix contained non-finite values.")
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return u.astype(a.dtype), s.astype(a.dtype), vh.astype(a.dtype)


class LinalgSvd(Op):
    """U, S, Vh = the singular value decomposition of A; see the module's docstring for dA."""

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = _svd_arrays(a, full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, grad_u, grad_s, grad_vh):
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        u, vh = u[..., :k], vh[..., :k, :]          # full_matrices: the first k vectors count
        grad_u, grad_vh = grad_u[..., :k], grad_vh[..., :k, :]
        no_u, no_vh = _vectors_absent(grad_u), _vectors_absent(grad_vh)
        if no_u and no_vh:
            return (u * grad_s[..., None, :]) @ vh, None
        m, n = u.shape[-2], vh.shape[-1]
        s_row, s_col = s[..., None, :], s[..., :, None]
        gap = s_row * s_row - s_col * s_col
        eye = np.eye(k, dtype=bool)
        gap = dual.where(eye, 1.0, gap)
        inner = 0
        if not no_u:
            skew_u = _mT(u) @ grad_u
            inner = (skew_u - _mT(skew_u)) * s_row
        if not no_vh:
            skew_v = vh @ _mT(grad_vh)
            inner = inner + s_col * (skew_v - _mT(skew_v))
        inner = inner / gap + _diag_embed(grad_s)
        if m > n and not no_u:                       # tall: the part of G_U outside span(U)
            g_over_s = grad_u / s_row
            return (u @ inner + g_over_s - u @ (_mT(u) @ g_over_s)) @ vh, None
        if m < n and not no_vh:                      # wide: the part of G_Vh outside span(V)
            s_inv_g = grad_vh / s_col
            return u @ (inner @ vh + s_inv_g - (s_inv_g @ _mT(vh)) @ vh), None
        return u @ inner @ vh, None


def _diag_embed(d):
    if isinstance(d, Tensor):
        return d.diag_embed()
    out = np.zeros(d.shape + d.shape[-1:], d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


def check_driver(driver):
    """``driver=`` picks a cuSOLVER algorithm: on the CPU torch refuses any."""
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on "
                           "CUDA inputs with cuSOLVER backend.")


def _check_matrix(name, A):
    if A._array.ndim < 2:
        raise RuntimeError("{}: The input tensor A must have at least 2 dimensions.".format(name))
    _check_float(name, A)


@export("linalg")
def svd(A, full_matrices=True, *, driver=None, out=None):
    """A = U diag(S) Vh with orthonormal columns in U, orthonormal rows in Vh and the singular
    values S in descending order (U is m x m and Vh n x n with ``full_matrices``)."""
    _check_matrix("linalg.svd", A)
    check_driver(driver)
    result = return_types.linalg_svd(*LinalgSvd.apply(A, full_matrices))
    return finish_tuple(result, out, "linalg_svd")


@export("torch", "Tensor", name="svd")
def svd_top(input, some=True, compute_uv=True, *, out=None):
    """The older ``torch.svd``: A = U diag(S) V^T, returning V (not Vh); ``some=False`` gives
    the full U and V; ``compute_uv=False`` gives zero U and V (and S alone is differentiable)."""
    if input._array.ndim < 2:
        raise RuntimeError("linalg.svd: input should have at least 2 dimensions, but has {} "
                           "dimensions instead".format(input._array.ndim))
    _check_matrix("linalg.svd", input)
    if not compute_uv:
        s = LinalgSvd.apply(input, False)[1]
        a = input._array
        m, n = a.shape[-2:]
        zeros_u = Tensor._make(np.zeros(a.shape[:-2] + (m, m), a.dtype))
        zeros_v = Tensor._make(np.zeros(a.shape[:-2] + (n, n), a.dtype))
        result = return_types.svd(zeros_u, s, zeros_v)
    else:
        u, s, vh = LinalgSvd.apply(input, not some)
        result = return_types.svd(u, s, vh.mT)
    return finish_tuple(result, out, "svd")


# ---------------------------------------------------------------- the pseudoinverse


class LinalgPinv(Op):
    """X = A^+, the pseudoinverse: V diag(1/S) U^T over the singular values above the
    tolerance (through eigh for a symmetric A); see the module's docstring for dA."""

    @staticmethod
    def forward(ctx, a, atol, rtol, hermitian):
        if hermitian:
            w, v = np.linalg.eigh(a) if a.size else (np.zeros(a.shape[:-1], a.dtype), a)
            size = np.abs(w)
            keep = size > _tolerance(size, atol, rtol)
            inv = np.where(keep, 1 / np.where(keep, w, 1), 0).astype(a.dtype)
            out = (v * inv[..., None, :]) @ _mT(v)
        else:
            u, s, vh = _svd_arrays(a, False)
            keep = s > _tolerance(s, atol, rtol)
            inv = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(a.dtype)
            out = (_mT(vh) * inv[..., None, :]) @ _mT(u)
        out = out.astype(a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        return pinv_backward(grad, a, x), None, None, None


def pinv_backward(grad, a, x):
    """dA of X = A^+ for the gradient G of X (see the module's docstring)."""
    x_t, g_t = _mT(x), _mT(grad)
    left = (g_t - a @ (x @ g_t)) @ x @ x_t                      # (I - A X) G^T X X^T
    right = x_t @ x @ (g_t - (g_t @ x) @ a)                     # X^T X G^T (I - X A)
    return -(x_t @ grad @ x_t) + left + right


def _nan_svd(a):
    """What LAPACK's SVD gives for a matrix with non-finite entries: nan everywhere."""
    m, n = a.shape[-2:]
    k = min(m, n)
    nan = np.nan
    return (np.full(a.shape[:-2] + (m, k), nan, a.dtype), np.full(a.shape[:-2] + (k,), nan,
            a.dtype), np.full(a.shape[:-2] + (k, n), nan, a.dtype))


def _tolerance(s, atol, rtol):
    """max(atol, rtol * the largest singular value), per matrix of the batch."""
    top = s.max(-1, keepdims=True, initial=0.0) if s.size else np.zeros(s.shape[:-1] + (1,))
    return np.maximum(_value(atol, s)[..., None], _value(rtol, s)[..., None] * top)


def _value(t, s):
    return np.asanyarray(t._array if isinstance(t, Tensor) else t, s.dtype)


@export("linalg")
def pinv(A, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The Moore-Penrose pseudoinverse A^+, which solves least-squares problems: singular
    values below max(atol, rtol * largest) count as zero (default rtol: eps * max(m, n))."""
    a = A._array
    if a.ndim < 2 or a.dtype.kind != "f" or a.dtype == np.float16:
        raise RuntimeError("linalg.pinv({}{{{}}}): expected a tensor with 2 or more dimensions "
                           "of float, double, cfloat or cdouble types".format(
                               A.dtype.scalar_name, list(a.shape)))
    if hermitian and a.shape[-1] != a.shape[-2]:
        raise RuntimeError("linalg.eigh: A must be batches of square matrices, but they are {} "
                           "by {} matrices".format(a.shape[-2], a.shape[-1]))
    if rcond is not None:
        rtol = rcond
    if rtol is None:
        rtol = (np.finfo(a.dtype).eps * max(a.shape[-2:]) if atol is None or
                np.all(_value(atol, a) <= 0) else 0.0)
    atol = 0.0 if atol is None else atol
    return finish(LinalgPinv.apply(A, atol, rtol, hermitian), out, "linalg_pinv")


@export("torch", "Tensor")
def pinverse(input, rcond=1e-15):
    """``torch.pinverse``: ``linalg.pinv`` with singular values below rcond * largest
    dropped."""
    return pinv(input, rtol=rcond)


# ---------------------------------------------------------------- norms through singular values


def singular_value_norm(input, ord, dim, keepdim, dtype):
    """The matrix norms of singular values over the dimensions ``dim``: their sum ('nuc'), the
    largest (2) or the smallest (-2).  Their gradients are those of ``svdvals``."""
    from ..reductions.extremes import amax, amin
    from ..shape.reordering import movedim
    x = input._array
    if x.dtype == np.float16:
        raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got Half")
    rows, cols = (wrap_dim(d, x.ndim) for d in dim)
    if dtype is not None:
        input = input.to(dtype)
    s = LinalgSvd.apply(movedim(input, (rows, cols), (-2, -1)), False)[1]
    result = s.sum(-1, keepdim) if ord == "nuc" else (amax if ord == 2 else amin)(s, -1, keepdim)
    if keepdim:                          # back in the places of the two dimensions
        result = movedim(result.unsqueeze(-1), (-2, -1), (rows, cols))
    return result
