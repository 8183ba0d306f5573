"""The windows of pooling, one dimension a step, and their geometry (pooling.py explains them).

``window_max`` and ``_window_sum`` reduce every window of a plane by looping over the kernel
offsets only, each a strided slice of the plane; ``_window_spread`` and ``scatter`` send
gradients back the same way.  ``_pooling`` checks kernel, stride, padding and dilation as torch
does and gives the ``_Pool`` of one call.
"""
import functools
import math

import numpy as np

from ... import _errors
from ..._ops.core import dual
from .im2col import Geometry, _steps


# ---------------------------------------------------------------- windows, one dimension a step


def planes(x, nd):
    """``x`` (*, *H) as (1, P, *H): every leading index a plane (a view)."""
    return x.reshape((1, -1) + x.shape[x.ndim - nd:])


def _slicer(k, s, d, o):
    """Candidate ``i`` along ``axis`` of regular windows: element ``o * s + i * d`` of each."""
    def part(a, axis, i):
        return a[(slice(None),) * axis + (slice(i * d, i * d + (o - 1) * s + 1, s),)]
    return part


def window_max(plane, dims, nan_wins):
    """The maximum of every window of ``plane`` (1, P, *S), and its flat position in the input
    plane.  ``dims`` describes each spatial dimension: (part, offsets, base) -- ``part(a, axis,
    i)`` is the i-th candidate element of every window along ``axis``, ``offsets[i]`` its
    position along that dimension (times the dimension's step in the flat input plane), and
    ``base`` the position of each window's start (added at the end).

    The last dimension is reduced first.  A later candidate wins only when strictly larger (so
    the first maximum is kept) or, with ``nan_wins``, when it is NaN; the positions won so far
    are carried along with the values, picked by the same comparison."""
    a, where, base, fresh = plane, None, 0, False
    for j in reversed(range(len(dims))):
        part, offsets, start = dims[j]
        axis = 2 + j
        best = part(a, axis, 0)
        pos = offsets[0] if where is None else _plus(part(where, axis, 0), offsets[0])
        for i in range(1, len(offsets)):
            v = part(a, axis, i)
            better = np.greater(v, best)
            if nan_wins:
                better |= np.isnan(v)
            best = np.maximum(best, v)
            if where is None:
                candidate = offsets[i]
            else:
                candidate = _plus(part(where, axis, i), offsets[i])
            # pos = where(better, candidate, pos), in arithmetic (np.where is slower)
            pos = better * (candidate - pos) if _is_zero(pos) else pos + better * (candidate - pos)
            fresh = True
        a, base = best, base + start
        if not _is_zero(pos) and np.shape(pos) != best.shape:
            pos = np.broadcast_to(pos, best.shape)          # positions from offsets alone
        where = None if _is_zero(pos) else pos
    if not fresh:                       # 1-element windows: still views of the input
        a = a.copy()
    positions = np.empty(a.shape, np.intp)
    np.add(0 if where is None else where, base, out=positions)
    return a, positions


def _is_zero(value):
    return isinstance(value, int) and value == 0


def _plus(array, offset):
    return array if _is_zero(offset) else array + offset


def _window_sum(plane, geometry):
    """The sum of every window of ``plane`` (1, P, *S), one dimension at a time."""
    a = plane
    for j in reversed(range(len(geometry.kernel))):
        part = _slicer(geometry.kernel[j], geometry.stride[j], geometry.dilation[j],
                       geometry.output_size[j])
        total = np.array(part(a, 2 + j, 0))
        for i in range(1, geometry.kernel[j]):
            total += part(a, 2 + j, i)
        a = total
    return a


def _window_spread(g, geometry, size):
    """The transpose of ``_window_sum``: every window's ``g`` added onto each of its elements,
    a plane (1, P, *size); the dimensions in the opposite order."""
    a = g
    for j in range(len(geometry.kernel)):
        part = _slicer(geometry.kernel[j], geometry.stride[j], geometry.dilation[j],
                       geometry.output_size[j])
        out = np.zeros(a.shape[:2 + j] + (size[j],) + a.shape[3 + j:], a.dtype)
        for i in range(geometry.kernel[j]):
            part(out, 2 + j, i)[...] += a
        a = out
    return a


def scatter(g, positions, shape, nd, unique):
    """Zeros of ``shape`` with ``g`` added, plane by plane, at the flat ``positions``: the
    gradient of picking those elements.  ``unique``: no position repeats within a plane, and
    a plain write does."""
    size = math.prod(shape[len(shape) - nd:])
    count = math.prod(shape[:len(shape) - nd])
    positions = positions.reshape(count, math.prod(positions.shape[positions.ndim - nd:]))
    if dual.is_array(g):
        out = np.zeros(count * size, g.dtype)
        flat = (positions + np.arange(0, count * size, size)[:, None]).ravel()
        if unique:
            out[flat] = g.ravel()
        else:
            np.add.at(out, flat, g.ravel())
        return out.reshape(shape)
    rows = np.arange(count)[:, None]
    return dual.index_grad(g.reshape(positions.shape), (count, size),
                           (rows, positions)).reshape(shape)


def _lowest(dtype):
    return -np.inf if dtype.kind in "fV" else np.iinfo(dtype).min


# ---------------------------------------------------------------- window geometry


class _Pool:
    """The windows of one pooling: ``geometry`` (a conv Geometry); for max pooling ``dims`` (see
    ``window_max``), the position of every window's first element inside the input
    (``first``), and whether windows are ``disjoint``."""

    def __init__(self, geometry):
        self.geometry = geometry
        nd = len(geometry.kernel)
        steps = _steps(geometry.input_size)
        self.dims = []
        first = 0
        for j, (k, s, d, p, o, t) in enumerate(zip(
                geometry.kernel, geometry.stride, geometry.dilation, geometry.padding,
                geometry.output_size, steps)):
            start = (np.arange(o) * s - p).reshape((-1,) + (1,) * (nd - 1 - j))
            self.dims.append((_slicer(k, s, d, o), [i * d * t for i in range(k)], start * t))
            first = first + (np.maximum(0, -(start // d)) * d + start) * t
        self.first = first
        self.disjoint = all(s >= d * (k - 1) + 1 for s, d, k in
                            zip(geometry.stride, geometry.dilation, geometry.kernel))


def _output_size(h, k, s, p, d, ceil_mode):
    """torch's pooled length: floor (or ceil) of (h + 2p - d(k-1) - 1) / s, plus one; with
    ceil_mode a last window that would start in the right padding is dropped."""
    o = (h + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= h + p:
        o -= 1
    return o


_NAMES = {2: ("H", "W"), 3: ("T", "H", "W")}


def _labelled(prefix, values, nd):
    return " ".join("{}{}: {}".format(prefix, n, v) for n, v in zip(_NAMES[nd], values))


def _expand(name, fn, value, nd, omit=False):
    if len(value) == 0 and omit:
        return None
    if len(value) == 1:
        return value * nd
    if len(value) == nd:
        return value
    count = "two" if nd == 2 else "three"
    if fn == "avg_pool3d":
        raise RuntimeError("{}: {} must be {}a single int, or a tuple of three ints".format(
            fn, name, "omitted, " if omit else ""))
    if name == "dilation":
        raise RuntimeError("{}: dilation must be either a single int, or a tuple of {} ints"
                           .format(fn, count))
    raise RuntimeError("{}: {} must either be {}a single int, or a tuple of {} ints".format(
        fn, name, "omitted, " if omit else "", count))


@functools.lru_cache(maxsize=256)
def _pooling(fn, shape, kind, kernel, stride, padding, dilation, ceil_mode):
    """Checks a max or avg pooling (``fn`` names it, as in torch's messages) of an input of
    ``shape``, and returns its _Pool (cached per shape and arguments)."""
    nd = 3 if fn.endswith("3d") else 2
    kernel = _expand("kernel_size", fn, kernel, nd)
    stride = _expand("stride", fn, stride, nd, omit=True) or kernel
    padding = _expand("padding", fn, padding, nd)
    dilation = _expand("dilation", fn, dilation, nd)
    if len(shape) not in (nd + 1, nd + 2):
        if fn == "avg_pool2d" and len(shape) < 3:
            raise IndexError("Dimension out of range (expected to be in range of [{}, {}], but got "
                             "-3)".format(-len(shape), len(shape) - 1))
        raise RuntimeError("non-empty {}D or {}D (batch mode) tensor expected for input".format(
            nd + 1, nd + 2))
    size = shape[len(shape) - nd:]
    for h, k, s, p, d in zip(size, kernel, stride, padding, dilation):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError("pad must be non-negative, but got pad: {}".format(p))
        if p > int(((k - 1) * d + 1) / 2):
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               "pad={}, kernel_size={} and dilation={}".format(p, k, d))
    out = tuple(_output_size(*args, ceil_mode) for args in
                zip(size, kernel, stride, padding, dilation))
    if any(k <= 0 for k in kernel):
        raise RuntimeError("kernel size should be greater than zero, but got " +
                           _labelled("k", kernel, nd))
    if any(s <= 0 for s in stride):
        raise RuntimeError("stride should be greater than zero, but got " +
                           _labelled("d", stride, nd))
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero, but got " +
                           _labelled("dilation", dilation, nd))
    non_batch = shape[1:] if len(shape) == nd + 2 else shape
    if 0 in non_batch:
        if nd == 2:
            raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                               "size for input, but got:[{}]".format(", ".join(map(str, shape))))
        raise RuntimeError("{}(): Expected input's non-batch dimensions to have positive length, "
                           "but input has a shape of [{}] and non-batch dimension {} has length "
                           "zero!".format("max_pool3d_with_indices_out_cpu_template" if kind ==
                                          "max" else fn, ", ".join(map(str, shape)),
                                          non_batch.index(0)))
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        if nd == 2:
            raise RuntimeError("pad should be smaller than or equal to half of kernel size, but "
                               "got padW = {}, padH = {}, kW = {}, kH = {}".format(
                                   padding[1], padding[0], kernel[1], kernel[0]))
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           "kT: {} kW: {} kH: {} padT: {} padW: {} padH: {}".format(
                               kernel[0], kernel[2], kernel[1], padding[0], padding[2],
                               padding[1]))
    if fn == "avg_pool3d" and any(h < k for h, k in zip(size, kernel)):
        raise RuntimeError("input image ({}) smaller than kernel size ({})".format(
            _labelled("", size, 3), _labelled("k", kernel, 3)))
    if any(o < 1 for o in out):
        channels = shape[len(shape) - nd - 1]
        raise RuntimeError("Given input size: ({}). Calculated output size: ({}). Output size is "
                           "too small".format("x".join(map(str, (channels,) + size)),
                                              "x".join(map(str, (channels,) + out))))
    return _Pool(Geometry(kernel, stride, dilation, padding, size, out, 1))


def _omitted(stride):
    """Whether ``stride`` was left out (None, or torch's default, an empty list)."""
    return stride is None or (not isinstance(stride, (int, np.integer)) and len(stride) == 0)


def _ints(value):
    """An int or a sequence of ints as a tuple (the int alone: torch repeats it)."""
    if isinstance(value, (int, np.integer)):
        return (int(value),)
    return tuple(int(v) for v in value)


def _check_dtype(input, name):
    if input._array.dtype.kind == "b":
        raise _errors.not_implemented(name, "Bool")
