"""The one place that imports mpi4py, on first use, so that ``import ember`` (and even
``import ember.distributed``) never loads MPI.

``from mpi4py import MPI`` initialises MPI (``MPI_Init_thread``) as a side effect; a process
started without ``mpirun`` then becomes a world of one process ("singleton" start).
"""
import importlib.util

INSTALL_HINT = ("pip install 'ember[distributed]' (mpi4py and an Open MPI build), or install "
                "mpi4py against your cluster's MPI")


def available():
    """Whether mpi4py can be imported (checked without importing it)."""
    return importlib.util.find_spec("mpi4py") is not None


def mpi():
    """The ``mpi4py.MPI`` module; a RuntimeError saying what to install when it is missing."""
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise RuntimeError("ember.distributed needs mpi4py: " + INSTALL_HINT) from e
    return MPI
