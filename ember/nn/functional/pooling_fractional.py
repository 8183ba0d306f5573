"""Fractional max pooling (Graham, 2014): max pooling to any output size, with windows placed
at pseudo-random, overlapping positions.

Along an axis of n inputs, k-wide windows and m outputs, output i reads the window starting at
``int((i + u) * alpha) - int(u * alpha)`` with ``alpha = (n - k) / (m - 1)`` (the last one
starts at n - k), u in [0, 1) drawn once per (sample, channel, axis): the ``_random_samples``,
drawn with ``rand`` as torch draws them, so a seeded run picks torch's windows.  The positions
are computed in the input's dtype, as torch computes them.  Each output is the maximum of its
window (the first largest, or the last NaN); the gradient goes to that element.
"""
import numpy as np

from ... import _errors
from ..._ops.creation.random import rand
from ..._ops.core.registry import export
from ..._tensor import Tensor
from ...autograd.op import Op

_NAMES = {2: ("fractional_max_pool2d", "fractional_max_pool2d()", ("height", "width")),
          3: ("fractional_max_pool3d", "fractional_max_pool3d_out()",
              ("time", "height", "width"))}


# Which of a plane's random samples places the windows of each axis: (w, h) in 2-D, (t, h, w) in
# 3-D, as torch uses them.
_SAMPLE_OF_AXIS = {2: (1, 0), 3: (0, 1, 2)}


def _starts(sample, n, m, k):
    """The window starts along one axis: (..., m) from samples (...,), in the samples' dtype."""
    out = np.empty(sample.shape + (m,), np.int64)
    if m > 1:
        alpha = sample.dtype.type(n - k) / sample.dtype.type(m - 1)
        i = np.arange(m - 1, dtype=sample.dtype)
        out[..., :-1] = (((i + sample[..., None]) * alpha).astype(np.int64)
                         - (sample * alpha).astype(np.int64)[..., None])
    if m > 0:
        out[..., -1] = n - k
    return out


class _FractionalMaxPool(Op):
    """out = the maximum of each window.   Gradient: to the element that was the maximum."""

    @staticmethod
    def forward(ctx, x, samples, kernel, size):
        k = len(kernel)
        ctx.input_shape = x.shape
        x = x if x.ndim == k + 2 else x[None]               # unbatched: one sample
        spatial = x.shape[-k:]
        n, c = x.shape[:2]
        flat = x.reshape(n, c, -1)
        strides = [int(np.prod(spatial[a + 1:])) for a in range(k)]
        starts = []
        for a in range(k):                      # (N, C, 1.., m_a, ..1): broadcast over the rest
            s = _starts(samples[:n, :, _SAMPLE_OF_AXIS[k][a]], spatial[a], size[a], kernel[a])
            starts.append(s.reshape((n, c) + tuple(size[a] if b == a else 1 for b in range(k))))
        best = np.full((n, c) + tuple(size), -np.inf, x.dtype)
        where = np.zeros(best.shape, np.int64)
        for offset in np.ndindex(*kernel):
            position = sum((starts[a] + offset[a]) * strides[a] for a in range(k))
            position = np.broadcast_to(position, best.shape)
            value = np.take_along_axis(flat, position.reshape(n, c, -1), 2).reshape(best.shape)
            if offset == (0,) * k:
                where[...] = position
            better = (value > best) | np.isnan(value)
            best = np.where(better, value, best)
            where = np.where(better, position, where)
        ctx.shape = x.shape
        ctx.where = where
        if len(ctx.input_shape) == k + 1:
            return best[0], where[0]
        return best, where

    @staticmethod
    def backward(ctx, grad, _):
        n, c = ctx.shape[:2]
        grad = np.asarray(grad).reshape(ctx.where.shape)
        rows = np.arange(n * c).reshape(n, c, *([1] * (ctx.where.ndim - 2))) * \
            int(np.prod(ctx.shape[2:]))
        out = np.bincount((ctx.where + rows).ravel(), grad.ravel(),
                          minlength=int(np.prod(ctx.shape)))
        return out.reshape(ctx.input_shape).astype(grad.dtype), None


class FractionalMaxPool2D(_FractionalMaxPool):
    """``fractional_max_pool2d``."""


class FractionalMaxPool3D(_FractionalMaxPool):
    """``fractional_max_pool3d``."""


def _check_argument(value, what, position, name, kind):
    """torch's argument parser: sizes are ints or sequences of ints, samples a tensor."""
    if kind == "Tensor":
        ok = isinstance(value, Tensor)
    else:
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, (tuple, list)) and all(isinstance(v, int) for v in value))
    if not ok:
        raise TypeError("{}(): argument '{}' (position {}) must be {}, not {}".format(
            name, what, position, kind, type(value).__name__))


def _tuple(value, k, what, name):
    if isinstance(value, int):
        return (value,) * k
    value = tuple(value)
    if len(value) == 1:
        return value * k
    if len(value) != k:
        raise RuntimeError("{}: {} must either be a single Int or tuple of Ints".format(
            name, what))
    return value


def _pool(input, kernel_size, output_size, output_ratio, _random_samples, k):
    name, where, axes = _NAMES[k]
    if output_size is None and output_ratio is None:
        raise ValueError("{} requires specifying either an output_size or an output_ratio"
                         .format(name))
    if output_size is None:
        if k == 2 and len(output_ratio) > 2:
            raise ValueError("fractional_max_pool2d requires output_ratio to either be a single "
                             "Int or tuple of Ints.")
        ratio = (output_ratio,) * k if not isinstance(output_ratio, (tuple, list)) else \
            tuple(output_ratio) * (k if len(output_ratio) == 1 else 1)
        output_size = [int(input.size(-k + a) * ratio[a]) for a in range(k)]
    if _random_samples is None:
        batch = 1 if input.dim() == k + 1 else input.size(0)
        _random_samples = rand(batch, input.size(-k - 1), k, dtype=input.dtype)
    _check_argument(kernel_size, "kernel_size", 2, name, "tuple of ints")
    _check_argument(output_size, "output_size", 3, name, "tuple of ints")
    _check_argument(_random_samples, "random_samples", 4, name, "Tensor")
    kernel = _tuple(kernel_size, k, "kernel_size", name)
    size = _tuple(output_size, k, "output_size", name)
    if input.dim() not in (k + 1, k + 2):
        raise RuntimeError("{}: Expected {}D or {}D tensor, but got: {}".format(
            where, k + 1, k + 2, list(input.shape)))
    batched = input.dim() == k + 2
    for d in range(1 if batched else 0, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError("{}: Expected input to have non-zero size for non-batch "
                               "dimensions, but got{} with dimension {} being empty.".format(
                                   where, list(input.shape), d))
    for a in range(k):                      # (torch's 3-D check is one stricter than its 2-D)
        if size[a] + kernel[a] - 1 + (k == 3) > input.shape[-k + a]:
            raise RuntimeError("{}: pool {} {} too large relative to input {} {}".format(
                where, axes[a], kernel[a], axes[a], input.shape[-k + a]))
    samples = _random_samples
    if samples.dtype != input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.dim() != 3:
        raise RuntimeError("Expect _random_samples to have 3 dimensions, got {}".format(
            samples.dim()))
    if samples.shape[0] < (input.shape[0] if batched else 1):
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != input.shape[-k - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != k:
        raise RuntimeError("Expect _random_samples.size(2) equals to {}; got {}.".format(
            k, samples.shape[2]))
    if not input.dtype.is_floating_point:
        raise _errors.not_implemented(name, input.dtype.scalar_name)
    op = FractionalMaxPool2D if k == 2 else FractionalMaxPool3D
    return op.apply(input, samples, kernel, size)


@export("F")
def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Fractional max pooling of (N, C, H, W) or (C, H, W) input, and the flat positions
    (h * W + w) of the maxima."""
    return _pool(input, kernel_size, output_size, output_ratio, _random_samples, 2)


@export("F")
def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Fractional max pooling of (N, C, T, H, W) or (C, T, H, W) input, and the flat positions
    of the maxima."""
    return _pool(input, kernel_size, output_size, output_ratio, _random_samples, 3)


def _dispatch(with_indices, args, kwargs):
    """torch's ``boolean_dispatch``: ``return_indices`` (keyword, or the fifth argument) picks
    the form that also returns the indices."""
    flag = kwargs["return_indices"] if "return_indices" in kwargs else \
        args[4] if len(args) > 4 else False
    if flag:
        return with_indices(*args, **kwargs)
    return with_indices(*args, **kwargs)[0]


@export("F")
def fractional_max_pool2d(*args, **kwargs):
    """Fractional max pooling of (N, C, H, W) or (C, H, W) input (see the module docstring):
    ``fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
    return_indices=False, _random_samples=None)``; with ``return_indices`` also the positions
    of the maxima."""
    return _dispatch(fractional_max_pool2d_with_indices, args, kwargs)


@export("F")
def fractional_max_pool3d(*args, **kwargs):
    """Fractional max pooling of (N, C, T, H, W) or (C, T, H, W) input:
    ``fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
    return_indices=False, _random_samples=None)``; with ``return_indices`` also the positions
    of the maxima."""
    return _dispatch(fractional_max_pool3d_with_indices, args, kwargs)
