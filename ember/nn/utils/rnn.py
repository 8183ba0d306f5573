"""``nn.utils.rnn``: batches of sequences of different lengths, padded or packed.

A *padded* batch is a (T, B, *) tensor (or (B, T, *) with ``batch_first``) where shorter
sequences are filled up with a padding value.  A *packed* batch (:class:`PackedSequence`) keeps
only the real elements, time step by time step: first the step-0 element of every sequence,
then the step-1 element of every sequence that is that long, and so on; ``batch_sizes[t]``
counts the sequences still running at step t.  Sequences are ordered longest first
(``sorted_indices`` remembers the original order), so at every step the running ones are the
first ``batch_sizes[t]``.  A recurrent layer given a packed batch never computes on padding.

Packing and padding only move rows, so their gradients move the rows back.
"""
from collections import namedtuple

import numpy as np

from ..._ops.core import dual
from ..._tensor import Tensor
from ...autograd.op import Op

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]


def _long(values):
    return Tensor._make(np.asarray(values, dtype=np.int64))


def invert_permutation(permutation):
    """The permutation that undoes ``permutation`` (None stays None)."""
    if permutation is None:
        return None
    inverse = np.empty_like(permutation._array)
    inverse[permutation._array] = np.arange(len(inverse))
    return _long(inverse)


class PackedSequence(namedtuple("PackedSequence_",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """A batch of sequences packed step by step (see the module docstring): ``data`` holds the
    rows, ``batch_sizes`` how many of them each time step has.  Made by
    :func:`pack_padded_sequence` or :func:`pack_sequence`, not by hand."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:                  # PackedSequence((data, batch_sizes))
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """The same packed batch with ``data`` converted (``batch_sizes`` stays int64)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self, *args, **kwargs):
        return self.to("cpu")

    def cuda(self, *args, **kwargs):
        return self.to("cuda", *args, **kwargs)

    def double(self):
        return self.to(dtype=_tensor_dtype("float64"))

    def float(self):
        return self.to(dtype=_tensor_dtype("float32"))

    def half(self):
        return self.to(dtype=_tensor_dtype("float16"))

    def long(self):
        return self.to(dtype=_tensor_dtype("int64"))

    def int(self):
        return self.to(dtype=_tensor_dtype("int32"))

    def short(self):
        return self.to(dtype=_tensor_dtype("int16"))

    def char(self):
        return self.to(dtype=_tensor_dtype("int8"))

    def byte(self):
        return self.to(dtype=_tensor_dtype("uint8"))

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return self.data.is_pinned()


def _tensor_dtype(name):
    import ember
    return getattr(ember, name)


def _packed_rows(batch_sizes, batch):
    """The rows of a (T * B, *) padded batch that packing keeps, in packed order."""
    return np.concatenate([np.arange(b) + t * batch for t, b in enumerate(batch_sizes)])


class PackPaddedSequence(Op):
    """out = the real rows of a padded (T, B, *) batch, step by step.   The gradient puts them
    back where they came from (zeros at the padding)."""

    @staticmethod
    def forward(ctx, x, rows):
        ctx.shape, ctx.rows = x.shape, rows
        return x.reshape((-1,) + x.shape[2:])[rows]

    @staticmethod
    def backward(ctx, grad):
        shape = ctx.shape
        flat = (shape[0] * shape[1],) + tuple(shape[2:])
        return dual.index_grad(grad, flat, ctx.rows).reshape(shape), None


class PadPackedSequence(Op):
    """out = a packed batch written into a (T, B, *) block filled with the padding value.
    The gradient reads the written rows back."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, data, rows, steps, batch, padding_value):
        out = np.full((steps * batch,) + data.shape[1:], padding_value, data.dtype)
        out[rows] = data
        ctx.rows = rows
        return out.reshape((steps, batch) + data.shape[1:])

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape((-1,) + grad.shape[2:])[ctx.rows], None, None, None, None


def _lengths_array(lengths):
    if isinstance(lengths, Tensor):
        return lengths._array.astype(np.int64).reshape(-1)
    return np.asarray(lengths, dtype=np.int64).reshape(-1)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Packs a padded batch (T, B, *) (or (B, T, *)) whose sequences have the given lengths.

    With ``enforce_sorted=True`` the lengths must already be in decreasing order; otherwise the
    batch is sorted here and the order is remembered in ``sorted_indices``."""
    lengths = _lengths_array(lengths)
    if enforce_sorted:
        if np.any(lengths[:-1] < lengths[1:]):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability.")
        sorted_indices = None
    else:
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        sorted_indices = _long(order)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths.size and lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[0], input.shape[1]
    if lengths.size != batch:
        raise RuntimeError("Expected `len(lengths)` to be equal to batch_size, but got {} "
                           "(batch_size={})".format(lengths.size, batch))
    if lengths[0] > steps:
        raise RuntimeError("Expected sequence length to be larger than or equal to the maximum "
                           "length, but got {} (max length={})".format(steps, lengths[0]))
    batch_sizes = (lengths[None, :] > np.arange(lengths[0])[:, None]).sum(1)
    data = PackPaddedSequence.apply(input, _packed_rows(batch_sizes, batch))
    return PackedSequence(data, _long(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Unpacks a :class:`PackedSequence` into a padded batch and the lengths (int64), in the
    sequences' original order."""
    batch_sizes = sequence.batch_sizes._array
    steps, batch = len(batch_sizes), int(batch_sizes[0])
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                "input, but got total_length={} and max sequence length being {}".format(
                    total_length, steps))
        steps = total_length
    padded = PadPackedSequence.apply(sequence.data, _packed_rows(batch_sizes, batch), steps,
                                     batch, padding_value)
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1)
    if batch_first:
        padded = padded.transpose(0, 1)
    unsorted = sequence.unsorted_indices
    if unsorted is not None:
        padded = padded.index_select(0 if batch_first else 1, unsorted)
        lengths = lengths[unsorted._array]
    return padded, _long(lengths)


class PadSequence(Op):
    """out = sequences of different lengths written into one padded block.   The gradient
    reads each sequence's part back."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, padding_value, left, batch_first, *arrays):
        longest = max(a.shape[0] for a in arrays)
        out = np.full((len(arrays), longest) + arrays[0].shape[1:], padding_value,
                      np.result_type(*arrays))
        ctx.places = []
        for i, a in enumerate(arrays):
            place = (i, slice(longest - a.shape[0], None) if left else slice(0, a.shape[0]))
            out[place] = a
            ctx.places.append(place)
        ctx.batch_first = batch_first
        return out if batch_first else np.ascontiguousarray(out.swapaxes(0, 1))

    @staticmethod
    def backward(ctx, grad):
        if not ctx.batch_first:
            grad = grad.swapaxes(0, 1)
        return (None, None, None) + tuple(grad[place] for place in ctx.places)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stacks sequences of shape (L_i, *) into a (T, B, *) block (or (B, T, *)), padding the
    shorter ones on the right (or the left) with ``padding_value``."""
    if padding_side not in ("left", "right"):
        raise RuntimeError("Expected padding_side to be one of left or right, but got {}.".format(
            padding_side))
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    return PadSequence.apply(padding_value, padding_side == "left", batch_first, *sequences)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences, each cut to its length, of a padded batch."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(n)] for seq, n in zip(padded_sequences, _lengths_array(lengths))]


def pack_sequence(sequences, enforce_sorted=True):
    """Packs a list of sequences of shape (L_i, *) (longest first unless
    ``enforce_sorted=False``)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The list of sequences of a :class:`PackedSequence`, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
