"""``ember.quantization``: the older name of :mod:`ember.ao.quantization` (as in torch)."""
from .ao.quantization import *  # noqa: F401,F403
from .ao.quantization import __all__  # noqa: F401
