"""Shape operations: the same numbers, arranged differently.

Most of them return a *view*: a tensor sharing memory with its input (``view``, ``transpose``,
``expand`` ...), exactly as NumPy views do.  Their gradients only rearrange the incoming
gradient back into the input's shape: a transpose is undone by the same transpose, an expand by
summing over the expanded dimensions, a concatenation by slicing the gradient into pieces.
"""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor, wrap_dim

__all__ = ["reshape", "view", "expand", "expand_as", "narrow", "unsqueeze", "squeeze", "transpose", "swapaxes",
           "swapdims", "permute", "t", "cat", "concat", "concatenate"]


def as_view(result, input):
    """Marks ``result`` as a view of ``input``: they share memory and a version counter."""
    base = input._base
    result._base = input if base is None else base
    return result


def _infer_shape(shape, numel):
    shape = [int(s) for s in shape]
    infer = [i for i, s in enumerate(shape) if s == -1]
    if len(infer) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError("invalid shape dimension {}".format(s))
    known = 1
    for i, s in enumerate(shape):
        if i not in infer:
            known *= s
    if infer:
        if known == 0 or numel % known:
            raise RuntimeError("shape '{}' is invalid for input of size {}".format(
                "[" + ", ".join(map(str, shape)) + "]", numel))
        shape[infer[0]] = numel // known
    elif known != numel:
        raise RuntimeError("shape '{}' is invalid for input of size {}".format(
            "[" + ", ".join(map(str, shape)) + "]", numel))
    return tuple(shape)


def _shape_arg(shape):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        if isinstance(shape[0], Tensor):
            return (int(shape[0]),)
        return tuple(shape[0])
    return shape


class View(Op):
    """out = x seen with another shape.   Its gradient is reshaped back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        try:
            return np.reshape(x, shape, copy=False)
        except ValueError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride "
                               "(at least one dimension spans across two contiguous subspaces). "
                               "Use .reshape(...) instead.") from None

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class UnsafeView(Op):
    """out = a reshaped copy (``reshape`` of a tensor whose layout cannot be viewed)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


def view(input, *shape):
    """The same memory with another shape (one entry may be -1); ``view(dtype)`` is not
    supported."""
    shape = _infer_shape(_shape_arg(shape), input._array.size)
    if shape == input._array.shape and not input._requires_grad:
        return as_view(Tensor._make(input._array.view()), input)
    return as_view(View.apply(input, shape), input)


def reshape(input, *shape):
    """``input`` with a new shape: a view when the memory layout allows, else a copy."""
    shape = _infer_shape(_shape_arg(shape), input._array.size)
    try:
        np.reshape(input._array, shape, copy=False)
    except ValueError:
        return UnsafeView.apply(input, shape)
    return as_view(View.apply(input, shape), input)


class Expand(Op):
    """out = x repeated (without copying) along dimensions of size 1.
    The gradient sums over the repeated positions."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return dual.sum_to(grad, ctx.shape), None


def expand(input, *sizes):
    """A view with size-1 dimensions stretched to ``sizes`` (-1 keeps a size)."""
    sizes = _shape_arg(sizes)
    shape = input._array.shape
    if len(sizes) < len(shape):
        raise RuntimeError("expand(torch.{}{{{}}}, size=[{}]): the number of sizes provided ({}) "
                           "must be greater or equal to the number of dimensions in the tensor "
                           "({})".format(input.dtype._torch_type, list(shape),
                                         ", ".join(map(str, sizes)), len(sizes), len(shape)))
    lead = len(sizes) - len(shape)
    target = []
    for i, s in enumerate(sizes):
        s = int(s)
        if i < lead:
            if s < 0:
                raise RuntimeError("The expanded size of the tensor (-1) isn't allowed in a "
                                   "leading, non-existing dimension {}".format(i))
            target.append(s)
            continue
        old = shape[i - lead]
        if s == -1:
            s = old
        elif old != s and old != 1:
            raise RuntimeError("The expanded size of the tensor ({}) must match the existing size "
                               "({}) at non-singleton dimension {}.  Target sizes: [{}].  Tensor "
                               "sizes: [{}]".format(s, old, i, ", ".join(map(str, sizes)),
                                                    ", ".join(map(str, shape))))
        target.append(s)
    return as_view(Expand.apply(input, tuple(target)), input)


def expand_as(input, other):
    return expand(input, other._array.shape)


class Slice(Op):
    """out = x[start:start+length] along ``dim``.   The gradient is zero outside the slice."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, start, length):
        ctx.shape, ctx.dim, ctx.start = x.shape, dim, start
        index = (slice(None),) * dim + (slice(start, start + length),)
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        index = (slice(None),) * ctx.dim + (slice(ctx.start, ctx.start + grad.shape[ctx.dim]),)
        return dual.index_grad(grad, ctx.shape, index), None, None, None


def narrow(input, dim, start, length):
    """A view of ``length`` entries of dimension ``dim``, from ``start``."""
    shape = input._array.shape
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, len(shape))
    start = int(start)
    if start < 0:
        start += shape[dim]
    if not 0 <= start <= shape[dim] or length < 0 or start + length > shape[dim]:
        raise RuntimeError("start ({}) + length ({}) exceeds dimension size ({}).".format(
            start, length, shape[dim]))
    return as_view(Slice.apply(input, dim, start, int(length)), input)


class Unsqueeze(Op):
    """out = x with a new dimension of size 1 at ``dim``."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.expand_dims(x, dim)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None


def unsqueeze(input, dim):
    """A view with a size-1 dimension inserted at ``dim``."""
    dim = wrap_dim(dim, input._array.ndim + 1)
    return as_view(Unsqueeze.apply(input, dim), input)


class Squeeze(Op):
    """out = x without its size-1 dimensions (all of them, or those in ``dims``)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.shape = x.shape
        return np.squeeze(x, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


def squeeze(input, dim=None):
    """A view without size-1 dimensions (only ``dim``, when given and of size 1)."""
    shape = input._array.shape
    if dim is None:
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
        return as_view(Squeeze.apply(input, dims), input)
    if isinstance(dim, (tuple, list)):
        dims = tuple(sorted({wrap_dim(d, len(shape)) for d in dim}))
        op = Squeeze
    else:
        dims = (wrap_dim(dim, len(shape)),)
        op = SqueezeDim
    dims = tuple(d for d in dims if len(shape) and shape[d] == 1)
    return as_view(op.apply(input, dims), input)


class Transpose(Op):
    """out = x with two dimensions swapped.   The gradient swaps them back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = (dim0, dim1)
        return np.swapaxes(x, dim0, dim1)

    @staticmethod
    def backward(ctx, grad):
        return grad.swapaxes(*ctx.dims), None, None


def transpose(input, dim0, dim1):
    """A view with dimensions ``dim0`` and ``dim1`` swapped."""
    n = input._array.ndim
    return as_view(Transpose.apply(input, wrap_dim(dim0, n), wrap_dim(dim1, n)), input)


swapaxes = swapdims = transpose


class T(Op):
    """out = the transpose of a matrix (``x.t()``)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.T

    @staticmethod
    def backward(ctx, grad):
        return grad.T


def t(input):
    """Transpose of a matrix (0-d and 1-d tensors come back unchanged)."""
    n = input._array.ndim
    if n > 2:
        raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is {}D".format(n))
    return as_view(T.apply(input), input)


class Permute(Op):
    """out = x with its dimensions reordered.   The gradient applies the inverse order."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx, grad):
        return dual.permute(grad, tuple(np.argsort(ctx.dims).tolist())), None


def permute(input, *dims):
    """A view with the dimensions in the order ``dims``."""
    dims = _shape_arg(dims)
    n = input._array.ndim
    if len(dims) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. input."
                           "dim() = {} is not equal to len(dims) = {}".format(n, len(dims)))
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(Permute.apply(input, dims), input)


class Cat(Op):
    """out = the inputs joined along ``dim``.   Each input gets its slice of the gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        ctx.sizes = [a.shape[dim] if a.ndim else 0 for a in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads = [None]
        start = 0
        for size in ctx.sizes:
            grads.append(grad[(slice(None),) * ctx.dim + (slice(start, start + size),)])
            start += size
        return tuple(grads)


def cat(tensors, dim=0, *, out=None):
    """Joins tensors along an existing dimension ``dim``."""
    if isinstance(tensors, Tensor):
        raise TypeError("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        "Tensor")
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    # 1-d empty tensors are skipped, as in torch (a legacy rule)
    full = [x for x in tensors if not (x._array.ndim == 1 and x._array.size == 0)] or tensors[:1]
    ref = full[0]._array
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    dim = wrap_dim(dim, ref.ndim)
    for i, x in enumerate(tensors):
        a = x._array
        if a.ndim == 1 and a.size == 0:
            continue
        if a.ndim == 0:
            raise RuntimeError("zero-dimensional tensor (at position {}) cannot be concatenated"
                               .format(i))
        if a.ndim != ref.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got {} and {}".format(
                ref.ndim, a.ndim))
        for d in range(a.ndim):
            if d != dim and a.shape[d] != ref.shape[d]:
                raise RuntimeError("Sizes of tensors must match except in dimension {}. Expected "
                                   "size {} but got size {} for tensor number {} in the list."
                                   .format(dim, ref.shape[d], a.shape[d], i))
    dtypes = {x._array.dtype for x in full}
    if len(dtypes) > 1:
        from .. import _dtype
        target = _dtype.result_type(*full)
        full = [x if x._array.dtype == target.numpy else x.to(target) for x in full]
    result = Cat.apply(dim, *full)
    if out is not None:
        out._array = result._array
        return out
    return result


concat = concatenate = cat


METHODS = ("reshape", "view", "expand", "expand_as", "narrow", "unsqueeze", "squeeze",
           "transpose", "swapaxes", "swapdims", "permute", "t")

FUNCTIONAL = ()
