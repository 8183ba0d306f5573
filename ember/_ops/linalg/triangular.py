"""The older triangular and Cholesky solves of ``torch``: ``triangular_solve`` (X with A X = b
for a triangular A, and a copy of A), ``cholesky_solve`` (X with A X = B from the Cholesky
factor of A) and ``cholesky_inverse`` (A^-1 from the Cholesky factor).  Batches broadcast.

Gradients, with A = L L^T (or U^T U), X the result and G the incoming gradient:

* cholesky_solve:  dB = A^-1 G,  dL = -(dB X^T + X dB^T) L  (dU = -U (dB X^T + X dB^T));
* cholesky_inverse:  dL = -X (G + G^T) X L  (dU = -U X (G + G^T) X).

As torch gives them, the gradients of the factor are full matrices, though only its triangle is
read (and the formulas multiply by the whole input, its other triangle too).
triangular_solve's gradient is ``linalg.solve_triangular``'s.
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core.common import Tensor
from ..core.registry import export
from .decompositions import LinalgSolveTriangular
from .deprecation import warn_once
from .solve import _mT
from .tuples import finish_tuple


def _not_implemented(kernel, t):
    if t._array.dtype.kind != "f" or t._array.dtype == np.float16:
        raise _errors.not_implemented(kernel, t.dtype.scalar_name)


def _check_pair(name, b, A, b_label="b"):
    """torch's checks of a right-hand side b and a square A (``name`` the function's)."""
    a, rhs = A._array, b._array
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError("A must be batches of square matrices, but they are {} by {} "
                           "matrices".format(a.shape[-2], a.shape[-1]))
    if rhs.dtype != a.dtype:
        raise RuntimeError("Expected b and A to have the same dtype, but found b of type {} and "
                           "A of type {} instead.".format(b.dtype.scalar_name,
                                                          A.dtype.scalar_name))
    if rhs.shape[-2] != a.shape[-1]:
        raise RuntimeError("Incompatible matrix sizes for {}: each A matrix is {} by {} but each "
                           "b matrix is {} by {}".format(name, a.shape[-2], a.shape[-1],
                                                         rhs.shape[-2], rhs.shape[-1]))
    batch_a, batch_b = a.shape[:-2], rhs.shape[:-2]
    for i in range(1, min(len(batch_a), len(batch_b)) + 1):
        p, q = batch_b[-i], batch_a[-i]
        if p != q and p != 1 and q != 1:
            raise _errors.size_mismatch(p, q, max(len(batch_a), len(batch_b)) - i)


class TriangularSolve(LinalgSolveTriangular):
    """``torch.triangular_solve``: ``linalg.solve_triangular``'s operation under torch's name."""

    node_name = "TriangularSolveBackward0"


@export("torch", "Tensor")
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """The older ``torch.triangular_solve(b, A)``: X with A X = b (A^T X = b with
    ``transpose``) for a triangular A, and a copy of A (broadcast to the batch)."""
    warn_once("torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand "
              "will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular has "
              "its arguments reversed and does not return a copy of one of the inputs.\nX = "
              "torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
              "torch.linalg.solve_triangular(A, B).")
    b = input
    for t, label in ((b, "b"), (A, "A")):
        if t._array.ndim < 2:
            raise RuntimeError("torch.triangular_solve: Expected {} to have at least 2 "
                               "dimensions, but it has {} dimensions instead".format(
                                   label, t._array.ndim))
    _check_pair("triangular_solve", b, A)
    _not_implemented("triangular_solve_cpu", A)
    coefficient = A.mT if transpose else A
    x = TriangularSolve.apply(coefficient, b, upper != transpose, True, unitriangular)
    batch = np.broadcast_shapes(A._array.shape[:-2], b._array.shape[:-2])
    copy = A.expand(*(batch + A._array.shape[-2:])).clone()
    return finish_tuple(return_types.triangular_solve(x, copy), out, "triangular_solve")


def _factor(l, upper):
    """The triangle of l that holds the factor (arrays or tensors)."""
    if isinstance(l, Tensor):
        return l.triu() if upper else l.tril()
    return np.triu(l) if upper else np.tril(l)


def _factor_solve(f, b, upper):
    """A^-1 B from the Cholesky factor (its triangle) of A."""
    lower = _mT(f) if upper else f
    return np.linalg.solve(_mT(lower), np.linalg.solve(lower, b))


class CholeskySolve(Op):
    """X = A^-1 B with A = L L^T (U^T U); see the module's docstring for the gradients."""

    @staticmethod
    def forward(ctx, b, l, upper):
        f = _factor(l, upper)
        x = _factor_solve(f, b, upper).astype(b.dtype, copy=False)
        ctx.save_for_backward(l, x)
        ctx.upper = upper
        return x

    @staticmethod
    def backward(ctx, grad):
        l, x = ctx.saved_tensors
        grad_b = (cholesky_solve(grad, l, ctx.upper) if isinstance(grad, Tensor)
                  else _factor_solve(_factor(l, ctx.upper), grad, ctx.upper))
        both = grad_b @ _mT(x)
        both = both + _mT(both)
        return grad_b, -(l @ both) if ctx.upper else -(both @ l), None


@export("torch", "Tensor")
def cholesky_solve(input, input2, upper=False, *, out=None):
    """X with A X = B (B = input) from the Cholesky factor L = input2 of A = L L^T (U^T U with
    ``upper``)."""
    b, l = input, input2
    if b._array.ndim < 2:
        raise RuntimeError("b should have at least 2 dimensions, but has {} dimensions instead"
                           .format(b._array.ndim))
    if l._array.ndim < 2:
        raise RuntimeError("u should have at least 2 dimensions, but has {} dimensions instead"
                           .format(l._array.ndim))
    _check_pair("cholesky_solve", b, l)
    _not_implemented("cholesky_solve_cpu", l)
    result = CholeskySolve.apply(b, l, upper)
    return result if out is None else finish_tuple((result,), (out,), "cholesky_solve")[0]


class CholeskyInverse(Op):
    """X = A^-1 with A = L L^T (U^T U); see the module's docstring for the gradient."""

    @staticmethod
    def forward(ctx, l, upper):
        f = _factor(l, upper)
        eye = np.broadcast_to(np.eye(l.shape[-1], dtype=l.dtype), l.shape)
        x = _factor_solve(f, eye, upper).astype(l.dtype, copy=False)
        ctx.save_for_backward(l, x)
        ctx.upper = upper
        return x

    @staticmethod
    def backward(ctx, grad):
        l, x = ctx.saved_tensors
        middle = x @ (grad + _mT(grad)) @ x
        return -(l @ middle) if ctx.upper else -(middle @ l), None


@export("torch", "Tensor")
def cholesky_inverse(input, upper=False, *, out=None):
    """A^-1 from the Cholesky factor L = input of A = L L^T (U^T U with ``upper``)."""
    a = input._array
    if a.ndim < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 "
                           "dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError("cholesky_inverse: A must be batches of square matrices, but they "
                           "are {} by {} matrices".format(a.shape[-2], a.shape[-1]))
    _not_implemented("cholesky_inverse_out_cpu", input)
    result = CholeskyInverse.apply(input, upper)
    return result if out is None else finish_tuple((result,), (out,), "cholesky_inverse")[0]
