"""``ember run --nproc-per-node 2 train.py ARGS``: the training script on several processes,
started by mpirun (the launcher is ``ember/distributed/run.py``, also ``python -m
ember.distributed.run``)."""
from ember.distributed.run import LaunchError, add_arguments, launch

from . import CommandError


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "run", help="run a training script on several processes (as torchrun), with MPI",
        description="Starts SCRIPT on N processes with mpirun; each gets RANK, WORLD_SIZE, "
                    "LOCAL_RANK and LOCAL_WORLD_SIZE as from torchrun, and the script joins "
                    "them with ember.distributed.init_process_group().",
        epilog="example: ember run --nproc-per-node 2 train.py --epochs 3")
    add_arguments(parser)
    parser.set_defaults(run=run)
    return parser


def run(args):
    try:
        return launch(args)
    except LaunchError as e:
        raise CommandError(str(e)) from None
