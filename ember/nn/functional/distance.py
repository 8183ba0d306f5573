"""Distances between vectors: pairwise_distance, cosine_similarity, pdist and cdist.

They all rest on the p-norm ``||d||_p = (sum |d_i| ** p) ** (1/p)`` of a difference ``d``, whose
gradient is ``d||d||_p / dd_i = sign(d_i) * |d_i| ** (p-1) / ||d||_p ** (p-1)`` -- ``d / ||d||``
for the Euclidean p = 2, ``sign(d)`` for p = 1, and for p = inf an equal share for the elements
of largest magnitude.  Where the norm is 0 the gradient is taken as 0, as torch does.
"""
import math

import numpy as np

from ... import _dtype, _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import broadcast_shapes, wrap_dim
from ..._ops.core.registry import export
from ..._ops.core.half import rounded, widen


_INF = math.inf


def vector_norm(d, p, stat_shape):
    """``||d||_p`` over the dimensions where ``stat_shape`` has a 1 (kept, as size 1).

    For arrays any p; tensors (a recorded backward) support the p-norms with a gradient that
    depends on the norm's value: every p but 0 and +-inf."""
    if p == 2:
        return dual.sqrt(dual.sum_to(d * d, stat_shape))
    a = dual.abs(d)
    if p == 1:
        return dual.sum_to(a, stat_shape)
    if p == _INF or p == -_INF or p == 0:
        axes = tuple(i for i, (n, s) in enumerate(zip(d.shape, stat_shape)) if s == 1 and n != 1)
        if p == 0:
            return np.add.reduce(d != 0, axis=axes, keepdims=True, dtype=d.dtype)
        reduce = np.maximum.reduce if p > 0 else np.minimum.reduce
        return reduce(a, axis=axes, keepdims=True) if axes else a
    return dual.sum_to(a ** p, stat_shape) ** (1.0 / p)


def norm_grad(d, n, p, stat_shape):
    """``d||d||_p / dd`` given the norm ``n`` (with kept dimensions); arrays or tensors."""
    if p == 0:
        return d * 0
    sign = dual.sign(d)
    if p == 1:
        return sign
    if p == _INF or p == -_INF:
        share = sign * (dual.abs(d) == n)
        count = dual.sum_to(dual.abs(share), stat_shape)
        return share / (count + (count == 0))
    if p == 2:
        return d / (n + (n == 0))
    if p < 1:                     # |d| ** (p-1) is infinite at d = 0: that element gets 0
        a = dual.abs(d)
        return sign * (a + (d == 0)) ** (p - 1) * n ** (1 - p)
    return sign * dual.abs(d) ** (p - 1) / (n + (n == 0)) ** (p - 1)


def _check_p(p, fn):
    if p < 0:
        raise RuntimeError("{} only supports non-negative p values".format(fn))


# ---------------------------------------------------------------- pairwise_distance


class PairwiseDistance(Op):
    """out = ||x1 - x2 + eps||_p along the last dimension.
    dL/dx1 = g * d||d||/dd,  dL/dx2 = -dL/dx1  (d = x1 - x2 + eps).
    torch computes a norm of the difference, hence the name."""

    node_name = "NormBackward1"

    @staticmethod
    def forward(ctx, x1, x2, p, eps, keepdim):
        d = x1 - x2 + eps
        stat_shape = d.shape[:-1] + (1,) if d.ndim else ()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            n = vector_norm(d, p, stat_shape)
        ctx.save_for_backward(x1, x2)
        ctx.d, ctx.n, ctx.p, ctx.eps, ctx.stat_shape = d, n, p, eps, stat_shape
        return n if keepdim or not d.ndim else n.reshape(d.shape[:-1])

    @staticmethod
    def backward(ctx, grad):
        x1, x2 = ctx.saved_tensors
        p, stat_shape = ctx.p, ctx.stat_shape
        if p == 0:                      # a count of non-zeros: torch passes no gradient at all
            return None, None
        if dual.is_array(grad):
            d, n = ctx.d, ctx.n
        else:
            d = x1 - x2 + ctx.eps
            n = ctx.n if p in (0, _INF, -_INF) else vector_norm(d, p, stat_shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = grad.reshape(stat_shape) * norm_grad(d, n, p, stat_shape)
        needs = ctx.needs_input_grad
        return g if needs[0] else None, -g if needs[1] else None, None, None, None


@export("torch", "F")
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm distance between corresponding vectors (the last dimension) of ``x1`` and
    ``x2``, broadcasting; ``eps`` is added to the difference to keep the norm differentiable."""
    broadcast_shapes(x1._array.shape, x2._array.shape)
    dtype = _dtype.result_type(x1, x2)
    if not dtype.is_floating_point:
        dtype = _dtype.get_default_dtype()
    return PairwiseDistance.apply(x1.to(dtype), x2.to(dtype), float(p), eps, keepdim)


# ---------------------------------------------------------------- cosine_similarity


def _clamp_min(n, eps):
    """max(n, eps), for arrays or tensors."""
    return n + (eps - n) * (n < eps)


class CosineSimilarity(Op):
    """out = sum(u * v) along ``dim``, u = x1 / N1, v = x2 / N2, N = max(||x||, eps).

    With cos = sum(u * v):  dL/dx1 = g * (v - cos * x1 / ||x1||) / N1  (and symmetrically for
    x2).  As in torch, the clamp to eps only changes the value divided by, while the gradient
    still flows through the norm.  torch ends with a sum, hence the name."""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x1, x2, dim, eps):
        a, b = np.broadcast_arrays(x1, x2)
        stat_shape = a.shape[:dim] + (1,) + a.shape[dim + 1:]
        t = a.dtype     # each of torch's steps rounds to it (float16 computing in float32)
        n1, n2 = (rounded(vector_norm(widen(z), 2, stat_shape), t) for z in (a, b))
        u = rounded(widen(a) / np.maximum(widen(n1), eps), t)
        v = rounded(widen(b) / np.maximum(widen(n2), eps), t)
        cos = rounded(dual.sum_to(widen(rounded(widen(u) * widen(v), t)), stat_shape), t)
        ctx.save_for_backward(x1, x2)
        ctx.eps, ctx.shape, ctx.stat_shape = eps, a.shape, stat_shape
        ctx.cache = a, b, n1, n2, u, v, cos
        return cos.reshape(cos.shape[:dim] + cos.shape[dim + 1:])

    @staticmethod
    def backward(ctx, grad):
        stat_shape, eps = ctx.stat_shape, ctx.eps
        if dual.is_array(grad):
            a, b, n1, n2, u, v, cos = ctx.cache
        else:
            x1, x2 = ctx.saved_tensors
            a, b = dual.expand(x1, ctx.shape), dual.expand(x2, ctx.shape)
            n1, n2 = vector_norm(a, 2, stat_shape), vector_norm(b, 2, stat_shape)
            u, v = a / _clamp_min(n1, eps), b / _clamp_min(n2, eps)
            cos = dual.sum_to(u * v, stat_shape)
        g = grad.reshape(stat_shape)
        needs = ctx.needs_input_grad
        grad_1 = grad_2 = None
        if needs[0]:
            grad_1 = g * (v - cos * norm_grad(a, n1, 2, stat_shape)) / _clamp_min(n1, eps)
        if needs[1]:
            grad_2 = g * (u - cos * norm_grad(b, n2, 2, stat_shape)) / _clamp_min(n2, eps)
        return grad_1, grad_2, None, None


def _common_float(x1, x2):
    """Both tensors in their common dtype (which must be a floating one)."""
    dtype = _dtype.result_type(x1, x2)
    if not dtype.is_floating_point:
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           + dtype.scalar_name)
    return x1.to(dtype), x2.to(dtype)


@export("torch", "F")
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between corresponding vectors of ``x1`` and ``x2`` along ``dim``
    (broadcasting): ``x1 . x2 / (max(||x1||, eps) * max(||x2||, eps))``."""
    shape = broadcast_shapes(x1._array.shape, x2._array.shape)
    x1, x2 = _common_float(x1, x2)
    if not shape:                       # two numbers: the vectors of one element each
        return cosine_similarity(x1.reshape(1), x2.reshape(1), wrap_dim(dim, 0), eps)
    return CosineSimilarity.apply(x1, x2, wrap_dim(dim, len(shape)), eps)


# ---------------------------------------------------------------- pdist and cdist


class Pdist(Op):
    """out[k] = ||x[i_k] - x[j_k]||_p for every pair of rows i_k < j_k (upper triangle order).
    Each pair's gradient d||d||/dd goes back to row i_k, and with a minus sign to row j_k."""

    @staticmethod
    def forward(ctx, x, p):
        i, j = np.triu_indices(x.shape[0], 1)
        d = x[i] - x[j]
        stat_shape = (len(i), 1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            n = vector_norm(d, p, stat_shape)
        ctx.save_for_backward(x)
        ctx.i, ctx.j, ctx.p, ctx.d, ctx.n, ctx.shape = i, j, p, d, n, x.shape
        return n.reshape(len(i))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        i, j, p = ctx.i, ctx.j, ctx.p
        stat_shape = (len(i), 1)
        if dual.is_array(grad):
            d, n = ctx.d, ctx.n
        else:
            d = x[i] - x[j]
            n = ctx.n if p in (0, _INF, -_INF) else vector_norm(d, p, stat_shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = grad.reshape(stat_shape) * norm_grad(d, n, p, stat_shape)
        return dual.index_grad(g, ctx.shape, i) - dual.index_grad(g, ctx.shape, j), None


def _check_float_dist(t, fn, which=""):
    if t._array.dtype.kind != "f":
        raise RuntimeError("{} only supports floating-point dtypes, {}got: {}".format(
            fn, which, t.dtype.scalar_name))


@export("torch", "F")
def pdist(input, p=2):
    """The p-norm distances between all pairs of rows of a 2-d ``input``: the upper triangle
    (row i < row j) of the distance matrix, flattened."""
    if input._array.ndim != 2:
        raise RuntimeError("pdist only supports 2D tensors, got: {}D".format(input._array.ndim))
    _check_float_dist(input, "pdist")
    _check_p(p, "pdist")
    rows, columns = input._array.shape
    if input._array.dtype == np.float16 and rows > 1 and columns:
        raise _errors.not_implemented("pdist", "Half")          # torch has no float16 kernel
    return Pdist.apply(input, float(p))


class Cdist(Op):
    """out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p.  The gradient of each distance,
    g * d||d||/dd, is summed over j for x1 and, negated, over i for x2."""

    @staticmethod
    def forward(ctx, x1, x2, p):
        d = x1[..., :, None, :] - x2[..., None, :, :]
        stat_shape = d.shape[:-1] + (1,)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            n = vector_norm(d, p, stat_shape)
        ctx.save_for_backward(x1, x2)
        ctx.p, ctx.d, ctx.n = p, d, n
        return n.reshape(d.shape[:-1])

    @staticmethod
    def backward(ctx, grad):
        x1, x2 = ctx.saved_tensors
        p = ctx.p
        if dual.is_array(grad):
            d, n = ctx.d, ctx.n
        else:
            d = x1[..., :, None, :] - x2[..., None, :, :]
        shape = tuple(d.shape)
        stat_shape = shape[:-1] + (1,)
        if not dual.is_array(grad):
            n = ctx.n if p in (0, _INF, -_INF) else vector_norm(d, p, stat_shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = grad.reshape(stat_shape) * norm_grad(d, n, p, stat_shape)
        batch, (rows, cols, m) = shape[:-3], shape[-3:]
        needs = ctx.needs_input_grad
        grad_1 = dual.sum_to(g, batch + (rows, 1, m)).reshape(batch + (rows, m)) \
            if needs[0] else None
        grad_2 = -dual.sum_to(g, batch + (1, cols, m)).reshape(batch + (cols, m)) \
            if needs[1] else None
        return grad_1, grad_2, None


@export("torch")
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between every row of ``x1`` (*, P, M) and every row of ``x2``
    (*, R, M): a (*, P, R) tensor, the leading batch dimensions broadcast.

    ember always computes the differences directly (exact); torch switches to a faster
    matrix-product formula for large Euclidean problems (``compute_mode``)."""
    for name, t in (("X1", x1), ("X2", x2)):
        if t._array.ndim < 2:
            raise RuntimeError("cdist only supports at least 2D tensors, {} got: {}D".format(
                name, t._array.ndim))
    a, b = x1._array, x2._array
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError("X1 and X2 must have the same number of columns. X1: {} X2: {}".format(
            a.shape[-1], b.shape[-1]))
    _check_float_dist(x1, "cdist", "X1 ")
    _check_float_dist(x2, "cdist", "X2 ")
    _check_p(p, "cdist")
    broadcast_shapes(a.shape[:-2], b.shape[:-2])
    if a.dtype == np.float16 and b.dtype == np.float16 and a.size and b.size:
        raise _errors.not_implemented("cdist", "Half")          # torch has no float16 kernel
    return Cdist.apply(x1, x2, float(p))
