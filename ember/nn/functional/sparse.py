"""Embedding lookups: embedding, embedding_bag and one_hot.

An embedding is a table ``weight`` of shape (num_embeddings, embedding_dim) whose rows are
looked up by integer indices: ``embedding(indices, weight) = weight[indices]``.  Its gradient is
that of indexing: zeros shaped like the table, with each output row's gradient added into the
row it came from (rows looked up twice get both contributions).

``embedding_bag`` looks up "bags" of indices and reduces each bag to one row (sum, mean or max)
without building the intermediate (bags, length, dim) tensor.

ember has no sparse tensors, so ``sparse=True`` (a sparse gradient for the table) is refused.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor
from ..._ops.core.registry import export
from .loss import check_tensor


_NO_SPARSE = ("ember has no sparse tensors, so sparse=True (a sparse gradient for the embedding "
              "table) is not supported; use sparse=False, which gives the same values as a "
              "dense gradient")


def _check_indices(indices, fn):
    dtype = indices._array.dtype
    if dtype != np.int64 and dtype != np.int32:
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got {} instead (while "
                           "checking arguments for {})".format(indices.type(), fn))


def padding_index(padding_idx, num_embeddings, message):
    """A negative padding index counts from the end, as in Python."""
    if padding_idx is None:
        return None
    if padding_idx >= num_embeddings or padding_idx < -num_embeddings:
        raise AssertionError(message)
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def _renorm_rows(weight, indices, max_norm, norm_type):
    """Rescales, in place, the looked-up rows whose p-norm exceeds ``max_norm`` down to it
    (outside autograd, as torch's ``embedding_renorm_``, which always counts as a change)."""
    table = weight._array
    rows = np.unique(indices)
    if rows.size and (rows[0] < 0 or rows[-1] >= table.shape[0]):
        raise _errors.index_out_of_range_in_self()
    values = table[rows]
    if norm_type == 2:
        norms = np.sqrt(np.add.reduce(values * values, axis=1))
    elif norm_type == np.inf:
        norms = np.abs(values).max(axis=1, initial=0)
    else:
        norms = np.add.reduce(np.abs(values) ** norm_type, axis=1) ** (1.0 / norm_type)
    big = norms.astype(np.float64) > max_norm
    scale = max_norm / (norms[big].astype(np.float64) + 1e-7)
    table[rows[big]] = values[big] * scale.astype(table.dtype)[:, None]
    weight._bump_version()


def _scatter_rows(g, shape, rows):
    """The gradient of looking rows up in a table of ``shape``: zeros, with ``g[..., j]`` added
    at ``[rows[...], j]`` (``rows`` broadcasts against ``g``: one row per vector of ``g``, or
    one per element).  Rows looked up several times collect every contribution.

    For arrays it is one ``np.add.at`` over flat positions, several times faster than adding
    whole rows at once."""
    width = shape[1]
    if dual.is_array(g):
        out = np.zeros(shape, dtype=g.dtype)
        positions = rows * width + np.arange(width)
        np.add.at(out.reshape(-1), positions.reshape(-1), g.reshape(-1))
        return out
    rows, columns = np.broadcast_arrays(rows, np.arange(width))
    return dual.index_grad(g, shape, (rows, columns))


# ---------------------------------------------------------------- embedding


class Embedding(Op):
    """out = weight[indices].  dL/dweight: zeros with each row of the incoming gradient added at
    its index -- except at ``padding_idx``, which gets none; with ``scale_grad_by_freq`` each row
    is first divided by how often its index occurs in ``indices``."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.shape, ctx.dtype, ctx.indices = weight.shape, weight.dtype, indices
        ctx.padding_idx, ctx.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad):
        flat = ctx.indices.reshape(-1)
        g = grad.reshape((flat.size, ctx.shape[1]))
        scale = None
        if ctx.scale_grad_by_freq:
            scale = 1.0 / np.bincount(flat, minlength=ctx.shape[0])[flat]
        if ctx.padding_idx is not None:
            keep = flat != ctx.padding_idx
            scale = keep if scale is None else scale * keep
        if scale is not None:
            g = g * scale.astype(ctx.dtype)[:, None]
        return _scatter_rows(g, ctx.shape, flat[:, None]), None, None, None


@export("F")
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Looks up the rows of the table ``weight`` at the integer ``input`` indices: an output of
    shape ``input.shape + (embedding_dim,)``.

    ``padding_idx``: that row gets no gradient.  ``max_norm``: looked-up rows whose
    ``norm_type``-norm exceeds it are rescaled to it first, changing ``weight`` in place.
    ``scale_grad_by_freq``: gradients divided by each index's frequency in ``input``."""
    check_tensor(weight, "weight", 1, "embedding")   # (torch.embedding(weight, input))
    table = weight._array
    padding_idx = padding_index(padding_idx, table.shape[0],
                                "Padding_idx must be within num_embeddings")
    _check_indices(input, "embedding")
    if table.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if sparse:
        raise NotImplementedError(_NO_SPARSE)
    indices = input._array
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    if indices.size and (indices.min() < 0 or indices.max() >= table.shape[0]):
        raise _errors.index_out_of_range_in_self()
    return Embedding.apply(weight, indices, padding_idx, scale_grad_by_freq)


# ---------------------------------------------------------------- embedding_bag


def _bags(offsets, length, include_last_offset):
    """Where each bag starts, and the bag of each index position (-1: in no bag)."""
    if offsets.size and offsets[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           "has to start from position 0. However, got {}\n[ torch.LongTensor{{}} "
                           "]".format(offsets[0]))
    if offsets.size and offsets[-1] > length:
        raise RuntimeError("offsets[-1] can not be greater than input's length {} but got "
                           "offsets[-1] of {}".format(length, offsets[-1]))
    if np.any(np.diff(offsets) < 0):
        raise RuntimeError(_INDEX_SIZE)
    # The last bag runs to the end of the input (even past a smaller last offset, as in torch).
    starts = offsets[:-1] if include_last_offset else offsets
    ends = np.append(starts[1:], length)
    bag_of = np.full(length, -1, dtype=np.int64)
    if starts.size:
        bag_of[:ends[-1]] = np.repeat(np.arange(starts.size), ends - starts)
    return starts, bag_of


_INDEX_SIZE = ("Expected i < index_size to be true, but got false.  (Could this error message be "
               "improved?  If so, please report an enhancement request to PyTorch.)")


class EmbeddingBag(Op):
    """Each bag (a run of indices) reduced to one row: the (weighted) sum, the mean or the
    elementwise max of the looked-up rows.  Indices equal to ``padding_idx`` are left out of
    their bags; an empty bag gives zeros.

    sum / mean: out[b] = sum_k w_k * weight[idx_k] over the bag's positions k, with
    w_k = per_sample_weights[k] (sum) or 1 / (bag size) (mean).  So dL/dweight[idx_k] +=
    w_k * dL/dout[b] and dL/dper_sample_weights[k] = dL/dout[b] . weight[idx_k].
    max: each output element is one element of one row; its gradient goes back there only."""

    @staticmethod
    def forward(ctx, weight, per_sample_weights, indices, bag_of, starts, mode, padding_idx,
                scale_grad_by_freq):
        used = bag_of >= 0
        if padding_idx is not None:
            used &= indices != padding_idx
        kept = np.flatnonzero(used)              # the positions that count
        bags, bag = starts.size, bag_of[kept]
        sizes = np.bincount(bag, minlength=bags)
        rows = weight[indices[kept]]
        ctx.save_for_backward(weight, per_sample_weights)
        ctx.shape, ctx.mode = weight.shape, mode
        if mode == "max":
            return _bag_max(ctx, rows, indices[kept], bag, kept - starts[bag], bags, sizes > 0)
        scale = (1.0 / sizes[bag] if mode == "mean" else np.ones(kept.size)).astype(weight.dtype)
        ctx.kept, ctx.bag, ctx.length, ctx.scale = kept, bag, indices.size, scale
        ctx.rows = indices[kept]
        if scale_grad_by_freq:
            ctx.scale = scale / np.bincount(indices, minlength=weight.shape[0])[ctx.rows]
        if per_sample_weights is not None:
            scale = scale * per_sample_weights[kept]
        return _scatter_rows(rows * scale[:, None], (bags, weight.shape[1]), bag[:, None])

    @staticmethod
    def backward(ctx, grad):
        weight, per_sample_weights = ctx.saved_tensors
        if ctx.mode == "max":
            return _scatter_rows(grad * ctx.filled, ctx.shape, ctx.source), None
        spread = grad[ctx.bag]                   # each counted position gets its bag's gradient
        grad_w = grad_psw = None
        if ctx.needs_input_grad[0]:
            scale = ctx.scale
            if per_sample_weights is not None:
                scale = scale * per_sample_weights[ctx.kept]
            grad_w = _scatter_rows(spread * scale[:, None], ctx.shape, ctx.rows[:, None])
        if ctx.needs_input_grad[1]:
            kept = ctx.kept
            products = dual.sum_to(spread * weight[ctx.rows], (kept.size, 1)).reshape(kept.size)
            grad_psw = dual.index_grad(products, (ctx.length,), kept)
        return grad_w, grad_psw


def _bag_max(ctx, rows, indices, bag, position, bags, filled_bags):
    """The max mode's forward: the bags' rows laid out as a (bags, longest, dim) block padded
    with -inf, whose maximum over the middle axis is taken.  Remembers which table row each
    maximum came from (the first one, on ties)."""
    dim = rows.shape[1]
    longest = int(position.max()) + 1 if position.size else 1
    block = np.full((bags, longest, dim), -np.inf, dtype=rows.dtype)
    block[bag, position] = rows
    best = block.argmax(axis=1)
    filled = np.broadcast_to(filled_bags[:, None], (bags, dim))
    out = np.where(filled, np.take_along_axis(block, best[:, None, :], axis=1)[:, 0], 0)
    # where[b, p] = which of the counted positions sits at position p of bag b
    where = np.zeros((bags, longest), dtype=np.int64)
    where[bag, position] = np.arange(bag.size)
    ctx.source = indices[where[np.arange(bags)[:, None], best]] if indices.size else best
    ctx.filled = filled.astype(rows.dtype)
    return out.astype(rows.dtype)


@export("F")
def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Sums, averages or takes the max of bags of embedding rows, without building the
    individual lookups.

    ``input`` is either 2-d (one bag per row, all the same length) or 1-d with ``offsets``, the
    starting position of each bag in it (with ``include_last_offset`` a final entry marks where
    the last bag ends).  ``per_sample_weights`` (mode 'sum' only) weights each index."""
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError("embedding_bag: If per_sample_weights ({}) is not None, then it must "
                         "have the same shape as the input ({})".format(
                             per_sample_weights.shape, input.shape))
    if weight._array.ndim != 2:
        raise ValueError("weight has to be a 2D Tensor, but got Tensor of dimension "
                         "{}".format(weight._array.ndim))
    indices = input._array
    if indices.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is "
                             "a mini-batch of fixed length sequences. However, found offsets of "
                             "type {}".format(type(offsets)))
        offset_array = np.arange(indices.shape[0], dtype=np.int64) * indices.shape[1]
        include_last_offset = False
        indices = indices.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif indices.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets._array.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        _check_indices(offsets, "embedding_bag")
        offset_array = offsets._array.astype(np.int64)
    else:
        raise ValueError("input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         "{}".format(indices.ndim))
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. "
                                  "per_sample_weights is only supported for mode='sum' (got "
                                  "mode='{}'). Please open a feature request on GitHub.".format(
                                      mode))
    if sparse:
        raise NotImplementedError(_NO_SPARSE)
    _check_indices(input, "embedding_bag")
    starts, bag_of = _bags(offset_array, indices.size, include_last_offset)
    if indices.size and (indices.min() < 0 or indices.max() >= weight._array.shape[0]):
        raise RuntimeError(_INDEX_SIZE)
    padding_idx = padding_index(padding_idx, weight._array.shape[0],
                                "padding_idx must be within num_embeddings")
    return EmbeddingBag.apply(weight, per_sample_weights, indices.astype(np.int64), bag_of,
                              starts, mode, padding_idx, scale_grad_by_freq)


# ---------------------------------------------------------------- one_hot


@export("F")
def one_hot(tensor, num_classes=-1):
    """Class indices to one-hot rows: an int64 tensor of shape ``tensor.shape + (num_classes,)``
    with a 1 at each index.  ``num_classes=-1`` takes the largest index + 1."""
    labels = tensor._array
    if labels.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if labels.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(labels.max()) + 1
    if labels.size:
        if labels.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if labels.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = (labels[..., None] == np.arange(num_classes)).astype(np.int64)
    return Tensor._make(out)
