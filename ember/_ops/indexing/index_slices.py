"""Whole slices by index: ``index_select``, ``index_add``, ``index_copy``, ``index_fill``.

Each reads or writes the slices ``index[i]`` of one dimension.  Their gradients are each
other: the gradient of ``index_select`` adds the incoming slices back at their positions
(``index_add`` of the gradient), and the written slices of ``index_copy``/``index_fill`` get
no gradient from the input.
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, wrap_dim
from .plan import _INDEX_DTYPES, _write, read
from .reading import index_grad
from .writing import checked_scalar, zero_at
from ..core.registry import export
from ..core.out import accepts_out


# ---------------------------------------------------------------- whole slices by index


def _vector_index(fn, index, shape, dim, negative=False, error=None):
    """A 0-d or 1-d index tensor as an int64 array, checked against ``shape[dim]`` (negative
    indices count from the end where ``negative``); ``error(value, size)`` makes the exception
    for an index out of range."""
    a = index._array if isinstance(index, Tensor) else np.asanyarray(index)
    if a.ndim > 1:
        raise IndexError("{}(): Index is supposed to be a vector".format(fn))
    if a.dtype not in _INDEX_DTYPES:
        raise RuntimeError("{}(): Expected dtype int32 or int64 for index".format(fn))
    a = a.reshape(-1)
    size = shape[dim] if shape else 1
    bad = (a < (-size if negative else 0)) | (a >= size)
    if bad.any():
        value = a[np.argmax(bad)]
        if error is not None:
            raise error(value, size)
        raise IndexError("index {} is out of bounds for dimension {} with size {}".format(
            value, dim, size))
    return np.where(a < 0, a + size, a) if negative else a


def _at_dim(dim, index, ndim=1):
    """The NumPy index of the slices at ``index`` along ``dim``; in a 0-d tensor (``ndim`` 0),
    whose only valid index is 0, the tensor itself."""
    return (slice(None),) * dim + (index,) if ndim else (Ellipsis,)


class IndexSelect(Op):
    """out = x's slices along ``dim`` at ``index`` (in that order, repeats allowed).
    dx = zeros like x with d(out)'s slices added at ``index``."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        return np.take(x, index, axis=dim) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, grad):
        shape, dim, index = ctx.shape, ctx.dim, ctx.index
        if not shape:
            return dual.sum_to(grad, ()), None, None
        if dual.is_array(grad):
            return index_grad(grad, shape, _at_dim(dim, index)), None, None
        return index_add(grad.new_zeros(shape), dim, Tensor._make(index), grad), None, None


@export("torch", "Tensor")
@accepts_out
def index_select(input, dim, index):
    """The slices of ``input`` along ``dim`` at the positions in the vector ``index``."""
    shape = input._array.shape
    dim = wrap_dim(dim, max(len(shape), 1))
    idx = _vector_index("index_select", index, shape, dim,
                        error=lambda v, n: IndexError("index out of range in self"))
    if not shape and idx.size != 1:
        raise RuntimeError("index_select(): Index to scalar can have only 1 value, got {} "
                           "value(s)".format(idx.size))
    return IndexSelect.apply(input, dim, idx)


class IndexAdd(Op):
    """out = x with alpha * source's slices added along ``dim`` at ``index``.
    dx = d(out);  dsource = alpha * d(out)'s slices at ``index``."""

    @staticmethod
    def forward(ctx, x, source, dim, index, alpha):
        ctx.at = _at_dim(dim, index, x.ndim)
        ctx.alpha = alpha
        out = x.copy()
        np.add.at(out, ctx.at, source if alpha == 1 else source * alpha)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_source = None
        if ctx.needs_input_grad[1]:
            grad_source = grad[ctx.at]
            if ctx.alpha != 1:
                grad_source = grad_source * ctx.alpha
        return grad, grad_source, None, None, None


@export("torch", "Tensor")
def index_add(input, dim, index, source, *, alpha=1):
    """A copy of ``input`` with ``alpha * source``'s slices added along ``dim`` at ``index``
    (repeated indices add up)."""
    shape = input._array.shape
    dim = wrap_dim(dim, max(len(shape), 1))
    idx = _vector_index("index_add", index, shape, dim, error=lambda v, n: RuntimeError(
        "index {} is out of bounds for dimension {} with size {}".format(v, dim, n))
        if len(shape) > 1 else IndexError("index out of range in self"))
    src = source._array
    if src.dtype != input._array.dtype:
        raise RuntimeError("index_add_(): self ({}) and source ({}) must have the same scalar type"
                           .format(input.dtype.scalar_name, source.dtype.scalar_name))
    if (src.shape[dim] if src.ndim else 1) != len(idx):
        raise RuntimeError("index_add_(): Number of indices ({}) should be equal to source.size"
                           "(dim): ({}), for dim: {}".format(len(idx),
                                                            src.shape[dim] if src.ndim else 1, dim))
    return IndexAdd.apply(input, source, dim, idx, alpha)


class IndexCopy(Op):
    """out = x with source's slices written along ``dim`` at ``index``.
    dx = d(out) with zeros at those slices;  dsource = d(out)'s slices at ``index``."""

    @staticmethod
    def forward(ctx, x, source, dim, index):
        ctx.where = ((), _at_dim(dim, index, x.ndim))
        out = x.copy()
        _write(out, ctx.where, source)
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        return (zero_at(grad, ctx.where) if needs[0] else None,
                read(grad, ctx.where) if needs[1] else None, None, None)


@export("torch", "Tensor")
def index_copy(input, dim, index, source):
    """A copy of ``input`` with ``source``'s slices written along ``dim`` at ``index``."""
    shape = input._array.shape
    dim = wrap_dim(dim, max(len(shape), 1))
    if isinstance(index, Tensor) and index._array.dtype != np.int64 and index._array.ndim < 2:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got {}".format(
            index.dtype.scalar_name))
    idx = _vector_index("index_copy", index, shape, dim, error=lambda v, n: IndexError(
        "index_copy_(): index {} is out of bounds for dimension {} with size {}".format(
            v, dim, n)))
    if source._array.dtype != input._array.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but "
                           "got (self) {} and (source) {}".format(input.dtype.scalar_name,
                                                                  source.dtype.scalar_name))
    return IndexCopy.apply(input, source, dim, idx)


class IndexFill(IndexCopy):
    """out = x with ``value`` written in the slices along ``dim`` at ``index`` (IndexCopy's
    forward).  dx = d(out) with zeros at those slices;  dvalue (a 0-d tensor) = the sum of
    d(out) there."""

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        grad_value = None
        if needs[1]:
            grad_value = dual.sum_to(read(grad, ctx.where), ())
        return zero_at(grad, ctx.where) if needs[0] else None, grad_value, None, None


class IndexFillTensor(IndexFill):
    """``index_fill`` with a 0-d tensor value (which gets a gradient)."""

    node_name = "IndexFillBackward1"


def _fill_value(fn, value, dtype):
    if isinstance(value, Tensor):
        if value._array.ndim:
            raise RuntimeError("{} only supports a 0-dimensional value tensor, but got tensor "
                               "with {} dimension(s).".format(fn, value._array.ndim))
        return value
    return checked_scalar(value, dtype)


@export("torch", "Tensor")
def index_fill(input, dim, index, value):
    """A copy of ``input`` with ``value`` in the slices along ``dim`` at ``index``."""
    shape = input._array.shape
    dim = wrap_dim(dim, max(len(shape), 1))
    if isinstance(index, Tensor) and index._array.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    idx = _vector_index("index_fill", index, shape, dim, negative=True)
    value = _fill_value("index_fill_", value, input._array.dtype)
    op = IndexFillTensor if isinstance(value, Tensor) else IndexFill
    return op.apply(input, value, dim, idx)
