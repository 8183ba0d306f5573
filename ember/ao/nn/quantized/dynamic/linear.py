"""``nn.quantized.dynamic.Linear``: int8 weights, activations quantized on the fly.

Dynamic quantization stores only the weight as int8.  Each call measures the input's range,
quantizes it to quint8 with parameters chosen for that range (``choose_qparams``), multiplies in
integers, and returns floats: ``y = acc * x_scale * W_scale + bias``.  No calibration is needed,
which suits layers whose inputs vary (an MLP's or an LSTM's).
"""
import numpy as np

from ..... import _quantized as _q
from ....._quantized import integer
from ....._tensor import Tensor
from ..modules.linear import Linear as _StaticLinear
from ..modules.utils import quantize_weight

__all__ = ["Linear", "linear_dynamic"]


def linear_dynamic(a, packed, reduce_range=True):
    """``a @ W^T + b`` (float32 arrays in and out) for the :class:`LinearPackedParams`
    ``packed``: ``a`` quantized to quint8 with parameters chosen for its range (0..127 with
    ``reduce_range``), the product summed exactly in integers, then scaled back to floats."""
    acc, scale = integer.dynamic_int_linear(a, 127 if reduce_range else 255, packed.int_weight)
    bias = None if packed.bias is None else packed.bias._array
    return integer.real_values(acc, np.float32(scale) * packed.multiplier, bias, -1)


class Linear(_StaticLinear):
    """A linear layer with a qint8 weight and float input and output (see the module
    docstring).  ``reduce_range`` (x86's default) quantizes inputs to 0..127, as fbgemm does to
    keep its 16-bit intermediate sums from overflowing."""

    _version = 4

    def __init__(self, in_features, out_features, bias_=True, dtype=_q.qint8):
        super().__init__(in_features, out_features, bias_, dtype)
        self.version = 4

    def _get_name(self):
        return "DynamicQuantizedLinear"

    def extra_repr(self):
        return "in_features={}, out_features={}, dtype={}, qscheme={}".format(
            self.in_features, self.out_features, self._packed_params.dtype,
            self.weight().qscheme())

    def forward(self, x, reduce_range=True):
        a = x._array
        if a.dtype != np.float32:
            raise RuntimeError("mat1 and mat2 must have the same dtype, but got {} and "
                               "Float".format(x.dtype.scalar_name))
        return Tensor._make(linear_dynamic(a, self._packed_params, reduce_range))

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        """The dynamically quantized twin of a float ``nn.Linear``: only its weight is
        quantized, with the qconfig's weight observer (default: per-tensor symmetric qint8)."""
        qconfig = getattr(mod, "qconfig", None)
        from ....quantization.qconfig import default_dynamic_qconfig
        observer = (qconfig or default_dynamic_qconfig).weight()
        observer(mod.weight)
        q = cls(mod.in_features, mod.out_features, dtype=observer.dtype)
        q.set_weight_bias(quantize_weight(mod.weight, observer),
                          None if mod.bias is None else mod.bias.detach())
        return q
