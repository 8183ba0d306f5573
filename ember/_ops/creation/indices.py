"""The coordinates of a triangle of a matrix: ``tril_indices`` and ``triu_indices`` give a
2 x N tensor of (row, column) pairs, row by row, as ``x[tuple(idx)]`` needs them."""
import numpy as np

from ... import _errors
from ... import _dtype
from ..core.common import Tensor
from ..core.registry import export
from .from_data import dtype_arg


def _indices(name, row, col, offset, dtype, upper):
    if row < 0:
        raise RuntimeError("row must be non-negative, got{}".format(row))
    if col < 0:
        raise RuntimeError("col must be non-negative, got{}".format(col))
    dtype = _dtype.int64 if dtype is None else dtype_arg(dtype, name)
    if dtype.category != 1:
        raise _errors.not_implemented(name, dtype.scalar_name)
    rows, cols = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return Tensor._make(np.stack([rows, cols]).astype(dtype.numpy).reshape(2, -1))


@export("torch")
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) pairs on and below diagonal ``offset`` of a ``row`` x ``col`` matrix."""
    return _indices("tril_indices", row, col, offset, dtype, False)


@export("torch")
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) pairs on and above diagonal ``offset`` of a ``row`` x ``col`` matrix."""
    return _indices("triu_indices", row, col, offset, dtype, True)
