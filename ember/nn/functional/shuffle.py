"""Rearranging channels and pixels: ``pixel_shuffle``, ``pixel_unshuffle``, ``channel_shuffle``.

``pixel_shuffle`` turns (*, C r^2, H, W) into (*, C, H r, W r): each group of r^2 channels
becomes an r x r block of pixels (the sub-pixel convolution of super-resolution networks);
``pixel_unshuffle`` is its inverse.  ``channel_shuffle`` splits the channels into ``groups``
and interleaves them (ShuffleNet).  Each only moves elements, so its gradient moves them back:
the backward pass is the inverse rearrangement.
"""
import numpy as np

from ..._ops.core.registry import export
from ...autograd.op import Op


class _Rearrange(Op):
    """out = the input reshaped to ``split``, its axes permuted by ``order`` and reshaped to
    ``shape``.  The gradient undoes the three steps in reverse order."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, split, order, shape):
        ctx.shapes = (x.shape, split, order)
        return np.ascontiguousarray(x.reshape(split).transpose(order)).reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        shape, split, order = ctx.shapes
        permuted = tuple(split[i] for i in order)
        return grad.reshape(permuted).transpose(np.argsort(order)).reshape(shape), None, None, \
            None


class PixelShuffle(_Rearrange):
    """The rearrangement of ``pixel_shuffle``."""


class PixelUnshuffle(_Rearrange):
    """The rearrangement of ``pixel_unshuffle``."""


class ChannelShuffle(_Rearrange):
    """The rearrangement of ``channel_shuffle``."""


def _check(name, input, factor, what):
    if input.dim() < 3:
        raise RuntimeError("{} expects input to have at least 3 dimensions, but got input with "
                           "{} dimension(s)".format(name, input.dim()))
    if factor <= 0:
        raise RuntimeError("{} expects a positive {}, but got {}".format(name, what, factor))


@export("torch", "F")
def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r) with r = ``upscale_factor``."""
    r = upscale_factor
    _check("pixel_shuffle", input, r, "upscale_factor")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           "by the square of upscale_factor, but input.size(-3)={} is not "
                           "divisible by {}".format(c, r * r))
    n = len(lead)
    split = tuple(lead) + (c // (r * r), r, r, h, w)
    order = tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2)
    return PixelShuffle.apply(input, split, order, tuple(lead) + (c // (r * r), h * r, w * r))


@export("torch", "F")
def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W) with r = ``downscale_factor``."""
    r = downscale_factor
    _check("pixel_unshuffle", input, r, "downscale_factor")
    *lead, c, h, w = input.shape
    if h % r:
        raise RuntimeError("pixel_unshuffle expects height to be divisible by downscale_factor, "
                           "but input.size(-2)={} is not divisible by {}".format(h, r))
    if w % r:
        raise RuntimeError("pixel_unshuffle expects width to be divisible by downscale_factor, "
                           "but input.size(-1)={} is not divisible by {}".format(w, r))
    n = len(lead)
    split = tuple(lead) + (c, h // r, r, w // r, r)
    order = tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3)
    return PixelUnshuffle.apply(input, split, order, tuple(lead) + (c * r * r, h // r, w // r))


@export("torch", "F")
def channel_shuffle(input, groups):
    """(N, C, *) with the C channels split into ``groups`` groups and interleaved."""
    if input.dim() <= 2:
        raise RuntimeError("channel_shuffle expects input with > 2 dims, but got input with "
                           "sizes {}".format(list(input.shape)))
    if groups <= 0:
        raise RuntimeError("Number of groups to divide channels in must be positive. Value of "
                           "groups:{}".format(groups))
    n, c = input.shape[:2]
    if c % groups:
        raise RuntimeError("Number of channels must be divisible by groups. Got {} channels and "
                           "{} groups.".format(c, groups))
    rest = tuple(input.shape[2:])
    split = (n, groups, c // groups) + rest
    order = (0, 2, 1) + tuple(range(3, 3 + len(rest)))
    return ChannelShuffle.apply(input, split, order, tuple(input.shape))
