"""``ember.nn.quantized``: the older name of :mod:`ember.ao.nn.quantized` (as in torch)."""
from ...ao.nn.quantized import *  # noqa: F401,F403
from ...ao.nn.quantized import __all__, dynamic  # noqa: F401
