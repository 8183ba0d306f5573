"""Quantized dtypes (``ember.qint8`` ...) and quantization schemes
(``ember.per_tensor_affine`` ...).

A quantized dtype names an integer type that stands for real numbers: an element ``q`` means
``(q - zero_point) * scale``.  The scheme says whether one (scale, zero_point) pair serves the
whole tensor or each slice along one axis has its own, and whether zero_point is fixed (symmetric)
or chosen to fit the data (affine).
"""
from .. import _dtype

__all__ = ["qint8", "quint8", "qint32", "quint4x2", "qscheme", "per_tensor_affine",
           "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric",
           "per_channel_affine_float_qparams", "QUANTIZED", "SCHEMES"]


class qdtype(_dtype.dtype):
    """A quantized element type: the integer type it is stored in and the range it saturates to."""

    __slots__ = ("int_dtype", "quant_min", "quant_max")

    def __init__(self, name, int_dtype, torch_type, quant_min, quant_max):
        super().__init__(name, int_dtype.numpy, 1, torch_type)
        self.is_signed = int_dtype.is_signed
        self.int_dtype = int_dtype
        self.quant_min = quant_min
        self.quant_max = quant_max

    def __reduce__(self):
        return _by_name, (self.name,)


qint8 = qdtype("qint8", _dtype.int8, "QInt8Tensor", -128, 127)
quint8 = qdtype("quint8", _dtype.uint8, "QUInt8Tensor", 0, 255)
qint32 = qdtype("qint32", _dtype.int32, "QInt32Tensor", -2 ** 31, 2 ** 31 - 1)
# Two 4-bit values packed in a byte: torch only stores it (embedding tables); ember names it.
quint4x2 = qdtype("quint4x2", _dtype.uint8, "QUInt4x2Tensor", 0, 15)

QUANTIZED = {d.name: d for d in (qint8, quint8, qint32, quint4x2)}


def _by_name(name):
    return QUANTIZED[name]


class qscheme:
    """How a quantized tensor's scale and zero point are laid out (``torch.qscheme``)."""

    __slots__ = ("name", "per_channel", "symmetric")

    def __init__(self, name):
        self.name = name
        self.per_channel = name.startswith("per_channel")
        self.symmetric = name.endswith("symmetric")

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return _scheme_by_name, (self.name,)


per_tensor_affine = qscheme("per_tensor_affine")
per_channel_affine = qscheme("per_channel_affine")
per_tensor_symmetric = qscheme("per_tensor_symmetric")
per_channel_symmetric = qscheme("per_channel_symmetric")
per_channel_affine_float_qparams = qscheme("per_channel_affine_float_qparams")

SCHEMES = {s.name: s for s in (per_tensor_affine, per_channel_affine, per_tensor_symmetric,
                                per_channel_symmetric, per_channel_affine_float_qparams)}


def _scheme_by_name(name):
    return SCHEMES[name]

