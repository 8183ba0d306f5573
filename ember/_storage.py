"""Storages: the flat memory behind tensors.  A tensor is a view of a storage (its shape,
strides and offset say which elements it sees); ``t.untyped_storage()`` is that memory as
bytes, ``t.storage()`` the same memory as elements of the tensor's dtype.  Views of one tensor
have the same storage, which is how one checks that two tensors share memory::

    x.untyped_storage().data_ptr() == x[2:].untyped_storage().data_ptr()     # True
"""
import numpy as np

from . import _dtype


def root_array(array):
    """The NumPy array that owns ``array``'s memory (``array`` itself if it owns it)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class UntypedStorage:
    """The bytes of a tensor's memory."""

    def __init__(self, array):
        self._bytes = root_array(array).reshape(-1).view(np.uint8)

    def data_ptr(self):
        return self._bytes.__array_interface__["data"][0]

    def nbytes(self):
        return self._bytes.size

    size = nbytes

    def __len__(self):
        return self._bytes.size

    def __getitem__(self, i):
        return int(self._bytes[i])

    def tolist(self):
        return self._bytes.tolist()

    def element_size(self):
        return 1

    def __repr__(self):
        lines = [" {}".format(v) for v in self._bytes.tolist()]
        lines.append("[torch.storage.UntypedStorage(device=cpu) of size {}]".format(
            self._bytes.size))
        return "\n".join(lines)


class TypedStorage:
    """The memory of a tensor as a flat sequence of elements of its dtype."""

    def __init__(self, array):
        self._array = root_array(array).reshape(-1)
        self.dtype = _dtype.from_numpy(self._array.dtype)

    def data_ptr(self):
        return self._array.__array_interface__["data"][0]

    def size(self):
        return self._array.size

    def __len__(self):
        return self._array.size

    def element_size(self):
        return self._array.itemsize

    def nbytes(self):
        return self._array.nbytes

    def __getitem__(self, i):
        return self._array[i].item()

    def tolist(self):
        return self._array.tolist()

    def untyped(self):
        return UntypedStorage(self._array)

    def __repr__(self):
        lines = [" {}".format(v) for v in self._array.tolist()]
        lines.append("[torch.storage.TypedStorage(dtype={}, device=cpu) of size {}]".format(
            self.dtype, self._array.size))
        return "\n".join(lines)
