"""The layers of a quantized model (``ember.ao.nn.quantized``)."""
from .conv import Conv2d
from .functional_modules import FloatFunctional, QFunctional
from .linear import Linear, LinearPackedParams
from .stubs import DeQuantize, Quantize

__all__ = ["Conv2d", "Linear", "LinearPackedParams", "Quantize", "DeQuantize",
           "FloatFunctional", "QFunctional"]
