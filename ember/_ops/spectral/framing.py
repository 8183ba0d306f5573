"""Cutting a signal into overlapping frames, and adding frames back into a signal: the two
halves of the short-time Fourier transform (``stft`` frames, ``istft`` overlap-adds).

They are each other's adjoint, which gives their gradients: the gradient of framing adds each
frame's gradient back where the frame was cut (an overlap-add), and the gradient of an
overlap-add cuts the gradient into frames.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ...autograd.op import Op
from ..core.common import Tensor


def frames(x, n, hop):
    """The frames of ``n`` samples, ``hop`` apart, along x's last dim: shape (..., count, n)."""
    if isinstance(x, Tensor):
        return Frames.apply(x, n, hop)
    count = 1 + (x.shape[-1] - n) // hop
    step = x.strides[-1]
    return as_strided(x, x.shape[:-1] + (count, n), x.strides[:-1] + (hop * step, step)).copy()


def overlap_add(x, hop, length):
    """Frames (..., count, n) added into a signal of ``length`` samples, frame f at f * hop."""
    if isinstance(x, Tensor):
        return OverlapAdd.apply(x, hop, length)
    count, n = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (length,), x.dtype)
    for t in range(n):                       # sample t of every frame at once
        out[..., t:t + hop * (count - 1) + 1:hop] += x[..., t]
    return out


class Frames(Op):
    """out[..., f, t] = x[..., f * hop + t].   The gradient overlap-adds the frames' gradients."""

    @staticmethod
    def forward(ctx, x, n, hop):
        ctx.plan = hop, x.shape[-1]
        return frames(x, n, hop)

    @staticmethod
    def backward(ctx, grad):
        hop, length = ctx.plan
        return overlap_add(grad, hop, length), None, None


class OverlapAdd(Op):
    """out[..., s] = sum of x[..., f, t] over f * hop + t = s.   The gradient frames grad."""

    @staticmethod
    def forward(ctx, x, hop, length):
        ctx.plan = x.shape[-1], hop
        return overlap_add(x, hop, length)

    @staticmethod
    def backward(ctx, grad):
        n, hop = ctx.plan
        return frames(grad, n, hop), None, None
