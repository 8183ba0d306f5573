"""Windows of a convolution or pooling as a matrix: ``im2col`` and its inverse ``col2im``.

A ``Geometry`` describes one sliding-window operation once (kernel, stride, dilation, padding,
groups, and the spatial sizes of the large and the small side).  ``_im2col`` copies every window
of the padded input into one column of a matrix, through a strided *view* that steps through
memory with the strides multiplied by the stride (output axes) and the dilation (kernel axes);
``_col2im`` adds columns back onto the input's plane, one shifted block per kernel offset.
conv.py explains how the convolution uses them; pooling uses the same windows.
"""
import math
import numpy as np


# ---------------------------------------------------------------- geometry, im2col, col2im

_as_strided = np.lib.stride_tricks.as_strided


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
