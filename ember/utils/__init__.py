"""``ember.utils``: the libraries around the core, as in ``torch.utils``.

* ``ember.utils.data`` -- datasets, samplers and the DataLoader;
* ``ember.utils.safetensors`` -- reading and writing the safetensors format (optional extra).

Both are imported on first use, so that ``import ember`` stays light.
"""
import importlib

_SUBMODULES = ("data", "safetensors")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module("." + name, __name__)
        globals()[name] = module
        return module
    raise AttributeError("module 'ember.utils' has no attribute '{}'".format(name))


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
