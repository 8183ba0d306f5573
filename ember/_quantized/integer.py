"""Integer arithmetic of quantized layers: int8 x int8 products summed in int32, done on BLAS.

NumPy's integer matrix product does not use BLAS and is tens of times slower than its float
one, so the products run as a float GEMM on the integers themselves -- which is *exact*:
after subtracting the zero points every operand is an integer of magnitude at most 255, so each
product is an integer below 2**16 and every partial sum of a K-term dot product is an integer of
magnitude at most ``K * max|a| * max|b|``.  A float format represents every integer below
``2**(mantissa bits + 1)`` exactly (float32: 2**24, float64: 2**53), and adding two such
integers whose sum stays below that bound is exact, whatever order BLAS sums in.  So we use
float32 when ``K * max|a| * max|b| < 2**24`` (K up to ~500 for 8-bit operands; the bounds are
the operands' actual largest magnitudes, so x86's 7-bit activations reach K ~1000) and float64
otherwise (exact for K up to ~10**11); the result equals the int32 accumulation bit for bit.
"""
import numpy as np

from .dtypes import quint8
from .qtensor import _saturate

__all__ = ["IntWeight", "exact_float", "int_linear", "dynamic_int_linear", "int_conv2d", "choose_qparams",
           "requantize", "real_values"]


def exact_float(k, bound_a, bound_b):
    """The narrowest float type in which a K-term dot product of integers bounded by
    ``bound_a`` and ``bound_b`` is computed exactly."""
    return np.float32 if k * bound_a * bound_b < 2 ** 24 else np.float64


class IntWeight:
    """A quantized weight's integers minus their zero points, kept as float32 and float64
    arrays (converted once, not on every call) with the largest magnitude among them."""

    def __init__(self, shifted):
        self.as32 = shifted.astype(np.float32)
        self.as64 = shifted.astype(np.float64)
        self.bound = int(np.abs(shifted).max(initial=0))

    def exact(self, k, x_bound):
        """The weight as the narrowest float type exact for K-term products with inputs
        bounded by ``x_bound``."""
        return self.as32 if exact_float(k, x_bound, self.bound) is np.float32 else self.as64


def _shifted_input(xq, zero_point, k, weight):
    """(``xq - zero_point`` as the float type exact for the product, the weight as that type):
    the bound is the input's actual largest ``|q - zero_point|``."""
    x_bound = max(int(xq.max(initial=zero_point)) - zero_point,
                  zero_point - int(xq.min(initial=zero_point)))
    w = weight.exact(k, x_bound)
    x = xq.astype(w.dtype)
    x -= w.dtype.type(zero_point)
    return x, w


def int_linear(xq, x_zp, weight):
    """``(xq - x_zp) @ W^T`` for an :class:`IntWeight` ``W`` (out, in), exactly, as floats
    holding the int32 sums."""
    x, w = _shifted_input(xq, int(x_zp), xq.shape[-1], weight)
    return x @ w.T


def dynamic_int_linear(a, qmax, weight):
    """A float32 input ``a`` quantized to quint8 with parameters chosen for its range (0..qmax),
    times an :class:`IntWeight` (out, in) exactly: (the int32 sums as floats, the input scale).
    The same integers as ``quantize_array`` then ``int_linear``, without the round trip through
    uint8: the quantized values are rounded, clamped and shifted by the zero point in float."""
    scale, zero_point = choose_qparams(a.min(initial=0), a.max(initial=0), 0, qmax)
    # as quantize_array: float32 * float32 is exact in float64, one rounding to float32
    v = np.multiply(a, np.float64(np.float32(1) / np.float32(scale)), dtype=np.float64)
    v += zero_point
    v = v.astype(np.float32)
    np.rint(v, out=v)
    np.clip(v, quint8.quant_min, quint8.quant_max, out=v)
    v -= np.float32(zero_point)
    x_bound = int(max(v.max(initial=0), -v.min(initial=0)))
    w = weight.exact(a.shape[-1], x_bound)
    return (v if w.dtype == np.float32 else v.astype(w.dtype)) @ w.T, scale


def int_conv2d(xq, x_zp, weight, stride, padding, dilation, groups):
    """The 2-d convolution of the integers ``xq - x_zp`` (N, C, H, W) with an
    :class:`IntWeight` (O, C/groups, kH, kW), exactly (see the module docstring), as windows
    plus one GEMM."""
    o, cg, kh, kw = weight.as32.shape
    x, w = _shifted_input(xq, int(x_zp), cg * kh * kw, weight)
    (ph, pw), (sh, sw), (dh, dw) = padding, stride, dilation
    if ph or pw:            # padding with the zero point: the real number 0
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(x, (span_h, span_w), axis=(2, 3))
    win = win[:, :, ::sh, ::sw, ::dh, ::dw]          # (N, C, oH, oW, kH, kW)
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
    y = acc.astype(np.float32, copy=False)        # a fresh product: scaled in place
    y *= np.asarray(multiplier, np.float32).reshape(shape)
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

