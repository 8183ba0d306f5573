"""Process groups: the set of processes a collective runs on, each an MPI communicator.

``init_process_group`` makes the default group, the whole MPI world (``MPI_COMM_WORLD``,
duplicated so that ember's messages never mix with the program's own mpi4py ones).
``new_group(ranks)`` splits the world (``MPI_Comm_split``); a process outside it gets
``GroupMember.NON_GROUP_MEMBER``.  Ranks given to collectives are *global* ranks (their rank in
the world), as in torch; the group translates them to its own numbering.

Who starts the processes, and so each one's rank, is MPI's business (``mpirun``, or
``ember run``): there is no rendezvous over ``MASTER_ADDR``.  A rank or world size given to
``init_process_group`` (or in ``RANK`` / ``WORLD_SIZE``) must agree with MPI's.
"""
import os
import sys
import time

from ._mpi import mpi

__all__ = ["Backend", "ProcessGroup", "GroupMember", "group", "init_process_group",
           "destroy_process_group", "is_initialized", "get_rank", "get_world_size", "new_group",
           "get_backend", "get_global_rank", "get_group_rank", "get_process_group_ranks"]

NOT_INITIALIZED = ("Default process group has not been initialized, please make sure to call "
                   "init_process_group.")


class Backend(str):
    """A backend's name.  ember serves ``"mpi"`` and ``"gloo"`` (the CPU backend of torch's
    tutorials), both with MPI; the GPU backends do not exist here."""
    MPI = "mpi"
    GLOO = "gloo"
    NCCL = "nccl"
    UNDEFINED = "undefined"

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError("Backend constructor parameter must be string-ish")
        value = name.lower()
        if value not in (cls.MPI, cls.GLOO):
            raise ValueError("Backend {!r} is not available in ember, which runs collectives "
                             "on MPI (CPU only): use 'mpi' or 'gloo'".format(name))
        return str.__new__(cls, value)


class ProcessGroup:
    """A set of processes: an MPI communicator and the global ranks of its members, in order."""

    def __init__(self, comm, ranks, backend):
        self.comm = comm
        self.ranks = ranks
        self.backend = backend
        # torch's error texts name the backend's class: ProcessGroupGloo::broadcast: ...
        self.prefix = "ProcessGroupGloo" if backend == Backend.GLOO else "ProcessGroupMPI"

    def rank(self):
        return self.comm.Get_rank()

    def size(self):
        return self.comm.Get_size()

    def name(self):
        return str(self.backend)

    def group_rank(self, global_rank, operation, what="root"):
        """The rank in this group of process ``global_rank`` of the world; torch's errors
        (naming ``operation``) for a rank out of range or outside the group."""
        world = _default.size()
        if not isinstance(global_rank, int) or not 0 <= global_rank < world:
            raise RuntimeError("{}::{}: invalid {} rank: {}".format(self.prefix, operation, what,
                                                                  global_rank))
        if self.ranks is None:
            return global_rank
        try:
            return self.ranks.index(global_rank)
        except ValueError:
            raise ValueError("Global rank {} is not part of group {}".format(global_rank, self)) \
                from None


class _GroupMember:
    """``group.WORLD`` (the default group, None before ``init_process_group``) and
    ``group.NON_GROUP_MEMBER`` (what ``new_group`` returns to a process outside the group)."""
    NON_GROUP_MEMBER = -100

    @property
    def WORLD(self):
        return _default


GroupMember = group = _GroupMember()
_default = None            # the default ProcessGroup
_groups = []               # the groups made by new_group, freed by destroy_process_group


def is_initialized():
    """Whether the default process group exists."""
    return _default is not None


def resolve(group):
    """``group``, or the default group for None; the error torch gives before initialisation.
    Returns None for a process outside ``group`` (collectives then do nothing, as in torch)."""
    if _default is None:
        raise ValueError(NOT_INITIALIZED)
    if group is None or group is GroupMember.WORLD:
        return _default
    if group == GroupMember.NON_GROUP_MEMBER:
        return None
    return group


def _env_int(name, given):
    if given is not None and given != -1:
        return given
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else None


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    """Joins this process to the default group: all the processes MPI started together.

    ``backend`` is ``"mpi"`` or ``"gloo"`` (both run on MPI).  ``rank`` and ``world_size`` (or
    the ``RANK`` and ``WORLD_SIZE`` variables that ``ember run`` sets) are checked against MPI's
    numbering.  From here on an uncaught exception in any process aborts all of them
    (``MPI_Abort``), so that the others fail at once instead of waiting for it forever."""
    global _default
    if _default is not None:
        raise ValueError("trying to initialize the default process group twice!")
    backend = Backend(backend if backend is not None else Backend.MPI)
    if store is not None:
        raise ValueError("ember.distributed has no Store: MPI starts and connects the processes")
    MPI = mpi()
    comm = MPI.COMM_WORLD.Dup()
    for name, given, actual in (("WORLD_SIZE", world_size, comm.Get_size()),
                                ("RANK", rank, comm.Get_rank())):
        expected = _env_int(name, given)
        if expected is not None and expected != actual:
            comm.Free()
            raise ValueError(
                "{} is {} (argument or environment), but MPI started this process as rank {} "
                "of {}: start the processes with `ember run --nproc-per-node N` or mpirun"
                .format(name.lower(), expected, comm.Get_rank(), comm.Get_size()))
    _default = ProcessGroup(comm, None, backend)
    _abort_on_uncaught_exception()


def _abort_on_uncaught_exception():
    """An uncaught exception prints its traceback, then ends every process of the job."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        previous(kind, value, tb)
        MPI = mpi()
        if MPI.Is_initialized() and not MPI.Is_finalized():
            sys.stderr.write("ember.distributed: rank {} failed with an uncaught exception; "
                             "aborting all processes (MPI_Abort)\n"
                             .format(MPI.COMM_WORLD.Get_rank()))
            sys.stderr.flush()
            # mpirun forwards each process's output through a pipe that it reads on its own
            # time, and MPI_Abort tears that pipe down at once: a moment's wait lets the
            # traceback above reach the terminal before the job ends.
            time.sleep(0.25)
            MPI.COMM_WORLD.Abort(1)

    hook.previous = previous
    if getattr(sys.excepthook, "previous", None) is None:
        sys.excepthook = hook


def destroy_process_group(group=None):
    """Frees ``group`` (None: the default group and every group made from it)."""
    global _default
    if _default is None:
        raise AssertionError("Process group cannot be None")
    if group is None or group is _default:
        for g in _groups + [_default]:
            g.comm.Free()
        _groups.clear()
        _default = None
        previous = getattr(sys.excepthook, "previous", None)
        if previous is not None:
            sys.excepthook = previous
    elif group in _groups:
        _groups.remove(group)
        group.comm.Free()


def get_rank(group=None):
    """This process's rank in ``group`` (-1 outside it)."""
    g = resolve(group)
    return -1 if g is None else g.rank()


def get_world_size(group=None):
    """The number of processes in ``group`` (-1 outside it)."""
    g = resolve(group)
    return -1 if g is None else g.size()


def get_backend(group=None):
    g = resolve(group)
    if g is None:
        raise ValueError("Invalid process group specified")
    return g.backend


def get_process_group_ranks(group):
    """The global ranks of ``group``'s members, in group order."""
    g = resolve(group)
    return list(range(g.size())) if g.ranks is None else list(g.ranks)


def get_global_rank(group, group_rank):
    return get_process_group_ranks(group)[group_rank]


def get_group_rank(group, global_rank):
    return resolve(group).group_rank(global_rank, "get_group_rank", "global")


def new_group(ranks=None, timeout=None, backend=None, pg_options=None,
              use_local_synchronization=False, group_desc=None, device_id=None):
    """A group of the processes ``ranks`` (global ranks; None: all).  Every process of the
    world must call it, in the same order, members or not (``MPI_Comm_split``)."""
    world = resolve(None)
    size = world.size()
    if ranks is None:
        ranks = list(range(size))
    ranks = sorted(ranks)
    for r in ranks:
        if not 0 <= r < size:
            raise ValueError("Rank {} is out of range. Valid ranks are 0 to {} (world_size={})"
                             .format(r, size - 1, size))
    member = world.rank() in ranks
    MPI = mpi()
    comm = world.comm.Split(0 if member else MPI.UNDEFINED, world.rank())
    if not member:
        return GroupMember.NON_GROUP_MEMBER
    g = ProcessGroup(comm, ranks, Backend(backend) if backend is not None else world.backend)
    _groups.append(g)
    return g
