"""Tensors as MPI buffers, and the argument checks every collective shares.

MPI reads and writes a tensor's NumPy array directly (``tensor.detach().numpy()`` shares its
memory), so a collective on a contiguous tensor copies nothing.  A non-contiguous tensor is
sent from a contiguous copy, and received into one that is then written back.
"""
import numpy as np

from .._tensor import Tensor

__all__ = ["check_tensor", "check_tensor_list", "buffer", "write_back", "size_text"]


def check_tensor(tensor, name="tensor"):
    if not isinstance(tensor, Tensor):
        raise TypeError("Invalid function argument. Expected parameter `{}` of type "
                        "torch.Tensor\n             but got {} instead.".format(name, type(tensor)))


def check_tensor_list(tensors, name):
    if not isinstance(tensors, (list, tuple)) or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError("Invalid function argument. Expected parameter `{}` of type "
                        "List[torch.Tensor]\n             but got {} instead."
                        .format(name, type(tensors)))


def buffer(tensor):
    """The array MPI works on: the tensor's own memory when it is contiguous."""
    array = tensor.detach().numpy()
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


def write_back(tensor, array):
    """After MPI wrote into ``array``: makes sure the tensor holds it."""
    own = tensor.detach().numpy()
    if own is not array:
        own[...] = array.reshape(own.shape)


def size_text(shape):
    """A shape as torch writes it in its collectives' errors: ``(2, 3)``."""
    return "(" + ", ".join(str(n) for n in shape) + ")"
