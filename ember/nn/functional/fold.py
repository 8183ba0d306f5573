"""``unfold`` (im2col) and ``fold`` (col2im): sliding blocks of an image as columns, and back.

``unfold`` turns (N, C, H, W) into (N, C kh kw, L): one column per position of a kh x kw window
(with ``dilation``, ``padding`` and ``stride`` as in a convolution), L positions in all -- a
convolution is then one matrix product with these columns.  ``fold`` sums such columns back
into an image (overlapping blocks add up).  The two are adjoint linear maps, so the gradient of
each is the other.
"""
import numpy as np

from ..._ops.core.registry import export
from ...autograd.op import Op


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _blocks(size, kernel, dilation, padding, stride):
    """The number of window positions along each spatial axis."""
    return tuple((size[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                 for i in range(2))


def _im2col(x, kernel, dilation, padding, stride, blocks):
    """(N, C, H, W) -> (N, C kh kw, L)."""
    n, c = x.shape[:2]
    x = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    cols = np.empty((n, c, kernel[0], kernel[1], blocks[0], blocks[1]), x.dtype)
    for i in range(kernel[0]):
        top = i * dilation[0]
        for j in range(kernel[1]):
            left = j * dilation[1]
            cols[:, :, i, j] = x[:, :, top:top + stride[0] * blocks[0]:stride[0],
                                 left:left + stride[1] * blocks[1]:stride[1]]
    return cols.reshape(n, c * kernel[0] * kernel[1], blocks[0] * blocks[1])


def _col2im(cols, size, kernel, dilation, padding, stride, blocks):
    """(N, C kh kw, L) -> (N, C, H, W), overlapping blocks summed."""
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    cols = cols.reshape(n, c, kernel[0], kernel[1], blocks[0], blocks[1])
    out = np.zeros((n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1]), cols.dtype)
    for i in range(kernel[0]):
        top = i * dilation[0]
        for j in range(kernel[1]):
            left = j * dilation[1]
            out[:, :, top:top + stride[0] * blocks[0]:stride[0],
                left:left + stride[1] * blocks[1]:stride[1]] += cols[:, :, i, j]
    return out[:, :, padding[0]:padding[0] + size[0], padding[1]:padding[1] + size[1]]


class Im2Col(Op):
    """out = the sliding blocks of the image as columns.   Gradient: col2im of the gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride, blocks):
        ctx.batched = x.ndim == 4                       # unbatched (C, H, W) works alike
        x = x if ctx.batched else x[None]
        ctx.args = (x.shape[2:], kernel, dilation, padding, stride, blocks)
        out = _im2col(x, kernel, dilation, padding, stride, blocks)
        return out if ctx.batched else out[0]

    @staticmethod
    def backward(ctx, grad):
        out = _col2im(grad if ctx.batched else grad[None], *ctx.args)
        return (np.ascontiguousarray(out if ctx.batched else out[0]),) + (None,) * 5


class Col2Im(Op):
    """out = the columns summed back into an image.   Gradient: im2col of the gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, cols, size, kernel, dilation, padding, stride, blocks):
        ctx.batched = cols.ndim == 3                    # unbatched (C kh kw, L) works alike
        ctx.args = (kernel, dilation, padding, stride, blocks)
        out = _col2im(cols if ctx.batched else cols[None], size, kernel, dilation, padding,
                      stride, blocks)
        return np.ascontiguousarray(out if ctx.batched else out[0])

    @staticmethod
    def backward(ctx, grad):
        out = _im2col(grad if ctx.batched else grad[None], *ctx.args)
        return (out if ctx.batched else out[0],) + (None,) * 6


def _check_kernel(kernel):
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got kernel_height: {} "
                           "kernel_width: {}".format(*kernel))


@export("F")
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of (N, C, H, W) (or (C, H, W)) as columns: (N, C kh kw, L)."""
    kernel, dilation, padding, stride = map(_pair, (kernel_size, dilation, padding, stride))
    _check_kernel(kernel)
    size = tuple(input.shape[-2:])
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if blocks[0] < 1 or blocks[1] < 1:
        raise RuntimeError(
            "Given input with spatial size {}, kernel_size={}, dilation={}, padding={}, "
            "calculated shape of the array of sliding blocks as {}, but its components must be "
            "at least one.".format(size, kernel, dilation, padding, blocks))
    return Im2Col.apply(input, kernel, dilation, padding, stride, blocks)


@export("F")
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums columns (N, C kh kw, L) (or (C kh kw, L)) into an image (N, C, *output_size)."""
    size, kernel, dilation, padding, stride = map(_pair, (output_size, kernel_size, dilation,
                                                          padding, stride))
    _check_kernel(kernel)
    channels, length = input.shape[-2:]
    if channels % (kernel[0] * kernel[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           "of kernel_size, but got input.size(1)={} and kernel_size={}.".format(
                               channels, kernel))
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if length != blocks[0] * blocks[1]:
        raise RuntimeError(
            "Given output_size={}, kernel_size={}, dilation={}, padding={}, stride={}, expected "
            "size of input's dimension 2 to match the calculated number of sliding blocks {} * "
            "{} = {}, but got input.size(2)={}.".format(size, kernel, dilation, padding, stride,
                                                        blocks[0], blocks[1],
                                                        blocks[0] * blocks[1], length))
    return Col2Im.apply(input, size, kernel, dilation, padding, stride, blocks)
