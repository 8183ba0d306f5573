"""``Quantize`` and ``DeQuantize``: where a converted model crosses from floats to quantized
tensors and back (what ``QuantStub`` and ``DeQuantStub`` become)."""
import numpy as np

from ..... import _quantized as _q
from ....._tensor import Tensor
from .....nn.modules.module import Module

__all__ = ["Quantize", "DeQuantize"]


class Quantize(Module):
    """Quantizes its float input with a fixed ``scale`` and ``zero_point``."""

    def __init__(self, scale, zero_point, dtype, factory_kwargs=None):
        super().__init__()
        self.register_buffer("scale", Tensor._make(np.array([scale], np.float32)))
        self.register_buffer("zero_point", Tensor._make(np.array([zero_point], np.int64)))
        self.dtype = dtype

    def forward(self, X):
        return _q.quantize_per_tensor(X, float(self.scale._array[0]),
                                      int(self.zero_point._array[0]), self.dtype)

    @staticmethod
    def from_float(mod, use_precomputed_fake_quant=False):
        post = mod.activation_post_process
        scale, zero_point = post.calculate_qparams()
        return Quantize(float(scale.item()), int(zero_point.item()), post.dtype)

    def extra_repr(self):
        return "scale={}, zero_point={}, dtype={}".format(self.scale, self.zero_point,
                                                         self.dtype)


class DeQuantize(Module):
    """Turns its quantized input back into floats."""

    def forward(self, Xq):
        return Xq.dequantize()

    @staticmethod
    def from_float(mod, use_precomputed_fake_quant=False):
        return DeQuantize()
