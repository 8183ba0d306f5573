"""scaling: where ember wins and where torch wins, as the work per step grows.

Times one training step (forward, CrossEntropyLoss, backward, SGD with momentum) of
* an MLP 784-W-W-10 with ReLU: batch sizes 1 to 1024 at width 256, and widths 32 to 4096 at
  batch 64;
* LeNet-5 (as cnn.py) at batch sizes 1 to 256;
under torch, ember, and ember with the step compiled (``ember.compile``, docs/compile.md), all
in this one process with every thread pool pinned to one thread; each time is the fastest of
the steps run in BUDGET seconds (after three warm-up steps).  Writes docs/scaling.md (the
table) and docs/scaling.png (ember/torch time per step; below 1, ember is faster).

    PYTHONPATH=$PWD python benchmarks/scaling.py          # BUDGET=0.3 seconds per measurement
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import platform   # noqa: E402
import sys        # noqa: E402
import time       # noqa: E402

import numpy as np  # noqa: E402

BUDGET = float(os.environ.get("BUDGET", "0.3"))      # seconds of steps per measurement
HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "docs")
BATCHES = (1, 4, 16, 64, 256, 1024)
WIDTHS = (32, 128, 512, 2048, 4096)
LENET_BATCHES = (1, 4, 16, 64, 256)


def mlp(nn, width):
    return nn.Sequential(nn.Linear(784, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, 10))


def lenet(nn, _):
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def step_time(lib, make_model, size, shape, compiled=False):
    """Seconds per training step: the fastest of the steps run for about BUDGET seconds (the
    minimum, which other jobs on a shared machine can only make slower, never faster)."""
    lib.manual_seed(0)
    model = make_model(lib.nn, size)
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = lib.nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal(shape).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, shape[0]))

    def step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss
    if compiled:
        step = lib.compile(step)
    for _ in range(3):                              # warm-up (and ember's recordings)
        step().item()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < BUDGET and len(times) < 200):
        t = time.perf_counter()
        step().item()
        times.append(time.perf_counter() - t)
    return float(np.min(times))


def sweep(torch, ember, make_model, label, values, shape_of, size_of):
    rows = []
    for v in values:
        shape, size = shape_of(v), size_of(v)
        t = step_time(torch, make_model, size, shape)
        e = step_time(ember, make_model, size, shape)
        c = step_time(ember, make_model, size, shape, compiled=True)
        rows.append((label, v, t, e, c))
        print("{:<14} {:>5}  torch {:9.3f} ms  ember {:9.3f} ms ({:.2f}x)  compiled {:9.3f} ms "
              "({:.2f}x)".format(label, v, t * 1e3, e * 1e3, e / t, c * 1e3, c / t), flush=True)
    return rows


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write(rows, note):
    lines = ["# Scaling: ember against torch as the work per step grows", "",
             "Written by `benchmarks/scaling.py`: the fastest of repeated training steps (forward, "
             "CrossEntropyLoss, backward, SGD with momentum), one thread. " + note, "",
             "| model | batch / width | torch ms | ember ms | ember/torch | ember compiled ms | "
             "compiled/torch |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for label, v, t, e, c in rows:
        lines.append("| {} | {} | {:.3f} | {:.3f} | {:.2f} | {:.3f} | {:.2f} |".format(
            label, v, t * 1e3, e * 1e3, e / t, c * 1e3, c / t))
    with open(os.path.join(DOCS, "scaling.md"), "w") as f:
        f.write("\n".join(lines) + "\n\n![ember/torch time per step](scaling.png)\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    panels = [("MLP 784-256-256-10, by batch size", "mlp batch", "batch size"),
              ("MLP 784-W-W-10 at batch 64, by width W", "mlp width", "width"),
              ("LeNet-5, by batch size", "lenet batch", "batch size")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
    for ax, (title, label, xlabel) in zip(axes, panels):
        sel = [r for r in rows if r[0] == label]
        xs = [r[1] for r in sel]
        ax.plot(xs, [r[3] / r[2] for r in sel], "o-", label="ember")
        ax.plot(xs, [r[4] / r[2] for r in sel], "s--", label="ember, compiled step")
        ax.axhline(1.0, color="gray", lw=1)
        ax.set_xscale("log", base=2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
    axes[0].set_ylabel("time per step / torch's (below 1: ember faster)")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(os.path.join(DOCS, "scaling.png"), dpi=110)


def main():
    import torch
    import ember
    torch.set_num_threads(1)
    rows = sweep(torch, ember, mlp, "mlp batch", BATCHES, lambda b: (b, 784), lambda b: 256)
    rows += sweep(torch, ember, mlp, "mlp width", WIDTHS, lambda w: (64, 784), lambda w: w)
    rows += sweep(torch, ember, lenet, "lenet batch", LENET_BATCHES, lambda b: (b, 1, 28, 28),
                  lambda b: None)
    note = ("Measured on {} ({} cores visible), Python {}, NumPy {}, torch {}; {}".format(
        cpu_name(), os.cpu_count(), platform.python_version(), np.__version__,
        torch.__version__, os.environ.get("SCALING_NOTE", "")))
    write(rows, note.strip())


if __name__ == "__main__":
    sys.exit(main())
