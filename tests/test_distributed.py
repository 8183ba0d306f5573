"""ember.distributed and DistributedDataParallel.

The collectives run for real: each test below starts 2 or 3 processes with mpirun on this
machine (scripts in tests/distributed/, which check their results against NumPy on every rank
and fail with MPI's abort otherwise).  Every run has a time limit.  Without mpi4py they are
skipped; the checks that need no process group run always.
"""
import os
import shutil
import signal
import subprocess
import sys

import pytest

import ember
import ember.distributed as dist
from ember.distributed import run as launcher
from ember.nn.parallel.reducer import assign_buckets
from parity import same, same_error

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIMIT = 90                   # seconds any run may take: a hang fails the test, it does not block

needs_mpi = pytest.mark.skipif(not dist.is_available() or shutil.which(
    "mpirun", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    is None, reason="needs mpi4py and mpirun: pip install 'ember[distributed]'")


def start(argv):
    """Runs ``argv`` (an mpirun or ember run command) in its own process group, as root if
    need be; kills the whole group if it outlives LIMIT.  Returns (status, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=ROOT, OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMP_NUM_THREADS="1")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail("the run did not end within {} s:\n{}\n{}".format(LIMIT, out, err))
    return proc.returncode, out, err


def mpirun(n, script, *args):
    mpirun_path = launcher.find_mpirun()
    return start([mpirun_path, "--oversubscribe", "--bind-to", "none", "-n", str(n),
                  sys.executable, os.path.join(HERE, "distributed", script)] + list(args))


# ------------------------------------------------------------------ multi-process runs


@needs_mpi
def test_every_collective_on_two_processes_agrees_with_numpy():
    status, out, err = mpirun(2, "collectives.py")
    assert status == 0, err
    assert sorted(out.splitlines()) == ["rank {} of 2: all collectives agree with NumPy"
                                        .format(r) for r in range(2)]


@needs_mpi
def test_every_collective_on_three_processes_started_by_ember_run():
    status, out, err = start([sys.executable, "-m", "ember", "run", "--nproc-per-node", "3",
                              os.path.join(HERE, "distributed", "collectives.py")])
    assert status == 0, err
    assert sorted(out.splitlines()) == ["rank {} of 3: all collectives agree with NumPy"
                                        .format(r) for r in range(3)]


@needs_mpi
def test_ddp_on_two_processes_equals_one_process_on_the_combined_batch():
    status, out, err = mpirun(2, "ddp.py")
    assert status == 0, err
    assert sorted(out.splitlines()) == ["rank {}: DistributedDataParallel matches one process"
                                        .format(r) for r in range(2)]


@needs_mpi
def test_an_exception_in_one_process_aborts_the_others():
    status, out, err = mpirun(3, "dies.py", "raise")
    assert status != 0
    assert "RuntimeError: rank 2 fails on purpose" in err
    assert "rank 2 failed with an uncaught exception; aborting all processes" in err
    assert "was not stopped" not in out


@needs_mpi
def test_a_killed_process_ends_the_others():
    status, out, err = mpirun(2, "dies.py", "kill")
    assert status != 0
    assert "was not stopped" not in out


@needs_mpi
def test_launcher_sets_torchrun_variables(tmp_path):
    script = tmp_path / "show.py"
    script.write_text("import os, sys\nprint(*(os.environ[k] for k in ('RANK', 'WORLD_SIZE', "
                      "'LOCAL_RANK', 'LOCAL_WORLD_SIZE', 'MASTER_ADDR')), *sys.argv[1:], "
                      "__name__)\n")
    status, out, err = start([sys.executable, "-m", "ember.distributed.run",
                              "--nproc-per-node", "2", str(script), "--lr", "0.1"])
    assert status == 0, err
    assert sorted(out.splitlines()) == ["{} 2 {} 2 127.0.0.1 --lr 0.1 __main__".format(r, r)
                                        for r in range(2)]


# ------------------------------------------------------------------ in this process


def test_import_ember_does_not_import_mpi4py():
    script = ("import sys, ember, ember.distributed, ember.nn.parallel\n"
              "import ember.distributed.run\n"
              "assert 'mpi4py' not in sys.modules, 'mpi4py imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("call", [
    lambda lib: lib.distributed.get_rank(),
    lambda lib: lib.distributed.get_world_size(),
    lambda lib: lib.distributed.all_reduce(lib.ones(2)),
    lambda lib: lib.distributed.broadcast(lib.ones(2), src=0),
    lambda lib: lib.distributed.barrier(),
    lambda lib: lib.distributed.new_group([0]),
    lambda lib: lib.distributed.destroy_process_group(),
    lambda lib: lib.utils.data.DistributedSampler(range(4)),
])
def test_before_init_process_group_the_errors_are_torchs(call):
    pytest.importorskip("torch")
    same_error(call)


def test_reduce_op_and_availability_as_torch():
    pytest.importorskip("torch")
    same(lambda lib: [repr(lib.distributed.ReduceOp.SUM), str(lib.distributed.ReduceOp.MAX),
                      list(lib.distributed.ReduceOp.RedOpType.__members__),
                      lib.distributed.ReduceOp.AVG == lib.distributed.ReduceOp.RedOpType.AVG,
                      lib.distributed.is_initialized()])
    assert not dist.is_initialized() and not dist.is_nccl_available()


def test_gpu_backends_are_refused():
    with pytest.raises(ValueError, match="runs collectives on MPI"):
        dist.Backend("nccl")
    assert dist.Backend("GLOO") == "gloo"


def test_launcher_without_mpi4py_says_what_to_install(ember_cmd, monkeypatch):
    monkeypatch.setattr(launcher, "available", lambda: False)
    status, out, err = ember_cmd("run", "--nproc-per-node", "2", "train.py")
    assert status == 2 and out == []
    assert err == ["ember run: error: mpi4py is not installed: pip install 'ember[distributed]' "
                   "(mpi4py and an Open MPI build), or install mpi4py against your cluster's MPI"]


def test_launcher_command_line(monkeypatch):
    monkeypatch.setattr(launcher, "available", lambda: True)
    monkeypatch.setattr(launcher, "find_mpirun", lambda given=None: "/opt/mpi/bin/mpirun")
    args = launcher.argparse.Namespace(nproc_per_node=4, hostfile=None, mpirun=None,
                                       mpi_args="-x FOO", module=True, script="pkg.train",
                                       script_args=["--epochs", "2"])
    cmd, env = launcher.command(args, {})
    assert cmd == ["/opt/mpi/bin/mpirun", "-n", "4", "-x", "FOO", sys.executable, "-m",
                   "ember.distributed._child", "-m", "pkg.train", "--epochs", "2"]
    assert env["OMP_NUM_THREADS"] == "1"
    args.nproc_per_node = 0
    with pytest.raises(launcher.LaunchError, match="at least 1"):
        launcher.command(args, {})


def test_buckets_hold_the_parameters_last_first_closed_at_the_cap():
    params = [ember.zeros(n) for n in (100, 10, 300, 5)]            # float32: 4 bytes each
    assert assign_buckets(params, cap_bytes=1200) == [[3, 2], [1, 0]]
    assert assign_buckets(params, cap_bytes=10 ** 6) == [[3, 2, 1, 0]]
    mixed = [ember.zeros(3), ember.zeros(3, dtype=ember.float64), ember.zeros(3)]
    assert assign_buckets(mixed, cap_bytes=10 ** 6) == [[2, 0], [1]]


def test_ddp_refuses_device_ids_and_parameterless_modules():
    pytest.importorskip("torch")
    # the checks that come before any communication: torch's text
    for build in (lambda lib: lib.nn.parallel.DistributedDataParallel(lib.nn.ReLU()),):
        e = pytest.raises(RuntimeError, build, ember).value
        assert str(e) == ("DistributedDataParallel is not needed when a module doesn't have any "
                          "parameter that requires a gradient.")
    with pytest.raises(ValueError, match=r"got device_ids \[0\], output_device None, and module "
                                         r"parameters \{device\(type='cpu'\)\}\."):
        ember.nn.parallel.DistributedDataParallel(ember.nn.Linear(2, 2), device_ids=[0])
