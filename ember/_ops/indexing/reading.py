"""Indexing: ``x[i]``, ``x[1:3]``, ``x[mask]``, ``x[[0, 2]]``.

Reading ``x[index]`` follows torch's rules.  The parts of the index are applied from left to
right: an integer selects (``SelectBackward0``), a slice narrows (``SliceBackward0``), ``None``
inserts a dimension (``UnsqueezeBackward0``) -- each a view, sharing memory with ``x``.  Index
tensors, lists and boolean masks are applied last, all together, with NumPy's rules for
"advanced" indexing (``IndexBackward0``); their result is a copy.  (This differs from NumPy
in one way: ``x[0, :, [0, 1]]`` selects first, so the indexed dimension stays in place.)

The gradient of reading is the incoming gradient placed into zeros shaped like ``x``, at the
positions that were read (added up, where an index repeats).

The rest of the family: ``index_plan.py`` (how an index is taken apart and checked, for reading
and writing), ``writing.py`` (``x[i] = v``, ``index_put``, and the graph bookkeeping of every
in-place change), ``gathering.py`` (``gather``, ``scatter``, ``index_select``,
``masked_fill`` ...) and ``sorting.py`` (``sort``, ``topk`` ...).
"""
import numpy as np

from ...autograd import op as _op
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core.common import Tensor
from .plan import _INDEX_DTYPES, _simple, fresh, plan
from ..shape.views import as_view, plain_view
from ..shape.slicing import Alias, Select, Slice

__all__ = []


# ---------------------------------------------------------------- x[index]


class Index(Op):
    """out = x[index arrays] (a copy).
    dx = zeros like x, with d(out) added in at the indexed positions (repeats add up)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        return fresh(x[index])

    @staticmethod
    def backward(ctx, grad):
        return index_grad(grad, ctx.shape, ctx.index), None


class IndexGrad(Op):
    """out = zeros(shape) with g added at ``index`` (the gradient of indexing).
    Its own gradient reads the same positions back: d(out)[index]."""

    node_name = "IndexPutBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, g, shape, index):
        if ctx is not None:
            ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        _accumulate(out, index, g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None


def _accumulate(out, index, g):
    """``out[index] += g``, where repeated positions add up."""
    parts = index if type(index) is tuple else (index,)
    if all(type(p) is not np.ndarray or p.dtype.kind == "b" for p in parts):
        out[index] += g                 # no position can repeat: a plain write
    else:
        np.add.at(out, index, g)


def index_grad(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the gradient of ``x[index]``."""
    if not isinstance(grad, Tensor):
        return IndexGrad.forward(None, np.asanyarray(grad), shape, index)
    return IndexGrad.apply(grad, shape, index)


def getitem(self, index):
    """``self[index]``: torch's indexing rules (see the module docstring), with a gradient."""
    array = self._array
    # a function transform (forward AD, vmap) sees the ops: they take the recorded path
    record = _grad_state().enabled and self._requires_grad or _op._transform is not None
    if not record:
        if _simple(index):
            try:                    # ints and slices only: NumPy's own basic indexing
                return plain_view(array[index + (Ellipsis,)] if type(index) is tuple else
                                  array[index, ...], self)
            except IndexError:
                pass                # torch's message comes from the general path below
        elif isinstance(index, Tensor) and index._array.ndim and (
                index._array.dtype in _INDEX_DTYPES or index._array.dtype.kind == "b"):
            try:                    # one index tensor or mask: NumPy's advanced indexing
                return Tensor._make(array[index._array])
            except IndexError:
                pass
    elif _simple(index):
        steps = _simple_steps(array.shape, index)
        if steps is not None:
            out = self
            for op, args in steps:
                out = as_view(op.apply(out, *args), self)
            return out if steps else as_view(Alias.apply(self), self)
    elif isinstance(index, Tensor) and _in_bounds(index._array, array.shape):
        return Index.apply(self, (index._array,))
    steps, basic, adv = plan(array.shape, index, keep_full_slice=type(index) is slice)
    if record:
        out = self
        for op, args in steps:
            out = as_view(op.apply(out, *args), self)
        if adv is not None:
            return Index.apply(out, adv)
        return out if steps else as_view(Alias.apply(self), self)
    view = array[basic + (Ellipsis,)]
    if adv is not None:
        return Tensor._make(fresh(view[adv]))
    return plain_view(view, self)


def _simple_steps(shape, index):
    """``plan``'s view steps for a ``_simple`` index, quickly; None when an int is out of
    range (``plan`` then raises torch's error)."""
    parts = index if type(index) is tuple else (index,)
    if len(parts) > len(shape):
        return None
    steps = []
    dim = 0
    for real, part in enumerate(parts):
        size = shape[real]
        if type(part) is int:
            if not -size <= part < size:
                return None
            steps.append((Select, (dim, part + size if part < 0 else part)))
            continue
        start, stop, step = part.indices(size)
        if not (step == 1 and stop == size and (part.start is None or part.start == 0)
                and type(index) is tuple):
            steps.append((Slice, (dim, start, max(stop, start), step)))
        dim += 1
    return steps


def _in_bounds(a, shape):
    """Whether the tensor index ``a`` alone reads ``x[a]`` without error: int64/int32 indices
    in range, or a bool mask of the right shape."""
    if not a.ndim or not shape:
        return False
    if a.dtype.kind == "b":
        return a.shape == shape[:a.ndim]
    if a.dtype not in _INDEX_DTYPES:
        return False
    return not a.size or -shape[0] <= a.min() and a.max() < shape[0]


METHODS = ()

FUNCTIONAL = ()
