"""``ember.cuda``: ember has no GPU device (yet), and says so the way a CPU-only torch does.

Course code often starts with ``device = "cuda" if torch.cuda.is_available() else "cpu"``;
that line works unchanged and picks the CPU."""
from . import _errors

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "current_device",
           "synchronize"]


def is_available():
    """False: ember computes on the CPU with NumPy."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Seeding the (absent) GPUs does nothing, as on a CPU-only torch."""


def manual_seed_all(seed):
    """Seeding the (absent) GPUs does nothing, as on a CPU-only torch."""


def _unavailable():
    raise _errors.no_cuda()


def current_device():
    _unavailable()


def synchronize(device=None):
    _unavailable()
