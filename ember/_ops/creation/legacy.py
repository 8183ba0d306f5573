"""The tensor methods of PyTorch's legacy API that old course material still uses:
``t.new(...)``, ``ndimension()``, ``nbytes``, ``itemsize``, ``is_cpu``, ``volatile``,
``resize_``/``resize_as_`` and the storages behind a tensor (``storage()``,
``untyped_storage()``)."""
import warnings

import numpy as np

from ... import _errors
from ... import _legacy, _storage
from ..core.registry import add, export
from .from_data import size_arg


@export("Tensor")
def new(self, *args, **kwargs):
    """A tensor of ``self``'s dtype from data or sizes, as the typed classes make one:
    ``x.new(2, 3)`` (zeros here, uninitialised in torch), ``x.new([1, 2])``, ``x.new()``."""
    return _legacy.construct(self.dtype, args, kwargs)


@export("Tensor")
def ndimension(self):
    """The number of dimensions (the old name of ``dim()``)."""
    return self._array.ndim


add("Tensor", "nbytes", property(lambda self: self._array.nbytes,
                                 doc="The bytes the elements take: numel() * itemsize."))
add("Tensor", "itemsize", property(lambda self: self._array.itemsize,
                                   doc="The bytes one element takes."))
add("Tensor", "is_cpu", property(lambda self: True, doc="True: ember keeps tensors on the CPU."))


def _get_volatile(self):
    warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning,
                  stacklevel=2)
    return False


def _set_volatile(self, value):
    warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                  "instead.", UserWarning, stacklevel=2)


add("Tensor", "volatile", property(_get_volatile, _set_volatile,
                                   doc="Removed in torch 0.4 (use ``no_grad()``): False."))


@export("Tensor")
def resize_(self, *sizes, memory_format=None):
    """Gives ``self`` a new shape of contiguous elements read from its memory, starting where
    ``self`` starts; memory is added (zeros here) when the new shape needs more elements."""
    shape = size_arg(sizes, "resize_")
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    for n in shape:
        if n < 0:
            raise _errors.negative_dimension(n, list(shape))
    count = int(np.prod(shape, dtype=np.int64))
    start = self.storage_offset()
    root = _storage.root_array(self._array)
    flat = root.reshape(-1) if root.flags.c_contiguous else root.ravel()
    if start + count > flat.size:
        grown = np.zeros(start + count, dtype=flat.dtype)
        grown[:flat.size] = flat
        flat = grown
    self._array = flat[start:start + count].reshape(shape)
    self._bump_version()
    return self


@export("Tensor")
def resize_as_(self, the_template, *, memory_format=None):
    """``self.resize_(the_template.shape)``."""
    return resize_(self, the_template.shape)


@export("Tensor")
def storage(self):
    """The memory behind ``self`` as a flat sequence of its dtype (deprecated in torch)."""
    warnings.warn("TypedStorage is deprecated. It will be removed in the future and "
                  "UntypedStorage will be the only storage class. This should only matter to "
                  "you if you are using storages directly.  To access UntypedStorage directly, "
                  "use tensor.untyped_storage() instead of tensor.storage()", UserWarning,
                  stacklevel=2)
    return _storage.TypedStorage(self._array)


@export("Tensor")
def untyped_storage(self):
    """The memory behind ``self`` as bytes; views of one tensor share it."""
    return _storage.UntypedStorage(self._array)


@export("Tensor")
def is_shared(self):
    """Whether the memory is shared between processes: ``share_memory_`` leaves it as is."""
    return False
