"""``interpolate`` (``upsample``): resizing the spatial dimensions of (N, C, d1, ..., dK) input.

Every mode torch offers here is *separable*: the output along one axis is a fixed linear
combination of the input along that axis.  So each axis gets a small matrix M (out x in):
nearest picks one source (a one-hot row), linear mixes the two neighbours, bicubic the four
(Keys' cubic with a = -0.75, borders clamped).  The forward pass applies the matrices axis by
axis; as a linear map, its gradient applies their transposes in the opposite order.
``area`` is adaptive average pooling.
"""
import math

import numpy as np

from ..._ops.core.registry import export
from ...autograd.op import Op
from .pooling_adaptive import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

_NAMES = {("nearest", 1): "UpsampleNearest1D", ("nearest", 2): "UpsampleNearest2D",
          ("nearest", 3): "UpsampleNearest3D", ("nearest-exact", 1): "UpsampleNearestExact1D",
          ("nearest-exact", 2): "UpsampleNearestExact2D",
          ("nearest-exact", 3): "UpsampleNearestExact3D", ("linear", 1): "UpsampleLinear1D",
          ("bilinear", 2): "UpsampleBilinear2D", ("bicubic", 2): "UpsampleBicubic2D",
          ("trilinear", 3): "UpsampleTrilinear3D"}


class _Resize(Op):
    """out = the input with matrix ``M_k`` applied along spatial axis k, for every k.
    Gradient: the transposed matrices, applied in reverse order."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, matrices):
        ctx.matrices = matrices
        for axis, m in enumerate(matrices):
            x = np.moveaxis(np.tensordot(m, x, axes=([1], [axis + 2])), 0, axis + 2)
        return np.ascontiguousarray(x)

    @staticmethod
    def backward(ctx, grad):
        for axis in range(len(ctx.matrices) - 1, -1, -1):
            m = ctx.matrices[axis]
            grad = np.moveaxis(np.tensordot(m.T, grad, axes=([1], [axis + 2])), 0, axis + 2)
        return grad, None


_OPS = {key: type(name, (_Resize,), {"node_name": name + "Backward0", "__doc__":
                                     "``interpolate`` in mode {}.".format(key[0])})
        for key, name in _NAMES.items()}


def _source_scale(n_in, n_out, align_corners, scale):
    """torch's ratio from output to input coordinates."""
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else n_in / n_out


def _matrix(mode, n_in, n_out, align_corners, scale, dtype):
    """The (n_out, n_in) matrix of one axis."""
    m = np.zeros((n_out, n_in), np.float64)
    rows = np.arange(n_out)
    if mode in ("nearest", "nearest-exact"):
        ratio = 1.0 / scale if scale is not None and scale > 0 else n_in / n_out
        offset = 0.5 if mode == "nearest-exact" else 0.0
        src = np.minimum(np.floor((rows + offset) * np.float32(ratio)).astype(np.int64),
                         n_in - 1)
        m[rows, src] = 1
        return m.astype(dtype)
    ratio = _source_scale(n_in, n_out, align_corners, scale)
    src = rows * ratio if align_corners else (rows + 0.5) * ratio - 0.5
    if mode == "bicubic":
        base = np.floor(src)
        t = src - base
        a = -0.75
        for k, d in enumerate((t + 1, t, 1 - t, 2 - t)):
            w = np.where(d <= 1, ((a + 2) * d - (a + 3)) * d * d + 1,
                         ((a * d - 5 * a) * d + 8 * a) * d - 4 * a)
            idx = np.clip(base.astype(np.int64) - 1 + k, 0, n_in - 1)
            np.add.at(m, (rows, idx), w)
        return m.astype(dtype)
    src = np.maximum(src, 0)
    low = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    frac = src - low
    np.add.at(m, (rows, low), 1 - frac)
    np.add.at(m, (rows, high), frac)
    return m.astype(dtype)


def _sizes(input, size, scale_factor, recompute_scale_factor, mode):
    """The output sizes and the scales the kernels use (None where computed from sizes)."""
    dim = input.dim() - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    "input with spatial dimensions of {} and output size of {}. Please provide "
                    "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                    "...,oK) format.".format(spatial, size))
            out = [int(s) for s in size]
        else:
            out = [int(size)] * dim
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        return out, [None] * dim
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dim:
            raise ValueError(
                "Input and scale_factor must have the same number of spatial dimensions, but got "
                "input with spatial dimensions of {} and scale_factor of shape {}. Please "
                "provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, "
                "s2, ...,sK) format.".format(spatial, scale_factor))
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * dim
    out = [int(math.floor(n * s)) for n, s in zip(spatial, scales)]
    if recompute_scale_factor or mode == "area":
        scales = [None] * dim
    return out, scales


_EXPECTED_DIM = {"linear": 3, "bilinear": 4, "trilinear": 5}
_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")


@export("F")
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resizes (N, C, d1, ..., dK) input to ``size`` or by ``scale_factor`` (see the module
    docstring for the modes)."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    out, scales = _sizes(input, size, scale_factor, recompute_scale_factor, mode)
    if antialias:
        raise NotImplementedError("ember's interpolate has no antialias option")
    dim = input.dim()
    expected = _EXPECTED_DIM.get(mode, 4 if mode == "bicubic" else None)
    if mode not in _MODES or dim not in (3, 4, 5):
        raise NotImplementedError(
            "Input Error: Only 3D, 4D and 5D input Tensors supported (got {}D) for the modes: "
            "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
            "(got {})".format(dim, mode))
    if expected is not None and dim != expected:
        raise NotImplementedError("Got {}D input, but {} mode needs {}D input".format(
            dim, mode, expected))
    if mode == "area":
        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dim - 3]
        return pool(input, out if dim > 3 else out[0])
    dtype = input._array.dtype
    matrices = tuple(_matrix(mode, n, o, align_corners, s, dtype)
                     for n, o, s in zip(input.shape[2:], out, scales))
    return _OPS[(mode, dim - 2)].apply(input, matrices)


@export("F")
def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """The old name of :func:`interpolate`."""
    return interpolate(input, size, scale_factor, mode, align_corners)


@export("F")
def upsample_nearest(input, size=None, scale_factor=None):
    """``interpolate`` in mode ``nearest``."""
    return interpolate(input, size, scale_factor, mode="nearest")


@export("F")
def upsample_bilinear(input, size=None, scale_factor=None):
    """``interpolate`` in mode ``bilinear`` with ``align_corners=True``."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
