"""The LDL decomposition of a symmetric matrix, A = P L D L^T P^T (``linalg.ldl_factor``,
``ldl_factor_ex``, ``ldl_solve``), by the Bunch-Kaufman pivoting of LAPACK's sytf2: column by
column, a 1x1 pivot on the diagonal when it is large enough (against alpha = (1 + sqrt(17)) / 8
times the largest entry below it), else a swapped-in diagonal entry or a 2x2 block.  LD holds L
below the diagonal and D's blocks on it; ``pivots`` says, 1-based, which row was swapped in (a
negative pair marks a 2x2 block).  As in torch, these have no gradient.
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core.registry import export
from .solve import _mT
from .tuples import finish_tuple

_ALPHA = (1 + np.sqrt(17.0)) / 8


def _sytf2(a):
    """LD, pivots and info of one symmetric matrix (its lower triangle is read)."""
    n = a.shape[-1]
    w = np.tril(a) + np.tril(a, -1).T         # the trailing matrix, kept symmetric
    ld = np.zeros_like(a)
    pivots = np.zeros(n, np.int32)
    info, k = 0, 0
    while k < n:
        step, kp = 1, k
        diag = abs(w[k, k])
        below = np.abs(w[k + 1:, k])
        imax = k + 1 + int(np.argmax(below)) if below.size else k
        colmax = below.max() if below.size else 0.0
        if max(diag, colmax) == 0 or np.isnan(diag):
            info = info or k + 1                  # a zero column: D(k, k) = 0, no elimination
            ld[k:, k] = w[k:, k]
            pivots[k] = k + 1
            k += 1
            continue
        if diag < _ALPHA * colmax:
            row = np.abs(np.delete(w[imax, k:], imax - k))
            rowmax = row.max()
            if diag >= _ALPHA * colmax * (colmax / rowmax):
                kp = k
            elif abs(w[imax, imax]) >= _ALPHA * rowmax:
                kp = imax
            else:
                kp, step = imax, 2
        kk = k + step - 1
        if kp != kk:                               # swap rows and columns kk, kp (trailing)
            order = np.arange(n)
            order[kk], order[kp] = kp, kk
            w = w[order][:, order]
        if step == 1:
            x = w[k + 1:, k].copy()
            r1 = 1 / w[k, k]
            w[k + 1:, k + 1:] -= r1 * np.outer(x, x)
            ld[k, k], ld[k + 1:, k] = w[k, k], x * r1
            pivots[k] = kp + 1
        else:
            d21 = w[k + 1, k]
            d11, d22 = w[k + 1, k + 1] / d21, w[k, k] / d21
            d21 = (1 / (d11 * d22 - 1)) / d21
            xk, xk1 = w[k + 2:, k].copy(), w[k + 2:, k + 1].copy()
            wk, wk1 = d21 * (d11 * xk - xk1), d21 * (d22 * xk1 - xk)
            w[k + 2:, k + 2:] -= np.outer(xk, wk) + np.outer(xk1, wk1)
            ld[k:k + 2, k:k + 2] = np.tril(w[k:k + 2, k:k + 2])
            ld[k + 2:, k], ld[k + 2:, k + 1] = wk, wk1
            pivots[k] = pivots[k + 1] = -(kp + 1)
        k += step
    return np.tril(ld), pivots, info


def _factors(ld, pivots):
    """M and D with A = M D M^T: M the product of the swaps and the unit lower block columns of
    L, D block diagonal."""
    n = ld.shape[-1]
    m, d = np.eye(n, dtype=ld.dtype), np.zeros_like(ld)
    k = 0
    while k < n:
        step = 2 if pivots[k] < 0 else 1
        kp, kk = abs(int(pivots[k])) - 1, k + step - 1
        order = np.arange(n)
        order[kk], order[kp] = kp, kk
        block = np.eye(n, dtype=ld.dtype)
        block[k + step:, k:k + step] = ld[k + step:, k:k + step]
        m = m[:, order] @ block
        d[k:k + step, k:k + step] = ld[k:k + step, k:k + step]
        if step == 2:
            d[k, k + 1] = d[k + 1, k]
        k += step
    return m, d


class LinalgLdlFactorEx(Op):
    """LD, pivots, info of each matrix of a batch (not differentiable, as in torch)."""

    @staticmethod
    def forward(ctx, a):
        flat = a.reshape((int(np.prod(a.shape[:-2])),) + a.shape[-2:])
        parts = [_sytf2(matrix) for matrix in flat]
        ld = np.stack([p[0] for p in parts]).reshape(a.shape) if parts else a.copy()
        pivots = np.stack([p[1] for p in parts]) if parts else np.zeros((0, a.shape[-1]))
        info = np.array([p[2] for p in parts], np.int32)
        return (ld, pivots.astype(np.int32).reshape(a.shape[:-1]), info.reshape(a.shape[:-2]))

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("derivative for aten::linalg_ldl_factor_ex is not implemented")


def _check_square(name, A):
    a = A._array
    if a.ndim < 2:
        raise RuntimeError(name + ": The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError("{}: A must be batches of square matrices, but they are {} by {} "
                           "matrices".format(name, a.shape[-2], a.shape[-1]))
    if a.dtype.kind != "f":
        raise RuntimeError("{}: Expected a floating point or complex tensor as input. Got {}"
                           .format(name, A.dtype.scalar_name))
    if a.dtype == np.float16:
        raise _errors.not_implemented("ldl_factor_kernel_cpu", "Half")


def _raise_for(info, name):
    """torch's error for a zero pivot (its message is an internal assertion)."""
    if info.any():
        raise RuntimeError("false INTERNAL ASSERT FAILED at \"/__w/pytorch/pytorch/aten/src/ATen/"
                           "native/BatchLinearAlgebra.cpp\":1642, please report a bug to PyTorch. "
                           "{}: Unknown error code: {}.".format(name, int(info.reshape(-1)[
                               np.flatnonzero(info.reshape(-1))[0]])))


@export("linalg")
def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """The LDL decomposition (LD, pivots) of a symmetric matrix and ``info``: 0, or the 1-based
    position of the first zero on D's diagonal."""
    _check_square("torch.linalg.ldl_factor_ex", A)
    ld, pivots, info = LinalgLdlFactorEx.apply(A)
    if check_errors:
        _raise_for(info._array, "torch.linalg.ldl_factor_ex")
    return finish_tuple(return_types.linalg_ldl_factor_ex(ld, pivots, info), out,
                        "linalg_ldl_factor_ex")


@export("linalg")
def ldl_factor(A, *, hermitian=False, out=None):
    """The compact LDL decomposition (LD, pivots) of a symmetric matrix, for
    ``linalg.ldl_solve``."""
    _check_square("torch.linalg.ldl_factor_ex", A)
    ld, pivots, info = LinalgLdlFactorEx.apply(A)
    _raise_for(info._array, "torch.linalg.ldl_factor")
    return finish_tuple(return_types.linalg_ldl_factor(ld, pivots), out, "linalg_ldl_factor")


@export("linalg")
def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """X with A X = B from ``linalg.ldl_factor(A)``: solves with the factors M D M^T in turn."""
    ld, piv, b = LD._array, pivots._array, B._array
    for t, label in ((ld, "A"), (b, "B")):
        if t.ndim < 2:
            raise RuntimeError("torch.linalg.ldl_solve: The input tensor {} must have at least 2 "
                               "dimensions.".format(label))
    if b.dtype != ld.dtype:
        raise RuntimeError("Expected b and A to have the same dtype, but found b of type {} and "
                           "A of type {} instead.".format(B.dtype.scalar_name,
                                                          LD.dtype.scalar_name))
    if b.shape[-2] != ld.shape[-1]:
        raise RuntimeError("Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix "
                           "is {} by {} but each b matrix is {} by {}".format(
                               ld.shape[-2], ld.shape[-1], b.shape[-2], b.shape[-1]))
    result = LinalgLdlSolve.apply(LD, pivots, B)
    return result if out is None else finish_tuple((result,), (out,), "linalg_ldl_solve")[0]


class LinalgLdlSolve(Op):
    """X = A^-1 B from A's LDL decomposition (not differentiable, as in torch)."""

    @staticmethod
    def forward(ctx, ld, piv, b):
        batch = np.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
        count = int(np.prod(batch))
        lds = np.broadcast_to(ld, batch + ld.shape[-2:]).reshape((count,) + ld.shape[-2:])
        pivs = np.broadcast_to(piv, batch + piv.shape[-1:]).reshape((count, piv.shape[-1]))
        bs = np.broadcast_to(b, batch + b.shape[-2:]).reshape((count,) + b.shape[-2:])
        x = np.empty(bs.shape, b.dtype)
        for i in range(count):
            m, d = _factors(lds[i], pivs[i])
            x[i] = np.linalg.solve(_mT(m), np.linalg.solve(d, np.linalg.solve(m, bs[i])))
        return x.reshape(batch + b.shape[-2:])

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::linalg_ldl_solve is not implemented")
