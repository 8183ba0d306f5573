"""Norms used to compare and to limit: ``dist`` (the p-norm of a difference) and ``renorm``
(slices whose p-norm exceeds a maximum scaled down to it).  Built from ``norm``, whose gradient
they inherit."""
from ..core.registry import export
from ..core.out import accepts_out
from ..core.inplace import twin
from ..core.operands import tensor_operand


@export("torch", "Tensor")
def dist(input, other, p=2):
    """``norm(input - other, p)``, the tensors broadcast; gradient through the norm."""
    other = tensor_operand(other, "dist")
    return (input - other).norm(p)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def renorm(input, p, dim, maxnorm):
    """Each slice ``input.select(dim, i)`` whose p-norm exceeds ``maxnorm`` is scaled by
    ``maxnorm / (norm + 1e-7)``; the others are kept."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError("renorm: expected maxnorm to be >= 0 but got {}".format(maxnorm))
    ndim = input._array.ndim
    if ndim <= 1:
        raise RuntimeError("renorm: input needs at least 2 dimensions, got {} dimensions".format(
            ndim))
    if input._array.dtype.kind != "f":
        raise RuntimeError("renorm: expected a floating point dtype, but got " +
                           input.dtype.scalar_name)
    dim = dim + ndim if dim < 0 else dim
    others = tuple(d for d in range(ndim) if d != dim)
    norms = input.norm(p, others, True)
    factor = (maxnorm / (norms + 1e-7)).masked_fill(norms.detach() <= maxnorm, 1.0)
    return input * factor
