"""``autocast``: mixed precision on the CPU, as ``torch.autocast(device_type="cpu")`` does it.

Inside ``with ember.autocast("cpu"):`` the matrix products and convolutions of
:mod:`ember.amp.op_lists` cast their floating inputs to the autocast dtype (bfloat16 unless told),
and the losses and solvers listed there cast theirs to float32; every other operation runs as
usual.  The casts are ordinary ``to()`` calls, so gradients flow back through them to the float32
parameters (a ``ToCopyBackward0`` node each).

How: the first time autocast is entered, the public functions of the lists are wrapped where they
are published (``ember.mm``, ``Tensor.mm``, ``F.linear`` ...).  A wrapper looks at this thread's
autocast state and, when it is off, calls the function unchanged.
"""
import functools
import threading
import warnings

from .. import _dtype, _lowprec
from .._tensor import Tensor
from . import op_lists

__all__ = ["autocast", "is_autocast_available", "is_autocast_enabled", "get_autocast_dtype",
           "set_autocast_enabled", "set_autocast_dtype"]

_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")


class _State(threading.local):
    """Autocast is per thread, as in torch: a thread starts with it off."""

    def __init__(self):
        self.enabled = False
        self.dtype = _lowprec.bfloat16


_state = _State()


def _check_device(device_type):
    """The device type of a device string ('cpu' of 'cpu:0'); torch's errors otherwise."""
    name, _, index = device_type.partition(":")
    if name in _DEVICE_TYPES and (not index or index.isdigit()):
        return name
    if any(device_type.startswith(known) for known in _DEVICE_TYPES):
        raise RuntimeError("Invalid device string: '{}'".format(device_type))
    raise RuntimeError("Expected one of {} device type at start of device string: {}".format(
        ", ".join(_DEVICE_TYPES), device_type))


def is_autocast_available(device_type):
    """Whether autocast can run on ``device_type`` (ember: the CPU only)."""
    return device_type == "cpu"


def is_autocast_enabled(device_type=None):
    """Whether autocast is on for ``device_type`` in this thread (no argument: CUDA, as torch)."""
    if device_type is None:
        return False
    _check_device(device_type)
    return device_type == "cpu" and _state.enabled


def get_autocast_dtype(device_type):
    """The dtype autocast casts to on ``device_type`` (bfloat16 on the CPU unless set)."""
    _check_device(device_type)
    return _state.dtype if device_type == "cpu" else _dtype.float16


def set_autocast_enabled(device_type, enabled):
    _check_device(device_type)
    if device_type == "cpu":
        _install()
        _state.enabled = bool(enabled)


def set_autocast_dtype(device_type, dtype):
    _check_device(device_type)
    if device_type == "cpu":
        _state.dtype = dtype


class autocast:
    """Context manager (and decorator) that runs the listed operations in lower precision.

    Args:
        device_type: ``"cpu"`` (another device is refused with torch's warning: ember has none).
        dtype: ``torch.bfloat16`` (default) or ``torch.float16``.
        enabled: ``False`` turns autocast off inside the region.
        cache_enabled: accepted for torch's signature; ember caches no casts.

    Example::

        >>> with torch.autocast(device_type="cpu"):
        ...     y = model(x)              # Linear layers compute in bfloat16
        >>> loss = F.mse_loss(y, t)       # float32 (mse_loss is on the float32 list anyway)
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError("Expected `device_type` of type `str`, got: `{}`".format(
                type(device_type)))
        device_type = _check_device(device_type)
        self.device = device_type
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self._cache_enabled = True if cache_enabled is None else cache_enabled
        if enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.")
            enabled = False
        elif enabled and device_type != "cpu":
            warnings.warn("User specified an unsupported autocast device_type '{}'".format(
                device_type))
            enabled = False
        elif enabled and self.fast_dtype not in (_lowprec.bfloat16, _dtype.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of torch.bfloat16, "
                          "torch.float16 currently.")
            enabled = False
        self._enabled = enabled

    def __enter__(self):
        if self.device != "cpu":
            self._saved = None
            return self
        _install()
        self._saved = (_state.enabled, _state.dtype)
        _state.enabled = self._enabled
        if self._enabled:
            _state.dtype = self.fast_dtype
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._saved is not None:
            _state.enabled, _state.dtype = self._saved
        return False

    def __call__(self, func):
        """Used as a decorator: ``func`` runs inside this autocast region."""
        @functools.wraps(func)
        def run_autocast(*args, **kwargs):
            with autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled):
                return func(*args, **kwargs)
        return run_autocast


# ---------------------------------------------------------------- the wrappers


def _cast(value, dtype, eligible):
    if isinstance(value, Tensor):
        return value.to(dtype) if value.dtype in eligible and value.dtype is not dtype else value
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Tensor):
        return type(value)(_cast(v, dtype, eligible) for v in value)
    return value


def _pad_in_float32(args, kwargs):
    mode = kwargs.get("mode", args[2] if len(args) > 2 else "constant")
    return mode in op_lists.PAD_FLOAT32_MODES


def _wrap(fn, lower, applies=None):
    """``fn`` casting its floating tensors first while autocast is on (never with ``out=``;
    ``applies(args, kwargs)`` may decline a call)."""
    @functools.wraps(fn)
    def autocast_wrapper(*args, **kwargs):
        state = _state
        if (not state.enabled or kwargs.get("out") is not None
                or applies is not None and not applies(args, kwargs)):
            return fn(*args, **kwargs)
        if lower:
            dtype, eligible = state.dtype, (_dtype.float32, _dtype.float16, _lowprec.bfloat16)
        else:
            dtype, eligible = _dtype.float32, (_dtype.float16, _lowprec.bfloat16)
        args = [_cast(a, dtype, eligible) for a in args]
        kwargs = {k: _cast(v, dtype, eligible) for k, v in kwargs.items()}
        return fn(*args, **kwargs)
    return autocast_wrapper


_installed = []


def _install():
    """Wraps the listed functions where they are public (once per process)."""
    if _installed:
        return
    import ember
    from ember import linalg
    from ember.nn import functional as F
    from ember.nn.modules import conv
    namespaces = {"torch": ember, "Tensor": Tensor, "F": F, "linalg": linalg}
    wrapped = {}
    for table, lower in ((op_lists.LOWER_PRECISION, True), (op_lists.FLOAT32, False)):
        for name, places in table.items():
            for place in places:
                fn = getattr(namespaces[place], name, None)
                if fn is not None:
                    if fn not in wrapped:
                        wrapped[fn] = _wrap(fn, lower)
                    setattr(namespaces[place], name, wrapped[fn])
    F.pad = _wrap(F.pad, False, _pad_in_float32)
    Tensor.__matmul__ = wrapped[Tensor.__matmul__]
    Tensor.__rmatmul__ = _wrap(Tensor.__rmatmul__, True)
    for cls in vars(conv).values():          # Conv2d ... keep their functional in a class field
        functional = cls.__dict__.get("_functional") if isinstance(cls, type) else None
        if functional is not None and functional.__func__ in wrapped:
            cls._functional = staticmethod(wrapped[functional.__func__])
    _installed.append(True)
