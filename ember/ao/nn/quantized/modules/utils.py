"""What the quantized layers share: quantizing a float weight with its observer, and checking
that an input is quantized."""
import numpy as np

from ..... import _quantized as _q
from ....._quantized.integer import IntWeight
from ....._quantized.qtensor import QTensor

__all__ = ["quantize_weight", "shifted", "check_quantized", "output_qparams"]


def quantize_weight(weight, observer):
    """``weight`` (a float tensor) quantized with the parameters ``observer`` chose after seeing
    it: per channel (axis ``observer.ch_axis``) or per tensor.  Symmetric schemes give an affine
    quantized tensor whose zero point happens to be 0, as in torch."""
    scale, zero_point = observer.calculate_qparams()
    if observer.qscheme.per_channel:
        return _q.quantize_per_channel(weight.detach(), scale.double(), zero_point.long(),
                                       observer.ch_axis, observer.dtype)
    return _q.quantize_per_tensor(weight.detach(), float(scale.item()), int(zero_point.item()),
                                  observer.dtype)


def shifted(qweight):
    """The :class:`~ember._quantized.integer.IntWeight` of a quantized weight: its integers
    minus their zero points (the first axis is the output channel)."""
    q = qweight._int.astype(np.int32)
    zp = qweight._zero_point
    if qweight._axis is not None:
        zp = zp.reshape((-1,) + (1,) * (q.ndim - 1))
    return IntWeight(q - zp)


def weight_scales(qweight):
    """The weight's scale: a number, or one per output channel."""
    return qweight._scale if qweight._axis is None else qweight._scale.astype(np.float32)


def check_quantized(x, op):
    """torch refuses a float tensor in a quantized layer with this error."""
    if not isinstance(x, QTensor):
        raise NotImplementedError(
            "Could not run '{}' with arguments from the 'CPU' backend. This could be because "
            "the operator doesn't exist for this backend, or was omitted during the "
            "selective/custom build process (if using custom build). (In ember: quantize the "
            "input first, with a QuantStub, and use module or Tensor-method forms of relu, "
            "pooling and flatten between quantized layers.)".format(op))


def output_qparams(observer):
    """(scale, zero_point) as Python numbers from an activation observer."""
    scale, zero_point = observer.calculate_qparams()
    return float(scale.item()), int(zero_point.item())
