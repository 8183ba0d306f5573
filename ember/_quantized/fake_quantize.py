"""Fake quantization: round a float tensor to the values a quantized tensor could hold, and stay
float -- how quantization-aware training lets a model learn around its own rounding.

``fake_quantize(x) = (clamp(round(x / scale) + zero_point, qmin, qmax) - zero_point) * scale``.
Rounding has a zero derivative almost everywhere, which would stop all learning, so the gradient
is the *straight-through estimator*: the incoming gradient passes unchanged where ``x`` fell
inside the representable range, and is zero where it was clamped.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd.op import Op

__all__ = ["fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine"]

_F32 = np.float32


def _fake_quantize(x, scale, zero_point, qmin, qmax):
    """(fake-quantized x, mask of the elements inside the range); scale and zero_point are
    numbers or arrays that broadcast against ``x``."""
    inv = (_F32(1.0) / np.asarray(scale, _F32)).astype(x.dtype)
    q = np.rint(x * inv) + np.asarray(zero_point, x.dtype)
    mask = (q >= qmin) & (q <= qmax)
    out = (np.clip(q, qmin, qmax) - np.asarray(zero_point, x.dtype)) * np.asarray(scale, x.dtype)
    return out.astype(x.dtype, copy=False), mask


class FakeQuantizePerTensorAffineCachemask(Op):
    """out = fake_quantize(x) with one scale.   d(out)/dx = 1 where x was not clamped, else 0
    (the straight-through estimator)."""

    @staticmethod
    def forward(ctx, x, scale, zero_point, qmin, qmax):
        out, mask = _fake_quantize(x, scale, zero_point, qmin, qmax)
        ctx.mask = mask
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.mask, None, None, None, None


class FakeQuantizePerTensorAffineCachemaskTensorQparams(FakeQuantizePerTensorAffineCachemask):
    """``FakeQuantizePerTensorAffineCachemask`` with scale and zero point given as tensors."""

    node_name = "FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0"


class FakeQuantizePerChannelAffineCachemask(FakeQuantizePerTensorAffineCachemask):
    """``FakeQuantizePerTensorAffineCachemask`` with one scale and zero point per channel."""


def _check_range(zero_points, qmin, qmax):
    if qmin > qmax:
        raise RuntimeError("`quant_min` should be less than or         equal to `quant_max`.")
    z = np.asarray(zero_points)
    if np.any(z < qmin) or np.any(z > qmax):
        raise RuntimeError("`zero_point` must be between `quant_min` and `quant_max`.")


def fake_quantize_per_tensor_affine(input, scale, zero_point, quant_min, quant_max):
    """``input`` rounded to the grid of one quantization step ``scale`` (with ``zero_point``)
    and clamped to ``[quant_min, quant_max]``, returned as floats; the gradient passes straight
    through inside that range."""
    if isinstance(scale, Tensor):
        s, z = _F32(scale.item()), int(zero_point.item())
        _check_range(z, quant_min, quant_max)
        return FakeQuantizePerTensorAffineCachemaskTensorQparams.apply(
            input, s, z, quant_min, quant_max)
    _check_range(zero_point, quant_min, quant_max)
    return FakeQuantizePerTensorAffineCachemask.apply(input, float(scale), int(zero_point),
                                                      quant_min, quant_max)


def fake_quantize_per_channel_affine(input, scale, zero_point, axis, quant_min, quant_max):
    """``fake_quantize_per_tensor_affine`` with one scale and zero point per index along
    ``axis`` (``scale``: float tensor, ``zero_point``: int32 or float tensor)."""
    if zero_point.dtype.name not in ("int32", "float32", "float16"):
        raise RuntimeError("Zero-point must be Int32, Float or Half, found {}".format(
            zero_point.dtype.scalar_name))
    shape = [1] * input.dim()
    shape[axis] = -1
    z = zero_point._array
    _check_range(z, quant_min, quant_max)
    return FakeQuantizePerChannelAffineCachemask.apply(
        input, scale._array.reshape(shape), z.reshape(shape), quant_min, quant_max)
