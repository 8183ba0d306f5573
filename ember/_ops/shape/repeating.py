"""Repeating elements: ``expand`` stretches size-1 dimensions without copying (a view whose
repeated elements share memory); ``repeat`` and ``tile`` copy the whole tensor several times
along each dimension.  Part of the shape family (``shape.py``).

Both gradients add up the copies: every position that read an input element sends its
gradient back to that element.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor
from .views import _fmt, as_view, contiguous, int_list, int_list_or_keyword, plain_view
from ..core.registry import export


# ---------------------------------------------------------------- expand: a view


class Expand(Op):
    """out = x repeated (without copying) along dimensions of size 1.
    The gradient sums over the repeated positions."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return expanded(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return dual.sum_to(grad, ctx.shape), None


def expanded(a, shape):
    """The NumPy view of ``a`` stretched to ``shape`` (read-only where elements repeat)."""
    if a.shape == shape:
        return a.view()
    if not a.flags.c_contiguous:
        return np.broadcast_to(a, shape)
    lead = len(shape) - a.ndim
    strides = (0,) * lead + tuple(0 if n == 1 and m != 1 else st
                                  for n, m, st in zip(a.shape, shape[lead:], a.strides))
    out = np.ndarray(shape, a.dtype, a, 0, strides)     # faster than np.broadcast_to
    if 0 in strides and out.size > a.size:
        out.flags.writeable = False
    return out


def expand_error(dtype, shape, sizes):
    """torch's error when ``shape`` cannot be expanded to ``sizes`` (None when it can)."""
    if len(sizes) < len(shape):
        return RuntimeError(
            "expand(torch.{}{{{}}}, size={}): the number of sizes provided ({}) must be greater "
            "or equal to the number of dimensions in the tensor ({})".format(
                dtype._torch_type, _fmt(shape), _fmt(sizes), len(sizes), len(shape)))
    lead = len(sizes) - len(shape)
    for i in range(len(sizes) - 1, -1, -1):          # torch checks from the last dimension
        s = sizes[i]
        if i < lead:
            if s < 0:
                return RuntimeError("The expanded size of the tensor ({}) isn't allowed in a "
                                    "leading, non-existing dimension {}".format(s, i))
            continue
        old = shape[i - lead]
        if s != -1 and old != s and old != 1:
            return RuntimeError(
                "The expanded size of the tensor ({}) must match the existing size ({}) at "
                "non-singleton dimension {}.  Target sizes: {}.  Tensor sizes: {}".format(
                    s, old, i, _fmt(sizes), _fmt(shape)))
    return None


@export("Tensor")
def expand(input, *sizes, size=None, implicit=False):
    """A view with size-1 dimensions stretched to ``sizes`` (-1 keeps a size); new dimensions
    may be added in front.  No memory is copied."""
    sizes = int_list_or_keyword(sizes, size, "expand", "size")
    shape = input._array.shape
    error = expand_error(input.dtype, shape, sizes)
    if error is not None:
        raise error
    lead = len(sizes) - len(shape)
    target = sizes[:lead] + tuple(o if s == -1 else s for s, o in zip(sizes[lead:], shape))
    if not (_grad_state().enabled and input._requires_grad):
        return plain_view(expanded(input._array, target), input)
    return as_view(Expand.apply(input, target), input)


@export("Tensor")
def expand_as(input, other):
    """``input.expand(other.shape)``."""
    if not isinstance(other, Tensor):
        raise TypeError("expand_as(): argument 'other' (position 1) must be Tensor, not "
                        + type(other).__name__)
    return expand(input, other._array.shape)


@export("torch")
def expand_copy(input, size):
    """``expand`` into new memory."""
    return contiguous(expand(input, size))


# ---------------------------------------------------------------- repeat, tile: copies


class Repeat(Op):
    """out = x tiled ``repeats`` times along each dimension (a copy).
    The gradient sums the tiles: the gradient, split into (repeat, size) pairs, summed over
    the repeats."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, repeats):
        ctx.shape = x.shape
        return np.tile(x, repeats)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx.shape
        lead = len(grad.shape) - len(shape)
        padded = (1,) * lead + tuple(shape)
        split = []
        for n, s in zip(grad.shape, padded):
            split += [n // s if s else n, s]
        grad = grad.reshape(tuple(split))
        return dual.sum_dims(grad, tuple(range(0, len(split), 2))).reshape(shape), None


def _repeat(input, repeats):
    if len(repeats) < input._array.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(repeats) - input._array.ndim) + input._array.shape
    out = [r * s for r, s in zip(repeats, shape)]
    for r, n in zip(repeats, out):
        if r < 0:
            raise _errors.negative_dimension(n, _fmt(out))
    return Repeat.apply(input, repeats)


@export("Tensor")
def repeat(input, *args, repeats=None):
    """``input`` copied ``repeats[i]`` times along dimension i (new dimensions in front)."""
    return _repeat(input, int_list_or_keyword(args, repeats, "repeat", "repeats"))


@export("Tensor", name="tile")
def tile_method(input, *args, dims=None):
    """``x.tile(dims)``; the method also takes the dims one by one: ``x.tile(2, 1)``."""
    if dims is None and not args:
        raise TypeError('tile() missing 1 required positional arguments: "dims"')
    return tile(input, int_list_or_keyword(args, dims, "tile", "dims"))


@export("torch")
def tile(input, dims):
    """Like ``repeat``, but ``dims`` shorter than the tensor's rank is padded with 1s in front."""
    dims = int_list((dims,), "tile", "dims")
    dims = (1,) * (input._array.ndim - len(dims)) + dims
    return _repeat(input, dims)


