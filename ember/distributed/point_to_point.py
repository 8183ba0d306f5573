"""Messages between two processes (``MPI_Send`` / ``MPI_Recv`` and their non-blocking forms
``MPI_Isend`` / ``MPI_Irecv``), and ``barrier`` (``MPI_Barrier`` / ``MPI_Ibarrier``).

A message is matched by its ``tag``; ``recv`` with ``src=None`` takes the first message from
any process (``MPI_ANY_SOURCE``) and returns the sender's rank.
"""
from ._buffers import buffer, check_tensor, write_back
from ._mpi import mpi
from .process_group import resolve
from .work import Work

__all__ = ["send", "recv", "isend", "irecv", "barrier"]


def _peer(g, rank, group_rank, kind, operation):
    """The peer's rank in ``g``; torch's errors for this process itself or a bad rank."""
    if rank is not None and group_rank is not None:
        raise ValueError("Can't specify both group_rank and global_rank")
    if rank is None and group_rank is None:
        if kind == "source":
            return None
        raise ValueError("Must specify global_rank or group_rank")
    peer = group_rank if group_rank is not None else g.group_rank(rank, operation, kind)
    if not 0 <= peer < g.size():
        raise RuntimeError("{}::{}: invalid {} rank: {}".format(g.prefix, operation, kind, peer))
    if peer == g.rank():
        raise ValueError("Invalid {0} rank: {0} rank should not be the same as the rank of the "
                         "current process.".format(kind))
    return peer


def _global(g, group_rank):
    return group_rank if g.ranks is None else g.ranks[group_rank]


def send(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Sends ``tensor`` to process ``dst``; returns once it may be reused."""
    check_tensor(tensor)
    g = resolve(group)
    if g is not None:
        g.comm.Send(buffer(tensor), _peer(g, dst, group_dst, "destination", "send"), tag)


def isend(tensor, dst=None, group=None, tag=0, group_dst=None):
    """Starts sending ``tensor`` to ``dst``; do not change it before ``wait()``."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    a = buffer(tensor)
    peer = _peer(g, dst, group_dst, "destination", "send")
    return Work([g.comm.Isend(a, peer, tag)], None, [tensor])


def recv(tensor, src=None, group=None, tag=0, group_src=None):
    """Receives into ``tensor`` a message from ``src`` (None: any process); returns the
    sender's global rank."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return -1
    MPI = mpi()
    peer = _peer(g, src, group_src, "source", "recv")
    a = buffer(tensor)
    status = MPI.Status()
    g.comm.Recv(a, MPI.ANY_SOURCE if peer is None else peer, tag, status)
    write_back(tensor, a)
    return _global(g, status.Get_source())


def irecv(tensor, src=None, group=None, tag=0, group_src=None):
    """Starts receiving into ``tensor``; ``wait()`` on the result completes it."""
    check_tensor(tensor)
    g = resolve(group)
    if g is None:
        return None
    MPI = mpi()
    peer = _peer(g, src, group_src, "source", "recv")
    a = buffer(tensor)
    status = MPI.Status()
    request = g.comm.Irecv(a, MPI.ANY_SOURCE if peer is None else peer, tag)
    return Work([request], lambda: write_back(tensor, a), [tensor], status,
                lambda r: _global(g, r))


def barrier(group=None, async_op=False, device_ids=None, timeout=None):
    """Returns once every process of ``group`` has called it."""
    g = resolve(group)
    if g is None:
        return None
    if async_op:
        return Work([g.comm.Ibarrier()])
    g.comm.Barrier()
    return None
