"""``ember.cuda``: ember has no GPU device (yet), and says so the way a CPU-only torch does:
every name of torch's CPU build exists, and gives the same answer (``is_available()`` is False,
memory counters are 0, seeding does nothing) or the same error (``current_device()``: "Torch
not compiled with CUDA enabled").

Course code often starts with ``device = "cuda" if torch.cuda.is_available() else "cpu"``;
that line works unchanged and picks the CPU."""
import warnings

from .._device import device as _device_type

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
    import collections
    return collections.OrderedDict()


def reset_peak_memory_stats(device=None):
    _missing_binding("_cuda_resetPeakMemoryStats")


def memory_summary(device=None, abbreviated=False):
    raise KeyError("allocated_bytes.all.current")


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
