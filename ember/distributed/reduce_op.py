"""``ReduceOp``: how a reducing collective combines the processes' values, and the MPI
operation that does it.

``ReduceOp.SUM`` is the member ``ReduceOp.RedOpType.SUM`` (``<RedOpType.SUM: 0>``), as in
torch.  ``AVG`` has no MPI operation: it is a SUM divided by the number of processes.  On bool
tensors SUM and MAX are a logical or, PRODUCT and MIN a logical and (as torch computes them).
"""
import enum

import numpy as np

from ._mpi import mpi

__all__ = ["ReduceOp"]


class RedOpType(enum.Enum):
    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8


RedOpType.__qualname__ = "ReduceOp.RedOpType"


class ReduceOp:
    """The reduction operations of ``all_reduce``, ``reduce`` and ``reduce_scatter``."""
    RedOpType = RedOpType
    SUM = RedOpType.SUM
    AVG = RedOpType.AVG
    PRODUCT = RedOpType.PRODUCT
    MIN = RedOpType.MIN
    MAX = RedOpType.MAX
    BAND = RedOpType.BAND
    BOR = RedOpType.BOR
    BXOR = RedOpType.BXOR
    PREMUL_SUM = RedOpType.PREMUL_SUM


_MPI_NAMES = {RedOpType.SUM: "SUM", RedOpType.AVG: "SUM", RedOpType.PRODUCT: "PROD",
              RedOpType.MIN: "MIN", RedOpType.MAX: "MAX", RedOpType.BAND: "BAND",
              RedOpType.BOR: "BOR", RedOpType.BXOR: "BXOR"}
_BOOL_NAMES = {RedOpType.SUM: "LOR", RedOpType.MAX: "LOR", RedOpType.BOR: "LOR",
               RedOpType.PRODUCT: "LAND", RedOpType.MIN: "LAND", RedOpType.BAND: "LAND",
               RedOpType.BXOR: "LXOR"}
_BITWISE = (RedOpType.BAND, RedOpType.BOR, RedOpType.BXOR)


def mpi_op(op, dtype):
    """The ``MPI.Op`` computing ``op`` on arrays of NumPy ``dtype``; torch's errors for the
    pairs it refuses."""
    if not isinstance(op, RedOpType):
        raise TypeError("op must be a ReduceOp, got {!r}".format(op))
    if op is RedOpType.PREMUL_SUM:
        raise RuntimeError("ReduceOp.PREMUL_SUM is not supported by the MPI backend")
    if dtype == np.bool_:
        if op is RedOpType.AVG:
            raise RuntimeError("Cannot use ReduceOp.AVG with boolean inputs")
        return getattr(mpi(), _BOOL_NAMES[op])
    if op in _BITWISE and dtype.kind not in "iu":
        raise RuntimeError("Cannot use ReduceOp.{} with non-integral dtype".format(op.name))
    return getattr(mpi(), _MPI_NAMES[op])


def finish_avg(array, op, size):
    """Turns the SUM computed for ``AVG`` into the mean, in place (integers: truncated)."""
    if op is RedOpType.AVG:
        np.divide(array, size, out=array, casting="unsafe")
