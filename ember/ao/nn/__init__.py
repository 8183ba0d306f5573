"""``ember.ao.nn``: quantized (:mod:`.quantized`, :mod:`.quantized.dynamic`) and
quantization-aware-training (:mod:`.qat`) layers."""
from . import qat, quantized

__all__ = ["quantized", "qat"]
