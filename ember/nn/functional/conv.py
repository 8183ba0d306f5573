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
transposed convolution share it; only which side is given differs.  The windows and the
geometry are in ``im2col.py``; the checks of the arguments, which build the geometry, in
``conv_arguments.py``.
"""
import math

import numpy as np

from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.registry import export
from .im2col import _col2im, _im2col, _rows
from .conv_arguments import _fmt, _geometry, _tuple


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
