"""Sorting and searching: ``sort``, ``argsort``, ``topk``, ``unique``, ``searchsorted``.

Sorting is stable (equal values keep their order) and counts NaN as the largest value, as in
torch.  The gradient of sorted values (or of the top k) goes back to the places they came
from, recorded in the indices.
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, wrap_dim
from .gathering import _along, scatter
from .index_slices import _at_dim
from .plan import _fmt, fresh
from ..core.registry import export


def _stable_argsort(a, dim, descending):
    """Indices that sort ``a`` along ``dim``, equal elements keeping their order; NaN counts
    as the largest value, as in torch."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable")
    n = a.shape[dim]
    reverse = _at_dim(dim, slice(None, None, -1))
    return (n - 1) - np.argsort(a[reverse], axis=dim, kind="stable")[reverse]


class Sort(Op):
    """(values, indices) = x sorted along ``dim``.
    dx = zeros like x with d(values) put back at ``indices`` (where each value came from)."""

    @staticmethod
    def forward(ctx, x, dim, descending):
        if x.ndim == 0:
            indices = np.zeros((), dtype=np.int64)
            ctx.shape, ctx.dim, ctx.indices = (), 0, indices
            return x.copy(), indices
        indices = _stable_argsort(x, dim, descending)
        ctx.dim, ctx.indices, ctx.shape = dim, indices, x.shape
        return np.take_along_axis(x, indices, dim), fresh(indices)

    @staticmethod
    def backward(ctx, grad, grad_indices):
        return _put_along(grad, ctx.shape, ctx.dim, ctx.indices), None, None


def _put_along(grad, shape, dim, indices):
    """Zeros of ``shape`` with ``grad`` put back along ``dim`` at ``indices``."""
    if not indices.ndim:
        return grad
    if dual.is_array(grad):
        out = np.zeros(shape, dtype=grad.dtype)
        out[_along(indices, dim)] = grad
        return out
    return scatter(grad.new_zeros(shape), dim, Tensor._make(indices), grad)


class SortStable(Sort):
    """``sort`` called with ``stable=`` (torch's ``sort.stable`` overload)."""

    node_name = "SortBackward1"


def _check_real(input, what):
    """Complex numbers have no order: torch's error."""
    if input._array.dtype.kind == "c":
        raise RuntimeError(" {} does not support complex dtypes on CPU".format(what))


@export("torch", "Tensor")
def sort(input, dim=-1, descending=False, stable=None, *, out=None):
    """The values sorted along ``dim`` (ascending unless ``descending``) and the indices they
    came from: ``(values, indices)``.  Equal values always keep their order."""
    from ...return_types import sort as result
    _check_real(input, "Sort")
    dim = wrap_dim(dim, max(input._array.ndim, 1))
    op = Sort if stable is None else SortStable
    values, indices = op.apply(input, dim, bool(descending))
    return result(values, indices)


@export("torch", "Tensor")
def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``."""
    _check_real(input, "Sort")
    a = input._array
    if a.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    return Tensor._make(_stable_argsort(a, wrap_dim(dim, a.ndim), descending))


@export("torch", "Tensor")
def msort(input):
    """``input`` sorted along dimension 0."""
    return sort(input, 0).values


class Topk(Sort):
    """(values, indices) = the k largest (or smallest) entries of x along ``dim``.
    dx = zeros like x with d(values) put back at ``indices``."""

    @staticmethod
    def forward(ctx, x, k, dim, largest):
        if x.ndim == 0:
            return Sort.forward(ctx, x, 0, largest)
        order = _stable_argsort(x, dim, largest)
        indices = fresh(order[_at_dim(dim, slice(0, k))])
        ctx.dim, ctx.indices, ctx.shape = dim, indices, x.shape
        return np.take_along_axis(x, indices, dim), indices

    @staticmethod
    def backward(ctx, grad, grad_indices):
        return _put_along(grad, ctx.shape, ctx.dim, ctx.indices), None, None, None


@export("torch", "Tensor")
def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (``largest=False``: smallest) values along ``dim``, sorted, with their
    indices: ``(values, indices)``."""
    from ...return_types import topk as result
    _check_real(input, "topk")
    a = input._array
    dim = wrap_dim(dim, max(a.ndim, 1))
    size = a.shape[dim] if a.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    values, indices = Topk.apply(input, int(k), dim, bool(largest))
    return result(values, indices)


def check_flags(fname, **flags):
    """torch's TypeError for a flag of ``fname`` that is not a bool."""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError("{}(): argument '{}' must be bool, not {}".format(
                fname, name, type(value).__name__))


def dim_of_set(dim, ndim):
    """``dim`` wrapped, for the functions on distinct slices (which a 0-d tensor has none of)."""
    if ndim == 0:
        raise IndexError("Dimension specified as {} but tensor has no dimensions".format(dim))
    return wrap_dim(dim, ndim)


@export("torch", "Tensor")
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), optionally with the inverse indices (where each element's
    value sits in the result) and the counts.  With ``dim``, distinct slices.  Not
    differentiable."""
    a = input._array
    bool(return_inverse), bool(return_counts)   # torch's Python wrapper dispatches on them first
    check_flags("_unique2" if dim is None else "unique_dim", sorted=sorted,
                return_inverse=return_inverse, return_counts=return_counts)
    if dim is not None:
        dim = dim_of_set(dim, a.ndim)
    # equal_nan=False: as in torch, every NaN is a value of its own (NumPy merges them)
    values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=dim,
                                        equal_nan=False)
    if dim is None:
        inverse = inverse.reshape(a.shape)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64, copy=False).reshape(
            a.shape if dim is None else (a.shape[dim],))))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64, copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


@export("torch")
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """For each value, the index where it would be inserted into the sorted innermost
    dimension of ``sorted_sequence`` to keep it sorted (after equal values if ``right``)."""
    seq = sorted_sequence._array
    scalar = not isinstance(input, Tensor)
    values = np.asanyarray(input) if scalar else input._array
    side = side or ("right" if right else "left")
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._array, -1)
    if seq.ndim <= 1:
        result = np.searchsorted(seq, values, side=side)
    else:
        if seq.shape[:-1] != values.shape[:-1]:
            raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                               "the first N-1 dimensions of boundaries tensor and input value "
                               "tensor must match, but we got boundaries tensor {} and input "
                               "value tensor {}".format(_fmt(seq.shape), _fmt(values.shape)))
        rows = seq.reshape(-1, seq.shape[-1])
        vals = values.reshape(-1, values.shape[-1])
        result = np.stack([np.searchsorted(r, v, side=side) for r, v in zip(rows, vals)])
        result = result.reshape(values.shape)
    return Tensor._make(np.asanyarray(result, dtype=np.int32 if out_int32 else np.int64))


@export("torch")
def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """For each value, the index of its bucket among the sorted 1-d ``boundaries``."""
    if boundaries._array.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim({})".format(
            boundaries._array.ndim))
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


