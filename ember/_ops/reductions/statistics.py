"""Statistics: variance and standard deviation, median, mode, k-th value and quantiles.

The variance is sum((x - mean)^2) / (N - correction); its gradient is 2 (x - mean) / (N -
correction) (the mean's own dependence on x drops out, because the deviations sum to zero).
Median, mode and k-th value *select* an element, so their gradient goes to that element only;
a quantile interpolates between two sorted elements, which share its gradient by their weights.
"""
import math
import warnings

import numpy as np

from ... import return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, wrap_dim
from .reduce import (check_nonempty_dims, count, expand_reduced, kept_shape, reduce_dims,
                     shared_among_ties)
from .extremes import Selection
from ..core.registry import export
from ..core.out import accepts_out


# ---------------------------------------------------------------- variance


def _moments(x, dims, correction, keepdim):
    """(variance, mean) along ``dims``, accumulated in float64 as torch does on the CPU."""
    a = np.asanyarray(x, dtype=np.float64)
    n = count(x.shape, dims)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.add.reduce(a, axis=dims, keepdims=True) / n
        deviation = a - mean
        variance = np.add.reduce(deviation * deviation, axis=dims, keepdims=keepdim) / max(
            0, n - correction)
    if not keepdim:
        mean = mean.reshape(variance.shape)
    return variance, mean.astype(x.dtype)


def _variance_grad(grad, x, dims, correction, keepdim, full):
    """d(var)/dx = 2 (x - mean) / (N - correction), times the incoming gradient.  Over all
    elements with N - correction <= 0 torch gives NaN where x equals the mean, else inf."""
    xa = dual.data(x)
    shape = xa.shape
    n = count(shape, dims)
    g = expand_reduced(grad, shape, dims, keepdim)
    mean = dual.sum_dims(x, dims).reshape(kept_shape(shape, dims)) / max(n, 1)
    dof = n - correction
    if full and dof <= 0:
        blown = np.where(xa == dual.data(mean), np.nan, np.inf).astype(xa.dtype)
        return g * blown
    return g * (x - mean) * (2.0 / dof if dof else math.inf)


def _std_grad(grad, x, std, dims, correction, keepdim, full):
    """d(std)/dx = d(var)/dx / (2 std); 0 where the standard deviation is 0, as in torch."""
    zero = dual.data(std) == 0
    if zero.any():
        std = std + zero
        grad = grad * ~zero
    return _variance_grad(grad / (std * 2), x, dims, correction, keepdim, full)


def _mean_grad(grad, shape, dims, keepdim):
    return expand_reduced(grad / max(count(shape, dims), 1), shape, dims, keepdim)


class Var(Op):
    """out = sum((x - mean)^2) / (N - correction) along ``dims``.
    d(out)/dx_i = 2 (x_i - mean) / (N - correction)."""

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, full):
        variance, _ = _moments(x, dims, correction, keepdim)
        ctx.spread = (dims, correction, keepdim, full)
        ctx.save_for_backward(x)
        return variance.astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return _variance_grad(grad, x, *ctx.spread), None, None, None, None


class Std(Op):
    """out = sqrt(var(x)).   d(out)/dx_i = (x_i - mean) / ((N - correction) out)."""

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, full):
        variance, _ = _moments(x, dims, correction, keepdim)
        out = np.sqrt(variance).astype(x.dtype)
        ctx.spread = (dims, correction, keepdim, full)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return _std_grad(grad, x, out, *ctx.spread), None, None, None, None


def _running_mean(x, dims, mean):
    """``mean`` as torch's var_mean and std_mean give it: a running (Welford) mean, which is
    nan where an inf is followed by another element of its set (inf - inf in the update)."""
    infinite = np.isinf(x)
    if not infinite.any():
        return mean
    dims = tuple(range(x.ndim)) if dims is None else tuple(dims)
    rows = np.moveaxis(infinite, dims, tuple(range(-len(dims), 0)))
    rows = rows.reshape(rows.shape[:x.ndim - len(dims)] + (-1,))
    early = rows[..., :-1].any(-1)
    return np.where(early.reshape(mean.shape), mean.dtype.type(np.nan), mean)


class VarMean(Op):
    """(var, mean) in one node.   The mean's gradient is spread evenly, 1/N to each element."""

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, full):
        variance, mean = _moments(x, dims, correction, keepdim)
        ctx.spread = (dims, correction, keepdim, full)
        ctx.save_for_backward(x)
        return variance.astype(x.dtype), _running_mean(x, dims, mean)

    @staticmethod
    def backward(ctx, grad_var, grad_mean):
        x, = ctx.saved_tensors
        dims, _, keepdim, _ = ctx.spread
        return (_variance_grad(grad_var, x, *ctx.spread) +
                _mean_grad(grad_mean, dual.data(x).shape, dims, keepdim), None, None, None, None)


class StdMean(Op):
    """(std, mean) in one node."""

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, full):
        variance, mean = _moments(x, dims, correction, keepdim)
        out = np.sqrt(variance).astype(x.dtype)
        ctx.spread = (dims, correction, keepdim, full)
        ctx.save_for_backward(x, out)
        return out, _running_mean(x, dims, mean)

    @staticmethod
    def backward(ctx, grad_std, grad_mean):
        x, out = ctx.saved_tensors
        dims, _, keepdim, _ = ctx.spread
        return (_std_grad(grad_std, x, out, *ctx.spread) +
                _mean_grad(grad_mean, dual.data(x).shape, dims, keepdim), None, None, None, None)


def _spread(op, name, input, dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):                    # var(x, False): the (input, unbiased) form
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError("{}() received an invalid combination of arguments - got both unbiased "
                        "and correction, but expected one of:\n * (tuple of ints dim, bool "
                        "unbiased = True, bool keepdim = False)\n * (tuple of ints dim = None, *, "
                        "Number correction = None, bool keepdim = False)\n * (bool unbiased = "
                        "True)\n".format(name))
    if correction is None:
        correction = 0 if unbiased is False else 1
    x = input._array
    if x.dtype.kind not in "fV":
        raise RuntimeError(("std and var" if name in ("std", "var") else name) +
                           " only support floating point and complex dtypes")
    dims = reduce_dims(dim, x.ndim)
    out_numel = x.size // max(count(x.shape, dims), 1) if x.size else count(
        kept_shape(x.shape, dims), range(x.ndim))
    if (x.size // out_numel if out_numel else 0) - correction <= 0:
        warnings.warn("{}(): degrees of freedom is <= 0. Correction should be strictly less than "
                      "the reduction factor (input numel divided by output numel).".format(name),
                      UserWarning, stacklevel=3)
    return op.apply(input, dims, correction, keepdim, dim is None or x.ndim == 0)


@export("torch", "Tensor")
@accepts_out
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance along ``dim`` (all elements by default), dividing by N - ``correction``
    (N - 1 by default: Bessel's correction; ``unbiased=False`` divides by N)."""
    return _spread(Var, "var", input, dim, unbiased, keepdim, correction)


@export("torch", "Tensor")
@accepts_out
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var``."""
    return _spread(Std, "std", input, dim, unbiased, keepdim, correction)


@export("torch")
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` along ``dim``, computed together."""
    return _spread(VarMean, "var_mean", input, dim, unbiased, keepdim, correction)


@export("torch")
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` along ``dim``, computed together."""
    return _spread(StdMean, "std_mean", input, dim, unbiased, keepdim, correction)


# ---------------------------------------------------------------- order statistics


def _nan_count(x, dim):
    if x.dtype.kind != "f":
        return np.zeros(kept_shape(x.shape, (dim,)), np.int64)
    return np.add.reduce(np.isnan(x), axis=dim, keepdims=True)


def _sorted_pick(positions):
    """A ``pick`` for Selection: the elements at ``positions(x, dim)`` of each sorted row
    (a stable sort, NaN last, so equal values keep their order)."""
    def pick(x, dim):
        order = np.argsort(x, axis=dim, kind="stable")
        return np.take_along_axis(order, positions(x, dim), axis=dim)
    return pick


def _median_position(x, dim):
    n, nans = x.shape[dim], _nan_count(x, dim)
    return np.where(nans > 0, n - nans, (n - 1) // 2)       # a NaN row gives its first NaN


def _nanmedian_position(x, dim):
    return np.maximum((x.shape[dim] - _nan_count(x, dim) - 1) // 2, 0)


def _mode_pick(x, dim):
    """The index of the last occurrence of the most frequent value (the smallest, on ties)."""
    rows = np.moveaxis(x, dim, -1)
    n = rows.shape[-1]
    ordered = np.sort(rows, axis=-1)
    position = np.arange(n)
    starts = np.ones(ordered.shape, bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    run = position - np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    best = np.take_along_axis(ordered, np.argmax(run, axis=-1)[..., None], axis=-1)
    last = n - 1 - np.argmax((rows == best)[..., ::-1], axis=-1)
    return np.expand_dims(np.moveaxis(last[..., None], -1, dim).squeeze(dim), dim)


class MedianAll(Op):
    """out = the middle element (the lower of the two middle ones) of all elements.
    Its gradient is shared among the elements equal to it."""

    node_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, x, skip_nan):
        flat = x.reshape(-1)
        if skip_nan and x.dtype.kind == "f":
            flat = flat[~np.isnan(flat)]
        if flat.size == 0:
            out = np.asanyarray(np.nan, dtype=x.dtype)
        elif not skip_nan and x.dtype.kind == "f" and np.isnan(flat).any():
            out = np.asanyarray(np.nan, dtype=x.dtype)
        else:
            out = np.partition(flat, (flat.size - 1) // 2)[(flat.size - 1) // 2]
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        shape = dual.data(x).shape
        return shared_among_ties(grad, x, out, shape, tuple(range(len(shape))), False), None


class NanmedianAll(MedianAll):
    node_name = "NanmedianBackward0"


class MedianDim(Selection):
    node_name = "MedianBackward1"


class NanmedianDim(Selection):
    node_name = "NanmedianBackward1"


class Mode(Selection):
    pass


class Kthvalue(Selection):
    pass


def _median(name, all_op, dim_op, position, input, dim, keepdim):
    x = input._array
    if x.dtype.kind == "b":
        raise NotImplementedError("\"median_{}\" not implemented for 'Bool'".format(
            "cpu" if dim is None else "out"))
    if dim is None:
        return all_op.apply(input, name == "nanmedian")
    dim = wrap_dim(dim, x.ndim)
    if x.ndim:
        check_nonempty_dims(name, x, (dim,))
    values, indices = dim_op.apply(input, dim, keepdim, _sorted_pick(position))
    return getattr(return_types, name)(values, indices)


@export("torch", "Tensor")
def median(input, dim=None, keepdim=False):
    """The median (the lower middle element) of all elements, or ``(values, indices)`` along
    ``dim``.  NaN is the median of anything that contains NaN."""
    return _median("median", MedianAll, MedianDim, _median_position, input, dim, keepdim)


@export("torch", "Tensor")
def nanmedian(input, dim=None, keepdim=False):
    """``median`` ignoring NaN."""
    return _median("nanmedian", NanmedianAll, NanmedianDim, _nanmedian_position, input, dim,
                   keepdim)


@export("torch", "Tensor")
def mode(input, dim=-1, keepdim=False):
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest, on ties) and
    the index of its last occurrence."""
    x = input._array
    dim = wrap_dim(dim, x.ndim)
    if x.ndim:
        check_nonempty_dims("mode", x, (dim,))
    values, indices = Mode.apply(input, dim, keepdim, _mode_pick)
    return return_types.mode(values, indices)


@export("torch", "Tensor")
def kthvalue(input, k, dim=-1, keepdim=False):
    """``(values, indices)``: the ``k``-th smallest element along ``dim`` (k counts from 1)."""
    x = input._array
    if x.dtype.kind == "b":
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    dim = wrap_dim(dim, x.ndim)
    if x.ndim:
        check_nonempty_dims("kthvalue", x, (dim,))
    n = x.shape[dim] if x.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError("kthvalue(): selected number k out of range for dimension {}".format(
            dim))
    position = _sorted_pick(lambda x, dim: np.full(kept_shape(x.shape, (dim,)), k - 1))
    values, indices = Kthvalue.apply(input, dim, keepdim, position)
    return return_types.kthvalue(values, indices)


# ---------------------------------------------------------------- quantiles

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


class Quantile(Op):
    """out = the q-quantile along ``dim``: with rank r = q (n - 1) in the sorted row, the
    elements at floor(r) and ceil(r) mixed with weights 1 - w and w (w = r - floor(r) for
    'linear', 1/2 for 'midpoint', one of them for the other modes).  Each of the two gets the
    gradient times its weight.  For 'linear' a tensor q gets d(out)/dq = (above - below)
    (n - 1) (n counting the non-NaN values for nanquantile), 0 in the rows whose rank torch
    overrides (a NaN row of quantile, a negative rank of nanquantile).  (torch builds this from
    sort, gather and lerp; its last node, and so its name, is a squeeze.)"""

    node_name = "SqueezeBackward4"

    @staticmethod
    def forward(ctx, x, q, dim, keepdim, interpolation, skip_nan):
        rows = x.reshape(-1) if dim is None else np.moveaxis(x, dim, -1)
        n = rows.shape[-1]
        order = np.argsort(rows, axis=-1, kind="stable")
        ordered = np.take_along_axis(rows, order, axis=-1)
        nans = np.add.reduce(np.isnan(rows), axis=-1, keepdims=True).astype(x.dtype)
        steps = q.reshape(-1)                                  # (number of q,)
        if skip_nan:                                           # rank among the non-NaN values
            scale = n - nans - 1
            rank = steps * scale
            overridden = rank < 0
            rank = np.maximum(rank, 0)
        else:                                                  # a row with NaN gives NaN
            scale = x.dtype.type(n - 1)
            overridden = np.broadcast_to(nans > 0, nans.shape[:-1] + steps.shape)
            rank = np.where(overridden, scale, steps * scale)
        if interpolation != "linear" and interpolation != "midpoint":
            rank = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}[
                interpolation](rank)
        below = np.floor(rank).astype(np.int64)
        above = np.ceil(rank).astype(np.int64)
        weight = np.full_like(rank, 0.5) if interpolation == "midpoint" else (
            rank - below).astype(x.dtype)
        low = np.take_along_axis(ordered, below, axis=-1)
        rise = np.take_along_axis(ordered, above, axis=-1) - low
        out = low + weight * rise
        if interpolation == "linear":                          # d(out)/dq, without the gradient
            ctx.q_slope, ctx.q_shape = (overridden, rise * scale), q.shape
        ctx.shape, ctx.dim, ctx.keepdim, ctx.n = x.shape, dim, keepdim, n
        ctx.scalar_q = q.ndim == 0
        ctx.source = np.take_along_axis(order, np.concatenate([below, above], axis=-1), axis=-1)
        ctx.weights = np.concatenate([1 - weight, weight], axis=-1)
        return _quantile_layout(out, x.ndim, dim, keepdim, ctx.scalar_q)

    @staticmethod
    def backward(ctx, grad):
        grad = _quantile_rows(grad, ctx.dim, ctx.keepdim, ctx.scalar_q)
        rows_shape = ctx.source.shape[:-1] + (ctx.n,)
        shares = dual.cat([grad, grad], -1) * ctx.weights
        rows = dual.scatter_along(shares, rows_shape, ctx.source, len(rows_shape) - 1,
                                  accumulate=True)
        grad_q = None
        if ctx.needs_input_grad[1]:
            overridden, slope = ctx.q_slope
            grad_q = dual.where(overridden, 0.0, grad * slope)
            grad_q = dual.sum_to(grad_q, grad_q.shape[-1:]).reshape(ctx.q_shape)
        if ctx.dim is None:
            return rows.reshape(ctx.shape), grad_q, None, None, None, None
        moved_back = list(range(len(ctx.shape) - 1))
        moved_back.insert(ctx.dim, len(ctx.shape) - 1)         # undoes moveaxis(x, dim, -1)
        return dual.permute(rows, tuple(moved_back)), grad_q, None, None, None, None


def _quantile_layout(out, ndim, dim, keepdim, scalar_q):
    """(rows..., q) -> torch's layout: q first (unless a scalar), then the kept dimensions."""
    out = np.moveaxis(out, -1, 0)
    if keepdim:
        out = out.reshape(out.shape[:1] + (1,) * ndim) if dim is None else np.expand_dims(
            out, dim + 1)
    return out[0] if scalar_q else out


def _quantile_rows(grad, dim, keepdim, scalar_q):
    """The gradient in torch's layout back to (rows..., q): the inverse of _quantile_layout."""
    shape = tuple(grad.shape)
    if scalar_q:
        shape = (1,) + shape
    if keepdim:
        shape = shape[:1] if dim is None else shape[:dim + 1] + shape[dim + 2:]
    grad = grad.reshape(shape)
    return dual.permute(grad, tuple(range(1, len(shape))) + (0,))


def _quantile(name, input, q, dim, keepdim, interpolation):
    """Checks the arguments (torch's messages say "quantile()" for nanquantile too)."""
    x = input._array
    if x.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        qa = q._array
        if qa.ndim > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
        if qa.dtype != x.dtype:
            raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
        if ((qa < 0) | (qa > 1)).any():
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
    elif isinstance(q, (int, float)) and not isinstance(q, bool):
        if not 0 <= q <= 1:
            raise RuntimeError("quantile() q must be in the range [0, 1] but got {}".format(q))
        qa = np.asanyarray(q, dtype=x.dtype)
    else:
        raise TypeError("{}() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (Tensor q, int dim = None, bool keepdim = False, *, "
                        "str interpolation = \"linear\")\n * (float q, int dim = None, bool "
                        "keepdim = False, *, str interpolation = \"linear\")\n".format(
                            name, type(q).__name__))
    if x.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           "midpoint or nearest, but got {}".format(interpolation))
    if dim is not None:
        dim = wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            dim = None
    if isinstance(q, Tensor) and interpolation == "linear":   # only 'linear' depends on q
        qa = q
    return Quantile.apply(input, qa, dim, keepdim, interpolation, name == "nanquantile")


@export("torch", "Tensor")
@accepts_out
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The ``q``-quantiles (q in [0, 1], a number or a 1-d tensor) of all elements or along
    ``dim``, interpolating between sorted elements; NaN where a row contains NaN."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation)


@export("torch", "Tensor")
@accepts_out
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """``quantile`` ignoring NaN."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation)


