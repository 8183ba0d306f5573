"""The deprecation warnings of the older linear-algebra functions (``torch.qr``, ``torch.lu``
...), given as torch gives them: once per process (TORCH_WARN_ONCE)."""
import warnings

_given = set()


def warn_once(message):
    """A UserWarning with ``message``, the first time only."""
    if message not in _given:
        _given.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)
