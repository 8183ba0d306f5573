"""Slicing: a part of a tensor, as a view sharing its memory.  ``narrow`` keeps a range of one
dimension, ``select`` one index of it (the dimension disappears), ``diagonal`` a diagonal.
Their nodes (``Slice``, ``Select``, ``Alias``) are also the steps of ``x[i]`` (``indexing.py``).
Part of the shape family (``shape.py``).

The gradient is zeros shaped like the input, with the incoming gradient placed at the part
that was read.
"""
import operator

import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..core import dual
from ..core.common import wrap_dim
from .views import _fmt, _int, as_view
from ..core.registry import export


_as_strided = np.lib.stride_tricks.as_strided


# ---------------------------------------------------------------- slices and selections


class Slice(Op):
    """out = x[start:stop:step] along ``dim`` (a view).
    The gradient is zeros like x with the incoming gradient placed at the slice."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, start, stop, step):
        index = (slice(None),) * dim + (slice(start, stop, step),)
        ctx.shape, ctx.index = x.shape, index
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        return dual.index_grad(grad, ctx.shape, ctx.index), None, None, None, None


class Select(Op):
    """out = x[index] along ``dim``, which disappears (a view).
    The gradient is zeros like x with the incoming gradient placed at ``index``."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, index):
        index = (slice(None),) * dim + (index,)
        ctx.shape, ctx.index = x.shape, index
        return x[index + (Ellipsis,)]            # a 0-d view, not a NumPy scalar

    @staticmethod
    def backward(ctx, grad):
        return dual.index_grad(grad, ctx.shape, ctx.index), None, None


class Alias(Op):
    """out = x itself, as a new view (``x[...]``).   The gradient passes unchanged."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.view()

    @staticmethod
    def backward(ctx, grad):
        return grad


@export("torch", "Tensor")
def narrow(input, dim, start, length):
    """A view of ``length`` entries of dimension ``dim``, from ``start``."""
    shape = input._array.shape
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(_int(dim, "narrow", "dim", 1), len(shape))
    try:
        start, length = operator.index(start), operator.index(length)
        if isinstance(start, bool):
            raise TypeError
    except TypeError:
        raise TypeError("narrow() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (int dim, Tensor start, int length)\n * (int dim, "
                        "int start, int length)\n".format(", ".join(
                            type(a).__name__ for a in (dim, start, length)))) from None
    size = shape[dim]
    if not -size <= start <= size:
        raise IndexError("start out of range (expected to be in range of [{}, {}], but got {})"
                         .format(-size, size, start))
    if start < 0:
        start += size
    if length < 0:
        raise _errors.narrow_negative_length()
    if start + length > size:
        raise RuntimeError("start ({}) + length ({}) exceeds dimension size ({}).".format(
            start, length, size))
    return as_view(Slice.apply(input, dim, start, start + length, 1), input)


@export("torch", "Tensor")
def select(input, dim, index):
    """The view at ``index`` along dimension ``dim``, which is removed."""
    shape = input._array.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(_int(dim, "select", "dim", 1), len(shape))
    index = _int(index, "select", "index", 2)
    if not -shape[dim] <= index < shape[dim]:
        raise IndexError("select(): index {} out of range for tensor of size {} at dimension {}"
                         .format(index, _fmt(shape), dim))
    return as_view(Select.apply(input, dim, index + shape[dim] if index < 0 else index), input)


class Diagonal(Op):
    """out = the diagonal of x in dimensions ``dim1`` and ``dim2`` (a view, its entries along a
    new last dimension).   The gradient is zeros like x with the incoming gradient on that
    diagonal."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return diagonal_view(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, grad):
        return diagonal_grad(grad, ctx.shape, *ctx.args), None, None, None


def diagonal_grad(grad, shape, offset, dim1, dim2):
    """Zeros of ``shape`` with ``grad`` on a diagonal: the gradient of taking that diagonal."""
    if dual.is_array(grad):
        return DiagonalGrad.forward(None, grad, shape, offset, dim1, dim2)
    return DiagonalGrad.apply(grad, shape, offset, dim1, dim2)


class DiagonalGrad(Op):
    """out = zeros of ``shape`` with g on a diagonal (the gradient of ``diagonal``).
    Its own gradient reads that diagonal back."""

    node_name = "DiagonalBackwardBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, g, shape, offset, dim1, dim2):
        if ctx is not None:
            ctx.args = (offset, dim1, dim2)
        out = np.zeros(shape, dtype=g.dtype)
        diagonal_view(out, offset, dim1, dim2)[...] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        if dual.is_array(grad):
            return diagonal_view(grad, *ctx.args), None, None, None, None
        return diagonal(grad, *ctx.args), None, None, None, None


def diagonal_view(a, offset, dim1, dim2):
    """The (writable) NumPy view of a diagonal, with torch's layout: the diagonal last."""
    shape, strides = a.shape, a.strides
    corner = [slice(None)] * a.ndim
    if offset >= 0:
        length = max(min(shape[dim1], shape[dim2] - offset), 0)
        corner[dim2] = slice(offset, None)
    else:
        length = max(min(shape[dim1] + offset, shape[dim2]), 0)
        corner[dim1] = slice(-offset, None)
    keep = [d for d in range(a.ndim) if d != dim1 and d != dim2]
    new_shape = tuple(shape[d] for d in keep) + (length,)
    new_strides = tuple(strides[d] for d in keep) + (strides[dim1] + strides[dim2],)
    return _as_strided(a[tuple(corner)] if length else a, new_shape, new_strides)


@export("torch", "Tensor")
def diagonal(input, offset=0, dim1=0, dim2=1):
    """A view of the diagonal with respect to ``dim1`` and ``dim2`` (``offset`` > 0: above)."""
    n = input._array.ndim
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise _errors.identical_diagonal_dims(dim1, dim2)
    return as_view(Diagonal.apply(input, int(offset), d1, d2), input)


