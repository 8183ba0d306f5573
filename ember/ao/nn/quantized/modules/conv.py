"""``nn.quantized.Conv2d``: 2-d convolution on int8 weights and quint8 activations."""
import numpy as np

from ..... import _quantized as _q
from ....._quantized import integer
from ....._quantized.qtensor import QTensor
from ....._tensor import Tensor
from .....nn.modules.conv import _pair
from .....nn.modules.module import Module
from .....nn.parameter import Parameter
from .utils import check_quantized, output_qparams, quantize_weight, shifted, weight_scales

__all__ = ["Conv2d"]


class Conv2d(Module):
    """A quantized 2-d convolution: quint8 input (N, C, H, W), qint8 weight (one scale, or one
    per output channel), float bias, quint8 output with this layer's ``scale`` and
    ``zero_point``.  The windows of ``x_q - x_zp`` meet ``W_q - W_zp`` in one exact integer
    GEMM (``ember/_quantized/integer.py``); the sums are then scaled, biased and requantized.
    Zero padding pads with the input's zero point, the integer that stands for 0.
    """

    _version = 3

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if padding_mode != "zeros":
            raise NotImplementedError("ember's quantized Conv2d pads with zeros only")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _pair(kernel_size)
        self.stride, self.padding = _pair(stride), _pair(padding)
        self.dilation = _pair(dilation)
        self.groups = groups
        self.padding_mode = padding_mode
        weight = _q.quantize_per_tensor(Tensor._make(np.zeros(
            (out_channels, in_channels // groups) + self.kernel_size, np.float32)), 1.0, 0,
            _q.qint8)
        self.set_weight_bias(weight, Tensor._make(np.zeros(out_channels, np.float32))
                             if bias else None)
        self.scale = 1.0
        self.zero_point = 0

    def _get_name(self):
        return "QuantizedConv2d"

    def extra_repr(self):
        s = ("{}, {}, kernel_size={}, stride={}, scale={}, zero_point={}".format(
            self.in_channels, self.out_channels, self.kernel_size, self.stride, self.scale,
            self.zero_point))
        if self.padding != (0, 0):
            s += ", padding={}".format(self.padding)
        if self.dilation != (1, 1):
            s += ", dilation={}".format(self.dilation)
        if self.groups != 1:
            s += ", groups={}".format(self.groups)
        if self._bias is None:
            s += ", bias=False"
        return s

    def set_weight_bias(self, w, b):
        if b is not None and not isinstance(b, Parameter):
            b = Parameter(b.detach())
        object.__setattr__(self, "_weight", w)
        object.__setattr__(self, "_bias", b)
        self._int_weight = shifted(w)
        self._multiplier = weight_scales(w)

    def weight(self):
        return self._weight

    def bias(self):
        return self._bias

    def forward(self, input):
        check_quantized(input, "quantized::conv2d.new")
        if input.dim() != 4:
            raise ValueError("Input shape must be `(N, C, H, W)`!")
        acc = integer.int_conv2d(input._int, input._zero_point, self._int_weight, self.stride,
                                 self.padding, self.dilation, self.groups)
        bias = None if self._bias is None else self._bias._array
        q = integer.requantize(acc, np.float32(input._scale) * self._multiplier, bias,
                               self.scale, self.zero_point, channel_axis=1)
        return QTensor._from_int(q, _q.quint8, _q.per_tensor_affine, self.scale,
                                 self.zero_point)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        destination[prefix + "weight"] = self._weight
        destination[prefix + "bias"] = self._bias
        destination[prefix + "scale"] = Tensor._make(np.array(self.scale, np.float32))
        destination[prefix + "zero_point"] = Tensor._make(np.array(self.zero_point, np.int64))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        keys = ("weight", "bias", "scale", "zero_point")
        missing = [prefix + k for k in keys if prefix + k not in state_dict]
        if missing:
            missing_keys.extend(missing)
            return
        self.set_weight_bias(state_dict[prefix + "weight"], state_dict[prefix + "bias"])
        self.scale = float(state_dict[prefix + "scale"].item())
        self.zero_point = int(state_dict[prefix + "zero_point"].item())
        if strict:
            unexpected_keys.extend(k for k in state_dict if k.startswith(prefix) and
                                   k[len(prefix):] not in keys)

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        """The quantized twin of a prepared float (or QAT) ``nn.Conv2d``."""
        weight_observer = getattr(mod, "weight_fake_quant", None)
        if weight_observer is None:
            weight_observer = mod.qconfig.weight()
            weight_observer(mod.weight)
        q = cls(mod.in_channels, mod.out_channels, mod.kernel_size, mod.stride, mod.padding,
                mod.dilation, mod.groups, mod.bias is not None)
        q.set_weight_bias(quantize_weight(mod.weight, weight_observer),
                          None if mod.bias is None else mod.bias.detach())
        q.scale, q.zero_point = output_qparams(mod.activation_post_process)
        return q
