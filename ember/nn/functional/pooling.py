"""Pooling: ``max_pool1d/2d/3d`` and ``avg_pool1d/2d/3d`` (``F.<name>``); the adaptive forms,
``lp_pool`` and ``max_unpool`` continue this family in ``pooling_adaptive.py``.

Pooling summarises every window of each channel on its own: the same windows as a convolution
(``conv.py``: kernel, stride, padding, dilation), with a maximum or a mean where the
convolution has a weighted sum, and no mixing of channels.  The input's leading dimensions
(batch and channels, or channels alone) are flattened into one axis of independent *planes*.

A window is a box, and the maximum (or the sum) over a box can be taken one dimension at a time:
first over each window's extent along the last dimension, for every row, then over the rows.
Each step reads the plane once per kernel offset, as a strided slice holding that offset's
element of every window, so the work is a loop over sum(K) offsets, never over elements or
windows (``window_max``, ``_window_sum``: the windows and their geometry are in
``pooling_windows.py``).

* **Max pooling.**  Padding reads as -inf and never wins.  Along with the maximum each step
  keeps *where* it was found (a flat position in the input plane), carried through the later
  steps; as in torch the first maximum of a window wins, and a NaN counts as larger than
  anything (the last NaN wins).  The gradient flows only to the winners:
  ``dx[position of the max] += dout``, a scatter through the saved positions (``scatter``).
* **Average pooling.**  The window sums divided by the window's size (padding counted or not,
  or ``divisor_override``).  Its gradient spreads ``dout / size`` evenly back over each window:
  the same slices, added into, in the opposite order (``_window_spread``).
"""
import functools
import math

import numpy as np

from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..._ops.core import dual
from .im2col import Geometry, pad_plane
from ..._ops.core.registry import export
from .pooling_windows import (_Pool, _check_dtype, _ints, _lowest, _omitted, _output_size,
                              _pooling, _window_spread, _window_sum, planes, scatter, window_max)


# ---------------------------------------------------------------- max pooling


class _MaxPoolWithIndices(Op):
    """out = the maximum of each window, and its flat position in the input plane.
    dx = dout added at those positions (a scatter); the positions get no gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, pool, return_indices):
        ctx.save_for_backward(x)    # as torch: changing x in place afterwards is an error
        geometry = pool.geometry
        nd = len(geometry.kernel)
        fill = _lowest(x.dtype)
        plane = pad_plane(planes(x, nd), geometry.padding, geometry.span, fill)
        best, where = window_max(plane, pool.dims, False)
        if x.dtype.kind in "fV" and np.isnan(best).any():
            best, where = window_max(plane, pool.dims, True)      # only now: NaNs must win
        shape = x.shape[:x.ndim - nd] + geometry.output_size
        ctx.outside = None
        if any(geometry.padding):
            # a window whose elements are all -inf (or the integer minimum) may have "found"
            # its maximum in the padding; torch reports the window's first element then --
            # which lies outside the input when a dilated window misses it altogether
            padded = best == fill
            if padded.any():
                np.copyto(where, pool.first, where=padded)
                outside = where >= math.prod(geometry.input_size)
                if outside.any():   # those windows pass no gradient
                    ctx.outside = outside.reshape(shape)
        best, where = best.reshape(shape), where.reshape(shape)
        ctx.positions, ctx.shape, ctx.nd, ctx.unique = where, x.shape, nd, pool.disjoint
        return (best, where) if return_indices else best

    @staticmethod
    def backward(ctx, grad, *unused):
        ctx.saved_tensors           # (checks that x is unchanged)
        positions, outside = ctx.positions, ctx.outside
        if outside is not None:
            grad, positions = grad * ~outside, np.where(outside, 0, positions)
        return scatter(grad, positions, ctx.shape, ctx.nd, ctx.unique), None, None


class MaxPool2DWithIndices(_MaxPoolWithIndices):
    """Max pooling over 2-d windows (see ``_MaxPoolWithIndices``)."""


class MaxPool3DWithIndices(_MaxPoolWithIndices):
    """Max pooling over 3-d windows (see ``_MaxPoolWithIndices``)."""


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, fn, op):
    pool = _pooling(fn, input._array.shape, "max", _ints(kernel_size),
                    () if stride is None else _ints(stride), _ints(padding), _ints(dilation),
                    bool(ceil_mode))
    _check_dtype(input, fn)
    return op.apply(input, pool, bool(return_indices))


@functools.lru_cache(maxsize=64)
def _pooling1d(shape, kernel, stride, padding, dilation, ceil_mode):
    """max_pool1d's own checks and messages; its 1-d _Pool."""
    if len(shape) not in (2, 3) or 0 in shape[1 if len(shape) == 3 else 0:]:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           "batch size for input, but got:[{}]".format(", ".join(map(str, shape))))
    for name, value, what in (("kernel_size", kernel, "an int, list of ints or tuple of ints"),
                              ("stride", stride, "None, an int, list of ints, or tuple of ints"),
                              ("padding", padding, "an int, list of ints, or tuple of ints"),
                              ("dilation", dilation, "an int, list of ints or tuple of ints")):
        if len(value) != 1 and not (name == "stride" and len(value) == 0):
            raise RuntimeError("max_pool1d() {} must be {} of size 1 but got size {}".format(
                name, what, len(value)))
    (k,), (p,), (d,) = kernel, padding, dilation
    s = stride[0] if stride else k
    if k <= 0:
        raise RuntimeError("max_pool1d() kernel_size must be greater than zero, but got {}"
                           .format(k))
    if s <= 0:
        raise RuntimeError("max_pool1d() stride must be greater than zero, but got {}".format(s))
    if p < 0:
        raise RuntimeError("max_pool1d() padding must be non-negative, but got {}".format(p))
    if p > k // 2:
        raise RuntimeError("max_pool1d() padding should be at most half of kernel size, but got "
                           "padding={} and kernel_size={}".format(p, k))
    if d <= 0:
        raise RuntimeError("max_pool1d() dilation must be greater than zero, but got {}".format(d))
    o = _output_size(shape[-1], k, s, p, d, ceil_mode)
    if o <= 0:
        raise RuntimeError("max_pool1d() Invalid computed output size: {}".format(o))
    return _Pool(Geometry((k,), (s,), (d,), (p,), shape[-1:], (o,), 1))


@export("torch", "F")
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """``max_pool1d`` returning (values, indices) (``return_indices`` is ignored)."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


@export("torch", "F")
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each window of length ``kernel_size`` of ``input`` (N, C, L) or (C, L),
    windows ``stride`` apart (default: ``kernel_size``), after ``padding`` -inf on both sides;
    ``dilation`` spaces a window's elements.  ``ceil_mode`` keeps a last, partial window.
    ``return_indices``: also the position of each maximum along L (for ``max_unpool1d``)."""
    stride = () if stride is None else _ints(stride)
    _pooling1d(input._array.shape, _ints(kernel_size), stride, _ints(padding), _ints(dilation),
               bool(ceil_mode))
    if return_indices or (_grad_state().enabled and input._requires_grad):
        # torch pools a (N, C, 1, L) view in 2-d, and shows that in the graph
        out = max_pool2d(input.unsqueeze(-2), (1,) + _ints(kernel_size),
                         (1,) + stride if stride else None, (0,) + _ints(padding),
                         (1,) + _ints(dilation), ceil_mode, return_indices)
        if return_indices:
            return out[0].squeeze(-2), out[1].squeeze(-2)
        return out.squeeze(-2)
    if input._array.dtype.kind not in "fV":
        raise NotImplementedError("\"max_pool1d_impl\" not implemented for '{}'".format(
            input.dtype.scalar_name))
    pool = _pooling1d(input._array.shape, _ints(kernel_size), stride, _ints(padding),
                      _ints(dilation), bool(ceil_mode))
    return MaxPool2DWithIndices.apply(input, pool, False)


@export("torch", "F")
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each ``kernel_size`` window of ``input`` (N, C, H, W) or (C, H, W),
    windows ``stride`` apart (default: ``kernel_size``), after ``padding`` -inf on every side
    (at most half the kernel); ``dilation`` spaces a window's elements, and ``ceil_mode`` keeps
    last, partial windows.  ``return_indices``: also each maximum's position in its H x W plane
    (``h * W + w``).  The output is (N, C, (H + 2 * padding - dilation * (kH - 1) - 1) //
    stride + 1, ...).

    Example::

        >>> F.max_pool2d(torch.randn(64, 6, 28, 28), 2).shape
        torch.Size([64, 6, 14, 14])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool2d", MaxPool2DWithIndices)


@export("torch", "F")
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max pooling of ``input`` (N, C, D, H, W) or (C, D, H, W) over 3-d windows (see
    ``max_pool2d``)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                     "max_pool3d", MaxPool3DWithIndices)


@export("F")
def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """``max_pool2d`` returning (values, indices) (``return_indices`` is ignored)."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


@export("F")
def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """``max_pool3d`` returning (values, indices) (``return_indices`` is ignored)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


# ---------------------------------------------------------------- average pooling


def _average(x, pool, divisor):
    """The sum of every window of ``x``, divided by ``divisor`` (integers: truncated, as in
    torch); float16 is summed in float32."""
    geometry = pool.geometry
    nd = len(geometry.kernel)
    kind = x.dtype.kind
    work = x.astype(np.float32) if x.dtype == np.float16 else (
        x.astype(np.int64) if kind not in "fV" else x)
    total = _window_sum(pad_plane(planes(work, nd), geometry.padding, geometry.span), geometry)
    if kind in "fV":
        np.divide(total, divisor, out=total)
    else:
        total = np.sign(total) * (np.abs(total) // divisor)
    return total.astype(x.dtype, copy=False).reshape(
        x.shape[:x.ndim - nd] + geometry.output_size)


def _spread(g, pool, divisor, shape):
    """The transpose of ``_average``: ``g / divisor`` added evenly onto each window's elements,
    an array of ``shape``."""
    geometry = pool.geometry
    nd = len(geometry.kernel)
    size = tuple(max(s, p + h) for s, p, h in zip(geometry.span, geometry.padding,
                                                   geometry.input_size))
    plane = _window_spread(np.divide(planes(g, nd), divisor, dtype=g.dtype), geometry, size)
    inside = tuple(slice(p, p + h) for p, h in zip(geometry.padding, geometry.input_size))
    return plane[(Ellipsis,) + inside].reshape(shape)


class _AvgPool(Op):
    """out = the mean of each window (sum / divisor).   dx = dout / divisor spread evenly over
    each window (``_spread``; when recorded, the matching ``_AvgPoolBackward`` op, whose own
    gradient is this average again)."""

    exact_grads = True
    adjoint = None          # the _AvgPoolBackward subclass of the same dimension

    @staticmethod
    def forward(ctx, x, pool, divisor):
        ctx.save_for_backward(x)    # as torch: changing x in place afterwards is an error
        ctx.pool, ctx.divisor, ctx.shape = pool, divisor, x.shape
        return _average(x, pool, divisor)

    @classmethod
    def backward(cls, ctx, grad):
        ctx.saved_tensors           # (checks that x is unchanged)
        if dual.is_array(grad):
            return _spread(grad, ctx.pool, ctx.divisor, ctx.shape), None, None
        return cls.adjoint.apply(grad, ctx.pool, ctx.divisor, ctx.shape), None, None


class _AvgPoolBackward(Op):
    """out = g / divisor spread over the windows: the gradient of average pooling, as an op of
    its own for recorded backward passes.  Linear in g; its gradient is the average pooling of
    dout."""

    exact_grads = True
    adjoint = None          # the _AvgPool subclass of the same dimension

    @staticmethod
    def forward(ctx, g, pool, divisor, shape):
        ctx.pool, ctx.divisor = pool, divisor
        return _spread(g, pool, divisor, shape)

    @classmethod
    def backward(cls, ctx, grad):
        if dual.is_array(grad):
            return _average(grad, ctx.pool, ctx.divisor), None, None, None
        return cls.adjoint.apply(grad, ctx.pool, ctx.divisor), None, None, None


class AvgPool2D(_AvgPool):
    """Average pooling over 2-d windows (see ``_AvgPool``)."""


class AvgPool2DBackward(_AvgPoolBackward):
    """The gradient of 2-d average pooling (see ``_AvgPoolBackward``)."""


class AvgPool3D(_AvgPool):
    """Average pooling over 3-d windows (see ``_AvgPool``)."""


class AvgPool3DBackward(_AvgPoolBackward):
    """The gradient of 3-d average pooling (see ``_AvgPoolBackward``)."""


AvgPool2D.adjoint, AvgPool2DBackward.adjoint = AvgPool2DBackward, AvgPool2D
AvgPool3D.adjoint, AvgPool3DBackward.adjoint = AvgPool3DBackward, AvgPool3D


@functools.lru_cache(maxsize=256)
def _divisor(pool, count_include_pad, divisor_override):
    """Every window's divisor: its size within the padded input (``count_include_pad``) or
    within the input, or ``divisor_override``."""
    if divisor_override:
        return divisor_override
    geometry = pool.geometry
    counts = []
    for o, s, p, k, h in zip(geometry.output_size, geometry.stride, geometry.padding,
                             geometry.kernel, geometry.input_size):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, h + p)
        counts.append(end - start if count_include_pad else
                      np.minimum(end, h) - np.maximum(start, 0))
    divisor = counts[0]
    for c in counts[1:]:
        divisor = np.multiply.outer(divisor, c)
    return divisor


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override, fn, op):
    pool = _pooling(fn, input._array.shape, "avg", _ints(kernel_size),
                    () if stride is None else _ints(stride), _ints(padding), (1,),
                    bool(ceil_mode))
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_dtype(input, fn)
    return op.apply(input, pool, _divisor(pool, bool(count_include_pad), divisor_override))


def _one_int(value, name, fn):
    value = _ints(value)
    if len(value) != 1:
        raise RuntimeError("{}() argument '{}' should contain one int (got {})".format(
            fn, name, len(value)))
    return value


def _check_1d(input, fn):
    ndim = input._array.ndim
    if ndim not in (2, 3):
        raise RuntimeError("Expected 2 to 3 dimensions, but got {}-dimensional tensor for argument "
                           "#1 'self' (while checking arguments for {})".format(ndim, fn))


@export("torch", "F")
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """The mean of each window of length ``kernel_size`` of ``input`` (N, C, L) or (C, L) (see
    ``avg_pool2d``).  torch pools a (N, C, 1, L) view in 2-d, and so does ember."""
    _check_1d(input, "avg_pool1d")
    kernel = _one_int(kernel_size, "kernel_size", "avg_pool1d")
    stride = kernel if _omitted(stride) else _one_int(stride, "stride", "avg_pool1d")
    padding = _one_int(padding, "padding", "avg_pool1d")
    return avg_pool2d(input.unsqueeze(-2), (1,) + kernel, (1,) + stride, (0,) + padding,
                      ceil_mode, count_include_pad).squeeze(-2)


@export("F")
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each ``kernel_size`` window of ``input`` (N, C, H, W) or (C, H, W), windows
    ``stride`` apart (default: ``kernel_size``), after ``padding`` zeros on every side.  The
    divisor is the window's size, padding included (``count_include_pad``) or not, or
    ``divisor_override``.  ``ceil_mode`` keeps last, partial windows."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool2d", AvgPool2D)


@export("F")
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Average pooling of ``input`` (N, C, D, H, W) or (C, D, H, W) over 3-d windows (see
    ``avg_pool2d``)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool3d", AvgPool3D)
