"""Adaptive pooling (``adaptive_avg_pool1d/2d/3d``, ``adaptive_max_pool1d/2d/3d``), power-average
pooling (``lp_pool1d/2d/3d``) and unpooling (``max_unpool1d/2d/3d``): the rest of the pooling
family (``pooling.py``).

**Adaptive pooling** picks the windows from the output size instead of a kernel: output ``i``
of a dimension of length ``n`` pooled to ``m`` covers ``[floor(i * n / m), ceil((i + 1) * n /
m))``, so windows may differ in length and overlap.

* An average over such windows is linear and works dimension by dimension: a product with one
  averaging matrix per dimension (``_through``); its gradient is the product with the
  transposed matrices.
* The maximum is ``window_max`` of ``pooling.py`` again, its candidates picked by index arrays
  instead of strided slices; its gradient the same scatter to the winners.
"""
import functools
import math

import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor
from .im2col import _steps
from .pooling import (_check_1d, _one_int, avg_pool1d, avg_pool2d, avg_pool3d, max_pool1d,
                      max_pool2d, max_pool3d)
from .pooling_windows import _ints, planes, scatter, window_max
from ..._ops.core.registry import export
from .loss import check_tensor


def _bounds(n, m):
    """Where the ``m`` adaptive windows over a length ``n`` start and end:
    [floor(i * n / m), ceil((i + 1) * n / m))."""
    i = np.arange(m)
    return i * n // m, -(-(i + 1) * n // m)


@functools.lru_cache(maxsize=256)
def _averaging_matrix(n, m, dtype):
    """A (m, n) matrix whose row i averages window i (None when m == n: the identity)."""
    if n == m:
        return None
    start, end = _bounds(n, m)
    j = np.arange(n)
    inside = (j >= start[:, None]) & (j < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def _through(x, matrices):
    """``x`` (*, *H) with each spatial dimension multiplied by its matrix (None: left alone);
    arrays or tensors alike."""
    nd = len(matrices)
    for i, m in enumerate(matrices):
        if m is None:
            continue
        shape = tuple(x.shape)
        axis = len(shape) - nd + i
        if i == nd - 1:              # the last dimension: one product of all rows with m^T
            x = (x.reshape(-1, shape[-1]) @ m.T).reshape(shape[:-1] + (m.shape[0],))
        else:
            rest = math.prod(shape[axis + 1:])
            x = (m @ x.reshape(shape[:axis] + (shape[axis], rest))).reshape(
                shape[:axis] + (m.shape[0],) + shape[axis + 1:])
    return x


def _window_means(x, matrices):
    """``_through(x, matrices)`` of an array, as means of each window's own elements: an inf
    or nan stays in its windows (in a product with the averaging matrix, 0 * inf would make
    nan of every window)."""
    for i, m in enumerate(matrices):
        if m is None:
            continue
        axis = x.ndim - len(matrices) + i
        lead = (slice(None),) * axis
        x = np.stack([x[lead + (slice(s, e),)].mean(axis=axis)
                      for s, e in zip(*_bounds(m.shape[1], m.shape[0]))], axis=axis)
    return x


class _AdaptiveAvgPool(Op):
    """out = the mean of each adaptive window: x multiplied, dimension by dimension, by
    averaging matrices A.   dx = dout multiplied by the transposed matrices A^T."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, matrices):
        ctx.save_for_backward(x)    # as torch: changing x in place afterwards is an error
        ctx.matrices = matrices
        out = _through(x, matrices)
        if not np.isfinite(out).all():      # x holds inf or nan (every element is in a window)
            out = _window_means(x, matrices)
        return out

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors           # (checks that x is unchanged)
        if dual.is_array(grad):
            return _through(grad, [None if m is None else m.T for m in ctx.matrices]), None
        return _through(grad, [None if m is None else Tensor._make(np.ascontiguousarray(m.T))
                               for m in ctx.matrices]), None


class AdaptiveAvgPool2D(_AdaptiveAvgPool):
    """Adaptive average pooling over 2-d windows (see ``_AdaptiveAvgPool``)."""


class AdaptiveAvgPool3D(_AdaptiveAvgPool):
    """Adaptive average pooling over 3-d windows (see ``_AdaptiveAvgPool``)."""


def _taker(index):
    """Candidate ``i`` along ``axis`` of adaptive windows: element ``index[i]`` of each."""
    def part(a, axis, i):
        return a.take(index[i], axis=axis)
    return part


class _AdaptivePool:
    """The windows of adaptive max pooling, as ``window_max`` reads them: per dimension, the
    position of candidate ``i`` of every window is ``min(start + i, end - 1)`` (a window shorter
    than the longest repeats its last element, which cannot change its maximum)."""

    def __init__(self, size, out):
        nd = len(size)
        self.dims = []
        for j, (n, m, step) in enumerate(zip(size, out, _steps(size))):
            start, end = _bounds(n, m)
            longest = int((end - start).max()) if m else 0
            index = [np.minimum(start + i, end - 1) for i in range(longest)]
            shape = (-1,) + (1,) * (nd - 1 - j)
            self.dims.append((_taker(index), [i.reshape(shape) * step for i in index], 0))
        self.disjoint = all(m and n % m == 0 for n, m in zip(size, out))
        self.output_size = out


class _AdaptiveMaxPool(Op):
    """out = the maximum of each adaptive window, and its flat position in the plane.
    dx = dout added at those positions."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, pool, return_indices):
        ctx.save_for_backward(x)    # as torch: changing x in place afterwards is an error
        nd = len(pool.output_size)
        shape = x.shape[:x.ndim - nd] + pool.output_size
        if 0 in shape:
            best, where = np.zeros(shape, x.dtype), np.zeros(shape, np.intp)
        else:
            plane = planes(x, nd)
            best, where = window_max(plane, pool.dims, False)
            if np.isnan(best).any():
                best, where = window_max(plane, pool.dims, True)
            best, where = best.reshape(shape), where.reshape(shape)
        ctx.positions, ctx.shape, ctx.nd, ctx.unique = where, x.shape, nd, pool.disjoint
        return (best, where) if return_indices else best

    @staticmethod
    def backward(ctx, grad, *unused):
        ctx.saved_tensors           # (checks that x is unchanged)
        return scatter(grad, ctx.positions, ctx.shape, ctx.nd, ctx.unique), None, None


class AdaptiveMaxPool2D(_AdaptiveMaxPool):
    """Adaptive max pooling over 2-d windows (see ``_AdaptiveMaxPool``)."""


class AdaptiveMaxPool3D(_AdaptiveMaxPool):
    """Adaptive max pooling over 3-d windows (see ``_AdaptiveMaxPool``)."""


_adaptive_pool = functools.lru_cache(maxsize=256)(_AdaptivePool)


def _output_sizes(input, output_size, nd):
    """``output_size`` as a tuple; None entries take the input's size (torch's
    ``_list_with_default``)."""
    if isinstance(output_size, (int, np.integer)):
        return (int(output_size),) * nd
    shape = input._array.shape
    if len(shape) <= len(output_size):
        raise ValueError("Input dimension should be at least {}".format(len(output_size) + 1))
    return tuple(int(s) if s is not None else d for s, d in
                 zip(output_size, shape[len(shape) - len(output_size):]))


def _check_adaptive(input, out, nd, kind):
    name = "adaptive_{}_pool{}d".format(kind, nd)
    shape = input._array.shape
    if len(shape) not in (nd + 1, nd + 2):
        raise RuntimeError("{}(): Expected {}D or {}D tensor, but got{} [{}]".format(
            name, nd + 1, nd + 2, ":" if kind == "max" else "", ", ".join(map(str, shape))))
    if len(out) != nd:
        if kind == "max":
            raise RuntimeError("{}(): internal error: output_size.size() must be {}".format(
                name, nd))
        raise RuntimeError("{}: output_size must be {}".format(name, nd))
    if any(o < 0 for o in out):
        if kind == "max":
            raise RuntimeError("Trying to create tensor with negative dimension {}: [{}]".format(
                min(out), ", ".join(map(str, shape[:len(shape) - nd] + out))))
        listed = "{}, {}".format(*out) if nd == 2 else "{}, {},{}".format(*out)
        raise RuntimeError("{}: elements of output_size must be greater than or equal to 0 but "
                           "received {{{}}}".format(name, listed))
    for i in range(1, len(shape)):
        if shape[i] == 0:
            raise RuntimeError("{}(): Expected input to have non-zero size for non-batch "
                               "dimensions, but input has sizes [{}] with dimension {} being "
                               "empty".format(name, ", ".join(map(str, shape)), i))
    if input._array.dtype.kind != "f":
        raise _errors.not_implemented(name, input.dtype.scalar_name)


def _adaptive_avg(input, output_size, nd, op):
    out = _output_sizes(input, output_size, nd)
    if all(o == 1 for o in out) and len(out) == nd:
        # torch takes the mean here (its node is a MeanBackward1)
        ndim = input._array.ndim
        return input.mean(tuple(range(ndim - nd, ndim)), keepdim=True)
    _check_adaptive(input, out, nd, "avg")
    x = input._array
    return op.apply(input, [_averaging_matrix(n, m, x.dtype) for n, m in
                            zip(x.shape[x.ndim - nd:], out)])


def _adaptive_max(input, output_size, return_indices, nd, op):
    out = _output_sizes(input, output_size, nd)
    _check_adaptive(input, out, nd, "max")
    x = input._array
    return op.apply(input, _adaptive_pool(x.shape[x.ndim - nd:], out), bool(return_indices))


def _via_2d(input, output_size, fn, pool2d):
    """A 1-d adaptive pooling as torch runs it: 2-d pooling of a (N, C, 1, L) view."""
    _check_1d(input, fn)
    size = _one_int(output_size, "output_size", fn)
    return pool2d(input.unsqueeze(-2), (1,) + size)


@export("torch", "F")
def adaptive_avg_pool1d(input, output_size):
    """Averages ``input`` (N, C, L) or (C, L) over ``output_size`` windows that cover it
    evenly: output i is the mean of [floor(i * L / out), ceil((i + 1) * L / out))."""
    return _via_2d(input, output_size, "adaptive_avg_pool1d", adaptive_avg_pool2d).squeeze(-2)


@export("F")
def adaptive_avg_pool2d(input, output_size):
    """Averages ``input`` (N, C, H, W) or (C, H, W) down to ``output_size`` (an int, or a
    pair in which None keeps the input's size), whatever the input's size: windows chosen to
    cover the input evenly.  ``output_size=1`` is a global average (the mean per channel)."""
    return _adaptive_avg(input, output_size, 2, AdaptiveAvgPool2D)


@export("F")
def adaptive_avg_pool3d(input, output_size):
    """Adaptive average pooling of ``input`` (N, C, D, H, W) or (C, D, H, W) (see
    ``adaptive_avg_pool2d``)."""
    return _adaptive_avg(input, output_size, 3, AdaptiveAvgPool3D)


@export("F")
def adaptive_max_pool1d(input, output_size, return_indices=False):
    """The maximum of each of ``output_size`` windows covering ``input`` (N, C, L) evenly
    (see ``adaptive_avg_pool1d``); ``return_indices``: also the positions along L."""
    out = _via_2d(input, output_size, "adaptive_max_pool1d", adaptive_max_pool2d_with_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out[0].squeeze(-2)


@export("F")
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """The maximum of each adaptive window of ``input`` (N, C, H, W) or (C, H, W) (see
    ``adaptive_avg_pool2d``); ``return_indices``: also each maximum's position ``h * W + w``."""
    return _adaptive_max(input, output_size, return_indices, 2, AdaptiveMaxPool2D)


@export("F")
def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Adaptive max pooling of ``input`` (N, C, D, H, W) or (C, D, H, W)."""
    return _adaptive_max(input, output_size, return_indices, 3, AdaptiveMaxPool3D)


@export("F")
def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """``adaptive_max_pool1d`` returning (values, indices)."""
    return adaptive_max_pool1d(input, output_size, True)


@export("F")
def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """``adaptive_max_pool2d`` returning (values, indices)."""
    return adaptive_max_pool2d(input, output_size, True)


@export("F")
def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """``adaptive_max_pool3d`` returning (values, indices)."""
    return adaptive_max_pool3d(input, output_size, True)


# ---------------------------------------------------------------- power-average pooling


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd, max_pool, avg_pool):
    """``(sum of x ** p over each window) ** (1 / p)``, composed of other operations as in
    torch: the p-th powers averaged, times the window size, to the power 1 / p (p = inf: the
    maximum of |x|)."""
    kernel = _ints(kernel_size) * (nd if isinstance(kernel_size, (int, np.integer)) else 1)
    if norm_type == math.inf:
        return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(math.prod(kernel)).pow(1.0 / norm_type)


@export("F")
def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling: ``(sum over each window of x ** norm_type) ** (1 / norm_type)``
    (norm_type 1: the sum; inf: the maximum)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1, max_pool1d, avg_pool1d)


@export("F")
def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling over 2-d windows (see ``lp_pool1d``)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2, max_pool2d, avg_pool2d)


@export("F")
def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling over 3-d windows (see ``lp_pool1d``)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3, max_pool3d, avg_pool3d)


# ---------------------------------------------------------------- unpooling


class _MaxUnpool(Op):
    """out = zeros of the unpooled size with each x put at its index (the inverse of max
    pooling, where the non-maximal values are lost).   dx = dout read at the indices."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, indices, size):
        nd = len(size)
        planes = math.prod(x.shape[:x.ndim - nd])
        plane = math.prod(size)
        flat = indices.reshape(planes, -1)
        if flat.size and (flat.min() < 0 or flat.max() >= plane):
            bad = flat[(flat < 0) | (flat >= plane)][0]
            raise RuntimeError("Found an invalid max index: {} (output volumes are of size {})"
                               .format(bad, "x".join(map(str, size))))
        out = np.zeros((planes, plane), x.dtype)
        rows = np.arange(planes)[:, None]
        out[rows, flat] = x.reshape(planes, -1)
        ctx.rows, ctx.flat, ctx.shape = rows, flat, x.shape
        return out.reshape(x.shape[:x.ndim - nd] + size)

    @staticmethod
    def backward(ctx, grad):
        g = grad.reshape(ctx.rows.shape[0], -1)
        return g[ctx.rows, ctx.flat].reshape(ctx.shape), None, None


class MaxUnpool2D(_MaxUnpool):
    """Max unpooling in 2-d (see ``_MaxUnpool``)."""


class MaxUnpool3D(_MaxUnpool):
    """Max unpooling in 3-d (see ``_MaxUnpool``)."""


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd):
    check_tensor(indices, "indices", 2, "max_unpool{}d".format(nd))
    kernel = _ints(kernel_size) * (nd if isinstance(kernel_size, (int, np.integer)) else 1)
    stride = kernel if stride is None else \
        _ints(stride) * (nd if isinstance(stride, (int, np.integer)) else 1)
    padding = _ints(padding) * (nd if isinstance(padding, (int, np.integer)) else 1)
    shape = input._array.shape
    default = tuple((shape[len(shape) - nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
                    for d in range(nd))
    if output_size is None:
        size = default
    else:
        if len(output_size) == nd + 2:
            output_size = output_size[2:]
        if len(output_size) != nd:
            raise ValueError("output_size should be a sequence containing {} or {} elements, but "
                             "it has a length of '{}'".format(nd, nd + 2, len(output_size)))
        for d in range(nd):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < output_size[d] < high:
                raise ValueError('invalid output_size "{}" (dim {} must be between {} and {})'
                                 .format(output_size, d, low, high))
        size = tuple(int(s) for s in output_size)
    if tuple(indices._array.shape) != tuple(shape):
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor ({}) "
                           "but got indices tensor with shape: {}".format(
                               list(shape), list(indices._array.shape)))
    return size


@export("F")
def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Puts the maxima of ``max_pool1d(..., return_indices=True)`` back where they came from,
    zeros elsewhere (torch unpools a (N, C, L, 1) view in 2-d)."""
    size = _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)
    return MaxUnpool2D.apply(input.unsqueeze(-1), indices._array[..., None],
                             size + (1,)).squeeze(-1)


@export("F")
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Puts the maxima of ``max_pool2d(..., return_indices=True)`` back at their positions in
    a zero plane of the unpooled size: a partial inverse of max pooling."""
    size = _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)
    return MaxUnpool2D.apply(input, indices._array, size)


@export("F")
def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The 3-d form of ``max_unpool2d``."""
    size = _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)
    return MaxUnpool3D.apply(input, indices._array, size)
