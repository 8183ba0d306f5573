"""``ember.ao.nn.quantized`` (also ``ember.nn.quantized``): the layers of a quantized model,
and in :mod:`.dynamic` those of a dynamically quantized one."""
from .modules import (Conv2d, DeQuantize, FloatFunctional, Linear, LinearPackedParams,
                      QFunctional, Quantize)
from . import dynamic

__all__ = ["Conv2d", "Linear", "LinearPackedParams", "Quantize", "DeQuantize",
           "FloatFunctional", "QFunctional", "dynamic"]
