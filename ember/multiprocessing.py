"""``ember.multiprocessing``: the standard library's ``multiprocessing``, under torch's name.
Tensors are NumPy arrays, pickled when they travel between processes; ``Tensor.share_memory_()``
returns the tensor itself."""
import multiprocessing as _mp
from multiprocessing import *  # noqa: F401,F403  (torch.multiprocessing re-exports it too)

__all__ = list(_mp.__all__) + ["get_sharing_strategy", "set_sharing_strategy",
                               "get_all_sharing_strategies", "spawn"]

_strategy = ["file_descriptor"]


def get_all_sharing_strategies():
    return {"file_descriptor", "file_system"}


def get_sharing_strategy():
    return _strategy[0]


def set_sharing_strategy(new_strategy):
    if new_strategy not in get_all_sharing_strategies():
        raise AssertionError(new_strategy)
    _strategy[0] = new_strategy


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Starts ``nprocs`` processes running ``fn(i, *args)`` and (with ``join``) waits for them."""
    context = _mp.get_context(start_method)
    processes = [context.Process(target=fn, args=(i,) + tuple(args), daemon=daemon)
                 for i in range(nprocs)]
    for p in processes:
        p.start()
    if not join:
        return processes
    for p in processes:
        p.join()
    failed = [p for p in processes if p.exitcode != 0]
    if failed:
        raise RuntimeError("process {} terminated with exit code {}".format(
            processes.index(failed[0]), failed[0].exitcode))
    return None
