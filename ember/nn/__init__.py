"""``ember.nn``: building blocks for neural networks.

* :class:`Module` (``modules/module.py``) -- the base class of layers and models: it registers
  the parameters and sub-modules you assign to it;
* :class:`Parameter` (``parameter.py``) -- a tensor that a module trains;
* the layers (``modules/``): ``Linear``, ``Conv2d``, ``ReLU``, ``MSELoss``, ``Sequential`` ...;
* :mod:`functional` -- the same operations as plain functions (``F.relu``, ``F.cross_entropy``);
* :mod:`init` -- weight initialisation; :mod:`utils` -- gradient clipping and friends.
"""
from .modules import *          # noqa: F401,F403
from .parameter import Buffer, Parameter
from .parameter_lazy import UninitializedBuffer, UninitializedParameter
from . import functional, init, modules, parallel, parameter, utils
from .parallel import DataParallel

__all__ = modules.__all__ + ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer",
                             "DataParallel", "functional", "init", "parallel", "parameter",
                             "utils"]


def __getattr__(name):
    # torch.nn.quantized is torch.ao.nn.quantized, loaded on first use (ao imports nn)
    if name == "quantized":
        from ..ao.nn import quantized
        return quantized
    raise AttributeError("module 'ember.nn' has no attribute '{}'".format(name))
