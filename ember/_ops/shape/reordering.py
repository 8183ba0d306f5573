"""Reordering: the same elements in another order.  ``transpose``, ``t``, ``permute`` and
``movedim`` reorder the dimensions and return views; ``flip`` and ``roll`` reorder the elements
along dimensions and return copies, as in torch.  Part of the shape family (``shape.py``).

Each gradient applies the inverse reordering: the same swap for a transpose, the inverse
permutation for a permute, the same flip for a flip, the opposite shift for a roll.
"""
import numpy as np

from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import dims_of, wrap_dim
from .views import _fmt, _int, as_view, int_list, int_list_or_keyword, plain_view
from ..core.registry import export


# ---------------------------------------------------------------- reordering dimensions


class Transpose(Op):
    """out = x with two dimensions swapped.   The gradient swaps them back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = (dim0, dim1) if x.ndim else None           # a 0-d tensor stays as it is
        return x.swapaxes(dim0, dim1) if x.ndim else x.view()

    @staticmethod
    def backward(ctx, grad):
        dims = ctx.dims
        return grad if dims is None else grad.swapaxes(*dims), None, None


@export("torch", "Tensor")
def transpose(input, dim0, dim1):
    """A view with dimensions ``dim0`` and ``dim1`` swapped."""
    array = input._array
    n = array.ndim
    dim0 = wrap_dim(dim0 if type(dim0) is int else _int(dim0, "transpose", "dim0", 1), n)
    dim1 = wrap_dim(dim1 if type(dim1) is int else _int(dim1, "transpose", "dim1", 2), n)
    if not (_grad_state().enabled and input._requires_grad):
        return plain_view(array.swapaxes(dim0, dim1) if n else array.view(), input)
    return as_view(Transpose.apply(input, dim0, dim1), input)


@export("torch", "Tensor")
def swapaxes(input, axis0, axis1):
    """``transpose`` under NumPy's name (and argument names)."""
    return transpose(input, axis0, axis1)


@export("torch", "Tensor")
def swapdims(input, dim0, dim1):
    """``transpose`` under another name."""
    return transpose(input, dim0, dim1)


class T(Op):
    """out = the transpose of a matrix (``x.t()``).   The gradient is transposed back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.T

    @staticmethod
    def backward(ctx, grad):
        return grad.T


@export("torch", "Tensor")
def t(input):
    """Transpose of a matrix (0-d and 1-d tensors come back unchanged)."""
    n = input._array.ndim
    if n > 2:
        raise RuntimeError("t() expects a tensor with <= 2 dimensions, but self is {}D".format(n))
    if not (_grad_state().enabled and input._requires_grad):
        return plain_view(input._array.T, input)
    return as_view(T.apply(input), input)


class Permute(Op):
    """out = x with its dimensions reordered.   The gradient applies the inverse order."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return dual.permute(grad, tuple(np.argsort(ctx.dims).tolist())), None


@export("torch", "Tensor")
def permute(input, *args, dims=None):
    """A view with the dimensions in the order ``dims``."""
    dims = int_list_or_keyword(args, dims, "permute", "dims")
    n = input._array.ndim
    if len(dims) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. input."
                           "dim() = {} is not equal to len(dims) = {}".format(n, len(dims)))
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    if not (_grad_state().enabled and input._requires_grad):
        return plain_view(input._array.transpose(dims), input)
    return as_view(Permute.apply(input, dims), input)


@export("torch", "Tensor", aliases=("moveaxis",))
def movedim(input, source, destination):
    """A view with dimensions ``source`` moved to positions ``destination`` (the others keep
    their order)."""
    n = input._array.ndim
    src = (source,) if not isinstance(source, (tuple, list)) else tuple(source)
    dst = (destination,) if not isinstance(destination, (tuple, list)) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError("movedim: Invalid source or destination dims: source ({} dims) should "
                           "contain the same number of dims as destination ({} dims)".format(
                               _fmt(src), _fmt(dst)))
    src = tuple(wrap_dim(_int(d, "movedim", "source", 1), n) for d in src)
    dst = tuple(wrap_dim(_int(d, "movedim", "destination", 2), n) for d in dst)
    if len(set(src)) != len(src):
        raise RuntimeError("movedim: repeated dim in `source` ({})".format(_fmt(src)))
    if len(set(dst)) != len(dst):
        raise RuntimeError("movedim: repeated dim in `destination` ({})".format(_fmt(dst)))
    order = [d for d in range(n) if d not in src]
    for s, d in sorted(zip(dst, src)):
        order.insert(s, d)
    order = order[:n]                                      # 0-d: dim 0 is the tensor itself
    return as_view(Permute.apply(input, tuple(order)), input)


# ---------------------------------------------------------------- flip, roll


class Flip(Op):
    """out = x with the order of elements reversed along ``dims`` (a copy).
    The gradient is flipped back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x, dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return dual.flip(grad, ctx.dims), None


@export("torch", "Tensor")
def flip(input, *args, dims=None):
    """A copy with the element order reversed along each of ``dims``."""
    dims = int_list_or_keyword(args, dims, "flip", "dims")
    ndim = input._array.ndim
    dims = dims_of(dims, ndim) if dims else ()
    return Flip.apply(input, dims if ndim else ())        # a 0-d tensor: dim 0 (or -1) is itself


@export("torch", "Tensor")
def fliplr(input):
    """Reverses the columns (dimension 1)."""
    if input._array.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return Flip.apply(input, (1,))


@export("torch", "Tensor")
def flipud(input):
    """Reverses the rows (dimension 0)."""
    if input._array.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return Flip.apply(input, (0,))


class Roll(Op):
    """out = x shifted cyclically by ``shifts`` along ``dims`` (all elements, flattened, when
    ``dims`` is None).   The gradient is rolled back by ``-shifts``."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        shifts = ctx.shifts
        back = -shifts if isinstance(shifts, int) else tuple(-s for s in shifts)
        return dual.roll(grad, back, ctx.dims), None, None


@export("torch", "Tensor")
def roll(input, shifts, dims=None):
    """Elements shifted cyclically: those that fall off the end come back at the start."""
    shifts = int_list((shifts,), "roll", "shifts")
    n = input._array.ndim
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError("shifts and dimensions must align. shifts: {}, dims:0".format(
                len(shifts)))
        return Roll.apply(input, shifts[0], None)
    dims = int_list((dims,), "roll", "dims", 2)
    if n == 0:
        raise IndexError("Dimension specified as {} but tensor has no dimensions".format(dims[0]))
    if len(shifts) != len(dims):
        raise RuntimeError("shifts and dimensions must align. shifts: {}, dims:{}".format(
            len(shifts), len(dims)))
    dims = tuple(wrap_dim(d, n) for d in dims)
    return Roll.apply(input, shifts, dims)


