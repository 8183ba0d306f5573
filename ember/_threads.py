"""How many threads ember computes with: ``torch.set_num_threads`` and its relatives.

ember's heavy work is NumPy's: matrix products and convolutions run in the BLAS library that
NumPy was built with (OpenBLAS, MKL ...), in that library's thread pool.  These functions size
that pool through threadpoolctl, the well-kept library for it (``pip install 'ember[threads]'``),
imported on first use.  Without threadpoolctl the pools cannot be sized from Python: setting
warns once and only records the number.

ember has no thread pool of its own between operations, so the inter-op threads of torch are
only recorded (``set_num_interop_threads`` may be called once, before any is used, as in torch).
"""
import os
import warnings

_threads = {"intra": None, "interop": None}
_limiter = []           # the threadpoolctl limit in force (kept so that it stays in force)


def _threadpoolctl():
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def _check(n, fn):
    if isinstance(n, bool) or not isinstance(n, int):
        raise RuntimeError("{} expects an int, but got {}".format(fn, type(n).__name__))
    if n <= 0:
        raise RuntimeError("{} expects a positive integer".format(fn))


def set_num_threads(n):
    """Sets the number of threads that matrix products and convolutions use."""
    _check(n, "set_num_threads")
    tpc = _threadpoolctl()
    if tpc is None:
        warnings.warn("ember.set_num_threads needs threadpoolctl to size NumPy's BLAS thread "
                      "pool (pip install 'ember[threads]'); the number is only recorded",
                      RuntimeWarning, stacklevel=2)
    else:
        _limiter[:] = [tpc.threadpool_limits(limits=n)]
    _threads["intra"] = n


def get_num_threads():
    """The number of threads that matrix products and convolutions use: the one set, else the
    size of the BLAS pool (all cores, unless the environment says otherwise)."""
    if _threads["intra"] is not None:
        return _threads["intra"]
    tpc = _threadpoolctl()
    if tpc is not None:
        sizes = [pool["num_threads"] for pool in tpc.threadpool_info()
                 if pool["user_api"] == "blas"]
        if sizes:
            return max(sizes)
    return os.cpu_count() or 1


def set_num_interop_threads(n):
    """Records the number of threads for running independent operations side by side (ember
    runs them one after another); torch allows it once, before any is used."""
    _check(n, "set_num_interop_threads")
    if _threads["interop"] is not None:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work has "
                           "started or set_num_interop_threads called")
    _threads["interop"] = n


def get_num_interop_threads():
    return _threads["interop"] or os.cpu_count() or 1
