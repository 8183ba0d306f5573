"""Convolution: ``conv1d``, ``conv2d``, ``conv3d`` and their transposes ``conv_transpose1d`` ...,
as strided windows plus a matrix product.  Padding (``F.pad``) continues this family in
``padding.py``.

**The forward pass.**  A convolution slides a kernel over the input and takes, at every output
position, the dot product of the kernel with the window of input under it::

    out[n, co, o] = bias[co] + sum over ci, k of  weight[co, ci, k] * x[n, ci, o*s + k*d - p]

where ``o`` and ``k`` are positions (one number per spatial dimension), ``s`` the stride, ``d``
the dilation and ``p`` the padding; positions outside the input read as zeros.  (Deep learning
calls this cross-correlation a convolution: the kernel is not flipped.)  Run as written, that is
a Python loop over every output number.  NumPy does it in two steps instead:

1. **Windows (im2col).**  Pad the input; the window under output position ``o`` starts at
   ``o*s`` and its elements are ``d`` apart.  ``as_strided`` makes a *view* of the padded input
   in which ``[n, c, o, k]`` is element ``o*s + k*d``: nothing is copied, the view only steps
   through memory with the element strides multiplied by ``s`` along the output axes and by
   ``d`` along the kernel axes.  Copying it gives ``cols``, a matrix with one column per
   window, (C * prod(K)) x (N * prod(O)) (``_im2col``).
2. **A matrix product.**  The whole sum is then ``weight.reshape(C_out, C * prod(K)) @ cols``,
   which BLAS computes at full speed (``_correlate``: one product per sample, so that the
   results arrive in (N, C_out, *O) order).

With ``groups`` the channels split into G independent convolutions: the matrices get a leading
dimension G, and the product is a batch of G products.

**The backward pass.**  The output is linear in the input and linear in the weight, so both
gradients are correlations again:

* ``dL/dweight = dL/dout @ cols^T`` (the output gradient as a C_out x (N * prod(O)) matrix):
  every window, weighted by the gradient of the output it produced, summed.  Forward's ``cols``
  are reused: one more matrix product (``_weight_grad``).
* ``dL/dx``: every input element took part in several windows, and its gradient is the sum of
  what reaches it through each.  ``weight^T @ dL/dout`` gives, window by window, the gradient of
  every element of the window; ``_col2im`` adds those windows back onto the input's plane -- a
  scatter-add, looped over the kernel offsets only, each adding one shifted block.  This map
  from output-sized to input-sized arrays is the *transposed convolution*
  (``_transpose_correlate``), and ``conv_transpose2d`` is the same code used as a forward pass.
* ``dL/dbias`` = dL/dout summed over the batch and the positions.

So three bilinear maps are at work: the convolution C(x, w), its transpose T(y, w) and the
weight gradient W(x, y), and the derivatives of each one are the other two.  They are the three
Ops below; a recorded backward pass (``create_graph=True``) builds a graph of them, which gives
second derivatives with no further formulas.

A ``Geometry`` describes one convolution once: kernel, stride, dilation, padding, groups and the
spatial sizes of its input (the large side) and output (the small side).  Convolution and
transposed convolution share it; only which side is given differs.
"""
import functools
import math
import warnings

import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.linalg.products import _C_NAMES
from ..._ops.core.registry import export


_as_strided = np.lib.stride_tricks.as_strided


# ---------------------------------------------------------------- geometry, im2col, col2im


class Geometry:
    """One convolution's shape: ``kernel``, ``stride``, ``dilation``, ``padding`` (zeros before
    the input, per spatial dimension), ``groups``, and the spatial sizes ``input_size`` of its
    input and ``output_size`` of its output.  Derived once: ``span``, the extent of the padded
    input that the windows cover, (O - 1) * s + d * (K - 1) + 1 per dimension."""

    __slots__ = ("kernel", "stride", "dilation", "padding", "input_size", "output_size",
                 "groups", "span", "kernel_numel")

    def __init__(self, kernel, stride, dilation, padding, input_size, output_size, groups):
        self.kernel, self.stride, self.dilation = kernel, stride, dilation
        self.padding, self.input_size, self.output_size = padding, input_size, output_size
        self.groups = groups
        self.span = tuple((o - 1) * s + d * (k - 1) + 1
                          for o, s, d, k in zip(output_size, stride, dilation, kernel))
        self.kernel_numel = math.prod(kernel)


def pad_plane(x, padding, span, fill=0):
    """``x`` (N, C, *H) on a plane of spatial size ``span``, starting ``padding`` in; the rest
    of the plane is ``fill``, and what of ``x`` falls beyond ``span`` is left out.  A view of
    ``x`` when there is nothing to fill."""
    size = x.shape[2:]
    if not any(padding) and all(s <= h for s, h in zip(span, size)):
        return x if span == size else x[(Ellipsis,) + tuple(slice(0, s) for s in span)]
    if fill == 0:
        out = np.zeros(x.shape[:2] + span, x.dtype)
    else:
        out = np.full(x.shape[:2] + span, fill, x.dtype)
    fits = [min(h, s - p) for h, s, p in zip(size, span, padding)]
    out[(Ellipsis,) + tuple(slice(p, p + n) for p, n in zip(padding, fits))] = \
        x[(Ellipsis,) + tuple(slice(0, n) for n in fits)]
    return out


def _im2col(x, geometry):
    """``cols`` of ``x`` (N, C, *H), shape (G, C / G * prod(K), N, prod(O)): for each channel
    group, a column per window, ``cols[g, (c, k), n, o] = padded[n, c, o * s + k * d]``.

    ``as_strided`` gives that array as a view of the padded input with no copying: along a new
    kernel axis K_j it steps ``d_j`` elements of spatial dimension j, along the output axis O_j
    ``s_j`` elements.  Making all the windows at once and copying them gives the columns, but
    copies in short stretches (one output row at a time); doing it one spatial dimension at a
    time, the last first, copies each time in long contiguous runs, and is about twice as fast.
    """
    kernel, out = geometry.kernel, geometry.output_size
    nd = len(kernel)
    # from (C, N, *P) to (C, *K, N, *O), one dimension j at a time: before step j the array is
    # (C, K[j+1:], N, P[:j+1], O[j+1:]), so P_j is axis nd + 1; the step replaces it by O_j,
    # and puts K_j after C
    a = pad_plane(x, geometry.padding, geometry.span).swapaxes(0, 1)
    at = nd + 1
    for j in reversed(range(nd)):
        shape, strides = a.shape, a.strides
        step = strides[at]
        a = np.ascontiguousarray(_as_strided(
            a, shape[:1] + (kernel[j],) + shape[1:at] + (out[j],) + shape[at + 1:],
            strides[:1] + (step * geometry.dilation[j],) + strides[1:at]
            + (step * geometry.stride[j],) + strides[at + 1:], writeable=False))
    n, channels = x.shape[:2]
    g = geometry.groups
    return a.reshape(g, channels // g * geometry.kernel_numel, n, math.prod(out))


def _plane_size(geometry):
    """The padded plane that windows are added back onto: the span of the windows, or more
    when the input reaches beyond it (positions no window covers)."""
    return tuple(max(s, p + h) for s, p, h in zip(geometry.span, geometry.padding,
                                                  geometry.input_size))


def _rows(y, geometry):
    """``y`` (N, C, *O) with its last dimension spread to the padded plane's row width: output
    ``o`` at ``o * stride``, zeros between and after (see ``_col2im``)."""
    width = _plane_size(geometry)[-1]
    s, o = geometry.stride[-1], geometry.output_size[-1]
    rows = np.zeros(y.shape[:-1] + (width,), y.dtype)
    rows[..., :(o - 1) * s + 1:s] = y
    return rows


def _col2im(parts, geometry):
    """The transpose of ``_im2col``: window columns added back onto the input's plane.

    ``parts`` (N, C, prod(K), R) holds each window's elements, for windows laid out as
    ``_rows`` lays out the outputs: a full row of the padded plane for each row of outputs,
    zeros where no output is.  Kernel offset ``k`` of output ``o`` belongs at
    ``o * s + k * d``, so for each kernel offset the whole (N, C, R) block is added onto the
    flattened plane shifted by ``k * d`` -- a loop over the kernel offsets only, each addition
    running over whole rows of the plane (a row's zeros spill into the next row harmlessly).
    Returns (N, C, *H)."""
    n, channels = parts.shape[:2]
    if n * channels == 0:
        return np.zeros((n, channels) + geometry.input_size, parts.dtype)
    size = _plane_size(geometry)
    steps = _steps(size)
    plane = math.prod(size)
    spill = (geometry.kernel[-1] - 1) * geometry.dilation[-1]
    flat = np.zeros(n * channels * plane + spill, parts.dtype)
    item = flat.itemsize
    shape = (n, channels) + geometry.output_size[:-1] + (size[-1],)
    strides = tuple(item * t for t in (channels * plane, plane) + tuple(
        s * t for s, t in zip(geometry.stride[:-1], steps[:-1])) + (1,))
    blocks = parts.reshape((n, channels, geometry.kernel_numel) + shape[2:])
    for i, k in enumerate(np.ndindex(*geometry.kernel)):
        start = sum(j * d * t for j, d, t in zip(k, geometry.dilation, steps))
        np.ndarray(shape, flat.dtype, flat, start * item, strides)[...] += blocks[:, :, i]
    out = flat[:n * channels * plane].reshape((n, channels) + size)
    if size == geometry.input_size:
        return out
    return np.ascontiguousarray(out[(Ellipsis,) + tuple(
        slice(p, p + h) for p, h in zip(geometry.padding, geometry.input_size))])


def _steps(size):
    """How far apart neighbours along each dimension are in a flattened plane of ``size``."""
    return tuple(math.prod(size[i + 1:]) for i in range(len(size)))


def _kernel_matrix(w, groups):
    """The weight (C_small, C_big / G, *K) as (G, C_small / G, C_big / G * prod(K))."""
    return w.reshape(groups, w.shape[0] // groups, math.prod(w.shape[1:]))


def _per_sample(y, groups):
    """``y`` (N, C, *S) as (N, G, C / G, prod(S)): each sample's channel groups as matrices."""
    return y.reshape(y.shape[0], groups, y.shape[1] // groups, math.prod(y.shape[2:]))


def _add_bias(out, bias):
    if bias is not None:
        out += bias.reshape((-1,) + (1,) * (out.ndim - 2))
    return out


def _correlate(cols, w, geometry, bias):
    """C: the convolution of the input whose ``cols`` are given, (N, C_out, *O).  One matrix
    product per sample and group (BLAS, looped over in C): the outputs arrive in (N, C, *O)
    order, and each product's operands fit in the cache."""
    out = np.matmul(_kernel_matrix(w, geometry.groups), cols.transpose(2, 0, 1, 3))
    return _add_bias(out.reshape((cols.shape[2], w.shape[0]) + geometry.output_size), bias)


def _transpose_correlate(y, w, geometry, bias):
    """T: the transposed convolution of ``y`` (N, C_small, *O), (N, C_big, *H): each window's
    elements (weight^T @ y, one product per sample and group), added back by ``_col2im``."""
    g = geometry.groups
    parts = np.matmul(np.swapaxes(_kernel_matrix(w, g), 1, 2),
                      _per_sample(_rows(y, geometry), g))
    parts = parts.reshape((y.shape[0], w.shape[1] * g, geometry.kernel_numel, parts.shape[-1]))
    return _add_bias(_col2im(parts, geometry), bias)


def _weight_grad(cols, y, geometry, shape):
    """W: every window weighted by the ``y`` of its output position, summed over windows and
    samples: the gradient of the weight, of ``shape``."""
    g = geometry.groups
    n, positions = cols.shape[2:]
    if positions >= 256 and n * math.prod(shape) <= 1 << 20:
        # many positions per sample: a product per sample (in cache) beats one long one
        return np.matmul(_per_sample(y, g), cols.transpose(2, 0, 3, 1)).sum(0).reshape(shape)
    rows = np.swapaxes(y, 0, 1).reshape(g, y.shape[1] // g, n * positions)
    # (cols @ rows^T)^T: BLAS runs the long sum over windows faster in this orientation
    return np.matmul(cols.reshape(g, cols.shape[1], n * positions),
                     np.swapaxes(rows, 1, 2)).swapaxes(1, 2).reshape(shape)


def _channel_sum(g):
    """``g`` (N, C, *S) summed over everything but the channels: the gradient of a bias."""
    if dual.is_array(g):
        return np.einsum("ncs->c", g.reshape(g.shape[:2] + (math.prod(g.shape[2:]),)))
    return dual.sum_dims(g, (0,) + tuple(range(2, len(g.shape))))


def _weight_shape(big_channels, small_channels, geometry):
    return (small_channels, big_channels // geometry.groups) + geometry.kernel


# ---------------------------------------------------------------- the three operations


class Convolution(Op):
    """C: out = conv(x, w) + b (x is the large side, out the small one).
    dx = T(dout, w),  dw = W(x, dout),  db = dout summed over batch and positions."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, w, b, geometry):
        cols = _im2col(x, geometry)
        ctx.save_for_backward(x, w)
        ctx.geometry = geometry
        if ctx.needs_input_grad[1]:
            ctx.cols = cols
        return _correlate(cols, w, geometry, b)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        geometry, needs = ctx.geometry, ctx.needs_input_grad
        gx = gw = gb = None
        if dual.is_array(grad):
            if needs[0]:
                gx = _transpose_correlate(grad, w, geometry, None)
            if needs[1]:
                gw = _weight_grad(ctx.cols, grad, geometry, w.shape)
        else:
            if needs[0]:
                gx = ConvolutionTransposed.apply(grad, w, None, geometry)
            if needs[1]:
                gw = ConvolutionWeight.apply(x, grad, geometry)
        if needs[2]:
            gb = _channel_sum(grad)
        return gx, gw, gb


class ConvolutionTransposed(Op):
    """T: out = conv_transpose(y, w) + b (y is the small side, out the large one).
    dy = C(dout, w),  dw = W(dout, y),  db = dout summed over batch and positions."""

    exact_grads = True
    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, y, w, b, geometry):
        ctx.save_for_backward(y, w)
        ctx.geometry = geometry
        return _transpose_correlate(y, w, geometry, b)

    @staticmethod
    def backward(ctx, grad):
        y, w = ctx.saved_tensors
        geometry, needs = ctx.geometry, ctx.needs_input_grad
        gy = gw = gb = None
        if dual.is_array(grad):
            if needs[0] or needs[1]:
                cols = _im2col(grad, geometry)
            if needs[0]:
                gy = _correlate(cols, w, geometry, None)
            if needs[1]:
                gw = _weight_grad(cols, y, geometry, w.shape)
        else:
            if needs[0]:
                gy = Convolution.apply(grad, w, None, geometry)
            if needs[1]:
                gw = ConvolutionWeight.apply(grad, y, geometry)
        if needs[2]:
            gb = _channel_sum(grad)
        return gy, gw, gb


class ConvolutionWeight(Op):
    """W: out = the weight gradient of the convolution of x that gave an output gradient y.
    W is linear in x and in y:  dx = T(y, dout),  dy = C(x, dout).  (It appears in graphs only
    when a backward pass is recorded, under torch's name for second-order nodes.)"""

    exact_grads = True
    node_name = "ConvolutionBackwardBackward0"

    @staticmethod
    def forward(ctx, x, y, geometry):
        ctx.save_for_backward(x, y)
        ctx.geometry = geometry
        return _weight_grad(_im2col(x, geometry), y, geometry,
                            _weight_shape(x.shape[1], y.shape[1], geometry))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        geometry, needs = ctx.geometry, ctx.needs_input_grad
        gx = gy = None
        if dual.is_array(grad):
            if needs[0]:
                gx = _transpose_correlate(y, grad, geometry, None)
            if needs[1]:
                gy = _correlate(_im2col(x, geometry), grad, geometry, None)
        else:
            if needs[0]:
                gx = ConvolutionTransposed.apply(y, grad, None, geometry)
            if needs[1]:
                gy = Convolution.apply(x, grad, None, geometry)
        return gx, gy


# ---------------------------------------------------------------- checking the arguments


def _fmt(sizes, sep=", "):
    return sep.join(map(str, sizes))


def _tuple(value, nd):
    """An int, or a list or tuple of ints, as a tuple (an int repeated ``nd`` times); made
    hashable for the geometry cache."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * nd
    if isinstance(value, str):
        return value
    return tuple(int(v) for v in value)


def _expand(name, values, nd):
    if len(values) == 1:
        return values * nd
    if len(values) != nd:
        raise RuntimeError("expected {0} to be a single integer value or a list of {1} values to "
                           "match the convolution dimensions, but got {0}=[{2}]".format(
                               name, nd, _fmt(values)))
    return values


def _same_padding(kernel, dilation):
    """'same': d * (k - 1) zeros in all, the smaller half before the input."""
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    if any(t % 2 for t in total):
        warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require "
                      "a zero-padded copy of the input be created", UserWarning, stacklevel=6)
    return tuple(t // 2 for t in total)


def _named(prefix, values, sep):
    """"dilation_height: 1, dilation_width: 2" (torch's wording in transposed errors)."""
    names = ("depth", "height", "width")[3 - len(values):]
    return sep.join("{}_{}: {}".format(prefix, n, v) for n, v in zip(names, values))


@functools.lru_cache(maxsize=256)
def _geometry(x_shape, x_dtype, w_shape, w_dtype, b_shape, b_dtype, stride, padding, dilation,
              groups, nd, transposed, output_padding):
    """Checks a convolution's arguments in torch's order, with torch's messages, and returns its
    Geometry (cached: a training loop asks the same question every step)."""
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if len(w_shape) < 3:
        raise RuntimeError("weight should have at least three dimensions")
    mode = padding if isinstance(padding, str) else None
    stride, padding, dilation, output_padding = _parameters(
        len(w_shape) - 2, mode, w_shape[2:], stride, padding, dilation, output_padding)
    if b_dtype is not None and b_dtype != x_dtype:
        raise RuntimeError("Input type ({}) and bias type ({}) should be the same".format(
            _C_NAMES[x_dtype.name], _C_NAMES[b_dtype.name]))
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d < 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if len(w_shape) != len(x_shape):
        raise RuntimeError("Expected {0}-dimensional input for {0}-dimensional weight [{1}], but "
                           "got {2}-dimensional input of size [{3}] instead".format(
                               len(w_shape), _fmt(w_shape), len(x_shape), _fmt(x_shape)))
    if w_shape[0] < groups:
        raise RuntimeError("Given groups={0}, expected weight to be at least {0} at dimension 0, "
                           "but got weight of size [{1}] instead".format(groups, _fmt(w_shape)))
    if w_shape[0] % groups:
        raise RuntimeError("Given groups={0}, expected weight to be divisible by {0} at dimension "
                           "0, but got weight of size [[{1}]] instead".format(
                               groups, _fmt(w_shape)))
    unit = (1,) if nd == 1 else ()      # torch runs 1-d convolutions as 2-d ones of height 1
    if transposed:
        geometry = _transposed_geometry(x_shape, w_shape, b_shape, stride, padding, dilation,
                                        groups, output_padding, unit)
    else:
        geometry = _forward_geometry(x_shape, x_dtype, w_shape, b_shape, stride, padding,
                                     dilation, groups, mode, unit)
    if w_dtype != x_dtype:
        raise _errors.expected_scalar_type(_scalar_name(x_dtype), _scalar_name(w_dtype))
    if x_dtype.kind == "b":
        raise NotImplementedError("\"slow_conv{}d_cpu\" not implemented for 'Bool'".format(
            3 if nd == 3 else 2))
    return geometry


def _parameters(k, mode, kernel, stride, padding, dilation, output_padding):
    """stride, padding, dilation and output_padding as tuples of ``k`` (the weight's spatial
    dimensions), from ints, tuples, or a padding mode ('same' or 'valid')."""
    if mode is None:                    # (torch checks them in this order)
        stride, padding = _expand("stride", stride, k), _expand("padding", padding, k)
        output_padding = _expand("output_padding", output_padding, k)
        return stride, padding, _expand("dilation", dilation, k), output_padding
    if mode not in ("same", "valid"):
        raise RuntimeError("Invalid padding string: '{}'".format(mode))
    for name, values in (("stride", stride), ("dilation", dilation)):
        if len(values) not in (1, k):
            raise RuntimeError("{} cannot broadcast to {} dimensions".format(name, k))
    stride, dilation = stride * (k // len(stride)), dilation * (k // len(dilation))
    if mode == "same" and any(s != 1 for s in stride):
        raise _errors.padding_same_strided()
    padding = _same_padding(kernel, dilation) if mode == "same" else (0,) * k
    return stride, padding, dilation, (0,) * k


def _forward_geometry(x_shape, x_dtype, w_shape, b_shape, stride, padding, dilation, groups,
                      mode, unit):
    """The checks and Geometry of a convolution: input (N, C_in, *H), weight
    (C_out, C_in / G, *K)."""
    kernel, size = tuple(w_shape[2:]), tuple(x_shape[2:])
    channels = w_shape[1] * groups
    if x_shape[1] != channels:
        if mode == "same":          # torch pads the odd zero first, then checks
            x_shape = x_shape[:2] + tuple(h + d * (q - 1) - 2 * p for h, d, q, p in
                                          zip(size, dilation, kernel, padding))
        raise RuntimeError("Given groups={}, weight of size [{}], expected input[{}] to have {} "
                           "channels, but got {} channels instead".format(
                               groups, _fmt(w_shape), _fmt(x_shape), channels, x_shape[1]))
    if b_shape is not None and b_shape != (w_shape[0],):
        raise RuntimeError("Given weight of size [{}], expected bias to be 1-dimensional with {} "
                           "elements, but got bias of size [{}] instead".format(
                               _fmt(w_shape), w_shape[0], _fmt(b_shape)))
    if mode == "same":              # d * (k - 1) zeros in all
        padded = tuple(h + d * (q - 1) for h, d, q in zip(size, dilation, kernel))
    else:
        padded = tuple(h + 2 * p for h, p in zip(size, padding))
    extent = tuple(d * (q - 1) + 1 for d, q in zip(dilation, kernel))
    if any(h < e for h, e in zip(padded, extent)):
        raise RuntimeError("Calculated padded input size per channel: ({}). Kernel size: ({}). "
                           "Kernel size can't be greater than actual input size".format(
                               _fmt(padded, " x "), _fmt(extent, " x ")))
    if any(d == 0 for d in dilation):
        if x_dtype == np.float32 and x_shape[0] > 1:    # torch's oneDNN path says this
            raise RuntimeError("non-positive dilation is not supported")
        raise RuntimeError("dilation should be greater than zero, but got [{}]".format(
            _fmt(unit + dilation)))
    out = tuple((h - e) // s + 1 for h, e, s in zip(padded, extent, stride))
    return Geometry(kernel, stride, dilation, padding, size, out, groups)


def _transposed_geometry(x_shape, w_shape, b_shape, stride, padding, dilation, groups,
                         output_padding, unit):
    """The checks and Geometry of a transposed convolution: input (N, C_in, *L), weight
    (C_in, C_out / G, *K); the output is the large side, of size
    (L - 1) * s - 2 * p + d * (K - 1) + output_padding + 1."""
    kernel, size = tuple(w_shape[2:]), tuple(x_shape[2:])
    if x_shape[1] != w_shape[0]:
        raise RuntimeError("Given transposed=1, weight of size [{}], expected input[{}] to have "
                           "{} channels, but got {} channels instead".format(
                               _fmt(w_shape), _fmt(x_shape), w_shape[0], x_shape[1]))
    channels = w_shape[1] * groups
    if b_shape is not None and b_shape != (channels,):
        raise RuntimeError("Given transposed=1, weight of size [{}], expected bias to be "
                           "1-dimensional with {} elements, but got bias of size [{}] "
                           "instead".format(_fmt(w_shape), channels, _fmt(b_shape)))
    if any(d == 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero, but got {}".format(
            _named("dilation", unit + dilation, ", ")))
    if any(p >= s and p >= d for p, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           "got {} {} {}".format(
                               _named("output_padding", (0,) * len(unit) + output_padding, " "),
                               _named("stride", unit + stride, " "),
                               _named("dilation", unit + dilation, " ")))
    out = tuple((h - 1) * s - 2 * p + d * (q - 1) + o + 1 for h, s, p, d, q, o in
                zip(size, stride, padding, dilation, kernel, output_padding))
    if any(o < 1 for o in out):
        raise RuntimeError("Given input size per channel: ({}). Calculated output size per "
                           "channel: ({}). Output size is too small".format(
                               _fmt(unit + size, " x "), _fmt(unit + out, " x ")))
    return Geometry(kernel, stride, dilation, padding, out, size, groups)


def _scalar_name(np_dtype):
    from ..._dtype import from_numpy
    return from_numpy(np_dtype).scalar_name


def _convolve(input, weight, bias, stride, padding, dilation, groups, nd, name, transposed=False,
              output_padding=0):
    """The checks and the batch dimension shared by every convolution function."""
    x = input._array
    if x.ndim != nd + 1 and x.ndim != nd + 2:
        raise RuntimeError("Expected {}D (unbatched) or {}D (batched) input to {}, but got input "
                           "of size: [{}]".format(nd + 1, nd + 2, name, _fmt(x.shape)))
    batched = x.ndim == nd + 2
    if not batched:
        input = input.unsqueeze(0)
    w = weight._array
    b = None if bias is None else bias._array
    geometry = _geometry(input._array.shape, x.dtype, w.shape, w.dtype,
                         None if b is None else b.shape, None if b is None else b.dtype,
                         _tuple(stride, nd), _tuple(padding, nd), _tuple(dilation, nd), groups,
                         nd, transposed, _tuple(output_padding, nd))
    op = ConvolutionTransposed if transposed else Convolution
    out = op.apply(input, weight, bias, geometry)
    return out if batched else out.squeeze(0)


# ---------------------------------------------------------------- the public functions


@export("torch", "F")
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-d convolution of ``input`` (N, C_in, L) or (C_in, L) with ``weight``
    (C_out, C_in / groups, K): ``out[n, co, o] = bias[co] + sum weight[co, ci, k] *
    x[n, ci, o * stride + k * dilation - padding]``.  ``padding`` may be 'valid' (none) or 'same'
    (output as long as the input; stride 1 only).  See the module docstring for how."""
    return _convolve(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


@export("torch", "F")
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d convolution of ``input`` (N, C_in, H, W) or (C_in, H, W) with ``weight``
    (C_out, C_in / groups, kH, kW), plus ``bias`` (C_out); the output is
    (N, C_out, (H + 2 * padding - dilation * (kH - 1) - 1) // stride + 1, ...).
    ``padding`` may be an int, a pair, 'valid' (none) or 'same' (stride 1 only).

    Example::

        >>> x = torch.randn(64, 1, 28, 28)
        >>> F.conv2d(x, torch.randn(6, 1, 5, 5), padding=2).shape
        torch.Size([64, 6, 28, 28])
    """
    return _convolve(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


@export("torch", "F")
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-d convolution of ``input`` (N, C_in, D, H, W) or (C_in, D, H, W) with ``weight``
    (C_out, C_in / groups, kD, kH, kW)."""
    return _convolve(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, nd, name):
    if isinstance(padding, str):
        raise TypeError("{}(): argument 'padding' must be tuple of ints, not str".format(name))
    return _convolve(input, weight, bias, stride, padding, dilation, groups, nd, name, True,
                     output_padding)


@export("torch", "F")
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """1-d transposed convolution ("deconvolution") of ``input`` (N, C_in, L) with ``weight``
    (C_in, C_out / groups, K): the gradient of ``conv1d`` with respect to its input, used as a
    layer.  Output length (L - 1) * stride - 2 * padding + dilation * (K - 1) +
    output_padding + 1."""
    return _transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                       "conv_transpose1d")


@export("torch", "F")
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """2-d transposed convolution of ``input`` (N, C_in, H, W) with ``weight``
    (C_in, C_out / groups, kH, kW): every input element spreads ``weight`` times itself onto
    a window of the output, windows ``stride`` apart, overlaps added; ``padding`` is then cut
    from both sides.  It is how ``conv2d``'s input gradient is computed, and upsamples."""
    return _transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                       "conv_transpose2d")


@export("torch", "F")
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """3-d transposed convolution of ``input`` (N, C_in, D, H, W) with ``weight``
    (C_in, C_out / groups, kD, kH, kW)."""
    return _transposed(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                       "conv_transpose3d")
