"""``grid_sample`` and ``affine_grid``: reading an image at arbitrary (x, y[, z]) positions.

``grid_sample(input, grid)`` reads the (N, C, H, W) input (or (N, C, D, H, W)) at the points of
``grid`` (N, H_out, W_out, 2) (or (N, D_out, H_out, W_out, 3)), given in normalised coordinates:
-1 is the left/top edge and +1 the right/bottom one (the centres of the corner pixels with
``align_corners=True``, their outer edges without).  A point is first turned into a pixel
coordinate, then moved by ``padding_mode`` (``border`` clamps, ``reflection`` mirrors it back
inside), and then interpolated from its neighbours: ``nearest`` (one), ``bilinear`` (2 per axis)
or ``bicubic`` (4 per axis, Keys' cubic with a = -0.75, padding applied to each neighbour).

Every output is a weighted sum ``sum_k w_k(point) * input[neighbour_k]``, so the gradient to the
input scatters ``grad * w_k`` back to the neighbours, and the gradient to the grid is
``sum_k grad * input[neighbour_k] * dw_k/dpoint`` times the slope of the coordinate mapping.

``affine_grid(theta, size)`` makes the grid of an affine map: every output pixel's normalised
coordinate (x, y[, z], 1) times ``theta``'s transpose; its gradient is the transposed product.
"""
import itertools
import warnings

import numpy as np

from ... import _errors
from ..._ops.core import dual
from ..._ops.core.registry import export
from ...autograd.op import Op

_CUBIC_A = -0.75
_DEFAULT_ALIGN = ("Default grid_sample and affine_grid behavior has changed to align_corners=False "
                  "since 1.3.0. Please specify align_corners=True if the old behavior is desired. "
                  "See the documentation of grid_sample for details.")


# ---------------------------------------------------------------- coordinates and their slopes


def _unnormalize(g, size, align_corners):
    """[-1, 1] -> pixel coordinates along an axis of ``size`` pixels; and d(pixel)/d(g)."""
    if align_corners:
        return (g + 1) * ((size - 1) / 2), (size - 1) / 2
    return ((g + 1) * size - 1) / 2, size / 2


def _clip(x, size):
    """``x`` clamped to [0, size - 1]; its slope is 1 strictly inside, 0 on and beyond the ends."""
    return np.clip(x, 0, size - 1), ((x > 0) & (x < size - 1)).astype(x.dtype)


def _reflect(x, twice_low, twice_high):
    """``x`` mirrored at low and high until it lies between them; its slope is +1 or -1."""
    if twice_low == twice_high:
        return np.zeros_like(x), np.zeros_like(x)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = x - low
    sign = np.where(shifted < 0, -1, 1).astype(x.dtype)
    shifted = np.abs(shifted)
    extra, flips = np.fmod(shifted, span), np.floor(shifted / span)
    even = flips % 2 == 0
    return np.where(even, extra + low, span - extra + low), np.where(even, sign, -sign)


def _pad(x, size, padding_mode, align_corners):
    """The coordinate after ``padding_mode`` moved it (zeros: unchanged); and its slope."""
    if padding_mode == "zeros":
        return x, np.ones_like(x)
    slope = np.ones_like(x)
    if padding_mode == "reflection":
        x, slope = _reflect(x, 0, 2 * (size - 1)) if align_corners else \
            _reflect(x, -1, 2 * size - 1)
    x, clip_slope = _clip(x, size)
    return x, slope * clip_slope


def _cubic_taps(t):
    """Keys' cubic weights of the 4 neighbours at offsets -1, 0, 1, 2, and their t-derivatives."""
    a = _CUBIC_A

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1, (3 * (a + 2) * x - 2 * (a + 3)) * x

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, (3 * a * x - 10 * a) * x + 8 * a

    (w0, d0), (w1, d1), (w2, d2), (w3, d3) = far(t + 1), near(t), near(1 - t), far(2 - t)
    return [w0, w1, w2, w3], [d0, d1, -d2, -d3]


def _axis_taps(coord, size, mode, padding_mode, align_corners):
    """The neighbours of ``coord`` along one axis: (index, in bounds, weight, d weight/d coord)."""
    if mode == "nearest":
        index = np.rint(coord)
        return [(index, np.ones_like(coord), np.zeros_like(coord))]
    base = np.floor(coord)
    t = coord - base
    if mode == "bilinear":
        return [(base, 1 - t, -np.ones_like(t)), (base + 1, t, np.ones_like(t))]
    weights, slopes = _cubic_taps(t)
    return [(_pad(base + k - 1, size, padding_mode, align_corners)[0], w, d)
            for k, (w, d) in enumerate(zip(weights, slopes))]


class _Plan:
    """Where each output point reads the input: per neighbour, flat positions, a weight (0 out
    of bounds) and the weight's derivative along each axis; plus d(coordinate)/d(grid)."""

    def __init__(self, x, grid, mode, padding_mode, align_corners):
        sizes = x.shape[2:]
        k = len(sizes)
        n = x.shape[0]
        per_axis, self.slopes = [], []
        for axis in range(k):                   # grid[..., 0] is x, the last spatial axis
            coord, slope = _unnormalize(grid[..., k - 1 - axis].reshape(n, -1), sizes[axis],
                                        align_corners)
            if mode != "bicubic":               # bicubic pads each neighbour instead
                coord, pad_slope = _pad(coord, sizes[axis], padding_mode, align_corners)
                slope = slope * pad_slope
            self.slopes.append(slope)
            per_axis.append(_axis_taps(coord, sizes[axis], mode, padding_mode, align_corners))
        strides = [int(np.prod(sizes[axis + 1:])) for axis in range(k)]
        self.taps = []
        for combo in itertools.product(*per_axis):
            flat, inside, weight = 0, True, 1
            for axis, (index, w, _) in enumerate(combo):
                inside = inside & (index >= 0) & (index <= sizes[axis] - 1)
                flat = flat + np.clip(index, 0, sizes[axis] - 1).astype(np.int64) * strides[axis]
                weight = weight * w
            inside = inside.astype(x.dtype)
            dweights = [np.prod([w if b != axis else d for b, (_, w, d) in enumerate(combo)],
                                axis=0) * inside for axis in range(k)]
            self.taps.append((flat, weight * inside, dweights))

    def values(self, x, flat):
        """The input at the flat positions: (N, C, points)."""
        n, c = x.shape[:2]
        return np.take_along_axis(x.reshape(n, c, -1), flat[:, None, :], axis=2)


def _sample(x, plan, out_shape):
    out = 0
    for flat, weight, _ in plan.taps:
        out = out + plan.values(x, flat) * weight[:, None, :]
    return np.ascontiguousarray(np.broadcast_to(out, x.shape[:2] + (out.shape[-1],))
                                ).reshape(x.shape[:2] + out_shape)


def _gradients(grad, x, grid, plan, needs_input, needs_grid):
    """(d loss/d input, d loss/d grid) from the gradient of the output."""
    n, c = x.shape[:2]
    grad = grad.reshape(n, c, -1)
    grad_input = grad_grid = None
    if needs_input:
        rows = (np.arange(n * c).reshape(n, c, 1) * int(np.prod(x.shape[2:])))
        index = np.concatenate([(rows + flat[:, None, :]).ravel() for flat, _, _ in plan.taps])
        weights = np.concatenate([(grad * w[:, None, :]).ravel() for _, w, _ in plan.taps])
        grad_input = np.bincount(index, weights, minlength=x.size).astype(x.dtype).reshape(
            x.shape)
    if needs_grid:
        k = len(plan.slopes)
        per_axis = [0] * k
        for flat, _, dweights in plan.taps:
            seen = (grad * plan.values(x, flat)).sum(axis=1)
            for axis in range(k):
                per_axis[axis] = per_axis[axis] + seen * dweights[axis]
        grad_grid = np.stack([(per_axis[axis] * plan.slopes[axis]).reshape(grid.shape[:-1])
                              for axis in range(k - 1, -1, -1)], axis=-1).astype(grid.dtype)
    return grad_input, grad_grid


class _GridSamplerGrads(Op):
    """The gradients of grid_sample as one recorded step (for ``create_graph=True``); they are
    not differentiable again in ember."""

    @staticmethod
    def forward(ctx, grad, x, grid, settings):
        plan = _Plan(x, grid, *settings)
        gi, gg = _gradients(grad, x, grid, plan, True, True)
        return gi, gg

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("ember: the double backward of grid_sample is not implemented")


class _GridSampler(Op):
    """out = sum over neighbours of weight(grid) * input[neighbour].
    Gradient: the weights scatter ``grad`` to the input; the weights' slopes give the grid's."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, grid, settings):
        ctx.settings = settings
        plan = _Plan(x, grid, *settings)
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(x, grid)
            ctx.plan = plan
        return _sample(x, plan, grid.shape[1:-1])

    @staticmethod
    def backward(ctx, grad):
        x, grid = ctx.saved_tensors
        if not dual.is_array(grad):             # a recorded backward pass
            gi, gg = _GridSamplerGrads.apply(grad, x, grid, ctx.settings)
            return gi, gg, None
        gi, gg = _gradients(grad, x, grid, ctx.plan, ctx.needs_input_grad[0],
                            ctx.needs_input_grad[1])
        return gi, gg, None


class GridSampler2D(_GridSampler):
    """``grid_sample`` of (N, C, H, W) input."""


class GridSampler3D(_GridSampler):
    """``grid_sample`` of (N, C, D, H, W) input."""


def _sizes(t):
    return list(t.shape)


@export("F")
def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """The input read at the (normalised) points of ``grid``, interpolated by ``mode``."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' "
                         "or 'bicubic', but got: '{}'".format(mode))
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         "'border', or 'reflection', but got: '{}'".format(padding_mode))
    if align_corners is None:
        warnings.warn(_DEFAULT_ALIGN)
        align_corners = False
    if input.size(0) != grid.size(0):
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, but "
                           "got input with sizes {} and grid with sizes {}".format(
                               _sizes(input), _sizes(grid)))
    k = input.dim() - 2
    if grid.size(-1) != k:
        raise RuntimeError("grid_sampler(): expected grid to have size {} in last dimension, but "
                           "got grid with sizes {}".format(k, _sizes(grid)))
    for axis in range(2, input.dim()):
        if input.shape[axis] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               "dimensions, but input has sizes {} with dimension {} being "
                               "empty".format(_sizes(input), axis))
    if k != 2 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if input.dim() != (4 if k == 2 else 5) or grid.dim() != input.dim():
        raise RuntimeError("grid_sampler(): expected {}D input and grid with same number of "
                           "dimensions, but got input with sizes {} and grid with sizes {}".format(
                               4 if k == 2 else 5, _sizes(input), _sizes(grid)))
    if input.dtype != grid.dtype:
        raise _errors.expected_scalar_type(input.dtype.scalar_name, grid.dtype.scalar_name)
    if not input.dtype.is_floating_point:
        raise _errors.not_implemented("grid_sampler_{}d_cpu_kernel_impl".format(k),
                                      input.dtype.scalar_name)
    op = GridSampler2D if k == 2 else GridSampler3D
    return op.apply(input, grid, (mode, padding_mode, bool(align_corners)))


def _base_coordinates(n, align_corners, dtype):
    """The n normalised coordinates of a grid axis: -1 ... 1 (scaled by (n-1)/n when the
    corners are not aligned)."""
    points = np.linspace(-1, 1, n, dtype=dtype) if n > 1 else np.zeros(1, dtype)
    return points if align_corners else points * ((n - 1) / n)


class AffineGridGenerator(Op):
    """out[n, p] = theta[n] @ (coordinates of p, 1).   Gradient: theta gets grad^T @ base."""

    exact_grads = True

    @staticmethod
    def forward(ctx, theta, base, spatial):
        ctx.base = base                                   # (P, k + 1)
        ctx.shape = theta.shape
        out = np.matmul(base, theta.swapaxes(1, 2))       # (N, P, k)
        return np.ascontiguousarray(out).reshape((theta.shape[0],) + spatial + (len(spatial),))

    @staticmethod
    def backward(ctx, grad):
        grad = grad.reshape((ctx.shape[0], ctx.base.shape[0], ctx.shape[1]))
        return (grad.swapaxes(1, 2) @ ctx.base), None, None


@export("F")
def affine_grid(theta, size, align_corners=None):
    """The sampling grid (N, H, W, 2) (or (N, D, H, W, 3)) of the affine maps ``theta``
    (N, 2, 3) (or (N, 3, 4)), for ``grid_sample`` into an output of ``size``."""
    if align_corners is None:
        warnings.warn(_DEFAULT_ALIGN)
        align_corners = False
    if not theta.dtype.is_floating_point:
        raise ValueError("Expected theta to have floating point type, but got {}".format(
            theta.dtype))
    if len(size) == 4:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size {}. "
                             "Got {}.".format(size, theta.shape))
    elif len(size) == 5:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size {}. "
                             "Got {}.".format(size, theta.shape))
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  "affine transforms, respectively. Got size {}.".format(size))
    spatial = tuple(int(n) for n in size[2:])
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids "
                      "when align_corners=True. This is not an intended use case of affine_grid. "
                      "See the documentation of affine_grid for details.")
    elif min(size) <= 0:
        raise ValueError("Expected non-zero, positive output size. Got {}".format(size))
    if theta.shape[0] != size[0]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           "[{}, {}] but got: [{}, {}].".format(
                               size[0], len(spatial) + 1, theta.shape[0], len(spatial) + 1))
    dtype = theta.dtype.numpy
    axes = [_base_coordinates(n, align_corners, dtype) for n in reversed(spatial)]  # x first
    mesh = np.meshgrid(*axes[::-1], indexing="ij")                                  # (D,) H, W
    base = np.stack([m.ravel() for m in mesh[::-1]] + [np.ones(mesh[0].size, dtype)], axis=1)
    return AffineGridGenerator.apply(theta, base, tuple(spatial))
