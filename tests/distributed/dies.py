"""Run by tests/test_distributed.py: the last rank dies (``raise`` or ``kill``) while the
others wait for it in a collective; MPI must end them all."""
import os
import signal
import sys

import ember
import ember.distributed as dist

dist.init_process_group("mpi")
rank, size = dist.get_rank(), dist.get_world_size()
dist.barrier()
if rank == size - 1:
    if sys.argv[1] == "raise":
        raise RuntimeError("rank {} fails on purpose".format(rank))
    os.kill(os.getpid(), signal.SIGKILL)
dist.all_reduce(ember.ones(3))          # waits for the dead rank: only MPI's abort ends it
print("rank {} was not stopped".format(rank))
