"""``ember.amp``: automatic mixed precision on the CPU -- :class:`autocast` runs matrix products
and convolutions in bfloat16 (or float16), and :class:`GradScaler` scales a loss so that small
gradients survive a low-precision backward pass."""
from .autocast_mode import (autocast, get_autocast_dtype, is_autocast_available,
                            is_autocast_enabled, set_autocast_dtype, set_autocast_enabled)
from .grad_scaler import GradScaler

__all__ = ["autocast", "GradScaler", "is_autocast_available", "is_autocast_enabled",
           "get_autocast_dtype", "set_autocast_enabled", "set_autocast_dtype"]
