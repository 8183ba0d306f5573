"""``ember.nn.functional`` (``import ember.nn.functional as F``): the layers as plain functions.

The functions live with their operations in ``ember/_ops``; each operation family lists in
``FUNCTIONAL`` the names it contributes here (``F.relu``, ``F.cross_entropy``, ``F.conv2d`` ...).
"""
from ... import _ops

__all__ = []
for _family in _ops.FAMILIES + _ops.nn_families():
    for _name in _family.FUNCTIONAL:
        globals()[_name] = getattr(_family, _name)
        __all__.append(_name)
del _family, _name
