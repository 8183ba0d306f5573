"""Shapes brought together: broadcasting (``broadcast_to``, ``broadcast_tensors``,
``broadcast_shapes``), grids and combinations of elements (``meshgrid``, ``cartesian_prod``,
``combinations``), matrices placed on a diagonal (``block_diag``), quarter turns (``rot90``)
and repeated elements (``repeat_interleave``).

Each is built from views and copies that record their own gradients (``expand``, ``flip``,
``transpose``, ``index_select``, ``cat``), so the gradient of each is the sum, over the places an
input element went to, of the output gradient there."""
import itertools

import numpy as np

from ... import _errors
from ..core.common import Tensor, broadcast_shapes as _broadcast
from ..core.registry import export
from .joining import cat, stack


@export("torch", "Tensor")
def broadcast_to(input, size):
    """A view of ``input`` expanded to ``size`` (``expand``; gradient: summed back)."""
    return input.expand(size)


@export("torch")
def broadcast_shapes(*shapes):
    """The shape that ``shapes`` broadcast to, as a ``Size``."""
    from ..._size import Size
    result = []
    for k, s in enumerate(shapes):
        s = (s,) if isinstance(s, int) else tuple(s)
        for n in s:
            if n < 0:
                raise _errors.negative_dimension(n, list(s))
        result[:0] = [1] * (len(s) - len(result))
        for j in range(1, len(s) + 1):
            n, current = s[-j], result[-j]
            if current == 1:
                result[-j] = n
            elif n != 1 and n != current:
                raise RuntimeError("Attempting to broadcast a dimension of length {} at -{}! "
                                   "Mismatching argument at index {} had {}; but expected shape "
                                   "should be broadcastable to {}".format(n, j, k, s, result))
    return Size(result)


@export("torch")
def broadcast_tensors(*tensors):
    """Views of ``tensors`` all expanded to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _broadcast(*(t._array.shape for t in tensors))
    return tuple(t.expand(*shape) for t in tensors)


@export("torch")
def meshgrid(*tensors, indexing=None):
    """Coordinate grids: output ``i`` repeats ``tensors[i]`` along every other dimension
    (``indexing='ij'``, the default; ``'xy'`` lays the first two inputs out the other way
    round, x along columns).  Expanded views: the gradient of each input is summed back."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           "received: " + str(indexing))
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t._array.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               "got: " + repr(t))
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = indexing == "xy" and len(tensors) >= 2
    order = list(tensors)
    if swap:
        order[0], order[1] = order[1], order[0]
    sizes = [t.numel() for t in order]
    grids = []
    for i, t in enumerate(order):
        shape = [1] * len(order)
        shape[i] = sizes[i]
        grids.append(t.reshape(shape).expand(*sizes))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


@export("torch")
def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, one per row (a 1-D tensor for a
    single input), in lexicographic order."""
    for t in tensors:
        if t._array.ndim != 1:
            raise RuntimeError("Expect a 1D vector, but got shape {}".format(list(t.shape)))
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)


@export("torch")
def combinations(input, r=2, with_replacement=False):
    """The ``r``-element combinations of the elements of a 1-D tensor, one per row, in the order
    of ``itertools.combinations`` (``with_replacement``: ``combinations_with_replacement``)."""
    if input._array.ndim != 1:
        raise RuntimeError("Expect a 1D vector, but got shape {}".format(list(input.shape)))
    if r < 0:
        raise RuntimeError("Expect a non-negative number, but got {}".format(r))
    if r == 0:
        return Tensor._make(np.empty(0, input._array.dtype))
    choose = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    rows = list(choose(range(input._array.shape[0]), r))
    index = Tensor._make(np.array(rows, dtype=np.int64).reshape(-1))
    return input.index_select(0, index).reshape(len(rows), r)


@export("torch")
def block_diag(*tensors):
    """The tensors (scalars, vectors as rows, matrices) placed along the diagonal of a zero
    matrix; the gradient of each is its block of the output gradient."""
    blocks = []
    for i, t in enumerate(tensors):
        if t._array.ndim > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer "
                               "dimensions. Input {} has {} dimensions".format(i, t.ndim))
        blocks.append(t.reshape(1, -1) if t._array.ndim < 2 else t)
    if not blocks:
        return Tensor._make(np.empty((1, 0), np.float32))
    from ... import _dtype
    dtype = _dtype.result_type(*blocks) if len(blocks) > 1 else blocks[0].dtype
    cols = sum(b._array.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        n, m = b._array.shape
        pieces = [b.to(dtype)]
        if left:
            pieces.insert(0, Tensor._make(np.zeros((n, left), dtype.numpy)))
        if cols - left - m:
            pieces.append(Tensor._make(np.zeros((n, cols - left - m), dtype.numpy)))
        rows.append(cat(pieces, 1) if len(pieces) > 1 else pieces[0])
        left += m
    return cat(rows, 0)


@export("torch", "Tensor")
def rot90(input, k=1, dims=(0, 1)):
    """``input`` turned by ``k`` quarter turns in the plane of ``dims`` (from the first axis
    towards the second): flips and a transpose, whose gradients turn the gradient back."""
    dims = list(dims)
    ndim = input._array.ndim
    if len(dims) != 2:
        raise RuntimeError("expected total rotation dims == 2, but got dims = {}".format(
            len(dims)))
    if ndim < 2:
        raise RuntimeError("expected total dims >= 2, but got total dims = {}".format(ndim))
    if dims[0] == dims[1] or abs(dims[0] - dims[1]) == ndim:
        raise RuntimeError("expected rotation dims to be different, but got dim0 = {} and dim1 "
                           "= {}".format(dims[0], dims[1]))
    if not (-ndim <= dims[0] < ndim and -ndim <= dims[1] < ndim):
        raise RuntimeError("Rotation dim0 out of range, dim0 = {}".format(dims[0])
                           if not -ndim <= dims[0] < ndim else
                           "Rotation dim1 out of range, dim1 = {}".format(dims[1]))
    k %= 4
    if k == 1:
        return input.flip(dims[1]).transpose(dims[0], dims[1])
    if k == 2:
        return input.flip(*dims)
    if k == 3:
        return input.flip(dims[0]).transpose(dims[0], dims[1])
    return input.clone()


@export("torch", "Tensor")
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along ``dim``) repeated ``repeats`` times in place
    (``[1, 2] -> [1, 1, 2, 2]``); an ``index_select``, whose gradient adds up the copies.
    ``repeat_interleave(counts)`` alone gives ``[0] * counts[0] + [1] * counts[1] ...``."""
    if repeats is None:
        counts = input
        if counts._array.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if counts._array.dtype.kind not in "iu":
            raise NotImplementedError("\"repeat_interleave_cpu\" not implemented for '{}'"
                                      .format(counts.dtype.scalar_name))
        return Tensor._make(np.repeat(np.arange(counts._array.size), counts._array))
    if dim is None:
        input = input.flatten()
        dim = 0
    dim = dim + input._array.ndim if dim < 0 else dim
    n = input._array.shape[dim]
    if isinstance(repeats, Tensor):
        if repeats._array.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        r = repeats._array.reshape(-1)
        if r.size == 1:
            r = np.full(n, r[0])
        elif r.size != n:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               "repeats.size(0) = {} and input.size({}) = {}".format(
                                   r.size, dim, n))
    else:
        r = np.full(n, repeats)
    if (r < 0).any():
        raise RuntimeError("Repeats must be non-negative")
    index = Tensor._make(np.repeat(np.arange(n), r))
    return input.index_select(dim, index)
