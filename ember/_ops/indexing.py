"""Indexing: ``x[i]``, ``x[1:3]``, ``x[mask]``, ``x[[0, 2]]`` and ``x[i] = v``.

Reading follows NumPy's rules (which torch shares): integers and slices give views, index
tensors and masks give copies.  The gradient of reading ``x[index]`` is a tensor of zeros shaped
like ``x`` with the incoming gradient placed (added, for repeated indices) at ``index``.

Writing ``x[index] = v`` changes ``x`` in place.  When that must be recorded, ``x`` takes a new
graph node, ``CopySlices``: its gradient passes through unchanged except at ``index``, where it
goes to ``v`` instead.
"""
import numpy as np

from ..autograd.function import Op
from ..autograd.grad_mode import state as _grad_state
from . import dual
from .common import Tensor
from .inplace import check_inplace, write_result
from .shape import as_view

__all__ = []


def _convert_part(part):
    if isinstance(part, Tensor):
        a = part._array
        if a.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return a
    if isinstance(part, (list, tuple)) and any(isinstance(p, Tensor) for p in part):
        return np.asarray([_convert_part(p) for p in part])
    if isinstance(part, slice):
        if any(isinstance(v, Tensor) for v in (part.start, part.stop, part.step)):
            return slice(*(int(v) if isinstance(v, Tensor) else v
                           for v in (part.start, part.stop, part.step)))
        if part.step is not None and part.step <= 0:
            raise ValueError("step must be greater than zero")
    if isinstance(part, list):
        return np.asarray(part)
    return part


def to_numpy_index(index):
    """An index for NumPy: tensors become arrays; everything else stays."""
    if isinstance(index, tuple):
        return tuple(_convert_part(p) for p in index)
    return _convert_part(index)


def _is_basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
               and not isinstance(p, bool) for p in parts)


def _torch_index_error(error, array):
    text = str(error)
    if "out of bounds" in text:
        return IndexError(text.replace("axis", "dimension"))
    if "boolean index did not match" in text:
        return IndexError(text)
    return IndexError(text)


class _IndexOp(Op):
    """out = x[index].   dx = zeros like x, with d(out) added in at ``index``."""

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        try:
            return x[index]
        except IndexError as e:
            raise _torch_index_error(e, x) from None

    @staticmethod
    def backward(ctx, grad):
        return index_grad(grad, ctx.shape, ctx.index), None


class Select(_IndexOp):
    pass


class Slice(_IndexOp):
    pass


class Unsqueeze(_IndexOp):
    pass


class Index(_IndexOp):
    pass


class IndexGrad(Op):
    """out = zeros(shape) with g added at ``index`` (the gradient of indexing).
    Its own gradient reads the same positions back: d(out)[index]."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, g, shape, index):
        if ctx is not None:
            ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if _is_basic(index):
            out[index] = g
        else:
            np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None


def index_grad(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the gradient of ``x[index]``."""
    if not isinstance(grad, Tensor):
        return IndexGrad.forward(None, np.asarray(grad), shape, index)
    return IndexGrad.apply(grad, shape, index)


def _op_for(index):
    if not _is_basic(index):
        return Index
    parts = index if isinstance(index, tuple) else (index,)
    last = [p for p in parts if p is not Ellipsis]
    if not last:
        return Slice
    p = last[-1]
    if p is None:
        return Unsqueeze
    return Select if isinstance(p, (int, np.integer)) else Slice


def getitem(self, index):
    """``self[index]``: NumPy's indexing rules, with a gradient."""
    if isinstance(index, Tensor) and index._array.dtype.kind == "b" and index._array.ndim == 0:
        index = bool(index)
    np_index = to_numpy_index(index)
    op = _op_for(np_index)
    result = op.apply(self, np_index)
    if op is not Index:
        as_view(result, self)
    return result


class CopySlices(Op):
    """out = x with ``out[index] = v``.   dx = d(out) with zeros at ``index``;
    dv = d(out)[index], summed to v's shape."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, v, index):
        ctx.index = index
        ctx.value_shape = np.shape(v)
        out = x.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        grad_x = grad_v = None
        if needs[0]:
            grad_x = dual.clone(grad)
            grad_x[ctx.index] = 0
        if needs[1]:
            grad_v = grad[ctx.index]
            if tuple(grad_v.shape) != ctx.value_shape:
                grad_v = dual.sum_to(grad_v, ctx.value_shape)
        return grad_x, grad_v, None


def setitem(self, index, value):
    """``self[index] = value``: writes into the memory (recorded as CopySlices if needed)."""
    check_inplace(self, view_message=True)
    np_index = to_numpy_index(index)
    record = _grad_state.enabled and (self._requires_grad or
                                      isinstance(value, Tensor) and value._requires_grad)
    if not self._array.flags.writeable:
        from .inplace import _SHARED_MEMORY
        raise RuntimeError(_SHARED_MEMORY)
    if record:
        old = Tensor._make(self._array.copy())
        old._requires_grad, old.grad_fn, old._output_nr = (self._requires_grad, self.grad_fn,
                                                           self._output_nr)
        if not isinstance(value, Tensor):
            value = Tensor._make(np.asarray(value, dtype=self._array.dtype))
        result = CopySlices.apply(old, value, np_index)
        write_result(self, result)
        self.grad_fn, self._requires_grad, self._output_nr = result.grad_fn, True, 0
    else:
        v = value._array if isinstance(value, Tensor) else value
        try:
            self._array[np_index] = v
        except IndexError as e:
            raise _torch_index_error(e, self._array) from None
        except ValueError:
            target = np.shape(self._array[np_index])
            raise RuntimeError("shape mismatch: value tensor of shape {} cannot be broadcast to "
                               "indexing result of shape {}".format(list(np.shape(v)),
                                                                    list(target))) from None
    self._bump_version()


METHODS = ()

FUNCTIONAL = ()
