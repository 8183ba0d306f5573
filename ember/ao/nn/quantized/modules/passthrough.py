"""Float layers that a converted model keeps -- ``ReLU``, ``MaxPool2d``, ``AvgPool2d``,
``AdaptiveAvgPool2d`` -- taught to keep a quantized input quantized (``Flatten`` needs
nothing: it calls ``input.flatten()``, a method ``QTensor`` keeps quantized).

torch keeps these modules as they are, because its functions dispatch on the quantized tensor.
ember's functions take no such detour (an ordinary tensor pays nothing for quantization), so
``convert`` gives these modules the subclasses below instead: same name, same repr, and a
forward that works on the integers, keeping the input's scale and zero point.  Float inputs
go to the float layer unchanged.  (A functional call in a model's own ``forward`` --
``F.relu(q)``, ``torch.flatten(q, 1)`` -- computes on ``q``'s real values and returns a float
tensor, which the next quantized layer refuses: write those steps as modules or methods.)
"""
import numpy as np

from ..... import nn
from ....._quantized.qtensor import QTensor, _saturate
from ....._tensor import Tensor

__all__ = ["QUANTIZED_AWARE", "keeps_quantized"]


def _pooled_integers(layer, x):
    """Pools the integers ``q - zero_point`` of ``x`` (in float64, where sums of integers are
    exact) and rounds the result half to even, as torch's quantized pooling does; the output
    keeps ``x``'s scale and zero point."""
    x._per_tensor()
    zero_point = np.float64(x._zero_point)
    pooled = layer(Tensor._make(x._int.astype(np.float64) - zero_point))._array
    return x._like(_saturate(np.rint(pooled) + zero_point, x.dtype))


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
                return _pooled_integers(super().forward, input)
            return super().forward(input)

    Pooled.__name__ = Pooled.__qualname__ = layer_class.__name__
    return Pooled


MaxPool2d = _pooled(nn.MaxPool2d)
AvgPool2d = _pooled(nn.AvgPool2d)
AdaptiveAvgPool2d = _pooled(nn.AdaptiveAvgPool2d)

QUANTIZED_AWARE = {nn.ReLU: ReLU, nn.MaxPool2d: MaxPool2d, nn.AvgPool2d: AvgPool2d,
                   nn.AdaptiveAvgPool2d: AdaptiveAvgPool2d}


def keeps_quantized(module):
    """Gives ``module`` (one of the float layers above, exactly that class) the subclass that
    keeps quantized inputs quantized; other modules are left alone."""
    cls = QUANTIZED_AWARE.get(type(module))
    if cls is not None:
        module.__class__ = cls
    return module
