"""``ember.linalg`` (torch.linalg): norms and products of vectors and matrices.

The operations themselves live in ``ember/_ops`` (``norms.py``, ``contraction.py`` for cross
products, ``linalg.py`` for products, ``solve.py`` for inverses, determinants and solves);
this module gives them their ``torch.linalg`` names.
"""
from ._ops.linalg.contraction import cross as _cross
from ._ops.linalg.products import matmul, vdot as _vdot
from ._ops.reductions.norms import matrix_norm, vector_norm
from ._ops.linalg.solve import LinAlgError, det, inverse as inv, solve
from ._ops.core import registry as _registry

__all__ = ["vector_norm", "matrix_norm", "norm", "cross", "matmul", "vecdot", "inv", "det",
           "solve", "LinAlgError"] + sorted(_registry.names("linalg"))
globals().update(_registry.names("linalg"))      # (declared in _ops/linalg/decompositions.py)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm (1-d input, or an int ``dim``) or a matrix norm (2-d input, or a pair of
    ``dim``); without ``ord`` the 2-norm of all elements."""
    if dim is not None:
        if isinstance(dim, int) or len(dim) == 1:
            return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    ndim = A._array.ndim
    if ndim == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    if ndim == 2:
        return matrix_norm(A, ord, (0, 1), keepdim, dtype=dtype)
    raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D "
                       "or 2D. Got {}D.".format(ndim))


def cross(input, other, *, dim=-1):
    """The cross product of 3-vectors along ``dim`` (the last by default)."""
    return _cross(input, other, dim)


def vecdot(x, y, *, dim=-1):
    """Dot products of the vectors along ``dim``: ``(x * y).sum(dim)`` (of two vectors, ``vdot``,
    as torch computes -- and names -- it)."""
    if x.dim() == 1 and y.dim() == 1 and dim in (-1, 0):
        return _vdot(x, y)
    return (x * y).sum(dim)
