"""``GradScaler``: loss scaling, so that small gradients survive a low-precision backward pass.

Each iteration: ``scaler.scale(loss).backward()`` multiplies the loss (and so every gradient) by
the scale; ``scaler.step(optimizer)`` divides the gradients by it again (``unscale_``) and runs
the optimizer only if they are all finite; ``scaler.update()`` halves the scale after an
overflow (``backoff_factor``) and doubles it after ``growth_interval`` clean steps in a row
(``growth_factor``) -- the scale settles just below the largest value that does not overflow.
"""
import math
import warnings

import numpy as np

from .. import _dtype
from .._device import device
from .._ops.core.inplace import writable
from .._ops.creation.from_data import tensor as _tensor
from .._tensor import Tensor

__all__ = ["GradScaler"]

_READY, _UNSCALED, _STEPPED = 0, 1, 2
_FIX = ("This may indicate your script did not use scaler.scale(loss or outputs) earlier in the "
        "iteration.")


class GradScaler:
    """Scales losses and unscales gradients (``torch.amp.GradScaler``).

    Args:
        device: ``"cpu"`` (``"cuda"``, the default, is disabled with torch's warning).
        init_scale: the first scale (2 ** 16).
        growth_factor: the scale is multiplied by this after ``growth_interval`` clean steps.
        backoff_factor: the scale is multiplied by this after a step with inf or nan gradients.
        growth_interval: clean steps between two growths (2000).
        enabled: ``False`` makes every method do nothing (``scale`` returns its input).

    Example::

        >>> scaler = torch.amp.GradScaler("cpu")
        >>> scaler.scale(loss).backward()
        >>> scaler.step(optimizer)
        >>> scaler.update()
    """

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled:
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.")
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
            self._init_scale = init_scale
            self._scale = None                       # made on the first scale()
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None
            self._per_optimizer_states = {}

    # ------------------------------------------------------------ scaling

    def _check_scale_growth_tracker(self, funcname):
        if self._scale is None:
            raise AssertionError("Attempted {} but _scale is None.  ".format(funcname) + _FIX)
        if self._growth_tracker is None:
            raise AssertionError("Attempted {} but _growth_tracker is None.  ".format(funcname)
                                 + _FIX)

    def scale(self, outputs):
        """``outputs`` (a tensor, or lists and tuples of them) multiplied by the scale."""
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = _tensor(self._init_scale, dtype=_dtype.float32)
            self._growth_tracker = _tensor(self._init_growth_tracker, dtype=_dtype.int32)
        if isinstance(outputs, Tensor):
            return outputs * self._scale
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _state(self, optimizer):
        return self._per_optimizer_states.setdefault(
            id(optimizer), {"stage": _READY, "found_inf_per_device": {}})

    def unscale_(self, optimizer):
        """Divides the gradients of ``optimizer``'s parameters by the scale, in place, and notes
        whether any of them is inf or nan (once per iteration)."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("unscale_")
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since the "
                               "last update().")
        if state["stage"] == _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = np.float32(1.0 / float(self._scale._array))    # torch: in double, then float
        found_inf = False
        grads = [p.grad for group in optimizer.param_groups for p in group["params"]
                 if p.grad is not None]
        if any(g.dtype is _dtype.float16 for g in grads):
            raise ValueError("Attempting to unscale FP16 gradients.")
        for g in grads:
            array = writable(g)
            found_inf = found_inf or not np.isfinite(array.astype(np.float32)).all()
            np.multiply(array, inv_scale, out=array, casting="unsafe")
        # torch keeps one flag per device that holds gradients: none without gradients
        state["found_inf_per_device"] = {device("cpu"): _tensor(float(found_inf))} if grads else {}
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """Unscales the gradients (unless ``unscale_`` already did) and runs
        ``optimizer.step(*args, **kwargs)`` if they are all finite; returns what it returns."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scale_growth_tracker("step")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        if not state["found_inf_per_device"]:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        result = None
        if not sum(float(v._array) for v in state["found_inf_per_device"].values()):
            result = optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale=None):
        """Backs the scale off after an overflow, grows it after ``growth_interval`` clean
        steps; or sets it to ``new_scale`` (a float or a one-element float32 tensor)."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("update")
        if new_scale is not None:
            if isinstance(new_scale, float):
                self._scale = _tensor(new_scale, dtype=_dtype.float32)
            else:
                if not (isinstance(new_scale, Tensor) and new_scale.numel() == 1
                        and not new_scale.requires_grad):
                    raise AssertionError(
                        "new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                        "torch.FloatTensor with requires_grad=False.")
                self._scale = _tensor(float(new_scale._array.reshape(())),
                                      dtype=_dtype.float32)
        else:
            found = [v for state in self._per_optimizer_states.values()
                     for v in state["found_inf_per_device"].values()]
            if not found:
                raise AssertionError("No inf checks were recorded prior to update.")
            self._update_scale(any(float(v._array) for v in found))
        self._per_optimizer_states = {}

    def _update_scale(self, found_inf):
        scale = np.float32(self._scale._array)
        tracker = int(self._growth_tracker._array)
        if found_inf:
            scale, tracker = scale * np.float32(self._backoff_factor), 0
        elif tracker + 1 == self._growth_interval:
            grown = scale * np.float32(self._growth_factor)
            scale, tracker = (grown if math.isfinite(grown) else scale), 0
        else:
            tracker += 1
        self._scale = _tensor(float(scale), dtype=_dtype.float32)
        self._growth_tracker = _tensor(tracker, dtype=_dtype.int32)

    # ------------------------------------------------------------ settings and state

    def get_scale(self):
        """The current scale as a Python float (1.0 when disabled)."""
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else float(self._scale._array)

    def get_growth_factor(self):
        return self._growth_factor

    def set_growth_factor(self, new_factor):
        self._growth_factor = new_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def set_backoff_factor(self, new_factor):
        self._backoff_factor = new_factor

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_interval(self, new_interval):
        self._growth_interval = new_interval

    def _get_growth_tracker(self):
        if self._growth_tracker is None:
            return self._init_growth_tracker
        return int(self._growth_tracker._array)

    def is_enabled(self):
        return self._enabled

    def state_dict(self):
        """scale, growth_factor, backoff_factor, growth_interval and _growth_tracker ({} when
        disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._get_growth_tracker()}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._scale is not None:
            self._scale = _tensor(self._init_scale, dtype=_dtype.float32)
        if self._growth_tracker is not None:
            self._growth_tracker = _tensor(self._init_growth_tracker, dtype=_dtype.int32)
