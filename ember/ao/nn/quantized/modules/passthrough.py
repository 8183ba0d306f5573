"""Float layers that a converted model keeps -- ``ReLU``, ``MaxPool2d``, ``AvgPool2d``,
``AdaptiveAvgPool2d``, ``Flatten`` -- taught to keep a quantized input quantized.

torch keeps these modules as they are, because its functions dispatch on the quantized tensor.
ember's functions take no such detour (an ordinary tensor pays nothing for quantization), so
``convert`` gives these modules the subclasses below instead: same name, same repr, and a
forward that works on the integers (relu, max pooling, flattening) or requantizes exactly with
the input's parameters (average pooling).  Float inputs go to the float layer unchanged.
"""
import numpy as np

from ..... import nn
from ....._quantized.qtensor import QTensor, quantize_array

__all__ = ["QUANTIZED_AWARE", "keeps_quantized"]


def _requantized(x, real):
    """``real`` (values computed from ``x``'s) quantized with ``x``'s parameters."""
    return x._like(quantize_array(np.asarray(real, np.float32), x._scale, x._zero_point,
                                  x.dtype))


class ReLU(nn.ReLU):
    __doc__ = nn.ReLU.__doc__

    def forward(self, input):
        if isinstance(input, QTensor):
            return input.relu()
        return super().forward(input)


def _pooled(layer_class):
    class Pooled(layer_class):
        __doc__ = layer_class.__doc__

        def forward(self, input):
            if isinstance(input, QTensor):
                # the pooled real values lie on (max) or between (average) the input's grid
                input._per_tensor()
                return _requantized(input, super().forward(input.dequantize())._array)
            return super().forward(input)

    Pooled.__name__ = Pooled.__qualname__ = layer_class.__name__
    return Pooled


MaxPool2d = _pooled(nn.MaxPool2d)
AvgPool2d = _pooled(nn.AvgPool2d)
AdaptiveAvgPool2d = _pooled(nn.AdaptiveAvgPool2d)
# Flatten already calls input.flatten(), which a QTensor keeps quantized.

QUANTIZED_AWARE = {nn.ReLU: ReLU, nn.MaxPool2d: MaxPool2d, nn.AvgPool2d: AvgPool2d,
                   nn.AdaptiveAvgPool2d: AdaptiveAvgPool2d}


def keeps_quantized(module):
    """Gives ``module`` (one of the float layers above, exactly that class) the subclass that
    keeps quantized inputs quantized; other modules are left alone."""
    cls = QUANTIZED_AWARE.get(type(module))
    if cls is not None:
        module.__class__ = cls
    return module
