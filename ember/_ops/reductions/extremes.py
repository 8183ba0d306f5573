"""Reductions that pick the largest or smallest element: ``max``, ``min``, ``amax``, ``amin``,
``aminmax``, ``argmax``, ``argmin``, and ``logsumexp``, the smooth maximum.

The gradient of a selection goes to the selected element only: to the one at the returned
index when there is an index, else shared equally among the elements equal to the result
(ties), as torch does (``shared_among_ties`` in reduce.py).  ``logsumexp``'s gradient is the
softmax of its input.
"""
import numpy as np

from ... import _dtype, _errors, return_types
from ...autograd.op import Op
from ..core import dual
from ..core.operands import floating
from ..core.common import Tensor, wrap_dim
from ..core.registry import export
from ..core.out import accepts_out
from .reduce import (check_nonempty_dims, expand_reduced, kept_shape, reduce_dims,
                     shared_among_ties)


# ---------------------------------------------------------------- largest and smallest


class Amax(Op):
    """out = the largest elements along ``dims`` (``amin``: smallest).
    The gradient is shared equally among the elements equal to the result."""

    @staticmethod
    def forward(ctx, x, ufunc, dims, keepdim, nan_aware):
        out = ufunc.reduce(x, axis=dims, keepdims=keepdim)
        ctx.dims, ctx.keepdim, ctx.nan_aware = dims, keepdim, nan_aware
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        shape = dual.data(x).shape
        return (shared_among_ties(grad, x, out, shape, ctx.dims, ctx.keepdim, ctx.nan_aware),
                None, None, None, None)


class Amin(Amax):
    pass


class MaxAll(Amax):
    """out = ``max()``: the largest element (the gradient is shared among ties)."""

    node_name = "MaxBackward1"


class MinAll(Amax):
    node_name = "MinBackward1"


class Selection(Op):
    """values, indices = one element of each row along ``dim`` -- the one at the index that
    ``pick(x, dim)`` chooses -- and that index.   The gradient goes to that element only."""

    @staticmethod
    def forward(ctx, x, dim, keepdim, pick):
        if x.ndim == 0:
            ctx.dim = None
            return x.copy(), np.zeros((), np.int64)
        index = pick(x, dim)                          # the row dimension kept, as size 1
        values = np.take_along_axis(x, index, axis=dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.index = x.shape, dim, keepdim, index
        if not keepdim:
            values, index = values.squeeze(dim), index.squeeze(dim)
        return values, index.astype(np.int64, copy=False)

    @staticmethod
    def backward(ctx, grad, grad_index):
        if ctx.dim is None:
            return grad, None, None, None
        if not ctx.keepdim:
            grad = grad.reshape(ctx.index.shape)
        return dual.scatter_along(grad, ctx.shape, ctx.index, ctx.dim), None, None, None


class MaxDim(Selection):
    """values, indices = ``max(dim)``: the largest entries and the first index of each."""

    node_name = "MaxBackward0"


class MinDim(Selection):
    node_name = "MinBackward0"


def _argmax_kept(x, dim):
    return np.argmax(x, axis=dim, keepdims=True)


def _argmin_kept(x, dim):
    return np.argmin(x, axis=dim, keepdims=True)


def _check_extreme_input(name, x, dims):
    if x.dtype.kind == "c":                     # (amax, amin: max and min check before)
        raise _errors.not_implemented(name[1:] + "_values_cpu", _dtype.from_numpy(x.dtype)
                                      .scalar_name)
    if x.size == 0:
        if len(dims) == x.ndim:
            raise RuntimeError("{}(): Expected reduction dim to be specified for input.numel() "
                               "== 0. Specify the reduction dim with the 'dim' argument.".format(
                                   name))
        check_nonempty_dims(name, x, dims)


def _extreme(name, input, dim, keepdim, all_op, dim_op, ufunc, pick):
    if isinstance(dim, Tensor):
        from ..elementwise.clamping import maximum, minimum
        return (maximum if name == "max" else minimum)(input, dim)
    x = input._array
    if x.dtype.kind == "c":
        if dim is None:
            raise _errors.not_implemented(name + "_all", input.dtype.scalar_name)
        raise RuntimeError(name + "(): does not support complex input")
    if dim is None:
        dims = tuple(range(x.ndim))
        _check_extreme_input(name, x, dims)
        return all_op.apply(input, ufunc, dims, False, True)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError("{0}() received an invalid combination of arguments - got ({1}), but "
                        "expected one of:\n * ()\n * (Tensor other)\n * (int dim, bool keepdim = "
                        "False)\n".format(name, type(dim).__name__))
    dim = wrap_dim(dim, x.ndim)
    if x.ndim:
        check_nonempty_dims(name, x, (dim,))
    values, indices = dim_op.apply(input, dim, keepdim, pick)
    return getattr(return_types, name)(values, indices)


@export("torch", "Tensor")
def max(input, dim=None, keepdim=False):
    """The largest element; with ``dim``, ``(values, indices)`` of the largest entries along
    ``dim``; with a tensor ``other``, the elementwise ``maximum``."""
    return _extreme("max", input, dim, keepdim, MaxAll, MaxDim, np.maximum, _argmax_kept)


@export("torch", "Tensor")
def min(input, dim=None, keepdim=False):
    """The smallest element; with ``dim``, ``(values, indices)``; with a tensor, ``minimum``."""
    return _extreme("min", input, dim, keepdim, MinAll, MinDim, np.minimum, _argmin_kept)


@export("torch", "Tensor")
@accepts_out
def amax(input, dim=(), keepdim=False):
    """The largest elements along ``dim`` (all dimensions by default); the gradient is shared
    equally among ties."""
    x = input._array
    dims = reduce_dims(dim, x.ndim)
    _check_extreme_input("amax", x, dims)
    return Amax.apply(input, np.maximum, dims, keepdim, False)


@export("torch", "Tensor")
@accepts_out
def amin(input, dim=(), keepdim=False):
    """The smallest elements along ``dim`` (all dimensions by default)."""
    x = input._array
    dims = reduce_dims(dim, x.ndim)
    _check_extreme_input("amin", x, dims)
    return Amin.apply(input, np.minimum, dims, keepdim, False)


class Aminmax(Op):
    """min, max = ``amin`` and ``amax`` together (one node, two outputs)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        low = np.minimum.reduce(x, axis=dims, keepdims=keepdim)
        high = np.maximum.reduce(x, axis=dims, keepdims=keepdim)
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.save_for_backward(x, low, high)
        return low, high

    @staticmethod
    def backward(ctx, grad_low, grad_high):
        x, low, high = ctx.saved_tensors
        shape, dims, keepdim = dual.data(x).shape, ctx.dims, ctx.keepdim
        return (shared_among_ties(grad_low, x, low, shape, dims, keepdim, False) +
                shared_among_ties(grad_high, x, high, shape, dims, keepdim, False), None, None)


@export("torch", "Tensor")
def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` of all elements, or along ``dim``."""
    x = input._array
    if dim is None:
        dims = tuple(range(x.ndim))
        if x.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
    else:
        dims = (wrap_dim(dim, x.ndim),) if x.ndim else ()
        check_nonempty_dims("aminmax", x, dims, ": ")
    low, high = Aminmax.apply(input, dims, keepdim)
    return return_types.aminmax(low, high)


def _arg(name, fn, input, dim, keepdim):
    x = input._array
    if x.dtype.kind in "bc":
        raise RuntimeError(name + "(): does not support {} input".format(
            "bool" if x.dtype.kind == "b" else "complex"))
    if dim is None:
        if x.size == 0:
            raise IndexError(name + "(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        index = np.asanyarray(fn(x), dtype=np.int64)
        if keepdim:
            index = index.reshape((1,) * x.ndim)
        return Tensor._make(index)
    dim = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return Tensor._make(np.zeros((), np.int64))
    check_nonempty_dims(name, x, (dim,))
    return Tensor._make(np.asanyarray(fn(x, axis=dim, keepdims=keepdim), dtype=np.int64))


@export("torch", "Tensor")
def argmax(input, dim=None, keepdim=False):
    """The index of the largest element (of the flattened tensor, or along ``dim``)."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


@export("torch", "Tensor")
def argmin(input, dim=None, keepdim=False):
    """The index of the smallest element (of the flattened tensor, or along ``dim``)."""
    return _arg("argmin", np.argmin, input, dim, keepdim)


# ---------------------------------------------------------------- logsumexp


class Logsumexp(Op):
    """out = log(sum(exp(x))) along ``dims``, computed as m + log(sum(exp(x - m))) with m the
    maximum, so that nothing overflows.   d(out)/dx_i = exp(x_i - out) (the softmax)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        f = floating(x)
        top = np.max(f, axis=dims, keepdims=True, initial=-np.inf)
        top = np.where(np.isinf(top), 0, top)   # all -inf (or an inf): shifting would make NaN
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(np.add.reduce(np.exp(f - top), axis=dims, keepdims=True)) + top
        if not keepdim:
            out = out.reshape(tuple(n for i, n in enumerate(x.shape) if i not in dims))
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        shape = dual.data(x).shape
        if not ctx.keepdim:
            out = out.reshape(kept_shape(shape, ctx.dims))
        with np.errstate(invalid="ignore"):              # inf - inf: NaN, as in torch
            return (expand_reduced(grad, shape, ctx.dims, ctx.keepdim) * dual.exp(x - out),
                    None, None)


@export("special")
@export("torch", "Tensor")
@accepts_out
def logsumexp(input, dim, keepdim=False):
    """``log(sum(exp(input)))`` along ``dim``, without overflow."""
    return Logsumexp.apply(input, reduce_dims(dim, input._array.ndim), keepdim)
