"""Parameters as one flat vector and back (for optimisers written over vectors, or for
inspecting a model's weights as a whole)."""
from ..._ops.shape.joining import cat
from ..._tensor import Tensor
from ..modules.module import _typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """Flattens and concatenates the parameters into one 1-d tensor (recorded in the graph)."""
    return cat([param.view(-1) for param in parameters])


def vector_to_parameters(vec, parameters):
    """Points the parameters at consecutive slices of ``vec``: afterwards they share its memory.

    The inverse of :func:`parameters_to_vector`."""
    if not isinstance(vec, Tensor):
        raise TypeError("expected torch.Tensor, but got: {}".format(_typename(vec)))
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[pointer:pointer + n].view(param.shape).data
        pointer += n
