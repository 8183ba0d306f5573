"""The arguments of a convolution checked as torch checks them, and turned into a ``Geometry``.

Sizes given as one number or one per spatial dimension, ``padding="same"``/``"valid"``, and the
error of every inconsistent combination (too small an input, channels that do not divide into
groups, a bias of the wrong size ...) with torch's text.
"""
import functools
import warnings
import numpy as np
from ... import _errors
from ..._ops.linalg.products import _C_NAMES
from .im2col import Geometry


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
