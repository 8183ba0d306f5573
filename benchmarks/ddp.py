"""ddp: the mlp workload (784-512-256-10, ReLU, CrossEntropyLoss, SGD(lr=0.01, momentum=0.9))
trained with DistributedDataParallel on 1 and 2 processes, ember (MPI) beside torch (gloo).

    PYTHONPATH=$PWD python benchmarks/ddp.py            # the table; STEPS, REPEATS, ROUNDS

Each configuration runs as its own job: ember's through ``python -m ember.distributed.run``
(mpirun), torch's through ``torchrun``; one thread per process (OMP_NUM_THREADS=1), so two
processes use two cores.  Two batch settings:

* 128 per process (the mlp workload): 2 processes train on twice the samples per step; the
  scaling efficiency is t(1) / t(2) (1.0: the second process costs nothing);
* 1024 in all (512 per process on 2): the same work split in two; efficiency t(1) / (2 t(2)).

A step's time is the slowest process's, averaged over STEPS steps; each job keeps the best of
REPEATS runs (after one warm-up run), and the table the best of ROUNDS rounds, run interleaved:
on a machine shared with other work the minimum is the figure least disturbed by it.  Each job
prints one JSON line (to stderr); the driver prints the table.  Every process trains on its own
fixed batch, so the loss must fall (``ok``).
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def worker(per_process_batch, steps, repeats):
    sys.path.insert(0, HERE)
    from common import classification_data, load_framework
    framework, torch, nn = load_framework()
    import importlib
    dist = importlib.import_module(framework + ".distributed")
    DDP = importlib.import_module(framework + ".nn.parallel").DistributedDataParallel
    dist.init_process_group("gloo")
    rank, size = dist.get_rank(), dist.get_world_size()

    x_np, y_np = classification_data((per_process_batch, 784), seed=1 + rank)
    x, y = torch.tensor(x_np), torch.tensor(y_np)
    times, losses = [], []
    for _ in range(repeats + 1):                     # the first run warms up
        torch.manual_seed(0)
        model = DDP(nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                                  nn.Linear(256, 10)))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        dist.barrier()
        start = time.perf_counter()
        for _ in range(steps):
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        elapsed = torch.tensor([time.perf_counter() - start], dtype=torch.float64)
        dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
        times.append(elapsed.item() / steps)
    times = sorted(times[1:])
    if rank == 0:
        print(json.dumps({"framework": framework, "nproc": size, "batch": per_process_batch,
                          "ms_per_step": 1e3 * times[len(times) // 2],
                          "ms_min": 1e3 * times[0], "loss_first": losses[0],
                          "loss_final": losses[-1], "ok": losses[-1] < losses[0]}),
              flush=True)
    dist.destroy_process_group()


def job(framework, nproc, batch, steps, repeats):
    env = dict(os.environ, FRAMEWORK=framework, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1")
    args = [os.path.abspath(__file__), "--worker", str(batch), str(steps), str(repeats)]
    if framework == "torch":
        cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(nproc),
               "--master-port", "29517"] + args
    else:
        cmd = [sys.executable, "-m", "ember.distributed.run", "--nproc-per-node", str(nproc)] + args
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        raise SystemExit("{} failed:\n{}".format(" ".join(cmd), out.stderr[-3000:]))
    return json.loads(lines[-1])


def main():
    steps, repeats = int(os.environ.get("STEPS", 30)), int(os.environ.get("REPEATS", 3))
    rounds = int(os.environ.get("ROUNDS", 3))
    settings = [("128 per process", [(1, 128), (2, 128)], 1),
                ("1024 in all", [(1, 1024), (2, 512)], 2)]
    best = {}
    for _ in range(rounds):                  # interleaved, so that a busy spell hits all alike
        for name, configs, _split in settings:
            for framework in ("torch", "ember"):
                for n, b in configs:
                    record = job(framework, n, b, steps, repeats)
                    print(json.dumps(record), file=sys.stderr, flush=True)
                    key = (name, framework, n)
                    if key not in best or record["ms_min"] < best[key]["ms_min"]:
                        best[key] = record
    print("| batch | framework | 1 process ms/step | 2 processes ms/step | scaling efficiency "
          "| loss falls |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, _configs, split in settings:
        for framework in ("torch", "ember"):
            one, two = best[(name, framework, 1)], best[(name, framework, 2)]
            efficiency = one["ms_min"] / (split * two["ms_min"])
            print("| {} | {} | {:.1f} | {:.1f} | {:.0%} | {} |".format(
                name, framework, one["ms_min"], two["ms_min"], efficiency,
                one["ok"] and two["ok"]), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*(int(a) for a in sys.argv[2:5]))
    else:
        main()
