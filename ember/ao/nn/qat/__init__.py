"""``ember.ao.nn.qat``: float layers with fake-quantized weights, for quantization-aware
training (``prepare_qat`` puts them in)."""
from .modules import Conv2d, Linear

__all__ = ["Linear", "Conv2d"]
