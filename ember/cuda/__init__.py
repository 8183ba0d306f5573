"""``ember.cuda``: ember has no GPU device (yet), and says so the way a CPU-only torch does:
every name of torch's CPU build exists, and gives the same answer (``is_available()`` is False,
memory counters are 0, seeding does nothing) or the same error (``current_device()``: "Torch
not compiled with CUDA enabled").

Course code often starts with ``device = "cuda" if torch.cuda.is_available() else "cpu"``;
that line works unchanged and picks the CPU."""
import collections
import warnings

from .._device import device as _device_type
from .streams import (BoolTensor, ByteTensor, CharTensor, CUDAGraph, DoubleTensor,  # noqa: F401
                      Event, FloatTensor, HalfTensor, IntTensor, LongTensor, MemPool, ShortTensor,
                      Stream, StreamContext, current_stream, default_stream, graph,
                      graph_pool_handle, is_current_stream_capturing, set_stream, stream,
                      use_mem_pool)

_NOT_COMPILED = "Torch not compiled with CUDA enabled"


def _unavailable(*args, **kwargs):
    raise AssertionError(_NOT_COMPILED)


def _missing_binding(name):
    """What torch's CPU build raises where it calls straight into its absent CUDA bindings."""
    raise AttributeError("module 'torch._C' has no attribute '{}'".format(name))


def is_available():
    """False: ember computes on the CPU with NumPy."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def is_bf16_supported(including_emulation=True):
    return False


def get_arch_list():
    return []


def get_gencode_flags():
    return ""


def is_tf32_supported():
    return False


has_half = True
has_magma = False
default_generators = ()


class OutOfMemoryError(RuntimeError):
    """Raised when the GPU has no memory left (never, here)."""


def _needs_nvml(*args, **kwargs):
    raise ModuleNotFoundError("nvidia-ml-py does not seem to be installed or it can't be "
                              "imported.")


clock_rate = device_memory_used = memory_usage = power_draw = temperature = utilization = \
    _needs_nvml


def list_gpu_processes(device=None):
    return "pynvml module not found, please install nvidia-ml-py"


def current_device():
    _unavailable()


def init():
    _unavailable()


def set_device(device):
    _missing_binding("_cuda_setDevice")


def synchronize(device=None):
    _unavailable()


def get_device_name(device=None):
    _unavailable()


def get_device_properties(device=None):
    _unavailable()


def get_device_capability(device=None):
    _unavailable()


def mem_get_info(device=None):
    _unavailable()


can_device_access_peer = current_blas_handle = cudart = get_stream_from_external = _unavailable
get_per_process_memory_fraction = set_per_process_memory_fraction = _unavailable
get_sync_debug_mode = set_sync_debug_mode = caching_allocator_alloc = _unavailable


def ipc_collect():
    _unavailable()


# ------------------------------------------------------------------ random numbers

def manual_seed(seed):
    """Seeding the (absent) GPUs does nothing, as on a CPU-only torch."""


def manual_seed_all(seed):
    """Seeding the (absent) GPUs does nothing, as on a CPU-only torch."""


def seed():
    """Seeding the (absent) GPUs does nothing."""


def seed_all():
    """Seeding the (absent) GPUs does nothing."""


def initial_seed():
    _unavailable()


def get_rng_state(device="cuda"):
    _unavailable()


def set_rng_state(new_state, device="cuda"):
    """Copies the state and queues it for a GPU that never comes, as a CPU-only torch does."""
    new_state.clone()


def get_rng_state_all():
    return []


def set_rng_state_all(new_states):
    """Does nothing: there are no GPUs to set."""


# ------------------------------------------------------------------ memory

def empty_cache():
    """Nothing is cached: does nothing."""


def memory_allocated(device=None):
    return 0


def max_memory_allocated(device=None):
    return 0


def memory_reserved(device=None):
    return 0


def max_memory_reserved(device=None):
    return 0


def memory_cached(device=None):
    warnings.warn("`torch.cuda.memory_cached` has been renamed to `torch.cuda.memory_reserved`",
                  FutureWarning, stacklevel=2)
    return 0


def max_memory_cached(device=None):
    warnings.warn("`torch.cuda.max_memory_cached` has been renamed to "
                  "`torch.cuda.max_memory_reserved`", FutureWarning, stacklevel=2)
    return 0


def memory_stats(device=None):
    return collections.OrderedDict()


def host_memory_stats():
    return collections.OrderedDict()


def memory_stats_as_nested_dict(device=None):
    return {}


def host_memory_stats_as_nested_dict():
    return {}


def reset_peak_memory_stats(device=None):
    _missing_binding("_cuda_resetPeakMemoryStats")


def reset_max_memory_allocated(device=None):
    warnings.warn("torch.cuda.reset_max_memory_allocated now calls "
                  "torch.cuda.reset_peak_memory_stats, which resets /all/ peak memory stats.",
                  FutureWarning, stacklevel=2)
    reset_peak_memory_stats(device)


def reset_max_memory_cached(device=None):
    warnings.warn("torch.cuda.reset_max_memory_cached now calls "
                  "torch.cuda.reset_peak_memory_stats, which resets /all/ peak memory stats.",
                  FutureWarning, stacklevel=2)
    reset_peak_memory_stats(device)


def reset_accumulated_memory_stats(device=None):
    _missing_binding("_cuda_resetAccumulatedMemoryStats")


def memory_snapshot(mempool_id=None):
    _missing_binding("_cuda_memorySnapshot")


def memory_summary(device=None, abbreviated=False):
    raise KeyError("allocated_bytes.all.current")


class device_of:
    """``with torch.cuda.device_of(t):`` -- for a CPU tensor (all there is here) nothing."""

    def __init__(self, obj):
        self.idx = -1

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


class device:
    """``with torch.cuda.device(i):`` -- a context that switches GPUs; there are none."""

    def __init__(self, device):
        self.idx = device.index if isinstance(device, _device_type) else device

    def __enter__(self):
        raise RuntimeError("PyTorch was compiled without CUDA support")

    def __exit__(self, *exc):
        return False


def __getattr__(name):
    if name == "amp":
        import importlib
        return importlib.import_module(".amp", __name__)
    raise AttributeError("module 'ember.cuda' has no attribute '{}'".format(name))
