"""``ember.ao``: torch's "architecture optimization" namespace -- here, quantization
(:mod:`ember.ao.quantization`, :mod:`ember.ao.nn.quantized`).  Loaded only when used."""
import importlib

__all__ = ["quantization", "nn"]


def __getattr__(name):
    if name in __all__:
        module = importlib.import_module("." + name, __name__)
        globals()[name] = module
        return module
    raise AttributeError("module 'ember.ao' has no attribute '{}'".format(name))
