"""``FloatFunctional`` and ``QFunctional``: additions, products and concatenations written as
module calls, so that quantization can watch (and later replace) them -- a plain ``a + b`` has
no module to attach an observer to."""
import numpy as np

from ..... import _quantized as _q
from ....._quantized.qtensor import QTensor, quantize_array
from .....nn.modules.linear import Identity
from .....nn.modules.module import Module

__all__ = ["FloatFunctional", "QFunctional"]


class FloatFunctional(Module):
    """Float ``add``, ``mul``, ``cat`` ... whose results pass through
    ``activation_post_process`` (an observer once the model is prepared).  Call the methods,
    not ``forward``."""

    def __init__(self):
        super().__init__()
        self.activation_post_process = Identity()

    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use "
                           "the underlying operation")

    def add(self, x, y):
        return self.activation_post_process(x + y)

    def add_scalar(self, x, y):
        return x + y            # no observer: the output range follows the input's

    def mul(self, x, y):
        return self.activation_post_process(x * y)

    def mul_scalar(self, x, y):
        return x * y

    def cat(self, x, dim=0):
        from ..... import cat
        return self.activation_post_process(cat(x, dim=dim))

    def add_relu(self, x, y):
        return self.activation_post_process((x + y).relu())

    def matmul(self, x, y):
        return self.activation_post_process(x @ y)


def _dequantized(x):
    if not isinstance(x, QTensor):
        raise RuntimeError("QFunctional expects quantized tensors (got a float tensor)")
    return x._array


class QFunctional(Module):
    """The quantized ``FloatFunctional``: takes quantized tensors and returns one quantized
    with this module's ``scale`` and ``zero_point`` (the observed output range).  The sum or
    product of the real values is computed in float32 and requantized."""

    def __init__(self):
        super().__init__()
        self.scale = 1.0
        self.zero_point = 0
        self.activation_post_process = Identity()

    def _get_name(self):
        return "QFunctional"

    def extra_repr(self):
        return "scale={}, zero_point={}".format(self.scale, self.zero_point)

    def forward(self, x):
        raise RuntimeError("Functional is not intended to use the 'forward'. Please use the "
                           "underlying operation")

    def _out(self, y):
        q = quantize_array(np.asarray(y, np.float32), self.scale, self.zero_point, _q.quint8)
        return QTensor._from_int(q, _q.quint8, _q.per_tensor_affine, self.scale,
                                 self.zero_point)

    def add(self, x, y):
        return self._out(_dequantized(x) + _dequantized(y))

    def add_scalar(self, x, y):
        """``x + y`` for a number ``y``, as torch computes it: the integers stay and the zero
        point moves by ``round(y / scale)`` -- unless it would leave the integer range; then
        the range is stretched to cover the shifted values and the integers requantized.
        (The output's parameters follow from ``x``'s, not from this module's.)"""
        _dequantized(x)
        q, scale, zp = x._int.astype(np.int64), x._scale, x._zero_point
        lo, hi = x.dtype.quant_min, x.dtype.quant_max
        shift = int(np.rint(y / scale))
        new_zp = zp - shift
        if lo <= new_zp <= hi:
            return x._with_qparams(x._int.copy(), scale, new_zp)
        if new_zp < lo:
            new_scale, new_zp = (hi - new_zp) / (hi - lo) * scale, lo
        else:
            new_scale, new_zp = (new_zp - lo) / (hi - lo) * scale, hi
        multiplier = np.float32(scale) / np.float32(new_scale)
        ints = np.rint((q - zp + shift).astype(np.float32) * multiplier) + new_zp
        return x._with_qparams(np.clip(ints, lo, hi).astype(x._int.dtype), new_scale, new_zp)

    def mul_scalar(self, x, y):
        """``x * y`` for a number ``y``, as torch computes it: only the scale changes (to
        ``scale * |y|``); a negative ``y`` mirrors the integers and the zero point."""
        _dequantized(x)
        lo, hi = x.dtype.quant_min, x.dtype.quant_max
        if y == 0:
            return x._with_qparams(np.zeros_like(x._int), 1.0, 0)
        if y > 0:
            return x._with_qparams(x._int.copy(), x._scale * y, x._zero_point)
        mirrored = (hi - (x._int.astype(np.int64) - lo)).astype(x._int.dtype)
        return x._with_qparams(mirrored, x._scale * -y, hi - (x._zero_point - lo))

    def mul(self, x, y):
        return self._out(_dequantized(x) * _dequantized(y))


    def cat(self, x, dim=0):
        return self._out(np.concatenate([_dequantized(t) for t in x], axis=dim))

    def add_relu(self, x, y):
        return self._out(np.maximum(_dequantized(x) + _dequantized(y), np.float32(0)))

    def matmul(self, x, y):
        return self._out(_dequantized(x) @ _dequantized(y))

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        from ....._tensor import Tensor
        super()._save_to_state_dict(destination, prefix, keep_vars)
        destination[prefix + "scale"] = Tensor._make(np.array(self.scale, np.float32))
        destination[prefix + "zero_point"] = Tensor._make(np.array(self.zero_point, np.int64))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        for name, kind in (("scale", float), ("zero_point", int)):
            key = prefix + name
            if key in state_dict:
                setattr(self, name, kind(state_dict.pop(key).item()))
            elif strict:
                missing_keys.append(key)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, False, missing_keys,
                                      unexpected_keys, error_msgs)

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        q = cls()
        scale, zero_point = mod.activation_post_process.calculate_qparams()
        q.scale, q.zero_point = float(scale.item()), int(zero_point.item())
        return q
