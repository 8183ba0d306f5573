"""``nn.quantized.Linear``: ``y = x W^T + b`` on int8 weights and quint8 activations."""
import numpy as np

from ..... import _quantized as _q
from ....._quantized import integer
from ....._quantized.qtensor import QTensor
from ....._tensor import Tensor
from .....nn.modules.module import Module
from .....nn.parameter import Parameter
from .utils import check_quantized, output_qparams, quantize_weight, shifted, weight_scales

__all__ = ["LinearPackedParams", "Linear"]


class LinearPackedParams(Module):
    """Holds a quantized weight and a float bias (torch packs them for its kernel; ember keeps
    them as they are, with the weight's integers minus zero points ready for the GEMM)."""

    _version = 3

    def __init__(self, dtype=_q.qint8):
        super().__init__()
        self.dtype = dtype
        self.set_weight_bias(_q.quantize_per_tensor(Tensor._make(np.zeros((1, 1), np.float32)),
                                                    1.0, 0, dtype), None)

    def set_weight_bias(self, weight, bias):
        if bias is not None and not isinstance(bias, Parameter):
            bias = Parameter(bias.detach())
        # plain attributes, not registered: a quantized model has no trainable parameters
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "bias", bias)
        self.int_weight = shifted(weight)
        self.multiplier = weight_scales(weight)

    def _weight_bias(self):
        return self.weight, self.bias

    def forward(self, x):
        return x

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        destination[prefix + "dtype"] = self.dtype
        destination[prefix + "_packed_params"] = self._weight_bias()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        for name in ("dtype", "_packed_params"):
            if prefix + name not in state_dict:
                missing_keys.append(prefix + name)
        if prefix + "dtype" in state_dict:
            self.dtype = state_dict[prefix + "dtype"]
        if prefix + "_packed_params" in state_dict:
            weight, bias = state_dict[prefix + "_packed_params"]
            self.set_weight_bias(weight, bias)

    def __repr__(self):
        return repr(self._weight_bias())


class Linear(Module):
    """A quantized linear layer: quint8 input ``x``, qint8 weight ``W`` (one scale, or one per
    output feature), float bias; the output is quint8 with this layer's ``scale`` and
    ``zero_point`` (chosen by the observer that watched the float layer's outputs).

    The products run in integers: ``acc = (x_q - x_zp) @ (W_q - W_zp)^T`` (exact, see
    ``ember/_quantized/integer.py``), then ``y = acc * x_scale * W_scale + bias`` is quantized
    with the output's parameters.
    """

    _version = 3

    def __init__(self, in_features, out_features, bias_=True, dtype=_q.qint8):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        bias = Tensor._make(np.zeros(out_features, np.float32)) if bias_ else None
        weight = _q.quantize_per_tensor(
            Tensor._make(np.zeros((out_features, in_features), np.float32)), 1.0, 0, dtype)
        self._packed_params = LinearPackedParams(dtype)
        self._packed_params.set_weight_bias(weight, bias)
        self.scale = 1.0
        self.zero_point = 0

    def _get_name(self):
        return "QuantizedLinear"

    def __repr__(self):
        # the packed parameters are a child module, but torch does not print them
        return "{}({})".format(self._get_name(), self.extra_repr())

    def extra_repr(self):
        return "in_features={}, out_features={}, scale={}, zero_point={}, qscheme={}".format(
            self.in_features, self.out_features, self.scale, self.zero_point,
            self.weight().qscheme())

    def weight(self):
        return self._packed_params.weight

    def bias(self):
        return self._packed_params.bias

    def set_weight_bias(self, w, b):
        self._packed_params.set_weight_bias(w, b)

    def forward(self, x):
        check_quantized(x, "quantized::linear")
        p = self._packed_params
        acc = integer.int_linear(x._int, x._zero_point, p.int_weight)
        bias = None if p.bias is None else p.bias._array
        q = integer.requantize(acc, np.float32(x._scale) * p.multiplier, bias, self.scale,
                               self.zero_point)
        return QTensor._from_int(q, _q.quint8, _q.per_tensor_affine, self.scale,
                                 self.zero_point)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + "scale"] = Tensor._make(np.array(self.scale, np.float32))
        destination[prefix + "zero_point"] = Tensor._make(np.array(self.zero_point, np.int64))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        for name, kind in (("scale", float), ("zero_point", int)):
            key = prefix + name
            if key in state_dict:
                setattr(self, name, kind(state_dict[key].item()))
            elif strict:
                missing_keys.append(key)
        if strict:
            for key in state_dict:
                rest = key[len(prefix):]
                if key.startswith(prefix) and "." not in rest and rest not in (
                        "scale", "zero_point"):
                    unexpected_keys.append(key)

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        """The quantized twin of a prepared float ``nn.Linear`` (or QAT ``Linear``): its weight
        quantized with the qconfig's weight observer, its output parameters from the observer
        that watched it during calibration."""
        weight_observer = getattr(mod, "weight_fake_quant", None)
        if weight_observer is None:
            weight_observer = mod.qconfig.weight()
            weight_observer(mod.weight)
        qweight = quantize_weight(mod.weight, weight_observer)
        q = cls(mod.in_features, mod.out_features, dtype=weight_observer.dtype)
        q.set_weight_bias(qweight, None if mod.bias is None else mod.bias.detach())
        q.scale, q.zero_point = output_qparams(mod.activation_post_process)
        return q
