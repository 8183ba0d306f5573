"""``ember.random``: the default generator's controls, as ``torch.random``.

``manual_seed``, ``seed``, ``initial_seed``, ``get_rng_state`` and ``set_rng_state`` are the
functions of ``ember`` itself; ``fork_rng`` runs a block of code and then puts the generator
back where it was, so that code drawing random numbers inside it changes nothing outside.
"""
import contextlib

from ._ops.creation.mt19937 import (Generator, default_generator, get_rng_state,  # noqa: F401
                                    initial_seed, manual_seed, seed, set_rng_state)

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state", "thread_safe_generator"]


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):
    """Forks the RNG, so that when you return, the RNG is reset to the state that it was
    previously in.

    Args:
        devices (iterable of Device IDs): devices for which to fork the RNG; the CPU generator
            is always forked (ember has no other device, so there is nothing else to fork).
        enabled (bool): if ``False``, the RNG is not forked.
        device_type (str): the accelerator's type (default ``"cuda"``).

    Example::

        >>> with ember.random.fork_rng():
        ...     noise = ember.randn(3)        # the default generator is restored afterwards
    """
    import ember
    if device_type == "meta" or not enabled:
        yield
        return
    device_type = device_type or "cuda"
    device_mod = getattr(ember, device_type, None)
    if device_mod is None:
        raise RuntimeError("torch has no module of `{}`, you should register a module by "
                           "`torch._register_device_module`.".format(device_type))
    devices = list(range(device_mod.device_count())) if devices is None else list(devices)
    device_states = [device_mod.get_rng_state(device) for device in devices]
    cpu_state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(cpu_state)
        for device, state in zip(devices, device_states):
            device_mod.set_rng_state(state, device)


def thread_safe_generator():
    """The generator of the current DataLoader thread worker, or None (the default generator).
    ember's DataLoader workers are processes, never threads, so it is always None."""
    return None
