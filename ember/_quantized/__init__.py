"""Quantized tensors, the top-level names of torch's quantization (``ember.qint8``,
``ember.quantize_per_tensor`` ...).  ``import ember`` loads none of this: ``ember.__getattr__``
fetches a name from here on first use."""
from .dtypes import (per_channel_affine, per_channel_affine_float_qparams, per_channel_symmetric,
                     per_tensor_affine, per_tensor_symmetric, qint8, qint32, qscheme, quint4x2,
                     quint8)
from .fake_quantize import fake_quantize_per_channel_affine, fake_quantize_per_tensor_affine
from .qtensor import (QTensor, dequantize, quantize_per_channel, quantize_per_tensor,
                      quantized_tensor_from)

__all__ = ["qint8", "quint8", "qint32", "quint4x2", "qscheme", "per_tensor_affine",
           "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric",
           "per_channel_affine_float_qparams", "quantize_per_tensor", "quantize_per_channel",
           "dequantize", "fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine"]
