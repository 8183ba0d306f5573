"""Inverse, determinant and linear solves of (batches of) square matrices, by LAPACK through
NumPy.

Gradients, with Y = A^-1, X = A^-1 B and G the incoming gradient (batches transpose their last
two dimensions):

* inverse:     dA = -Y^T G Y^T
* solve:       dB = A^-T G,  dA = -dB X^T
* determinant: dA = G det(A) A^-T  (0 for a singular matrix, as torch gives)
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.registry import export
from ..core.out import accepts_out


class LinAlgError(RuntimeError):
    """A matrix was singular (``torch.linalg.LinAlgError``)."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"


def _first_zero_pivot(a):
    """The 1-based position of the first zero pivot of the LU factorisation with partial
    pivoting that LAPACK computes (it names it in its error), or 0."""
    u = np.array(a)
    n = u.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            return k + 1
        u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return 0


def _singular(a, message):
    """torch's error for the first singular matrix of a batch."""
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, matrix in enumerate(flat):
        pivot = _first_zero_pivot(matrix)
        if pivot or np.linalg.matrix_rank(matrix) < matrix.shape[0]:
            prefix = "(Batch element {}): ".format(i) if a.ndim > 2 else ""
            return LinAlgError(message(prefix, pivot or matrix.shape[0]))
    return LinAlgError(message("", a.shape[-1]))


def _check_square(name, a, label="A"):
    if a.ndim < 2:
        raise RuntimeError("{}: The input tensor {} must have at least 2 dimensions.".format(
            name, label))
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError("{}: {} must be batches of square matrices, but they are {} by {} "
                           "matrices".format(name, label, a.shape[-2], a.shape[-1]))


def _check_float(name, t):
    if t._array.dtype.kind != "f":
        raise RuntimeError("{}: Expected a floating point or complex tensor as input. Got {}"
                           .format(name, t.dtype.scalar_name))


def _mT(x):
    return x.swapaxes(-2, -1)


class LinalgInvEx(Op):
    """Y = A^-1.   dA = -Y^T dY Y^T."""

    @staticmethod
    def forward(ctx, a):
        try:
            out = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise _singular(a, lambda prefix, k: (
                "linalg.inv: {}The diagonal element {} is zero, the inversion could not be "
                "completed because the input matrix is singular.".format(prefix, k))) from None
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        y, = ctx.saved_tensors
        y_t = _mT(y)
        return -(y_t @ grad @ y_t)


@export("torch", "Tensor")
@accepts_out
def inverse(input):
    """The inverse of a square matrix (or of each in a batch)."""
    a = input._array
    _check_square("linalg.inv", a)
    _check_float("linalg.inv", input)
    return LinalgInvEx.apply(input)


class LinalgDet(Op):
    """d = det(A).   dA = dd * d * A^-T (0 for a singular A larger than 1x1)."""

    @staticmethod
    def forward(ctx, a):
        out = np.asanyarray(np.linalg.det(a), dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        da = dual.data(a)
        if da.shape[-1] == 1:     # a 1x1 determinant is the element: derivative 1, even at 0
            return grad.reshape(tuple(grad.shape) + (1, 1))
        singular = np.asanyarray(dual.data(out) == 0)
        if singular.any():                       # replaced by identities, then zeroed
            eye = np.broadcast_to(np.eye(da.shape[-1], dtype=da.dtype), da.shape)
            a = dual.where(singular[..., None, None], eye, a)
        inv = np.linalg.inv(a) if dual.is_array(a) else inverse(a)
        scale = (grad * out * ~singular).reshape(tuple(grad.shape) + (1, 1))
        return scale * _mT(inv)


@export("torch", "Tensor")
def det(input):
    """The determinant of a square matrix (or of each in a batch)."""
    a = input._array
    _check_square("linalg.det", a)
    _check_float("linalg.det", input)
    return LinalgDet.apply(input)


class LinalgSolveEx(Op):
    """X = A^-1 B (A X = B).   dB = A^-T dX,  dA = -dB X^T.  A vector B is a column.
    With ``left=False`` (X A = B) everything is transposed: A^T X^T = B^T."""

    @staticmethod
    def forward(ctx, matrix, b, vector, left):
        ctx.vector, ctx.left = vector, left
        a = matrix
        if not left:
            a, b = _mT(a), b if vector else _mT(b)
        try:
            x = np.linalg.solve(a, b[..., None])[..., 0] if vector else np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise _singular(a, lambda prefix, k: (
                "torch.linalg.solve: {}The solver failed because the input matrix is singular."
                .format(prefix))) from None
        out = (x if left or vector else _mT(x)).astype(a.dtype, copy=False)
        ctx.save_for_backward(matrix, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        vector, left = ctx.vector, ctx.left
        if not left:
            a = _mT(a)
            if not vector:
                grad, x = _mT(grad), _mT(x)
        if dual.is_array(grad):
            grad_b = (np.linalg.solve(_mT(a), grad[..., None])[..., 0] if vector
                      else np.linalg.solve(_mT(a), grad))
        else:
            grad_b = solve(_mT(a), grad)
        if vector:
            grad_a = -(grad_b.reshape(tuple(grad_b.shape) + (1,)) @
                       x.reshape(tuple(x.shape[:-1]) + (1, x.shape[-1])))
        else:
            grad_a = -(grad_b @ _mT(x))
        if not left:
            grad_a = _mT(grad_a)
            if not vector:
                grad_b = _mT(grad_b)
        return (grad_a if ctx.needs_input_grad[0] else None,
                grad_b if ctx.needs_input_grad[1] else None, None, None)


def solve(A, B, *, left=True):
    """X with A X = B (or X A = B with ``left=False``), for a square A; B may be a vector."""
    return LinalgSolveEx.apply(A, B, check_solve(A, B, left), left)


def check_solve(A, B, left):
    """torch's checks of ``linalg.solve``'s arguments; True when B is a vector (or a batch of
    vectors)."""
    a, b = A._array, B._array
    _check_square("linalg.solve", a)
    _check_float("linalg.solve", A)
    if a.dtype != b.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A of "
                           "type {} and B of type {} instead".format(A.dtype.scalar_name,
                                                                     B.dtype.scalar_name))
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    rows = b.shape[-1] if vector or not left else b.shape[-2]
    if rows != a.shape[-1] or vector and not left:     # (X A = b has no vector b)
        raise RuntimeError("linalg.solve: Incompatible shapes of A and B for the equation {} "
                           "({}x{} and {}x{})".format(
                               "AX = B" if left else "XA = B", a.shape[-2], a.shape[-1], rows,
                               1 if vector else b.shape[-1 if left else -2]))
    return vector


