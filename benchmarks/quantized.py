"""int8 against float32 inference of the mlp workload's model (784-512-256-10, ReLU), in ember
and torch: the float model, and the same weights after ``quantize_dynamic`` (int8 weights,
activations quantized per call), at batch 1 and batch 128.

    FRAMEWORKS="torch ember" python benchmarks/quantized.py

Prints a table of milliseconds per forward pass (median of ROUNDS rounds of CALLS calls each,
the float and int8 models taking turns),
the int8 model's largest deviation from the float one, and the size of each state_dict on disk.
Threads are pinned to one (BENCH_THREADS), as in the other workloads.
"""
import importlib
import io
import os
import statistics
import time

threads = os.environ.get("BENCH_THREADS", "1")
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = threads

import numpy as np  # noqa: E402  (after pinning the threads)

ROUNDS = int(os.environ.get("ROUNDS", 7))
CALLS = {1: int(os.environ.get("CALLS_1", 200)), 128: int(os.environ.get("CALLS_128", 20))}


def weights():
    """The model's float32 weights, from a fixed seed (torch's default init scale)."""
    rng = np.random.default_rng(0)
    shapes = [(512, 784), (256, 512), (10, 256)]
    out = {}
    for i, (o, n) in enumerate(shapes):
        bound = 1 / np.sqrt(n)
        out["fc{}.weight".format(i + 1)] = rng.uniform(-bound, bound, (o, n)).astype(np.float32)
        out["fc{}.bias".format(i + 1)] = rng.uniform(-bound, bound, o).astype(np.float32)
    return out


def models(name):
    lib = importlib.import_module(name)
    nn = importlib.import_module(name + ".nn")
    quantization = importlib.import_module(name + ".ao.quantization")
    if hasattr(lib, "set_num_threads"):
        lib.set_num_threads(int(threads))

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 512)
            self.fc2 = nn.Linear(512, 256)
            self.fc3 = nn.Linear(256, 10)
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))

    model = MLP().eval()
    model.load_state_dict({k: lib.tensor(v) for k, v in weights().items()})
    int8 = quantization.quantize_dynamic(model, {nn.Linear}, dtype=lib.qint8)
    return lib, model, int8


def per_call_ms(lib, models, x, calls):
    """Milliseconds per call of each model, the models taking turns round by round (so that a
    busy machine slows them alike); the median over ROUNDS rounds."""
    rounds = [[] for _ in models]
    with lib.no_grad():
        for model in models:
            model(x)
        for _ in range(ROUNDS):
            for model, times in zip(models, rounds):
                start = time.perf_counter()
                for _ in range(calls):
                    model(x)
                times.append((time.perf_counter() - start) / calls * 1e3)
    return [statistics.median(times) for times in rounds]


def size_kb(lib, model):
    buffer = io.BytesIO()
    lib.save(model.state_dict(), buffer)
    return buffer.tell() / 1024


def main():
    rows = []
    for name in os.environ.get("FRAMEWORKS", "torch ember").split():
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lib, model, int8 = models(name)
            for batch in (1, 128):
                x = lib.tensor(np.random.default_rng(batch).standard_normal(
                    (batch, 784)).astype(np.float32))
                f, q = per_call_ms(lib, (model, int8), x, CALLS[batch])
                with lib.no_grad():
                    error = float(np.abs(np.asarray(model(x)) - np.asarray(int8(x))).max())
                rows.append((name, batch, f, q, error))
            sizes = (size_kb(lib, model), size_kb(lib, int8))
        print("{}: state_dict {:.0f} KiB float32, {:.0f} KiB int8".format(name, *sizes))
    print()
    print("| framework | batch | float32 ms | int8 ms | int8 / float32 | max abs difference |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, batch, f, q, error in rows:
        print("| {} | {} | {:.3f} | {:.3f} | {:.2f}x | {:.4f} |".format(name, batch, f, q, q / f,
                                                                       error))


if __name__ == "__main__":
    main()
