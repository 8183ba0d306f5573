"""``skip_init``: builds a module without spending time (or random numbers) on initial values."""
import inspect

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs):
    """``module_cls(*args, **kwargs)`` whose parameters are left uninitialized: their values
    are unspecified and must be set by the caller.  (torch builds the module on its "meta"
    device; ember builds it as usual and then gives back the random numbers it drew, so the
    random stream is the same as if nothing had been drawn.)"""
    from ... import get_rng_state, set_rng_state
    from ..modules.module import Module
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError("Expected a Module; got {}".format(module_cls))
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    kwargs.pop("device", None)
    state = get_rng_state()
    try:
        return module_cls(*args, **kwargs)
    finally:
        set_rng_state(state)
