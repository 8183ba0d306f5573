"""One process of ``ember run``: sets torch's launcher variables from MPI's, then runs the
script (``python -m ember.distributed._child [-m] SCRIPT ARGS``).  It does not import mpi4py:
the script's ``init_process_group`` does."""
import os
import runpy
import sys

# Open MPI's names, then those of MPICH's launcher (Hydra).
SOURCES = {"RANK": ("OMPI_COMM_WORLD_RANK", "PMI_RANK"),
           "WORLD_SIZE": ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE"),
           "LOCAL_RANK": ("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID"),
           "LOCAL_WORLD_SIZE": ("OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS")}


def set_environment(env):
    """Fills ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE`` (from the MPI
    launcher's variables), ``MASTER_ADDR`` and ``MASTER_PORT`` (unused by ember, read by some
    scripts) in ``env``."""
    for name, sources in SOURCES.items():
        for source in sources:
            if source in env:
                env[name] = env[source]
                break
    env.setdefault("MASTER_ADDR", "127.0.0.1")
    env.setdefault("MASTER_PORT", "29500")


def main(argv):
    set_environment(os.environ)
    if argv and argv[0] == "-m":
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
