"""The LU decomposition with partial pivoting, A = P L U (``linalg.lu_factor``,
``lu_factor_ex``, ``linalg.lu``, the older ``torch.lu``, ``lu_unpack``), computed as LAPACK's
getrf does: column by column, the largest remaining entry of the column (in absolute value) is
swapped up to the diagonal.  L (m x k, unit lower triangular) and U (k x n, upper triangular),
k = min(m, n), are stored packed in one matrix, the swaps in ``pivots`` (1-based, int32).

Gradient (G_L, G_U the incoming gradients, ^T the transpose of the last two dimensions; P^T A =
L U): for a square A, dA = P L^-T (tril(L^T G_L, -1) + triu(G_U U^T)) U^-T.  A wide A = P L
[U_1 | U_2] gives dA_2 = P L^-T G_U2 and the square formula for A_1 with L^T G_L - G_U2 U_2^T in
place of L^T G_L; a tall A = P [L_1; L_2] U gives dA_2 = P G_L2 U^-T and the square formula for
A_1 with G_U U^T - L_2^T G_L2 in place of G_U U^T.
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core.common import Tensor
from ..core.registry import export
from .deprecation import warn_once
from .solve import _mT
from .tuples import finish_tuple


def getrf(a):
    """The packed LU, the pivots and info (0, or the 1-based index of the first zero pivot) of
    each matrix of a batch, by partial pivoting."""
    lu = a.reshape((int(np.prod(a.shape[:-2])),) + a.shape[-2:]).copy()
    count, m, n = lu.shape
    k = min(m, n)
    pivots = np.empty((count, k), np.int32)
    info = np.zeros(count, np.int32)
    batch = np.arange(count)
    with np.errstate(all="ignore"):              # nan inputs go through, as in LAPACK
        for j in range(k):
            p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1) if m > j else np.full(count, j)
            pivots[:, j] = p + 1
            row = lu[batch, j].copy()
            lu[batch, j] = lu[batch, p]
            lu[batch, p] = row
            pivot = lu[:, j, j]
            zero = pivot == 0
            info[(info == 0) & zero] = j + 1
            lu[:, j + 1:, j] *= (1 / np.where(zero, 1, pivot))[:, None]
            lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    shape = a.shape[:-2]
    return lu.reshape(a.shape), pivots.reshape(shape + (k,)), info.reshape(shape)


def permutation(pivots, m):
    """The row order of P^T A: row i of L U is row perm[i] of A (the swaps applied in turn)."""
    flat = pivots.reshape(int(np.prod(pivots.shape[:-1])), pivots.shape[-1]).astype(np.int64) - 1
    perm = np.broadcast_to(np.arange(m), (flat.shape[0], m)).copy()
    batch = np.arange(flat.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        row = perm[batch, j].copy()
        perm[batch, j] = perm[batch, p]
        perm[batch, p] = row
    return perm.reshape(pivots.shape[:-1] + (m,))


def permutation_matrix(pivots, m, dtype):
    """P with A = P L U: P[perm[i], i] = 1."""
    perm = permutation(pivots, m)
    eye = np.eye(m, dtype=dtype)
    return _mT(eye[perm])


def unpack(lu):
    """L (unit lower triangular, m x k) and U (upper triangular, k x n) of a packed LU (an
    array, or a tensor in a recorded backward pass)."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    if isinstance(lu, Tensor):
        eye = Tensor._make(np.eye(m, k, dtype=lu._array.dtype))
        return lu[..., :, :k].tril(-1) + eye, lu[..., :k, :].triu()
    lower = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    return lower, np.triu(lu[..., :k, :])


# ---------------------------------------------------------------- the backward formula


def _tril(x, k=0):
    return x.tril(k) if isinstance(x, Tensor) else np.tril(x, k)


def _triu(x, k=0):
    return x.triu(k) if isinstance(x, Tensor) else np.triu(x, k)


def solve_tri(a, b, upper, left=True, unit=False):
    """A^-1 B (``left``) or B A^-1 for a triangular A (its unit diagonal, if ``unit``, stored
    in it), on arrays or tensors."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):      # (a general solve: differentiable
        from .solve import solve                             # again in A)
        a, b = (t if isinstance(t, Tensor) else Tensor._make(t) for t in (a, b))
        return solve(a, b, left=left)
    if left:
        return np.linalg.solve(a, b)
    return _mT(np.linalg.solve(_mT(a), _mT(b)))


def _cat(parts, dim):
    if any(isinstance(p, Tensor) for p in parts):
        from ..shape.joining import cat
        return cat(parts, dim)
    return np.concatenate(parts, dim)


def lu_backward(grad_l, grad_u, perm_matrix, lower, upper):
    """dA of A = P L U from G_L and G_U (see the module's docstring)."""
    m, n = lower.shape[-2], upper.shape[-1]
    k = min(m, n)
    if m == n:
        inner = _tril(_mT(lower) @ grad_l, -1) + _triu(grad_u @ _mT(upper))
        return perm_matrix @ solve_tri(_mT(upper), solve_tri(_mT(lower), inner, True, unit=True),
                                       False, left=False)
    if m < n:
        u1, u2, g1, g2 = upper[..., :k], upper[..., k:], grad_u[..., :k], grad_u[..., k:]
        inner = _tril(_mT(lower) @ grad_l - g2 @ _mT(u2), -1) + _triu(g1 @ _mT(u1))
        a1 = solve_tri(_mT(u1), solve_tri(_mT(lower), inner, True, unit=True), False, left=False)
        a2 = solve_tri(_mT(lower), g2, True, unit=True)
        return perm_matrix @ _cat([a1, a2], -1)
    l1, l2, g1, g2 = lower[..., :k, :], lower[..., k:, :], grad_l[..., :k, :], grad_l[..., k:, :]
    inner = _tril(_mT(l1) @ g1, -1) + _triu(grad_u @ _mT(upper) - _mT(l2) @ g2)
    a1 = solve_tri(_mT(upper), solve_tri(_mT(l1), inner, True, unit=True), False, left=False)
    a2 = solve_tri(_mT(upper), g2, False, left=False)
    return perm_matrix @ _cat([a1, a2], -2)


# ---------------------------------------------------------------- the operations


def _raise_singular(info, name):
    flat = info.reshape(-1)
    bad = int(np.flatnonzero(flat)[0])
    prefix = "(Batch element {}): ".format(bad) if info.ndim else ""
    raise RuntimeError("{}: {}U[{},{}] is zero and using it on lu_solve would result in a "
                      "division by zero. If you still want to perform the factorization, "
                      "consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
                      .format(name, prefix, flat[bad], flat[bad]))


class LinalgLuFactorEx(Op):
    """LU, pivots, info = the packed LU decomposition of A; dA from G_LU's lower part (G_L) and
    upper part (G_U) as in the module's docstring."""

    @staticmethod
    def forward(ctx, a, check, name):
        lu, pivots, info = getrf(a)
        if check and info.any():
            _raise_singular(info, name)
        ctx.save_for_backward(lu, pivots)
        ctx.mark_non_differentiable(pivots, info)
        return lu, pivots, info

    @staticmethod
    def backward(ctx, grad, _pivots, _info):
        lu, pivots = ctx.saved_tensors
        m, n = lu.shape[-2:]
        k = min(m, n)
        p = permutation_matrix(_arrays(pivots), m, _arrays(lu).dtype)
        return lu_backward(_tril(grad[..., :, :k], -1), _triu(grad[..., :k, :]),
                           *_like(grad, p), *unpack(lu)), None, None


class LinalgLu(Op):
    """P, L, U of A = P L U (P has no gradient)."""

    @staticmethod
    def forward(ctx, a):
        lu, pivots, _ = getrf(a)
        p = permutation_matrix(pivots, a.shape[-2], a.dtype)
        lower, upper = unpack(lu)
        ctx.save_for_backward(lower, upper)
        ctx.mark_non_differentiable(p)
        ctx.p = p
        return p, lower, upper

    @staticmethod
    def backward(ctx, _grad_p, grad_l, grad_u):
        lower, upper = ctx.saved_tensors
        return lu_backward(grad_l, grad_u, *_like(grad_l, ctx.p), lower, upper)


def _arrays(t):
    return t._array if isinstance(t, Tensor) else t


def _like(grad, *arrays):
    """The arrays as tensors when the backward pass is recorded (``grad`` a tensor)."""
    return tuple(Tensor._make(a) for a in arrays) if isinstance(grad, Tensor) else arrays


def _check_lu_input(name, A, pivot):
    a = A._array
    if a.ndim < 2:
        raise RuntimeError("torch.{}: Expected tensor with 2 or more dimensions. Got size: {} "
                           "instead".format(name, list(a.shape)))
    if a.size and (a.dtype.kind != "f" or a.dtype == np.float16):  # (empty: no kernel runs)
        raise _errors.not_implemented("lu_cpu", A.dtype.scalar_name)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")


@export("linalg")
def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """The packed LU decomposition, its pivots and ``info`` (0, or the 1-based position of the
    first zero on U's diagonal)."""
    _check_lu_input("lu_factor", A, pivot)
    result = return_types.linalg_lu_factor_ex(*LinalgLuFactorEx.apply(
        A, check_errors, "torch.linalg.lu_factor_ex"))
    return finish_tuple(result, out, "linalg_lu_factor_ex")


@export("linalg")
def lu_factor(A, *, pivot=True, out=None):
    """The packed LU decomposition (L below the diagonal, U on and above it) and its pivots,
    for ``linalg.lu_solve``; a zero on U's diagonal is an error."""
    _check_lu_input("lu_factor", A, pivot)
    lu, pivots, _ = LinalgLuFactorEx.apply(A, True, "torch.linalg.lu_factor")
    return finish_tuple(return_types.linalg_lu_factor(lu, pivots), out, "linalg_lu_factor")


@export("linalg")
def lu(A, *, pivot=True, out=None):
    """A = P L U: a permutation P, L unit lower triangular and U upper triangular."""
    _check_lu_input("lu_factor", A, pivot)
    return finish_tuple(return_types.linalg_lu(*LinalgLu.apply(A)), out, "linalg_lu")


@export("torch", "Tensor", name="lu")
def lu_top(A, pivot=True, get_infos=False, out=None):
    """The older ``torch.lu``: ``(LU, pivots)``, and ``info`` with ``get_infos`` (a singular
    matrix is no error, as in torch)."""
    warn_once("torch.lu is deprecated in favor of torch.linalg.lu_factor / "
              "torch.linalg.lu_factor_ex and will be removed in a future PyTorch release.\nLU, "
              "pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, pivots = "
              "torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, "
              "compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
              "torch.linalg.lu_factor_ex(A, compute_pivots)")
    _check_lu_input("lu_factor", A, pivot)
    lu_, pivots, info = LinalgLuFactorEx.apply(A, False, "torch.lu")     # (never checked)
    result = return_types._lu_with_info(lu_, pivots, info) if get_infos else (lu_, pivots)
    return finish_tuple(result, out, "lu")


class LuUnpack(Op):
    """L, U read off a packed LU.   dLU = tril(G_L, -1) + triu(G_U), each in its place."""

    @staticmethod
    def forward(ctx, lu):
        ctx.shape = lu.shape
        return unpack(lu)

    @staticmethod
    def backward(ctx, grad_l, grad_u):
        m, n = ctx.shape[-2:]
        k = min(m, n)
        lower, upper = _tril(grad_l, -1), _triu(grad_u)
        if m > n:               # L is m x n, U is n x n: U's gradient goes in the top rows
            return lower + _cat([upper, lower[..., k:, :] * 0], -2)
        if m < n:
            return upper + _cat([lower, upper[..., :, k:] * 0], -1)
        return lower + upper


@export("torch")
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """P, L, U of A = P L U from ``linalg.lu_factor``'s packed LU and pivots (an empty P, or
    empty L and U, where not asked for)."""
    pivots = LU_pivots._array
    if pivots.dtype != np.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of "
                           "torch.int32 dtype.\nNote: this function is intended to be used with "
                           "the output produced by torch.linalg.lu_factor")
    a = LU_data._array
    empty = Tensor._make(np.zeros((0,), a.dtype))
    p = (Tensor._make(permutation_matrix(pivots, a.shape[-2], a.dtype)) if unpack_pivots
         else empty)
    lower, upper = LuUnpack.apply(LU_data) if unpack_data else (empty, empty)
    return finish_tuple(return_types.lu_unpack(p, lower, upper), out, "lu_unpack")
