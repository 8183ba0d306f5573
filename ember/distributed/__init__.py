"""``ember.distributed``: torch.distributed's API -- process groups, collectives on tensors
and objects, point-to-point messages -- running on MPI (mpi4py; Open MPI from
``pip install 'ember[distributed]'``, or a cluster's own MPI).

Start the processes with ``ember run --nproc-per-node 2 train.py`` (or ``mpirun -n 2 python
train.py``), then in the script::

    import ember.distributed as dist
    dist.init_process_group("gloo")        # or "mpi": both run on MPI
    t = ember.ones(3) * dist.get_rank()
    dist.all_reduce(t)                     # MPI_Allreduce on t's own memory

``docs/distributed.md`` maps each call to its MPI function.  mpi4py is imported only when a
process group is made, so ``import ember.distributed`` works without it.
"""
from ._mpi import available as _mpi_available
from .collectives import (all_gather, all_gather_into_tensor, all_reduce, all_to_all,
                          all_to_all_single, broadcast, gather, reduce, reduce_scatter,
                          reduce_scatter_tensor, scatter)
from .objects import (all_gather_object, broadcast_object_list, gather_object,
                      scatter_object_list)
from .point_to_point import barrier, irecv, isend, recv, send
from .process_group import (Backend, GroupMember, ProcessGroup, destroy_process_group,
                            get_backend, get_global_rank, get_group_rank,
                            get_process_group_ranks, get_rank, get_world_size, group,
                            init_process_group, is_initialized, new_group)
from .reduce_op import ReduceOp
from .work import Work

__all__ = ["is_available", "is_mpi_available", "is_gloo_available", "is_nccl_available",
           "init_process_group", "destroy_process_group", "is_initialized", "get_rank",
           "get_world_size", "get_backend", "get_global_rank", "get_group_rank",
           "get_process_group_ranks", "new_group", "group", "GroupMember", "ProcessGroup",
           "Backend", "ReduceOp", "Work", "barrier", "all_reduce", "reduce", "broadcast",
           "all_gather", "all_gather_into_tensor", "gather", "scatter", "reduce_scatter",
           "reduce_scatter_tensor", "all_to_all", "all_to_all_single", "send", "recv", "isend",
           "irecv", "all_gather_object", "broadcast_object_list", "gather_object",
           "scatter_object_list"]


def is_available():
    """Whether the package can be used: mpi4py is installed."""
    return _mpi_available()


def is_mpi_available():
    return _mpi_available()


def is_gloo_available():
    """``"gloo"`` is accepted, and served by MPI."""
    return _mpi_available()


def is_nccl_available():
    return False
