"""Contractions and matrix structure: ``tensordot``, ``kron``, ``cross``, the diagonal
(``diag``, ``diag_embed``, ``trace``) and the triangles (``tril``, ``triu``).

``tensordot`` and ``kron`` are special einsums (``einsum.py``): the gradient of one operand is
the contraction of the output gradient with the other operand.
"""
import string
import warnings

import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..core import dual
from ..._dtype import promote_types
from ..core.common import Tensor, wrap_dim
from ..shape.slicing import DiagonalGrad, diagonal_grad
from ..core.registry import export
from ..core.out import accepts_out
from ..core.inplace import twin


# ---------------------------------------------------------------- tensordot and kron


class Tensordot(Op):
    """out = the sum over the paired dimensions ``dims_a`` of a and ``dims_b`` of b of a * b,
    with the free dimensions of a then those of b.  Gradients: einsums of the output gradient
    with the other operand (see Einsum); torch shows the final reshape."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, b, dims_a, dims_b):
        letters = iter(string.ascii_letters)
        sub_a = [next(letters) for _ in range(a.ndim)]
        sub_b = [next(letters) for _ in range(b.ndim)]
        for i, j in zip(dims_a, dims_b):
            sub_b[j] = sub_a[i]
        free = [c for i, c in enumerate(sub_a) if i not in dims_a] + [
            c for j, c in enumerate(sub_b) if j not in dims_b]
        ctx.subscripts = "".join(sub_a), "".join(sub_b), "".join(free)
        ctx.save_for_backward(a, b)
        return np.tensordot(a, b, axes=(dims_a, dims_b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        sub_a, sub_b, sub_out = ctx.subscripts
        needs = ctx.needs_input_grad
        return (dual.einsum("{},{}->{}".format(sub_out, sub_b, sub_a), grad, b)
                if needs[0] else None,
                dual.einsum("{},{}->{}".format(sub_out, sub_a, sub_b), grad, a)
                if needs[1] else None, None, None)


@export("torch")
def tensordot(a, b, dims=2, out=None):
    """Sums a * b over ``dims`` pairs of dimensions: the last ``dims`` of ``a`` with the first
    ``dims`` of ``b`` (an int), or the listed ones (``([1, 0], [0, 1])``)."""
    if out is not None:
        raise RuntimeError("tensordot(): out= is not supported by ember")
    x, y = a._array, b._array
    if isinstance(dims, Tensor):
        dims = int(dims) if dims._array.ndim == 0 else dims.tolist()
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError("tensordot expects dims >= 0, but got dims={}".format(dims))
        if dims > x.ndim or dims > y.ndim:
            raise RuntimeError("tensordot expects dims < ndim_a or ndim_b, but got dims={}"
                               .format(dims))
        dims_a, dims_b = list(range(x.ndim - dims, x.ndim)), list(range(dims))
    else:
        dims_a, dims_b = dims
        dims_a = [dims_a] if isinstance(dims_a, int) else list(dims_a)
        dims_b = [dims_b] if isinstance(dims_b, int) else list(dims_b)
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
    dims_a = [wrap_dim(d, x.ndim) for d in dims_a]
    dims_b = [wrap_dim(d, y.ndim) for d in dims_b]
    if x.dtype != y.dtype:
        raise RuntimeError("both inputs should have same dtype")
    for i, j in zip(dims_a, dims_b):
        if x.shape[i] != y.shape[j]:
            raise RuntimeError("contracted dimensions need to match, but first has size {} in "
                               "dim {} and second has size {} in dim {}".format(
                                   x.shape[i], i, y.shape[j], j))
    return Tensordot.apply(a, b, tuple(dims_a), tuple(dims_b))


class Kron(Op):
    """out = the Kronecker product: block (i, j, ...) is a[i, j, ...] * b.   Seen with each
    dimension split in two (a's index, b's index), it is an outer product, so the gradients
    are einsums of the split gradient with the other operand."""

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return np.kron(a, b) if dtype is None else np.kron(a.astype(dtype), b.astype(dtype))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        sa, sb = dual.data(a).shape, dual.data(b).shape
        n = max(len(sa), len(sb))
        sa, sb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
        split = grad.reshape(tuple(s for pair in zip(sa, sb) for s in pair))
        la, lb = string.ascii_lowercase[:n], string.ascii_uppercase[:n]
        sub = "".join(x + y for x, y in zip(la, lb))
        needs = ctx.needs_input_grad
        grad_a = grad_b = None
        if needs[0]:
            grad_a = dual.einsum("{},{}->{}".format(sub, lb, la), split,
                                 b.reshape(sb)).reshape(dual.data(a).shape)
        if needs[1]:
            grad_b = dual.einsum("{},{}->{}".format(sub, la, lb), split,
                                 a.reshape(sa)).reshape(dual.data(b).shape)
        return grad_a, grad_b


@export("torch", "Tensor")
@accepts_out
def kron(input, other):
    """The Kronecker product of two tensors."""
    # Both operands take part in the promotion, 0-d or not (torch multiplies reshaped copies).
    dtype = promote_types(input.dtype, other.dtype).numpy if isinstance(input, Tensor) and \
        isinstance(other, Tensor) else None
    return Kron.apply(input, other, None if dtype == input._array.dtype == other._array.dtype
                      else dtype)


class LinalgCross(Op):
    """out = a x b (the cross product of 3-vectors along ``dim``).
    da = b x dout,  db = dout x a."""

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.dim = dim
        ctx.save_for_backward(a, b)
        return np.cross(a, b, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (_cross(b, grad, ctx.dim) if needs[0] else None,
                _cross(grad, a, ctx.dim) if needs[1] else None, None)


def _cross(a, b, dim):
    if dual.is_array(a) and dual.is_array(b):
        return np.cross(a, b, axis=dim)
    return cross(a if isinstance(a, Tensor) else Tensor._make(a),
                 b if isinstance(b, Tensor) else Tensor._make(b), dim)


_warned_cross = []


@export("torch", "Tensor")
@accepts_out
def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim`` (the inputs broadcast).  Without ``dim``:
    the first dimension of size 3, with torch's deprecation warning."""
    x, y = input._array, other._array
    if dim is None:
        if not _warned_cross:                      # like torch: once per process
            _warned_cross.append(True)
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                          "Please either pass the dim explicitly or simply use torch.linalg.cross."
                          "\nThe default value of dim will change to agree with that of "
                          "linalg.cross in a future release.", UserWarning, stacklevel=2)
        shape = np.broadcast_shapes(x.shape, y.shape)
        if 3 not in shape:
            raise RuntimeError("no dimension of size 3 in input")
        dim = shape.index(3)
    if x.ndim != y.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    dim = wrap_dim(dim, x.ndim)
    if x.shape[dim] != 3 or y.shape[dim] != 3:
        raise RuntimeError("linalg.cross: inputs dimension {} must have length 3. Got {} and {}"
                           .format(dim, x.shape[dim], y.shape[dim]))
    if x.dtype != y.dtype:
        from ..._dtype import from_numpy
        raise _errors.expected_scalar_type(from_numpy(x.dtype).scalar_name,
                                           from_numpy(y.dtype).scalar_name)
    np.broadcast_shapes(x.shape, y.shape)
    return LinalgCross.apply(input, other, dim)


# ---------------------------------------------------------------- diagonals and triangles


class DiagEmbed(DiagonalGrad):
    """out = matrices with the last dimension of x on their diagonal (``diag_embed``, and
    ``diag`` of a vector).   The gradient reads the diagonal back."""

    node_name = "DiagEmbedBackward0"


class DiagCopy(Op):
    """out = a copy of the diagonal of a matrix (``diag`` of a matrix).
    The gradient is zeros with the output gradient on that diagonal."""

    node_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, x, offset):
        ctx.shape, ctx.offset = x.shape, offset
        return np.diagonal(x, offset).copy()

    @staticmethod
    def backward(ctx, grad):
        return diagonal_grad(grad, ctx.shape, ctx.offset, 0, 1), None


@export("torch", "Tensor")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Matrices (in the dimensions ``dim1``, ``dim2`` of the result) with the last dimension of
    ``input`` on their diagonal ``offset``."""
    x = input._array
    ndim = x.ndim + 1
    dim1, dim2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if dim1 == dim2:
        raise _errors.identical_diagonal_dims(dim1, dim2)
    n = x.shape[-1] + abs(offset)
    rest = iter(x.shape[:-1])
    shape = tuple(n if d in (dim1, dim2) else next(rest) for d in range(ndim))
    return DiagEmbed.apply(input, shape, int(offset), dim1, dim2)


@export("torch", "Tensor")
@accepts_out
def diag(input, diagonal=0):
    """A vector -> the square matrix with it on diagonal ``diagonal``; a matrix -> (a copy
    of) that diagonal."""
    x = input._array
    if x.ndim == 1:
        n = x.shape[0] + abs(diagonal)
        return DiagEmbed.apply(input, (n, n), int(diagonal), 0, 1)
    if x.ndim == 2:
        return DiagCopy.apply(input, int(diagonal))
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got {}D".format(x.ndim))


class Trace(Op):
    """out = the sum of the main diagonal.   d(out)/dx = the identity matrix."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape, ctx.dtype = x.shape, x.dtype
        return np.asanyarray(np.trace(x, dtype=np.int64 if x.dtype.kind in "iub" else None))

    @staticmethod
    def backward(ctx, grad):
        return grad * np.eye(*ctx.shape, dtype=ctx.dtype)


@export("torch", "Tensor")
def trace(input):
    """The sum of the main diagonal of a matrix."""
    x = input._array
    if x.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim {}".format(x.ndim))
    if x.dtype.kind == "b":
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Trace.apply(input)


class Tril(Op):
    """out = x with the entries above diagonal ``k`` set to 0 (``triu``: below).
    The gradient is masked the same way."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, k, lower):
        mask = np.tri(x.shape[-2], x.shape[-1], k, dtype=bool)
        if not lower:
            mask = ~np.tri(x.shape[-2], x.shape[-1], k - 1, dtype=bool)
        ctx.mask = mask
        return np.where(mask, x, np.zeros((), x.dtype))

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.mask, None, None


class Triu(Tril):
    pass


def _triangle(op, name, input, diagonal, lower):
    x = input._array
    if x.ndim < 2:
        raise RuntimeError("{}: input tensor must have at least 2 dimensions".format(name))
    return op.apply(input, int(diagonal), lower)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def tril(input, diagonal=0):
    """The lower triangle of the matrices (the last two dimensions): entries above the
    ``diagonal``-th diagonal become 0."""
    return _triangle(Tril, "tril", input, diagonal, True)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def triu(input, diagonal=0):
    """The upper triangle of the matrices: entries below the ``diagonal``-th diagonal become 0."""
    return _triangle(Triu, "triu", input, diagonal, False)
