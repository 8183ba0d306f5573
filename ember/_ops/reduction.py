"""Reductions: operations that combine the elements along some dimensions into one value.

The gradient of a sum is the incoming gradient copied back ("expanded") to every element that
went into it; a mean divides that by the count.  Reductions over ``dim`` with ``keepdim=False``
drop the reduced dimensions, so backward first puts them back as size 1 and then expands.
"""
import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .common import Tensor, dims_of, sum_to_shape

__all__ = ["sum", "mean"]


def _int_to_long(a):
    return np.int64 if a.dtype.kind in "iub" else None


def expand_reduced(grad, shape, dims, keepdim):
    """Brings a reduction's gradient back to the input ``shape`` (a view, no copy)."""
    if not keepdim and dims and len(shape):
        kept = list(shape)
        for d in dims:
            kept[d] = 1
        grad = grad.reshape(kept)
    return dual.expand(grad, shape)


class Sum(Op):
    """out = sum of all elements.   d(out)/dx_i = 1 for every i."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.shape = x.shape
        return np.add.reduce(x, axis=None, dtype=dtype or _int_to_long(x))

    @staticmethod
    def backward(ctx, grad):
        return dual.expand(grad, ctx.shape), None


class SumDim(Op):
    """out = sums along ``dims``.   Each input element gets the gradient of its sum."""

    exact_grads = True

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return np.add.reduce(x, axis=dims, keepdims=keepdim, dtype=dtype or _int_to_long(x))

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class Mean(Op):
    """out = mean of all elements.   d(out)/dx_i = 1 / n."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.shape = x.shape
        return np.mean(x, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        n = max(int(np.prod(ctx.shape)), 1)
        return dual.expand(grad / n, ctx.shape), None


class MeanDim(Op):
    """out = means along ``dims``.   d(out)/dx_i = 1 / (number of elements averaged)."""

    exact_grads = True

    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return np.mean(x, axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        n = int(np.prod([ctx.shape[d] for d in ctx.dims])) if ctx.dims else 1
        return expand_reduced(grad / max(n, 1), ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class SumToSize(Op):
    """Sums a broadcast gradient back to ``shape``.   Its gradient expands again."""

    exact_grads = True

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return sum_to_shape(x, tuple(shape))

    @staticmethod
    def backward(ctx, grad):
        return dual.expand(grad, ctx.shape), None


def _np_dtype(dtype):
    return None if dtype is None else _dtype.to_dtype(dtype).numpy


def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
    if axis is not None:
        dim = axis
    if dim is None:
        return Sum.apply(input, _np_dtype(dtype))
    dims = dims_of(dim, input._array.ndim)
    return SumDim.apply(input, dims, keepdim, _np_dtype(dtype))


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None):
    """Average of all elements, or along ``dim``.  Needs a floating-point input (or ``dtype``)."""
    if axis is not None:
        dim = axis
    if dtype is None and input._array.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: " + input.dtype.scalar_name)
    if dim is None:
        return Mean.apply(input, _np_dtype(dtype))
    dims = dims_of(dim, input._array.ndim)
    return MeanDim.apply(input, dims, keepdim, _np_dtype(dtype))


def sum_to_size(input, *size):
    """Sums ``input`` down to ``size`` (which it must broadcast from)."""
    if len(size) == 1 and not isinstance(size[0], int):
        size = tuple(size[0])
    if input._array.shape == tuple(size):
        return input
    return SumToSize.apply(input, tuple(size))


METHODS = ("sum", "mean", "sum_to_size")

FUNCTIONAL = ()
