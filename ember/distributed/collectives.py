"""The collectives on tensors, each one MPI call on the tensors' arrays.

| ember (torch)             | MPI                                   |
| ------------------------- | ------------------------------------- |
| all_reduce                | MPI_Allreduce (in place)              |
| reduce                    | MPI_Reduce                            |
| broadcast                 | MPI_Bcast                             |
| all_gather(_into_tensor)  | MPI_Allgather                         |
| gather / scatter          | MPI_Gather / MPI_Scatter              |
| reduce_scatter(_tensor)   | MPI_Reduce_scatter_block              |
| all_to_all(_single)       | MPI_Alltoallv                         |

With ``async_op=True`` the non-blocking form (``MPI_Iallreduce`` ...) is started and a
:class:`Work` returned.  A process outside ``group`` does nothing and gets None, as in torch.
Ranks (``src``, ``dst``) are global ranks; ``group_src`` / ``group_dst`` are ranks in ``group``.
"""
import numpy as np

from ._buffers import buffer, check_tensor, check_tensor_list, size_text, write_back
from ._mpi import mpi
from .process_group import resolve
from .reduce_op import ReduceOp, finish_avg, mpi_op
from .work import Work

__all__ = ["all_reduce", "reduce", "broadcast", "all_gather", "all_gather_into_tensor", "gather",
           "scatter", "reduce_scatter", "reduce_scatter_tensor", "all_to_all",
           "all_to_all_single"]


def root_rank(g, rank, group_rank, name):
    """The root's rank in group ``g`` from a global ``rank`` or a ``group_rank`` (default 0)."""
    if rank is not None and group_rank is not None:
        raise ValueError("Can't specify both group_rank and global_rank")
    if group_rank is not None:
        if not 0 <= group_rank < g.size():
            raise RuntimeError("{}::{}: invalid root rank: {}".format(g.prefix, name, group_rank))
        return group_rank
    return g.group_rank(0 if rank is None else rank, name)


def run(async_op, start, blocking, finish=None, tensors=()):
    """Runs a collective: ``blocking()`` now, or ``start()`` (returning an MPI request) and a
    Work; ``finish()`` runs once the data has arrived."""
    if async_op:
        return Work([start()], finish, tensors)
    blocking()
    if finish is not None:
        finish()
    return None


def _same_shapes(g, name, tensors, shape, dtype):
    for i, t in enumerate(tensors):
        if tuple(t.shape) != tuple(shape):
            raise RuntimeError("{}::{}: invalid tensor size at index {} (expected {}, got {})"
                               .format(g.prefix, name, i, size_text(shape), size_text(t.shape)))
        if t.dtype != dtype:
            raise RuntimeError("{}::{}: invalid tensor type at index {} (expected {}, got {})"
                               .format(g.prefix, name, i, dtype, t.dtype))


def _list_length(g, name, tensors, what):
    if len(tensors) != g.size():
        raise RuntimeError("{}::{}: invalid {} tensor list at index 0 (expected length {}, got {})"
                           .format(g.prefix, name, what, g.size(), len(tensors)))


def _into_list(stacked, tensors):
    """Copies row i of ``stacked`` into ``tensors[i]`` (the rows MPI received contiguously)."""
    def finish():
        for row, t in zip(stacked, tensors):
            write_back(t, row)
    return finish


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Every process's ``tensor`` becomes the reduction (``op``) of all of them, in place."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    a = buffer(tensor)
    mop = mpi_op(op, a.dtype)
    MPI = mpi()

    def finish():
        finish_avg(a, op, g.size())
        write_back(tensor, a)
    return run(async_op, lambda: g.comm.Iallreduce(MPI.IN_PLACE, a, mop),
               lambda: g.comm.Allreduce(MPI.IN_PLACE, a, mop), finish, [tensor])


def reduce(tensor, dst=None, op=ReduceOp.SUM, group=None, async_op=False, group_dst=None):
    """Process ``dst``'s ``tensor`` becomes the reduction of all of them; the others keep
    theirs."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    root = root_rank(g, dst, group_dst, "reduce")
    a = buffer(tensor)
    mop = mpi_op(op, a.dtype)
    MPI = mpi()
    mine = g.rank() == root
    send = MPI.IN_PLACE if mine else a
    recv = a if mine else None

    def finish():
        if mine:
            finish_avg(a, op, g.size())
            write_back(tensor, a)
    return run(async_op, lambda: g.comm.Ireduce(send, recv, mop, root),
               lambda: g.comm.Reduce(send, recv, mop, root), finish, [tensor])


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    """Every process's ``tensor`` becomes a copy of process ``src``'s."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    root = root_rank(g, src, group_src, "broadcast")
    a = buffer(tensor)
    return run(async_op, lambda: g.comm.Ibcast(a, root), lambda: g.comm.Bcast(a, root),
               lambda: write_back(tensor, a), [tensor])


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """``tensor_list[i]`` becomes a copy of process i's ``tensor``, on every process."""
    check_tensor_list(tensor_list, "tensor_list")
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    _list_length(g, "allgather", tensor_list, "output")
    _same_shapes(g, "allgather", tensor_list, tensor.shape, tensor.dtype)
    a = buffer(tensor)
    stacked = np.empty((g.size(),) + a.shape, a.dtype)
    return run(async_op, lambda: g.comm.Iallgather(a, stacked),
               lambda: g.comm.Allgather(a, stacked), _into_list(stacked, tensor_list),
               tensor_list)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """``output_tensor`` (world size times ``input_tensor``'s size, concatenated or stacked
    along dim 0) becomes the inputs of all processes, in rank order; no copy."""
    check_tensor(output_tensor, "output_tensor")
    check_tensor(input_tensor, "input_tensor")
    g = resolve(group)
    if g is None:
        return None
    if output_tensor.numel() != input_tensor.numel() * g.size():
        raise RuntimeError("{}::_allgather_base: output tensor size must be equal to "
                           "world_size times input tensor size".format(g.prefix))
    if output_tensor.dtype != input_tensor.dtype:
        raise RuntimeError("{}::_allgather_base: output tensor must have the same type as "
                           "input tensor".format(g.prefix))
    a, out = buffer(input_tensor), buffer(output_tensor)
    return run(async_op, lambda: g.comm.Iallgather(a, out), lambda: g.comm.Allgather(a, out),
               lambda: write_back(output_tensor, out), [output_tensor])


def gather(tensor, gather_list=None, dst=None, group=None, async_op=False, group_dst=None):
    """On process ``dst``, ``gather_list[i]`` becomes a copy of process i's ``tensor``."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    root = root_rank(g, dst, group_dst, "gather")
    a = buffer(tensor)
    stacked = None
    finish = None
    if g.rank() == root:
        check_tensor_list(gather_list or [], "gather_list")
        if gather_list is None or len(gather_list) != g.size():
            raise RuntimeError("{}::gather: Incorrect output list size {}. Output list size "
                               "should be {}, same as size of the process group."
                               .format(g.prefix, len(gather_list or []), g.size()))
        _same_shapes(g, "gather", gather_list, tensor.shape, tensor.dtype)
        stacked = np.empty((g.size(),) + a.shape, a.dtype)
        finish = _into_list(stacked, gather_list)
    elif gather_list:
        raise ValueError("Argument ``gather_list`` must NOT be specified on non-destination "
                         "ranks.")
    return run(async_op, lambda: g.comm.Igather(a, stacked, root),
               lambda: g.comm.Gather(a, stacked, root), finish, gather_list or [])


def scatter(tensor, scatter_list=None, src=None, group=None, async_op=False, group_src=None):
    """Every process i's ``tensor`` becomes a copy of ``scatter_list[i]`` of process ``src``."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    root = root_rank(g, src, group_src, "scatter")
    stacked = None
    if g.rank() == root:
        check_tensor_list(scatter_list or [], "scatter_list")
        if scatter_list is None or len(scatter_list) != g.size():
            raise RuntimeError("{}::scatter: Incorrect input list size {}. Input list size "
                               "should be {}, same as size of the process group."
                               .format(g.prefix, len(scatter_list or []), g.size()))
        _same_shapes(g, "scatter", scatter_list, tensor.shape, tensor.dtype)
        stacked = np.stack([t.detach().numpy() for t in scatter_list])
    elif scatter_list:
        raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source ranks.")
    a = buffer(tensor)
    return run(async_op, lambda: g.comm.Iscatter(stacked, a, root),
               lambda: g.comm.Scatter(stacked, a, root), lambda: write_back(tensor, a), [tensor])


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """Process i's ``output`` becomes the reduction over all processes of their
    ``input_list[i]``."""
    check_tensor(output, "output")
    check_tensor_list(input_list, "input_list")
    g = resolve(group)
    if g is None:
        return None
    _list_length(g, "reduce_scatter", input_list, "input")
    _same_shapes(g, "reduce_scatter", input_list, output.shape, output.dtype)
    stacked = np.stack([t.detach().numpy() for t in input_list])
    return _reduce_scatter(g, output, stacked, op, async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """Like ``reduce_scatter`` with the inputs concatenated (or stacked) in one tensor."""
    check_tensor(output, "output")
    check_tensor(input, "input")
    g = resolve(group)
    if g is None:
        return None
    if input.numel() != output.numel() * g.size():
        raise RuntimeError("{}::_reduce_scatter_base: input tensor must be the same size as "
                           "output size times world size".format(g.prefix))
    if output.dtype != input.dtype:
        raise RuntimeError("{}::_reduce_scatter_base: input tensor must be the same type as "
                           "the output tensor.".format(g.prefix))
    return _reduce_scatter(g, output, buffer(input), op, async_op)


def _reduce_scatter(g, output, stacked, op, async_op):
    out = buffer(output)
    mop = mpi_op(op, out.dtype)

    def finish():
        finish_avg(out, op, g.size())
        write_back(output, out)
    return run(async_op, lambda: g.comm.Ireduce_scatter_block(stacked, out, mop),
               lambda: g.comm.Reduce_scatter_block(stacked, out, mop), finish, [output])


def all_to_all(output_tensor_list, input_tensor_list, group=None, async_op=False):
    """Process j's ``output_tensor_list[i]`` becomes a copy of process i's
    ``input_tensor_list[j]`` (the tensors may differ in size)."""
    check_tensor_list(output_tensor_list, "output_tensor_list")
    check_tensor_list(input_tensor_list, "input_tensor_list")
    g = resolve(group)
    if g is None:
        return None
    for what, tensors in (("input", input_tensor_list), ("output", output_tensor_list)):
        if len(tensors) != g.size():
            raise RuntimeError("{}::alltoall: {} tensor list size {} does not match world size "
                               "{}".format(g.prefix, what, len(tensors), g.size()))
    dtype = input_tensor_list[0].dtype
    for t in list(input_tensor_list) + list(output_tensor_list):
        if t.dtype != dtype:
            raise RuntimeError("{}::alltoall: tensors must all have the same type"
                               .format(g.prefix))
    send = np.concatenate([t.detach().numpy().ravel() for t in input_tensor_list])
    out_counts = [t.numel() for t in output_tensor_list]
    recv = np.empty(sum(out_counts), send.dtype)

    def finish():
        start = 0
        for t, n in zip(output_tensor_list, out_counts):
            write_back(t, recv[start:start + n])
            start += n
    return _alltoallv(g, send, [t.numel() for t in input_tensor_list], recv, out_counts,
                      async_op, finish, output_tensor_list)


def all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None,
                      group=None, async_op=False):
    """Splits ``input`` along dim 0 (equally, or by ``input_split_sizes``) and sends piece j to
    process j; ``output`` receives the pieces in rank order."""
    check_tensor(output, "output")
    check_tensor(input, "input")
    g = resolve(group)
    if g is None:
        return None
    n = g.size()
    counts = []
    for tensor, splits in ((input, input_split_sizes), (output, output_split_sizes)):
        rows = tensor.shape[0] if tensor.dim() else 1
        row = tensor.numel() // rows if rows else 0
        if not splits:
            if rows % n:
                raise RuntimeError("{}::alltoall_base: Tensor's dim 0 does not divide equally "
                                   "across group size".format(g.prefix))
            splits = [rows // n] * n
        elif len(splits) != n or sum(splits) != rows:
            raise RuntimeError("{}::alltoall_base: Split sizes doesn't match total dim 0 size"
                               .format(g.prefix))
        counts.append([s * row for s in splits])
    if input.dtype != output.dtype:
        raise RuntimeError("{}::alltoall_base: tensors must all have the same type"
                           .format(g.prefix))
    send, recv = buffer(input), buffer(output)
    return _alltoallv(g, send, counts[0], recv, counts[1], async_op,
                      lambda: write_back(output, recv), [output])


def _alltoallv(g, send, send_counts, recv, recv_counts, async_op, finish, tensors):
    send_spec = [send, (send_counts, _offsets(send_counts))]
    recv_spec = [recv, (recv_counts, _offsets(recv_counts))]
    return run(async_op, lambda: g.comm.Ialltoallv(send_spec, recv_spec),
               lambda: g.comm.Alltoallv(send_spec, recv_spec), finish, tensors)



def _offsets(counts):
    """Where each of ``counts`` consecutive pieces starts."""
    return [int(x) for x in np.cumsum([0] + counts[:-1])]
