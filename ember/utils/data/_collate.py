"""Collation: turning a list of samples into one batch.

The DataLoader reads ``batch_size`` samples and hands the list to ``collate_fn``.  The default,
:func:`default_collate`, looks at the first sample and recurses through its structure:

=====================================  ====================================================
sample element                         batch
=====================================  ====================================================
tensor of shape ``S``                  one tensor of shape ``(B, *S)`` (stacked)
NumPy array                            the same, as a tensor
NumPy scalar                           a tensor of that dtype, shape ``(B,)``
Python ``int`` / ``bool``              int64 / bool tensor, shape ``(B,)``
Python ``float``                       **float64** tensor (not the default dtype: as torch)
``str`` / ``bytes``                    left as a sequence of the B values
dict                                   dict with each key collated separately
tuple ``(x, y)``                       **list** ``[X, Y]``, each position collated
namedtuple / list                      same type, each position collated
=====================================  ====================================================

So a dataset returning ``(image, label)`` gives batches ``[images, labels]``.
:func:`default_convert` is the variant used without batching (``batch_size=None``): it only turns
NumPy arrays into tensors.
"""
import collections.abc
import copy
import re

import numpy as np

from ... import _errors
from ... import _dtype
from ..._tensor import Tensor
from ... import as_tensor, float64, tensor

__all__ = ["default_collate", "default_convert", "collate", "default_collate_fn_map"]

# NumPy dtype codes of strings ('S', 'a', 'U') and Python objects ('O'): no tensor holds those.
_STR_OR_OBJECT = re.compile(r"[SaUO]")

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, "
                                  "numbers, dicts or lists; found {}")


def collate(batch, *, collate_fn_map=None):
    """Collates ``batch`` (a list of samples) using ``collate_fn_map`` for the leaf types.

    ``collate_fn_map`` maps a type (or a tuple of types) to a function
    ``fn(batch, *, collate_fn_map)``; the first entry whose type matches the first sample is
    used.  Dicts, namedtuples and sequences are taken apart here and collated field by field.
    """
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        fields = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                  for key in elem}
        return _same_mapping_type(elem, fields)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):            # a namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns               # tuples become lists, as in torch
        return _same_sequence_type(elem, columns)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def _same_mapping_type(template, fields):
    """``fields`` in a mapping of the same type as ``template`` where possible, else a dict."""
    try:
        if isinstance(template, collections.abc.MutableMapping):
            clone = copy.copy(template)           # keeps the extra attributes of dict subclasses
            clone.update(fields)
            return clone
        return type(template)(fields)
    except TypeError:
        return fields


def _same_sequence_type(template, items):
    """``items`` in a sequence of the same type as ``template`` where possible, else a list."""
    try:
        if isinstance(template, collections.abc.MutableSequence):
            clone = copy.copy(template)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(template)(items)
    except TypeError:
        return items


# ---------------------------------------------------------------- the leaf types


def collate_tensor_fn(batch, *, collate_fn_map=None):
    """Stacks tensors of equal shape along a new first dimension (torch.stack(batch, 0))."""
    arrays = [t._array for t in batch]
    shape, dtype = arrays[0].shape, arrays[0].dtype
    for i, a in enumerate(arrays):
        if a.shape != shape:
            raise _errors.stack_sizes(list(shape), list(a.shape), i)
    if any(t._requires_grad for t in batch):
        from ... import stack                     # keep the graph: an autograd-aware stack
        return stack(list(batch), 0)
    if any(a.dtype != dtype for a in arrays):     # mixed dtypes: torch's type promotion
        result = batch[0].dtype
        for t in batch:
            result = _dtype.promote_types(result, t.dtype)
        return Tensor._make(np.stack(arrays).astype(result.numpy, copy=False))
    return Tensor._make(np.stack(arrays))


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if _STR_OR_OBJECT.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map=None):
    return tensor(batch, dtype=float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,   # before float: np.float64 is one
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """Puts a list of samples together into a batch (see the table at the top of this module).

    Example::

        >>> default_collate([(ember.tensor([1., 2.]), 0), (ember.tensor([3., 4.]), 1)])
        [tensor([[1., 2.],
                [3., 4.]]), tensor([0, 1])]
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Turns NumPy arrays and scalars (also inside dicts, tuples and lists) into tensors.

    This is the ``collate_fn`` when automatic batching is off (``batch_size=None``); anything
    that is not NumPy is returned unchanged.
    """
    if isinstance(data, Tensor):
        return data
    elem_type = type(data)
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if elem_type.__name__ == "ndarray" and _STR_OR_OBJECT.search(data.dtype.str) is not None:
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _same_mapping_type(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _same_sequence_type(data, [default_convert(d) for d in data])
    return data
