"""Integer arithmetic of quantized layers: int8 x int8 products summed in int32, done on BLAS.

NumPy's integer matrix product does not use BLAS and is tens of times slower than its float
one, so the products run as a float GEMM on the integers themselves -- which is *exact*:
after subtracting the zero points every operand is an integer of magnitude at most 255, so each
product is an integer below 2**16 and every partial sum of a K-term dot product is an integer of
magnitude at most ``K * max|a| * max|b|``.  A float format represents every integer below
``2**(mantissa bits + 1)`` exactly (float32: 2**24, float64: 2**53), and adding two such
integers whose sum stays below that bound is exact, whatever order BLAS sums in.  So we use
float32 when ``K * max|a| * max|b| < 2**24`` (K up to ~500 for 8-bit operands) and float64
otherwise (exact for K up to ~10**11); the result equals the int32 accumulation bit for bit.
"""
import numpy as np

from .dtypes import quint8
from .qtensor import _saturate, quantize_array

__all__ = ["exact_float", "int_linear", "int_conv2d", "choose_qparams", "requantize", "real_values"]


def exact_float(k, bound_a, bound_b):
    """The narrowest float type in which a K-term dot product of integers bounded by
    ``bound_a`` and ``bound_b`` is computed exactly."""
    return np.float32 if k * bound_a * bound_b < 2 ** 24 else np.float64


def _shift_bound(dtype, zero_point):
    """The largest |q - zero_point| a ``dtype`` integer can give."""
    return max(dtype.quant_max - int(np.min(zero_point)), int(np.max(zero_point)) - dtype.quant_min)


def int_linear(xq, x_dtype, x_zp, w_shifted, w_bound):
    """``(xq - x_zp) @ w_shifted.T``, exactly, as floats holding the int32 sums.

    ``w_shifted``: the weight's integers minus their zero points, (out, in), with
    ``|w_shifted| <= w_bound``."""
    k = xq.shape[-1]
    ft = exact_float(k, _shift_bound(x_dtype, x_zp), w_bound)
    x = xq.astype(ft)
    x -= ft(x_zp)
    return x @ w_shifted.astype(ft, copy=False).T


def int_conv2d(xq, x_dtype, x_zp, w_shifted, w_bound, stride, padding, dilation, groups):
    """The 2-d convolution of the integers ``xq - x_zp`` (N, C, H, W) with ``w_shifted``
    (O, C/groups, kH, kW), exactly (see the module docstring), as windows plus one GEMM."""
    o, cg, kh, kw = w_shifted.shape
    ft = exact_float(cg * kh * kw, _shift_bound(x_dtype, x_zp), w_bound)
    x = xq.astype(ft)
    x -= ft(x_zp)
    (ph, pw), (sh, sw), (dh, dw) = padding, stride, dilation
    if ph or pw:            # padding with the zero point: the real number 0
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(x, (span_h, span_w), axis=(2, 3))
    win = win[:, :, ::sh, ::sw, ::dh, ::dw]          # (N, C, oH, oW, kH, kW)
    w = w_shifted.astype(ft, copy=False)
    og = o // groups
    outs = [np.tensordot(win[:, g * cg:(g + 1) * cg], w[g * og:(g + 1) * og],
                         axes=([1, 4, 5], [1, 2, 3])) for g in range(groups)]
    out = outs[0] if groups == 1 else np.concatenate(outs, axis=-1)
    return out.transpose(0, 3, 1, 2)                 # (N, O, oH, oW)


def requantize(acc, multiplier, bias, scale, zero_point, dtype=quint8, channel_axis=-1):
    """The output integers of a quantized layer, ``acc * (x_scale * w_scale) + bias`` quantized
    with the layer's output ``scale`` and ``zero_point`` -- computed as fbgemm does, in float32:
    ``round((acc + bias / m) * (m / scale)) + zero_point`` with ``m = x_scale * w_scale``, so
    that the integers equal torch's."""
    shape = [1] * acc.ndim
    shape[channel_axis] = -1
    m = np.asarray(multiplier, np.float32).reshape(shape)
    y = acc.astype(np.float32)
    if bias is not None:
        y += bias.reshape(shape) / m
    y *= m / np.float32(scale)
    return _saturate(np.rint(y) + np.float32(zero_point), dtype)


def real_values(acc, multiplier, bias, channel_axis=-1):
    """The float32 values the int32 sums stand for (plus the float bias)."""
    shape = [1] * acc.ndim
    shape[channel_axis] = -1
    y = acc.astype(np.float32) * np.asarray(multiplier, np.float32).reshape(shape)
    if bias is not None:
        y += bias.reshape(shape)
    return y


def choose_qparams(lo, hi, qmin, qmax):
    """(scale, zero_point) covering [lo, hi] (widened to include 0), as fbgemm chooses them
    for dynamic quantization: the zero point from whichever end loses less, rounded."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = (hi - lo) / (qmax - qmin)
    if np.float32(scale) == 0 or np.isinf(np.float32(1) / np.float32(scale)):
        scale = 0.1
    from_min = qmin - lo / scale
    from_max = qmax - hi / scale
    from_min_error = abs(qmin) - abs(lo / scale)
    from_max_error = abs(qmax) - abs(hi / scale)
    initial = from_min if from_min_error < from_max_error else from_max
    zero_point = int(min(max(np.rint(initial), qmin), qmax))
    return float(np.float32(scale)), zero_point

