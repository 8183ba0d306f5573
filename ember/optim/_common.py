"""What the optimizers share besides the ``Optimizer`` base class: torch's checks of the
hyper-parameters, and the small pieces their update rules are written with (state buffers, the
step counter, an in-place lerp).  Every array here is a NumPy array; see ``optimizer.py``."""
import numpy as np

from .. import _dtype
from .._tensor import Tensor


def scalar(x):
    """A hyper-parameter as a Python number (it may be given as a one-element tensor)."""
    return x.item() if isinstance(x, Tensor) else x


def check_lr(lr):
    """torch's checks of the learning rate."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError("Invalid learning rate: {}".format(lr))


def check_hyperparameters(**values):
    """torch's checks of an optimizer's hyper-parameters, made in the order given: ``lr`` as
    ``check_lr``; each of the two ``betas`` in [0, 1); ``rho`` in [0, 1]; any other (``eps``,
    ``weight_decay``, ``momentum`` ...) not negative."""
    for name, value in values.items():
        if name == "lr":
            check_lr(value)
        elif name == "betas":
            for i, beta in enumerate(value[:2]):
                if not 0.0 <= beta < 1.0:
                    raise ValueError("Invalid beta parameter at index {}: {}".format(i, beta))
        elif name == "rho":
            if not 0.0 <= value <= 1.0:
                raise ValueError("Invalid rho value: {}".format(value))
        elif not 0.0 <= value:
            raise ValueError("Invalid {} value: {}".format(
                "epsilon" if name == "eps" else name, value))


def zeros_state(p):
    """A state buffer shaped like parameter ``p``, full of zeros."""
    return Tensor._make(np.zeros_like(p._array))


def step_state(value=0.0):
    """The step counter that torch keeps as a 0-d float tensor (float64 when that is the
    default dtype)."""
    dtype = np.float64 if _dtype.get_default_dtype() is _dtype.float64 else np.float32
    return Tensor._make(np.array(value, dtype=dtype))


def lerp_(start, end, weight):
    """``start += weight * (end - start)`` in place, computed from whichever end is nearer
    (torch's lerp), so that exponential moving averages round as torch's do."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        np.subtract(end, (end - start) * (1 - weight), out=start)
