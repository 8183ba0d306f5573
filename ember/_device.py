"""``ember.device``: where a tensor's memory lives, and the array library that computes there.

A tensor's data is an array of its device's library: a NumPy ndarray on the CPU.  The device of a
tensor is read off the type of its array (:func:`of_array`), so it needs no field of its own.
Operations reach the library in two ways, both through this module's backends:

* functions of existing arrays (``np.add(a, b)``, ``np.concatenate``, ``a.sum()``) dispatch to the
  arrays' own library through NumPy's protocols (``__array_ufunc__``, ``__array_function__``),
  which libraries such as CuPy implement: an op computes on its inputs' device unchanged;
* arrays made from nothing (``zeros``, ``arange``, ``tensor([...])``) are made on the CPU and
  placed on the requested device by :func:`place`.

A backend is registered with :func:`register_backend`.  ember ships only the CPU's (NumPy); a
CUDA device would be CuPy's arrays registered under ``"cuda"``.  Mixing devices in one operation
is refused by the device's array type with torch's message (:func:`mixed_devices_error`).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Union

import numpy as np
from . import _errors


# torch's device types, in the order its error message lists them
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")


class device:
    """A device such as ``device('cpu')``.  Only the CPU exists in ember today."""

    __slots__ = ("type", "index")

    type: str
    index: Optional[int]

    def __init__(self, type: Union[str, device] = "cpu", index: Optional[int] = None) -> None:
        if isinstance(type, device):
            kind, index = type.type, type.index
        else:
            kind = type
        if ":" in kind:
            kind, _, idx = kind.partition(":")
            index = int(idx)
        if kind not in DEVICE_TYPES:
            raise RuntimeError("Expected one of {} device type at start of device string: {}"
                               .format(", ".join(DEVICE_TYPES), kind))
        self.type = kind
        self.index = index

    def __repr__(self):
        if self.index is None:
            return "device(type='{}')".format(self.type)
        return "device(type='{}', index={})".format(self.type, self.index)

    def __str__(self):
        return self.type if self.index is None else "{}:{}".format(self.type, self.index)

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


class Backend:
    """The arrays of one device: ``array_type`` (their type), ``to_device`` (a NumPy array onto
    the device) and ``to_numpy`` (back to the CPU)."""

    def __init__(self, device: device, array_type: type, to_device: Callable[[Any], Any],
                 to_numpy: Callable[[Any], Any]) -> None:
        self.device, self.array_type = device, array_type
        self.to_device, self.to_numpy = to_device, to_numpy


_BACKENDS: Dict[str, Backend] = {"cpu": Backend(CPU, np.ndarray, np.asarray, np.asarray)}
_DEVICE_OF_TYPE: Dict[type, device] = {np.ndarray: CPU}


def register_backend(name: str, array_type: type, to_device: Callable[[Any], Any],
                     to_numpy: Callable[[Any], Any]) -> device:
    """Makes ``device(name)`` usable: its tensors hold arrays of ``array_type``."""
    d = device(name)
    _BACKENDS[d.type] = Backend(d, array_type, to_device, to_numpy)
    _DEVICE_OF_TYPE[array_type] = d
    return d


def unregister_backend(name: str) -> None:
    backend = _BACKENDS.pop(name)
    del _DEVICE_OF_TYPE[backend.array_type]


def of_array(array: Any) -> device:
    """The device whose library made ``array`` (NumPy's arrays and scalars: the CPU)."""
    return _DEVICE_OF_TYPE.get(array.__class__, CPU)


def place(array: Any, dev: device) -> Any:
    """``array`` (made on the CPU) on the device ``dev`` (a checked device)."""
    if dev is CPU:
        return array
    return _BACKENDS[dev.type].to_device(array)


def move(array: Any, dev: device) -> Any:
    """``array``, from whatever device, on ``dev``."""
    source = of_array(array)
    if source == dev:
        return array
    if source is not CPU:
        array = _BACKENDS[source.type].to_numpy(array)
    return place(array, dev)


def mixed_devices_error(first: object, second: object) -> RuntimeError:
    """torch's error for an operation on tensors of two devices."""
    return RuntimeError("Expected all tensors to be on the same device, but found at least two "
                        "devices, {} and {}!".format(first, second))


def check(dev: Union[None, str, device]) -> device:
    """The device ``dev`` names (None means the CPU); torch's error for one ember lacks."""
    if dev is None or dev is CPU or dev == "cpu":
        return CPU
    d = dev if isinstance(dev, device) else device(dev)
    backend = _BACKENDS.get(d.type)
    if backend is not None:
        return backend.device
    if d.type == "cuda":
        raise _errors.no_cuda()
    raise RuntimeError("ember supports only the 'cpu' device, not '{}'".format(d))
