"""Solves through an LU decomposition (``linalg.lu_solve``, the older ``torch.lu_solve``) and the
solves that report a singular matrix instead of failing (``linalg.solve_ex``, ``inv_ex``).
Forward and back substitution, as LAPACK's getrs: a zero on U's diagonal gives inf or nan, not
an error.

Gradient of X = op(A)^-1 B (``left``) or B op(A)^-1, op(A) = A or A^T (``adjoint``), with
A = P L U and G the incoming gradient: dB is the solve with the other op (adjoint flipped);
dA = -dB X^T, -X dB^T, -X^T dB or -dB^T X for the four cases, and it reaches the packed LU as
dLU = tril(P^T dA U^T, -1) + triu(L^T P^T dA) (A's change through L and through U).
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core.common import Tensor
from ..core.registry import export
from . import solve as _solve
from .deprecation import warn_once
from .lu import getrf, permutation, permutation_matrix, unpack
from .solve import _check_square, _mT
from .tuples import finish_tuple


def _substitute(t, b, lower, unit):
    """T^-1 B for triangular T, row by row (a zero pivot gives inf or nan, as LAPACK)."""
    n = t.shape[-1]
    x = np.array(b, dtype=np.result_type(t, b))
    order = range(n) if lower else range(n - 1, -1, -1)
    with np.errstate(all="ignore"):
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            x[..., i, :] -= np.einsum("...j,...jk->...k", t[..., i, done], x[..., done, :])
            if not unit:
                x[..., i, :] /= t[..., i, i, None]
    return x


def getrs(lu, pivots, b, adjoint):
    """A^-1 B (A^-T B with ``adjoint``) from A's packed LU and pivots; batches broadcast."""
    batch = np.broadcast_shapes(lu.shape[:-2], b.shape[:-2])
    lu = np.broadcast_to(lu, batch + lu.shape[-2:])
    pivots = np.broadcast_to(pivots, batch + pivots.shape[-1:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    lower, upper = unpack(lu)
    perm = permutation(pivots, lu.shape[-1])[..., :, None]
    if not adjoint:                              # L U X = P^T B
        y = _substitute(lower, np.take_along_axis(b, perm, -2), True, True)
        return _substitute(upper, y, False, False)
    y = _substitute(_mT(lower), _substitute(_mT(upper), b, True, False), False, True)
    x = np.empty_like(y)                         # X = P y
    np.put_along_axis(x, np.broadcast_to(perm, y.shape), y, -2)
    return x


def _lu_solve_any(lu, pivots, b, left, adjoint):
    """``linalg.lu_solve`` on arrays, or on tensors (a recorded backward pass)."""
    if isinstance(b, Tensor):
        lu, pivots = (t if isinstance(t, Tensor) else Tensor._make(t) for t in (lu, pivots))
        return lu_solve(lu, pivots, b, left=left, adjoint=adjoint)
    if left:
        return getrs(lu, pivots, b, adjoint)
    return _mT(getrs(lu, pivots, _mT(b), not adjoint))


class LinalgLuSolve(Op):
    """X = op(A)^-1 B or B op(A)^-1 from A's packed LU; see the module's docstring for the
    gradients."""

    @staticmethod
    def forward(ctx, lu, pivots, b, left, adjoint):
        x = _lu_solve_any(lu, pivots, b, left, adjoint)
        ctx.save_for_backward(lu, pivots, x)
        ctx.left, ctx.adjoint = left, adjoint
        return x.astype(b.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        lu, pivots, x = ctx.saved_tensors
        left, adjoint = ctx.left, ctx.adjoint
        grad_b = _lu_solve_any(lu, pivots, grad, left, not adjoint)
        if not ctx.needs_input_grad[0]:
            return None, None, grad_b, None, None
        if left:
            grad_a = -(grad_b @ _mT(x)) if not adjoint else -(x @ _mT(grad_b))
        else:
            grad_a = -(_mT(x) @ grad_b) if not adjoint else -(_mT(grad_b) @ x)
        packed = lu._array if isinstance(lu, Tensor) else lu
        lower, upper = unpack(lu)
        p = permutation_matrix(pivots._array if isinstance(pivots, Tensor) else pivots,
                               packed.shape[-1], packed.dtype)
        if isinstance(grad, Tensor):
            p = Tensor._make(p)
        pg = _mT(p) @ grad_a
        grad_lu = _tril(pg @ _mT(upper), -1) + _triu(_mT(lower) @ pg)
        return grad_lu, None, grad_b, None, None


def _tril(x, k):
    return x.tril(k) if isinstance(x, Tensor) else np.tril(x, k)


def _triu(x):
    return x.triu() if isinstance(x, Tensor) else np.triu(x)


@export("linalg")
def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """X with A X = B from ``linalg.lu_factor(A)`` (A^T X = B with ``adjoint``, X A = B with
    ``left=False``)."""
    lu, b = LU._array, B._array
    _check_square("torch.linalg.lu_solve", lu)
    if lu.dtype != b.dtype:
        raise RuntimeError("linalg.lu_solve: Expected LU and B to have the same dtype, but found "
                           "LU of type {} and B of type {} instead".format(
                               LU.dtype.scalar_name, B.dtype.scalar_name))
    if lu.dtype == np.float16:
        raise _errors.not_implemented("linalg.lu_solve_cpu", "Half")
    if pivots._array.dtype != np.int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type "
                           "torch.int32")
    rows = b.shape[-2] if left else b.shape[-1]
    if b.ndim < 2 or rows != lu.shape[-1]:
        raise RuntimeError("linalg.lu_solve: Incompatible shapes of A and B for the equation {} "
                           "({}x{} and {}x{})".format(
                               "AX = B" if left else "XA = B", lu.shape[-2], lu.shape[-1],
                               *(b.shape[-2:] if b.ndim >= 2 else (b.shape[-1], 1))))
    result = LinalgLuSolve.apply(LU, pivots, B, left, adjoint)
    return result if out is None else finish_tuple((result,), (out,), "linalg_lu_solve")[0]


@export("torch", "Tensor", name="lu_solve")
def lu_solve_top(input, LU_data, LU_pivots, *, out=None):
    """The older ``torch.lu_solve(b, LU_data, LU_pivots)``: ``linalg.lu_solve``."""
    warn_once("torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed "
              "in a future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments "
              "reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = "
              "torch.linalg.lu_solve(LU, pivots, B)")
    return lu_solve(LU_data, LU_pivots, input, out=out)


# ---------------------------------------------------------------- solves that report singularity


def _unchecked(a, b, left, vector):
    """The solve of a singular system as LAPACK leaves it: inf and nan where U's diagonal is 0."""
    lu, pivots, _ = getrf(a)
    if vector:
        b = b[..., None]
    x = (getrs(lu, pivots, b, False) if left
         else _mT(getrs(lu, pivots, _mT(b), True)))
    return Tensor._make((x[..., 0] if vector else x).astype(a.dtype, copy=False))


def _raise_singular(a, message):
    raise _solve._singular(a, lambda prefix, k: message.format(prefix, k)) from None


@export("linalg")
def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """``linalg.solve`` and ``info``: 0, or the 1-based position of the first zero pivot of
    A's LU decomposition (the result is then not valid)."""
    a, b = A._array, B._array
    vector = _solve.check_solve(A, B, left)
    if a.dtype == np.float16:
        raise _errors.not_implemented("lu_cpu", "Half")
    info = Tensor._make(getrf(a)[2])
    if not info._array.any():
        result = _solve.LinalgSolveEx.apply(A, B, vector, left)
    elif check_errors:
        _raise_singular(a, "torch.linalg.solve_ex: {}The solver failed because the input matrix "
                           "is singular.")
    else:
        result = _unchecked(a, b, left, vector)
    return finish_tuple(return_types.linalg_solve_ex(result, info), out, "linalg_solve_ex")


@export("linalg")
def inv_ex(A, *, check_errors=False, out=None):
    """``linalg.inv`` and ``info``: 0, or the 1-based position of the first zero pivot of A's
    LU decomposition (the inverse is then not valid)."""
    a = A._array
    _check_square("linalg.inv", a)
    _solve._check_float("linalg.inv", A)
    if a.dtype == np.float16:
        raise RuntimeError("linalg.inv: Low precision dtypes not supported. Got Half")
    info = Tensor._make(getrf(a)[2])
    if not info._array.any():
        result = _solve.inverse(A)
    elif check_errors:
        _raise_singular(a, "linalg.inv_ex: {}The diagonal element {} is zero, the inversion could "
                           "not be completed because the input matrix is singular.")
    else:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        result = _unchecked(a, eye, True, False)
    return finish_tuple(return_types.linalg_inv_ex(result, info), out, "linalg_inv_ex")
