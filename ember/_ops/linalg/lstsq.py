"""Least squares (``linalg.lstsq``) and the tensor forms of inverse and solve
(``linalg.tensorinv``, ``linalg.tensorsolve``).

``lstsq`` computes, for every driver, the minimum-norm least-squares solution X = A^+ B through
the singular value decomposition, singular values at or below rcond * the largest counting as
zero (LAPACK's gelsd; gelsy and gels give the same X for matrices of full rank).

Gradients (G_X, G_r the incoming gradients of X and of the residuals r_j = |A x_j - b_j|^2):
dB = A^+T G_X and dA = the pseudoinverse's derivative (``svd.pinv_backward``) for the
gradient G_X B^T of A^+; the residuals add 2 R diag(G_r) X^T to dA and -2 R diag(G_r) to dB,
R = A X - B (at the minimum, r changes only through A and B: the envelope theorem).  As in
torch, A^+ in these formulas has the default tolerance, whatever rcond the solution used.
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core.common import Tensor
from ..core.registry import export
from .solve import _mT, inverse, solve
from .svd import _svd_arrays, pinv, pinv_backward
from .tuples import finish_tuple

_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


class LinalgLstsq(Op):
    """X = A^+ B and the squared residuals; see the module's docstring for the gradients."""

    @staticmethod
    def forward(ctx, a, b, pseudoinverses, vector, residuals):
        a_plus, a_plus_grad = pseudoinverses
        bm = b[..., None] if vector else b
        x = a_plus @ bm
        r = a @ x - bm
        ctx.save_for_backward(a, b)
        ctx.a_plus, ctx.x, ctx.r, ctx.vector = a_plus_grad, x, r, vector
        res = (r * r).sum(-2) if residuals else np.zeros((0,), a.dtype)
        return (x[..., 0] if vector else x).astype(a.dtype), res.astype(a.dtype)

    @staticmethod
    def backward(ctx, grad_x, grad_res):
        a, b = ctx.saved_tensors
        a_plus, x, r, vector = ctx.a_plus, ctx.x, ctx.r, ctx.vector
        if isinstance(grad_x, Tensor):               # recorded: A^+ and X as functions of A, B
            a_plus = pinv(a)
            x = a_plus @ (b.unsqueeze(-1) if vector else b)
            r = a @ x - (b.unsqueeze(-1) if vector else b)
        bm = b.reshape(tuple(b.shape) + (1,)) if vector else b
        gx = grad_x.reshape(tuple(grad_x.shape) + (1,)) if vector else grad_x
        grad_a = pinv_backward(gx @ _mT(bm), a, a_plus)
        grad_b = _mT(a_plus) @ gx
        if grad_res.shape[-1:] != (0,):
            weighted = r * grad_res[..., None, :] * 2.0
            grad_a = grad_a + weighted @ _mT(x)
            grad_b = grad_b - weighted
        if vector:
            grad_b = grad_b[..., 0]
        return grad_a, grad_b, None, None, None


def _check(A, B, driver):
    a, b = A._array, B._array
    name = "torch.linalg.lstsq: "
    if a.ndim < 2:
        raise RuntimeError(name + "input must have at least 2 dimensions.")
    if b.ndim < 1:
        raise RuntimeError(name + "other must have at least 1 dimension.")
    if a.dtype != b.dtype:
        raise RuntimeError(name + "Expected input and other to have the same dtype, but got "
                           "input's dtype {} and other's dtype {}".format(A.dtype.scalar_name,
                                                                          B.dtype.scalar_name))
    if a.dtype.kind != "f" or a.dtype == np.float16:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if b.ndim > a.ndim or a.ndim - b.ndim > 1:
        raise RuntimeError(name + "input.dim() must be greater or equal to other.dim() and "
                           "(input.dim() - other.dim()) <= 1")
    vector = b.ndim == a.ndim - 1
    batch_b = b.shape[:-1] if vector else b.shape[:-2]          # (as long as A's)
    for i, (p, q) in enumerate(zip(a.shape[:-2], batch_b)):
        if p != q and p != 1 and q != 1:
            raise _errors.size_mismatch(p, q, i)
    if a.shape[-2] != b.shape[-1 if vector else -2]:
        raise RuntimeError(name + "input.size(-2) should match other.size({})".format(
            -1 if vector else -2))
    if driver is not None and driver not in _DRIVERS:
        raise RuntimeError(name + "parameter `driver` should be one of (gels, gelsy, gelsd, "
                           "gelss)")
    return vector


@export("linalg")
def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution X of A X = B (min |A X - B|, the smallest X among equals),
    with the residuals, the rank and the singular values of A where the driver gives them."""
    vector = _check(A, B, driver)
    driver = driver or "gelsy"
    a = A._array
    m, n = a.shape[-2:]
    default = np.finfo(a.dtype).eps * max(m, n)
    u, s, vh = _svd_arrays(a, False)
    top = s[..., :1] if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), a.dtype)

    def pseudoinverse(keep):
        s_inv = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(a.dtype)
        return (_mT(vh) * s_inv[..., None, :]) @ _mT(u)
    keep = s > (default if rcond is None else rcond) * top if driver != "gels" else s == s
    a_plus = pseudoinverse(keep)
    # torch differentiates through pinv(A) at its default tolerance, whatever rcond is
    a_plus_grad = a_plus if rcond is None else pseudoinverse(s > default * top)
    rank = keep.sum(-1).astype(np.int64)
    residuals = driver != "gelsy" and m > n and bool((rank == n).all())
    x, res = LinalgLstsq.apply(A, B, (a_plus, a_plus_grad), vector, residuals)
    empty = np.zeros((0,), a.dtype)
    rank_t = Tensor._make(rank if driver != "gels" else np.zeros((0,), np.int64))
    values = Tensor._make(s if driver in ("gelsd", "gelss") else empty)
    return return_types.linalg_lstsq(x, res, rank_t, values)


# ---------------------------------------------------------------- tensor forms


@export("linalg")
def tensorinv(A, ind=2, *, out=None):
    """The tensor B with tensordot(A, B, ind) the identity: the inverse of A read as a
    prod(shape[:ind]) x prod(shape[ind:]) matrix, reshaped to shape[ind:] + shape[:ind]."""
    if ind <= 0:
        raise RuntimeError("Expected a strictly positive integer for 'ind', but got {}".format(
            ind))
    shape = tuple(A._array.shape)
    rows, cols = int(np.prod(shape[:ind])), int(np.prod(shape[ind:]))
    if rows != cols:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           "prod(self.shape[:ind]), but got {} != {}".format(cols, rows))
    result = inverse(A.reshape(rows, cols)).reshape(shape[ind:] + shape[:ind])
    return result if out is None else finish_tuple((result,), (out,), "linalg_tensorinv")[0]


@export("linalg")
def tensorsolve(A, B, dims=None, *, out=None):
    """The tensor X with tensordot(A, X, X.ndim) = B: a linear solve with A read as a square
    matrix of B.numel() rows (``dims`` of A moved to the end first)."""
    if dims is not None:
        from ..shape.reordering import movedim
        dims = [d % A._array.ndim for d in dims]
        A = movedim(A, dims, list(range(A._array.ndim - len(dims), A._array.ndim)))
    shape = tuple(A._array.shape)
    k = B._array.ndim
    rows, cols = int(np.prod(B._array.shape)), int(np.prod(shape[k:]))
    if rows != cols:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:])"
                           " == prod(self.shape[:other.ndim]), but got {} != {}".format(
                               cols, rows))
    result = solve(A.reshape(rows, cols), B.reshape(rows)).reshape(shape[k:])
    return result if out is None else finish_tuple((result,), (out,), "linalg_tensorsolve")[0]
