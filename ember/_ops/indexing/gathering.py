"""Gathering and scattering: reading and writing many positions of a tensor at once, given
as index tensors (``gather``, ``scatter``), boolean masks (``masked_fill``, ``masked_select``
...) or flat positions (``take``); whole slices by index (``index_select``, ``index_add`` ...)
are in ``index_slices.py``.

Reading and writing are each other's gradient: the gradient of reading positions (a gather)
puts the incoming gradient back at those positions (a scatter-add, so that repeated positions
add up); the gradient of writing reads the written value's share back (a gather), and the
overwritten input gets zeros there.
"""
import warnings

import numpy as np

from ... import _errors
from ...autograd import op as _op
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor, broadcast_shapes, wrap_dim
from ..core.operands import C_NAMES
from .plan import _INDEX_DTYPES, _fmt, read
from .reading import index_grad
from .writing import check_leaf, checked_scalar, update_inplace, zero_at
from ..shape.views import as_view
from ..core.registry import export
from ..core.out import accepts_out
from .index_slices import _fill_value, index_add, index_copy, index_fill


# ---------------------------------------------------------------- gather and scatter


def _index_array(fn, index):
    """The array of an index tensor, which must hold int64 or int32 (torch's error else)."""
    a = index._array
    if a.dtype not in _INDEX_DTYPES:
        raise RuntimeError("{}(): Expected dtype int32/int64 for index".format(fn))
    return a


def _along(index, dim):
    """The NumPy index reaching, for each entry of ``index``, the position it names along
    ``dim`` (and its own position along the other dimensions)."""
    n = index.ndim
    return tuple(index if d == dim else np.arange(s).reshape((s,) + (1,) * (n - d - 1))
                 for d, s in enumerate(index.shape))


def _check_gather(fn, input, dim, index, src=None):
    """torch's checks for gather/scatter arguments; returns (dim, index array)."""
    shape = input._array.shape
    dim = wrap_dim(dim, max(len(shape), 1))
    idx = _index_array(fn, index)
    if idx.ndim != len(shape) and (idx.ndim > 1 or len(shape) > 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as {} tensor"
                           .format("input" if src is None or not isinstance(src, Tensor)
                                   else "self"))
    if isinstance(src, Tensor) and src._array.ndim != idx.ndim and idx.ndim > 1:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for d in range(idx.ndim):
        if d == dim or not len(shape):
            continue
        too_big = idx.shape[d] > shape[d]
        if isinstance(src, Tensor):
            too_big = too_big or idx.shape[d] > src._array.shape[d]
            if too_big or idx.shape[dim] > src._array.shape[dim]:
                raise RuntimeError("Expected index {} to be no larger than self {} apart from "
                                   "dimension {} and to be no larger size than src {}".format(
                                       _fmt(idx.shape), _fmt(shape), dim,
                                       _fmt(src._array.shape)))
        elif too_big:
            raise RuntimeError("Size does not match at dimension {} expected index {} to be no "
                               "larger than self {} apart from dimension {}".format(
                                   d, _fmt(idx.shape), _fmt(shape), dim))
    size = shape[dim] if shape else 1
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = ((idx < 0) | (idx >= size)).reshape(-1)
        raise RuntimeError("index {} is out of bounds for dimension {} with size {}".format(
            idx.reshape(-1)[np.argmax(bad)], dim, size))
    return dim, idx


def _fit(a, shape):
    """``a`` cut down to ``shape`` (index tensors may be smaller than what they index)."""
    if a.shape == shape:
        return a
    return a[tuple(slice(0, n) for n in shape)]


class Gather(Op):
    """out[i][j][k] = x[index[i][j][k]][j][k] (for dim 0).
    dx = zeros like x with d(out) added at the gathered positions (a scatter_add)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:
            return x.copy()
        return x[_along(index, dim)]

    @staticmethod
    def backward(ctx, grad):
        return _scatter_add_grad(grad, ctx.shape, ctx.dim, ctx.index), None, None


def _scatter_add_grad(grad, shape, dim, index):
    if not len(shape):
        return grad
    if dual.is_array(grad):
        out = np.zeros(shape, dtype=grad.dtype)
        np.add.at(out, _along(index, dim), grad)
        return out
    return scatter_add(grad.new_zeros(shape), dim, Tensor._make(index), grad)


@export("torch", "Tensor")
def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Values of ``input`` along ``dim`` at the positions in ``index`` (same number of
    dimensions; the result has index's shape)."""
    dim, idx = _check_gather("gather", input, dim, index)
    return Gather.apply(input, dim, idx)


class Scatter(Op):
    """out = x with out[index[i][j]][j] = src[i][j] (for dim 0).
    dx = d(out) with zeros at the written positions; dsrc = d(out) gathered at them."""

    @staticmethod
    def forward(ctx, x, src, dim, index):
        ctx.dim, ctx.index, ctx.src_shape = dim, index, np.shape(src)
        out = x.copy()
        out[_along(index, dim)] = _fit(src, index.shape) if np.ndim(src) else src
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        where = ((), _along(ctx.index, ctx.dim))
        grad_x = zero_at(grad, where) if needs[0] else None
        grad_src = None
        if needs[1]:
            if ctx.index.shape != ctx.src_shape:       # torch refuses this case too
                raise RuntimeError("Function ScatterBackward0 returned an invalid gradient at "
                                   "index 1 - got {} but expected shape compatible with {}"
                                   .format(_fmt(ctx.index.shape), _fmt(ctx.src_shape)))
            grad_src = read(grad, where)
        return grad_x, grad_src, None, None


class ScatterValue(Scatter):
    """out = x with ``value`` written at the positions of ``index`` along ``dim``."""

    node_name = "ScatterBackward1"


class ScatterReduce(Op):
    """scatter with ``reduce='add'`` or ``'multiply'`` (deprecated in torch; no gradient)."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, x, src, dim, index, reduce):
        out = x.copy()
        ufunc = np.add if reduce == "add" else np.multiply
        ufunc.at(out, _along(index, dim), _fit(src, index.shape) if np.ndim(src) else src)
        return out

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::scatter is not implemented")


@export("torch", "Tensor")
def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """A copy of ``input`` with ``src`` (a tensor, or a number ``value``) written along
    ``dim`` at the positions in ``index``: the inverse of ``gather``."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() received an invalid combination of arguments - got (int, "
                        "Tensor), but expected one of:\n * (int dim, Tensor index, Tensor src)\n"
                        " * (int dim, Tensor index, Tensor src, *, str reduce)\n * (int dim, "
                        "Tensor index, Number value)\n * (int dim, Tensor index, Number value, *, "
                        "str reduce)\n")
    dim, idx = _check_gather("scatter", input, dim, index, src)
    if isinstance(src, Tensor) and src._array.dtype != input._array.dtype:
        raise _errors.scatter_dtypes()
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if isinstance(src, Tensor):
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and "
                          "will be removed in a future PyTorch release. Use torch.scatter_reduce "
                          "instead for more reduction options.", UserWarning, stacklevel=2)
        return ScatterReduce.apply(input, src, dim, idx, reduce)
    if isinstance(src, Tensor):
        return Scatter.apply(input, src, dim, idx)
    return ScatterValue.apply(input, checked_scalar(src, input._array.dtype), dim, idx)


class ScatterAdd(Op):
    """out = x with src[i][j] added at out[index[i][j]][j] (for dim 0; repeats add up).
    dx = d(out); dsrc = d(out) gathered at the positions."""

    @staticmethod
    def forward(ctx, x, src, dim, index):
        ctx.dim, ctx.index = dim, index
        out = x.copy()
        np.add.at(out, _along(index, dim), _fit(src, index.shape))
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_src = None
        if ctx.needs_input_grad[1]:
            grad_src = read(grad, ((), _along(ctx.index, ctx.dim)))
        return grad, grad_src, None, None


@export("torch", "Tensor")
def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added along ``dim`` at the positions in ``index``."""
    dim, idx = _check_gather("scatter_add", input, dim, index, src)
    if src._array.dtype != input._array.dtype:
        raise _errors.scatter_dtypes()
    return ScatterAdd.apply(input, src, dim, idx)


# ---------------------------------------------------------------- masks


def _broadcast_pair(a, mask):
    return broadcast_shapes(mask.shape, a.shape)


class MaskedFill(Op):
    """out = x with ``value`` where ``mask`` is True (both broadcast).
    dx = d(out) with zeros where the mask is True; dvalue (a 0-d tensor) = their sum."""

    @staticmethod
    def forward(ctx, x, value, mask):
        shape = np.broadcast_shapes(x.shape, mask.shape)
        ctx.mask = np.broadcast_to(mask, shape)
        out = np.array(np.broadcast_to(x, shape), order="C")
        np.copyto(out, value, where=mask, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        mask = ctx.mask
        grad_x = zero_at(grad, ((), mask)) if needs[0] else None
        grad_value = dual.sum_to(read(grad, ((), mask)), ()) if needs[1] else None
        return grad_x, grad_value, None


class MaskedFillTensor(MaskedFill):
    """``masked_fill`` with a 0-d tensor value (which gets a gradient)."""

    node_name = "MaskedFillBackward1"


def _bool_mask(fn, mask):
    a = mask._array
    if a.dtype.kind != "b":
        raise RuntimeError("{} only supports boolean masks, but got mask with dtype {}".format(
            fn, C_NAMES.get(a.dtype.name, a.dtype.name)))
    return a


@export("torch", "Tensor")
def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` where ``mask`` (broadcast) is True."""
    m = _bool_mask("masked_fill_", mask)
    a = input._array
    if m.shape != a.shape:
        _broadcast_pair(a, m)
    value = _fill_value("masked_fill_", value, a.dtype)
    if isinstance(value, Tensor):
        return MaskedFillTensor.apply(input, value, m)
    if m.shape == a.shape and not (_grad_state().enabled and input._requires_grad
                                   or _op._transform is not None):
        return Tensor._make(np.where(m, a.dtype.type(value), a))      # the common case, short
    return MaskedFill.apply(input, value, m)


class MaskedSelect(Op):
    """out = the elements of x (broadcast with ``mask``) where ``mask`` is True, as a vector.
    dx = zeros with d(out) put back where the mask is True (summed to x's shape)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, mask):
        shape = np.broadcast_shapes(x.shape, mask.shape)
        ctx.shape, ctx.x_shape, ctx.mask = shape, x.shape, np.broadcast_to(mask, shape)
        return np.broadcast_to(x, shape)[ctx.mask]

    @staticmethod
    def backward(ctx, grad):
        return dual.sum_to(index_grad(grad, ctx.shape, ctx.mask), ctx.x_shape), None


@export("torch", "Tensor")
@accepts_out
def masked_select(input, mask):
    """The elements of ``input`` where the (broadcast) bool ``mask`` is True, as a vector."""
    if mask._array.dtype.kind != "b":
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    _broadcast_pair(input._array, mask._array)
    return MaskedSelect.apply(input, mask._array)


class MaskedScatter(Op):
    """out = x with the first elements of ``source``, in order, where ``mask`` is True.
    dx = d(out) with zeros where the mask is True; dsource = those entries of d(out), in
    order (zeros for the unused rest of source)."""

    @staticmethod
    def forward(ctx, x, source, mask):
        shape = np.broadcast_shapes(x.shape, mask.shape)
        mask = np.broadcast_to(mask, shape)
        ctx.mask, ctx.source_shape = mask, source.shape
        out = np.array(np.broadcast_to(x, shape), order="C")
        out[mask] = source.reshape(-1)[:int(np.count_nonzero(mask))]
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        mask = ctx.mask
        grad_x = zero_at(grad, ((), mask)) if needs[0] else None
        grad_source = None
        if needs[1]:
            n = int(np.prod(ctx.source_shape))
            picked = grad[mask]
            grad_source = index_grad(picked, (n,), slice(0, picked.shape[0])).reshape(
                ctx.source_shape)
        return grad_x, grad_source, None


@export("torch", "Tensor")
def masked_scatter(input, mask, source):
    """A copy of ``input`` with ``source``'s elements, in order, where ``mask`` is True."""
    m = _bool_mask("masked_scatter_", mask)
    _broadcast_pair(input._array, m)
    if np.count_nonzero(np.broadcast_to(m, np.broadcast_shapes(m.shape, input._array.shape))) \
            > source._array.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return MaskedScatter.apply(input, source, m)


# ---------------------------------------------------------------- take, nonzero


class Take(Op):
    """out = x's elements (counted row by row) at ``index``; out has index's shape.
    dx = zeros like x with d(out) added at those elements."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        return x.reshape(-1)[index]

    @staticmethod
    def backward(ctx, grad):
        n = int(np.prod(ctx.shape))
        return index_grad(grad, (n,), ctx.index).reshape(ctx.shape), None


@export("torch", "Tensor")
def take(input, index):
    """The elements of ``input`` (as if flattened) at ``index``."""
    a = index._array
    if a.dtype != np.int64:
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           + index.dtype.scalar_name)
    n = input._array.size
    bad = (a < -n) | (a >= n)
    if bad.any():
        raise IndexError("out of range: tried to access index {} on a tensor of {} elements."
                         .format(a.reshape(-1)[np.argmax(bad.reshape(-1))], n))
    return Take.apply(input, a)


@export("torch", "Tensor")
@accepts_out
def take_along_dim(input, indices, dim=None):
    """``gather`` with ``indices`` broadcast against ``input`` (all elements if dim is None)."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    x, idx = input._array, indices._array
    if x.ndim != idx.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same number "
                           "of dimensions, but got {} dimensions for input, and {} dimensions for "
                           "indices".format(x.ndim, idx.ndim))
    dim = wrap_dim(dim, x.ndim)
    shape_x = list(np.broadcast_shapes(x.shape[:dim] + (1,) + x.shape[dim + 1:],
                                       idx.shape[:dim] + (1,) + idx.shape[dim + 1:]))
    shape_i = list(shape_x)
    shape_x[dim], shape_i[dim] = x.shape[dim], idx.shape[dim]
    if tuple(shape_x) != x.shape:
        input = input.expand(shape_x)
    if tuple(shape_i) != idx.shape:
        indices = indices.expand(shape_i)
    return gather(input, dim, indices)


@export("torch", "Tensor")
def nonzero(input, *, out=None, as_tuple=False):
    """The indices of the non-zero elements: one row per element (an [n, ndim] int64 tensor),
    or with ``as_tuple`` one index vector per dimension."""
    a = input._array
    if as_tuple:                 # the columns of nonzero(), as views (torch's unbind)
        rows = Tensor._make(np.argwhere(a.reshape(-1) if a.ndim == 0 else a).astype(np.int64))
        return tuple(as_view(Tensor._make(rows._array[:, i]), rows)
                     for i in range(rows._array.shape[1]))
    if a.ndim == 0:
        return Tensor._make(np.zeros((1 if a.item() else 0, 0), dtype=np.int64))
    return Tensor._make(np.argwhere(a).astype(np.int64, copy=False))


@export("torch", "Tensor")
def argwhere(input):
    """The indices of the non-zero elements, one row each: ``nonzero(input)``."""
    return nonzero(input)


# ---------------------------------------------------------------- in place


def _inplace(fn):
    def method(self, *args, **kwargs):
        return update_inplace(self, lambda x: fn(x, *args, **kwargs), *args)
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = "In-place version of :func:`{}`.".format(fn.__name__)
    return method


scatter_ = export("Tensor")(_inplace(scatter))
scatter_add_ = export("Tensor")(_inplace(scatter_add))
index_add_ = export("Tensor")(_inplace(index_add))
index_copy_ = export("Tensor")(_inplace(index_copy))
index_fill_ = export("Tensor")(_inplace(index_fill))
masked_scatter_ = export("Tensor")(_inplace(masked_scatter))


@export("Tensor")
def masked_fill_(self, mask, value):
    """Writes ``value`` where ``mask`` (broadcast to this tensor's shape) is True."""
    m = _bool_mask("masked_fill_", mask)
    value = _fill_value("masked_fill_", value, self._array.dtype)
    if isinstance(value, Tensor) or _grad_state().enabled and self._requires_grad:
        return update_inplace(self, lambda x: masked_fill(x, mask, value), value)
    if _grad_state().enabled:
        check_leaf(self, self._base is not None)
    shape = np.broadcast_shapes(self._array.shape, m.shape)
    if shape != self._array.shape:
        raise _errors.broadcast_output(_fmt(self._array.shape), _fmt(shape))
    from ..core.inplace import fill_target
    np.copyto(fill_target(self), value, where=m, casting="unsafe")
    self._bump_version()
    return self
