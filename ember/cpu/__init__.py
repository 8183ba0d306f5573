"""``ember.cpu``: the CPU device's namespace; ``ember.cpu.amp`` holds torch's older spellings of
autocast and GradScaler."""
from . import amp  # noqa: F401


def is_available():
    """The CPU is always there."""
    return True


def device_count():
    return 1
