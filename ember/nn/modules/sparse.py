"""Embedding layers: ``Embedding`` (a lookup table of learned vectors, e.g. word embeddings) and
``EmbeddingBag`` (sums, means or maxima of bags of such vectors)."""
from ... import _errors
from ..._ops.creation.filling import empty
from ..functional.sparse import padding_index
from ...autograd.grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding", "EmbeddingBag"]


def _table(module, num_embeddings, embedding_dim, _weight, requires_grad, device, dtype):
    """The ``weight`` table: N(0, 1) with the padding row zeroed, or ``_weight`` as given."""
    if _weight is None:
        module.weight = Parameter(empty((num_embeddings, embedding_dim), device=device,
                                        dtype=dtype), requires_grad=requires_grad)
        module.reset_parameters()
    else:
        if list(_weight.shape) != [num_embeddings, embedding_dim]:
            raise AssertionError("Shape of weight does not match num_embeddings and "
                                 "embedding_dim")
        module.weight = Parameter(_weight, requires_grad=requires_grad)


class _EmbeddingBase(Module):
    def reset_parameters(self):
        """Draws the table from N(0, 1) and zeroes the padding row."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self):
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)


class Embedding(_EmbeddingBase):
    r"""A table of ``num_embeddings`` learned vectors of size ``embedding_dim``, looked up by
    index: ``Embedding(10, 3)(torch.tensor([[1, 2], [4, 5]]))`` has shape (2, 2, 3).

    Args:
        num_embeddings: the size of the vocabulary (the number of rows)
        embedding_dim: the size of each vector
        padding_idx: a row that stays zero and gets no gradient (for padding tokens)
        max_norm: looked-up rows with a larger ``norm_type``-norm are rescaled to it, in place
        norm_type: the p of the norm for ``max_norm``.  Default: 2
        scale_grad_by_freq: divide gradients by each index's frequency in the batch
        sparse: a sparse gradient -- not supported by ember, which has no sparse tensors

    The table ``weight`` starts as samples of N(0, 1).
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_index(padding_idx, num_embeddings,
                                         "Padding_idx must be within num_embeddings")
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        _table(self, num_embeddings, embedding_dim, _weight, not _freeze, device, dtype)
        self.sparse = sparse

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = "{}, {}".format(self.num_embeddings, self.embedding_dim)
        if self.padding_idx is not None:
            s += ", padding_idx={}".format(self.padding_idx)
        if self.max_norm is not None:
            s += ", max_norm={}".format(self.max_norm)
        if self.norm_type != 2:
            s += ", norm_type={}".format(self.norm_type)
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq={}".format(self.scale_grad_by_freq)
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """An Embedding whose table is the 2-d tensor ``embeddings`` (shared, not copied);
        with ``freeze`` it is not trained."""
        if embeddings.dim() != 2:
            raise _errors.embeddings_2d()
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


class EmbeddingBag(_EmbeddingBase):
    r"""Sums, averages (``mode='mean'``, the default) or takes the maximum of "bags" of
    embedding vectors, without building the individual lookups.

    Call it with a 2-d input (each row one bag) or a 1-d input and ``offsets``, the start of
    each bag in it; ``per_sample_weights`` weights each index (``mode='sum'`` only).
    Other arguments as :class:`Embedding`; ``include_last_offset`` makes the last offset the
    end of the last bag.
    """

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.padding_idx = padding_index(padding_idx, num_embeddings,
                                         "padding_idx must be within num_embeddings")
        _table(self, num_embeddings, embedding_dim, _weight, True, device, dtype)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                               self.scale_grad_by_freq, self.mode, self.sparse,
                               per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self):
        s = "{!r}, {!r}".format(self.num_embeddings, self.embedding_dim)
        if self.max_norm is not None:
            s += ", max_norm={!r}".format(self.max_norm)
        if self.norm_type != 2:
            s += ", norm_type={!r}".format(self.norm_type)
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq={!r}".format(self.scale_grad_by_freq)
        s += ", mode={!r}".format(self.mode)
        if self.padding_idx is not None:
            s += ", padding_idx={!r}".format(self.padding_idx)
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        """An EmbeddingBag whose table is the 2-d tensor ``embeddings``; with ``freeze`` it is
        not trained."""
        if embeddings.dim() != 2:
            raise _errors.embeddings_2d()
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, max_norm=max_norm,
                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, mode=mode,
                  sparse=sparse, include_last_offset=include_last_offset,
                  padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
