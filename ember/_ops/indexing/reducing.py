"""Scattering with a reduction: ``scatter_reduce`` (values of ``src`` combined into ``input``
along ``dim`` at the positions in ``index`` by ``sum``, ``prod``, ``mean``, ``amax`` or
``amin``) and ``index_reduce`` (whole slices combined the same way).

Gradients, with ``pos`` the position each ``src`` element goes to:

* sum:  d input = d out (0 where ``include_self=False`` overwrote it), d src = d out[pos];
* mean: the same divided by the number of values averaged at each position;
* prod: d input = d out * (the product of the values scattered there), d src = d out[pos] *
  (the product of everything else at pos);
* amax/amin: d out is shared evenly among the values equal to the result (ties), as in torch.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..core.registry import export
from ..core.inplace import twin
from .gathering import _along, _check_gather, _fit
from .plan import read

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")
_OLD_NAMES = {"max": "amax", "min": "amin"}        # accepted by torch too
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
           "amin": np.minimum}


class ScatterReduceOp(Op):
    """out = input with ``src`` combined in at ``index`` along ``dim`` (see the module)."""

    node_name = "ScatterReduceBackward0"

    @staticmethod
    def forward(ctx, x, src, dim, index, reduce, include_self):
        at = _along(index, dim)
        src = _fit(src, index.shape)
        hit = np.zeros(x.shape, bool)
        hit[at] = True
        count = np.zeros(x.shape, np.int64)
        np.add.at(count, at, 1)
        ufunc = _UFUNCS[reduce]
        out = x.copy()
        if not include_self:
            identity = {"sum": 0, "mean": 0, "prod": 1}.get(reduce)
            if identity is None:
                first = np.zeros_like(x)
                first[at] = src          # any one of the values scattered there starts it
                out[hit] = first[hit]
            else:
                out[hit] = identity
        ufunc.at(out, at, src)
        kept = np.ones(x.shape, x.dtype) if include_self else (~hit).astype(x.dtype)
        if reduce == "mean":
            n = count + (1 if include_self else 0)
            n = np.maximum(n, 1)
            out = np.where(hit, out / n if x.dtype.kind == "f" else out // n, out).astype(
                x.dtype)
            ctx.scale = 1 / n.astype(x.dtype) if x.dtype.kind == "f" else None
        ctx.arrays = (x, src, out, at, kept, hit)
        ctx.reduce = reduce
        return out

    @staticmethod
    def backward(ctx, grad):
        x, src, out, at, kept, hit = ctx.arrays
        reduce = ctx.reduce
        if reduce == "sum":
            return grad * kept, read(grad, ((), at)), None, None, None, None
        if reduce == "mean":
            g = grad * ctx.scale
            return g * kept, read(g, ((), at)), None, None, None, None
        if reduce == "prod":
            others = np.ones_like(x)
            np.multiply.at(others, at, src)
            with np.errstate(divide="ignore", invalid="ignore"):
                rest = out[at] / src
            for j in zip(*np.nonzero(src == 0)):          # the product without that zero
                rest[j] = _product_without(x, src, at, j, kept)
            return grad * (others * kept), read(grad, ((), at)) * rest, None, None, None, None
        self_tie = (x == out) & (kept == 1)
        src_tie = src == out[at]
        ties = self_tie.astype(x.dtype)
        np.add.at(ties, at, src_tie.astype(x.dtype))
        share = 1 / np.maximum(ties, 1)
        g = grad * share
        return (g * self_tie.astype(x.dtype), read(g, ((), at)) * src_tie.astype(x.dtype),
                None, None, None, None)


def _product_without(x, src, at, j, kept):
    """The product of everything combined at ``src[j]``'s position except ``src[j]`` itself."""
    pos = tuple(a[j] if isinstance(a, np.ndarray) and a.shape == src.shape else
                np.broadcast_to(a, src.shape)[j] for a in at)
    same = np.ones(src.shape, bool)
    for a, p in zip(at, pos):
        same &= np.broadcast_to(a, src.shape) == p
    same[j] = False
    value = src[same].prod()
    return value * x[pos] if kept[pos] else value


def _check_reduce(fn, input, src, reduce):
    if reduce not in _REDUCTIONS:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           + str(reduce))
    if src._array.dtype != input._array.dtype:
        raise RuntimeError("{}(): Expected self.dtype to be equal to src.dtype".format(fn))


@export("torch", "Tensor", inplace=twin())
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """A copy of ``input`` with the values of ``src`` combined in along ``dim`` at the positions
    in ``index`` by ``reduce`` (with ``include_self=False`` input's own values there are left
    out of the reduction)."""
    reduce = _OLD_NAMES.get(reduce, reduce)
    _check_reduce("scatter_reduce", input, src, reduce)
    dim, idx = _check_gather("scatter_reduce", input, dim, index, src)
    return ScatterReduceOp.apply(input, src, dim, idx, reduce, include_self)


class IndexReduceOp(ScatterReduceOp):
    """out = input with slices of ``source`` combined in at ``index`` along ``dim``."""

    node_name = "IndexReduceBackward0"


@export("torch", "Tensor", inplace=twin())
def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """A copy of ``input`` where slice ``index[i]`` along ``dim`` is combined with slice ``i``
    of ``source`` by ``reduce`` (prod, mean, amax or amin)."""
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           "amin but got {}.".format(reduce))
    ndim = input._array.ndim
    dim = dim + max(ndim, 1) if dim < 0 else dim
    idx = index._array
    if idx.ndim > 1:
        raise RuntimeError("index_reduce_(): Index is supposed to be a vector")
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_reduce_(): Expected dtype int32/int64 for index but got: " +
                           index.dtype.scalar_name)
    if source._array.dtype != input._array.dtype:
        raise RuntimeError("index_reduce_(): self ({}) and source ({}) must have the same scalar "
                           "type".format(input.dtype.scalar_name, source.dtype.scalar_name))
    size = input._array.shape[dim] if ndim else 1
    if idx.size and (idx.min() < -size or idx.max() >= size):
        raise _errors.index_out_of_range_in_self()
    shape = [1] * source._array.ndim
    if source._array.ndim:
        shape[dim] = -1
    full = np.broadcast_to(np.where(idx < 0, idx + size, idx).reshape(shape),
                           source._array.shape).astype(np.int64)
    if ndim:
        other = [d for d in range(ndim) if d != dim]
        for d in other:
            if source._array.shape[d] != input._array.shape[d]:
                raise RuntimeError("index_reduce_(): Source/destination tensor must have same "
                                   "slice shapes. Destination slice shape: {} at dimension {} "
                                   "and source slice shape: {} at dimension 0.".format(
                                       input._array.shape[d], d, source._array.shape[d]))
    return IndexReduceOp.apply(input, source, dim, np.ascontiguousarray(full), reduce,
                               include_self)
