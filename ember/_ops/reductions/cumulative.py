"""Running reductions along one dimension: ``cumsum``, ``cumprod``, ``cummax``, ``cummin``.

Element k of the result combines elements 0..k of the input, so the gradient of input element
i collects the gradients of every result k >= i: for ``cumsum`` that is a running sum taken
backwards; ``cummax`` sends each result's gradient to the element it copied.
"""
import numpy as np

from ... import return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import wrap_dim
from .reduce import kept_shape, long_for_ints, np_dtype
from ..core.registry import export
from ..core.out import accepts_out
from ..core.inplace import twin
from ..core.half import computing, rounded


def reverse_cumsum(g, dim):
    """Running sums from the end: element i is the sum of g[i:] along ``dim``."""
    return dual.flip(dual.cumsum(dual.flip(g, dim), dim), dim)


class Cumsum(Op):
    """out_k = x_0 + ... + x_k along ``dim``.   d(L)/dx_i = sum over k >= i of d(L)/d(out_k)."""

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim = dim
        dtype = dtype or long_for_ints(x)
        if x.ndim == 0:
            return x.astype(dtype or x.dtype)
        dtype = np.dtype(dtype or x.dtype)        # float16 adds up in float32, as torch
        return rounded(np.cumsum(x, axis=dim, dtype=computing(dtype)), dtype)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0:
            return grad, None, None
        return reverse_cumsum(grad, ctx.dim), None, None


class Cumprod(Op):
    """out_k = x_0 * ... * x_k along ``dim``.

    d(L)/dx_i = sum over k >= i of g_k * (product of x_j for j <= k, j != i).  Before the first
    zero z of a row that is sum_k g_k out_k / x_i (a backward running sum of g * out, divided by
    x_i); after z every such product contains the zero; at z itself it is
    (x_0 ... x_{z-1}) * sum over k >= z of g_k * (x_{z+1} ... x_k)."""

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim = dim
        dtype = dtype or long_for_ints(x)
        if x.ndim == 0:
            out = x.astype(dtype or x.dtype)
        else:
            dtype = np.dtype(dtype or x.dtype)
            out = rounded(np.cumprod(x, axis=dim, dtype=computing(dtype)), dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        if grad.ndim == 0:
            return grad, None, None
        dim = ctx.dim
        xa = dual.data(x)
        is_zero = xa == 0
        if not is_zero.any():
            return reverse_cumsum(grad * out, dim) / x, None, None
        if not dual.is_array(x):
            return _cumprod_grad_recorded(grad, x, out, dim), None, None
        n = xa.shape[dim]
        position = np.arange(n).reshape((n,) + (1,) * (xa.ndim - dim - 1))
        first_zero = np.where(is_zero.any(axis=dim, keepdims=True),
                              np.argmax(is_zero, axis=dim, keepdims=True), n)
        before = position < first_zero
        at = position == first_zero
        from_zero = position >= first_zero
        one = xa.dtype.type(1)
        grad_before = reverse_cumsum(grad * out, dim) / (x * before + ~before) * before
        head = dual.prod_dims(x * before + ~before * one, (dim,))
        after = position > first_zero
        tail = dual.cumprod(x * after + ~after * one, dim)
        at_sum = dual.sum_dims(grad * tail * from_zero, (dim,))
        grad_at = (head * at_sum).reshape(first_zero.shape) * at
        return grad_before + grad_at, None, None


def _cumprod_grad_recorded(grad, x, out, dim):
    """Cumprod's gradient as a differentiable function of x (for higher derivatives): the
    masks of the first-order formula hide how the gradient after a zero depends on that zero.
    Element k gets sum over m >= k of g_m * out_{k-1} * (x_{k+1} ... x_m), one k at a time."""
    n = x.shape[dim]
    pieces = []
    for k in range(n):
        rest = (slice(None),) * dim + (slice(k, n),)
        later = (slice(None),) * dim + (slice(k + 1, n),)
        one = np.ones(kept_shape(x.shape, (dim,)), dtype=x.dtype.numpy)
        products = dual.cat([one, x[later].cumprod(dim)], dim) if k + 1 < n else one
        if k:
            products = products * out[(slice(None),) * dim + (slice(k - 1, k),)]
        pieces.append((grad[rest] * products).sum(dim))
    return dual.stack(pieces, dim)


def _running(op, input, dim, dtype):
    x = input._array
    return op.apply(input, wrap_dim(dim, x.ndim), np_dtype(dtype))


@export("torch", "Tensor", inplace=twin())
@accepts_out
def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim`` (integers and bools add up as int64)."""
    return _running(Cumsum, input, dim, dtype)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def cumprod(input, dim, *, dtype=None):
    """Running products along ``dim``; the gradient is exact also where elements are zero."""
    return _running(Cumprod, input, dim, dtype)


class Cummax(Op):
    """values_k = max(x_0 .. x_k) along ``dim``, indices_k = where that maximum is (the latest
    of equal values; after a NaN, the latest NaN).   Each gradient goes to that index."""

    @staticmethod
    def forward(ctx, x, dim, ufunc):
        if x.ndim == 0:
            ctx.dim = None
            return x.copy(), np.zeros((), np.int64)
        values = ufunc.accumulate(x, axis=dim)
        n = x.shape[dim]
        position = np.arange(n).reshape((n,) + (1,) * (x.ndim - dim - 1))
        takes = x == values                  # x_k replaces the running extreme (ties too)
        if x.dtype.kind == "f":
            takes |= np.isnan(x)             # and so does every NaN
        indices = np.maximum.accumulate(np.where(takes, position, 0), axis=dim).astype(np.int64)
        ctx.shape, ctx.dim, ctx.indices = x.shape, dim, indices
        return values, indices

    @staticmethod
    def backward(ctx, grad, grad_indices):
        if ctx.dim is None:
            return grad, None, None
        return dual.scatter_along(grad, ctx.shape, ctx.indices, ctx.dim, accumulate=True), \
            None, None


class Cummin(Cummax):
    pass


@export("torch", "Tensor")
def cummax(input, dim):
    """``(values, indices)``: the running maximum along ``dim`` and where each one is."""
    values, indices = Cummax.apply(input, wrap_dim(dim, input._array.ndim), np.maximum)
    return return_types.cummax(values, indices)


@export("torch", "Tensor")
def cummin(input, dim):
    """``(values, indices)``: the running minimum along ``dim`` and where each one is."""
    values, indices = Cummin.apply(input, wrap_dim(dim, input._array.ndim), np.minimum)
    return return_types.cummin(values, indices)


