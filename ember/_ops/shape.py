"""Shape operations: the same numbers, arranged differently.

Most of them return a *view*: a tensor sharing memory with its input (``view``, ``transpose``,
``expand``, ``narrow`` ...), exactly as NumPy views do, so that writing into one shows in the
other.  ``repeat``, ``flip`` and ``roll`` make copies, as in torch.  Splitting and joining
(``split``, ``cat``, ``stack`` ...) are in ``joining.py``, part of this family.

Their gradients only rearrange the incoming gradient back into the input's shape: a transpose
is undone by the same transpose, an expand by summing over the expanded dimensions, a slice by
putting the gradient into zeros at the slice.

When nothing is recorded (no grad needed), a view operation skips the autograd machinery and
wraps NumPy's view directly (``plain_view``): these operations are on the hot path.
"""
import operator
import weakref

import numpy as np

from .. import _dtype
from ..autograd.function import Op
from ..autograd.grad_mode import state as _grad_state
from . import dual
from .common import Tensor, dims_of, wrap_dim

__all__ = ["reshape", "flatten", "unflatten", "ravel", "squeeze", "unsqueeze", "transpose",
           "swapaxes", "swapdims", "t", "permute", "movedim", "moveaxis", "expand_copy", "tile",
           "flip", "fliplr", "flipud", "roll", "narrow", "select", "diagonal", "atleast_1d",
           "atleast_2d", "atleast_3d"]

_as_strided = np.lib.stride_tricks.as_strided
_new = object.__new__


def as_view(result, input):
    """Marks ``result`` as a view of ``input``: they share memory and a version counter.

    The views of a computed tensor that require grad are also remembered by that tensor, so
    that when it is changed in place (``y[0] = 1``) they can be given the new history
    (``indexing.rebase_views``)."""
    base = input._base
    if base is None:
        base = input
    result._base = base
    if result._requires_grad and base.grad_fn is not None:
        views = base.__dict__.get("_views")
        if views is None:
            views = base._views = []
        views.append(weakref.ref(result))
    return result


def plain_view(array, input):
    """``array`` (a NumPy view of ``input``'s memory) as a view tensor with no history: the
    fast path of the view operations when nothing needs recording."""
    t = _new(Tensor)
    t._array = array
    t._requires_grad = False
    t.grad_fn = None
    base = input._base
    t._base = input if base is None else base
    return t


# ---------------------------------------------------------------- argument checks


def _int(value, fn, name, pos):
    """An int argument, with torch's TypeError for anything else (floats, None ...)."""
    if type(value) is int:
        return value
    if not isinstance(value, (float, bool)):
        try:
            return operator.index(value)
        except TypeError:
            pass
    raise TypeError("{}(): argument '{}' (position {}) must be int, not {}".format(
        fn, name, pos, type(value).__name__))


def int_list(args, fn, name, pos=1):
    """Sizes or dims given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(Size)``, as a
    tuple of ints."""
    for s in args:
        if type(s) is not int:
            break
    else:
        return args
    if len(args) == 1 and type(args[0]) is not int:
        arg = args[0]
        if isinstance(arg, (tuple, list)):
            for s in arg:
                if type(s) is not int:
                    break
            else:
                return tuple(arg)
            args = arg
        elif isinstance(arg, (float, bool)) or arg is None or isinstance(arg, str):
            raise TypeError("{}(): argument '{}' (position {}) must be tuple of ints, not {}"
                            .format(fn, name, pos, type(arg).__name__))
    out = []
    for i, s in enumerate(args):
        if type(s) is not int:
            try:
                if isinstance(s, float):
                    raise TypeError
                s = operator.index(s)
            except TypeError:
                raise TypeError("{}(): argument '{}' (position {}) must be tuple of ints, but "
                                "found element of type {} at pos {}".format(
                                    fn, name, pos, type(s).__name__, i)) from None
        out.append(s)
    return tuple(out)


def _fmt(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def infer_shape(shape, numel):
    """``shape`` with its -1 entry (if any) replaced so that it holds ``numel`` elements."""
    known = 1
    infer = -1
    for i, s in enumerate(shape):
        if s >= 0:
            known *= s
        elif s == -1:
            if infer >= 0:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        else:
            raise RuntimeError("invalid shape dimension {} at index {} of shape {}".format(
                s, i, _fmt(shape)))
    if infer < 0:
        if known != numel:
            raise RuntimeError("shape '{}' is invalid for input of size {}".format(
                _fmt(shape), numel))
        return shape
    if known == 0:
        if numel == 0:
            raise RuntimeError("cannot reshape tensor of 0 elements into shape {} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous"
                               .format(_fmt(shape)))
        raise RuntimeError("shape '{}' is invalid for input of size {}".format(_fmt(shape), numel))
    if numel % known:
        raise RuntimeError("shape '{}' is invalid for input of size {}".format(_fmt(shape), numel))
    return shape[:infer] + (numel // known,) + shape[infer + 1:]


# ---------------------------------------------------------------- view, reshape, flatten

_VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one "
               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


class View(Op):
    """out = x seen with another shape (same memory).   The gradient is reshaped back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        if x.flags.c_contiguous:
            return x.reshape(shape)
        return np.reshape(x, shape, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class ReshapeAlias(View):
    """out = a non-contiguous x seen with another shape (``reshape`` where a view is possible)."""


class UnsafeView(View):
    """out = a reshaped copy (``reshape`` of a tensor whose layout cannot be viewed)."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.reshape(x, shape)


def _viewable(array, shape):
    """Whether ``array`` can be given ``shape`` without copying (torch's rule is NumPy's)."""
    if array.flags.c_contiguous:
        return True
    try:
        np.reshape(array, shape, copy=False)
    except ValueError:
        return False
    return True


def view(input, *shape):
    """The same memory seen with another shape (one entry may be -1, inferred).

    ``view(dtype)`` reinterprets the bytes as another dtype (not differentiable)."""
    if len(shape) == 1 and isinstance(shape[0], (_dtype.dtype, type, np.dtype)):
        return _view_dtype(input, _dtype.to_dtype(shape[0]))
    try:
        shape = int_list(shape, "view", "size")
    except TypeError:
        raise TypeError("view() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n"
                        .format(", ".join(type(s).__name__ for s in shape))) from None
    array = input._array
    shape = infer_shape(shape, array.size)
    if array.flags.c_contiguous:
        if not (_grad_state.enabled and input._requires_grad):
            return plain_view(array.reshape(shape), input)
    elif not _viewable(array, shape):
        raise RuntimeError(_VIEW_ERROR)
    return as_view(View.apply(input, shape), input)


def _view_dtype(input, dtype):
    array = input._array
    old, new = array.dtype, dtype.numpy
    if old.itemsize != new.itemsize:
        names = (input.dtype.scalar_name, dtype.scalar_name)
        if array.ndim == 0:
            raise RuntimeError("self.dim() cannot be 0 to view {} as {} (different element sizes)"
                               .format(*names))
        if array.strides[-1] != old.itemsize and array.shape[-1] != 1:
            raise RuntimeError("self.stride(-1) must be 1 to view {} as {} (different element "
                               "sizes), but got {}".format(*names,
                                                           array.strides[-1] // old.itemsize))
        if new.itemsize > old.itemsize and array.shape[-1] % (new.itemsize // old.itemsize):
            raise RuntimeError("self.size(-1) must be divisible by {} to view {} as {} (different "
                               "element sizes), but got {}".format(
                                   new.itemsize // old.itemsize, *names, array.shape[-1]))
    return Tensor._make(array.view(new))


def view_as(input, other):
    """``input.view(other.shape)``."""
    return view(input, other._array.shape)


def reshape(input, *shape):
    """``input`` with a new shape: a view when the memory layout allows, else a copy."""
    array = input._array
    shape = infer_shape(int_list(shape, "reshape", "shape"), array.size)
    if array.flags.c_contiguous:
        if not (_grad_state.enabled and input._requires_grad):
            return plain_view(array.reshape(shape), input)
        return as_view(View.apply(input, shape), input)
    if _viewable(array, shape):
        return as_view(ReshapeAlias.apply(input, shape), input)
    return UnsafeView.apply(contiguous(input), shape)


def reshape_as(input, other):
    """``input.reshape(other.shape)``."""
    return reshape(input, other._array.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Dimensions ``start_dim`` .. ``end_dim`` merged into one (a view when possible)."""
    shape = input._array.shape
    n = len(shape)
    if n == 0:
        return reshape(input, (1,))
    start = wrap_dim(_int(start_dim, "flatten", "start_dim", 1), n)
    end = wrap_dim(_int(end_dim, "flatten", "end_dim", 2), n)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    merged = 1
    for s in shape[start:end + 1]:
        merged *= s
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    """Dimension ``dim`` split into several of the given ``sizes`` (one may be -1): a view."""
    shape = input._array.shape
    dim = wrap_dim(_int(dim, "unflatten", "dim", 1), len(shape))
    sizes = int_list((sizes,), "unflatten", "sizes", 2)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        sizes = infer_shape(sizes, shape[dim])
    except RuntimeError as e:
        if "only one" in str(e):
            raise
        raise RuntimeError("unflatten: Provided sizes {} don't multiply up to the size of dim {} "
                           "({}) in the input tensor".format(_fmt(sizes), dim,
                                                             shape[dim])) from None
    return view(input, shape[:dim] + sizes + shape[dim + 1:])


def ravel(input):
    """The elements as one dimension: ``contiguous().view(-1)``."""
    return view(contiguous(input), (-1,))


def contiguous(input):
    """``input.contiguous()`` (the copy module builds on this one, so it is imported late)."""
    from .copy import contiguous as _contiguous
    return _contiguous(input)


# ---------------------------------------------------------------- size-1 dimensions


class Unsqueeze(Op):
    """out = x with a new dimension of size 1 at ``dim``.   The gradient drops it again."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape = x.shape
        return x[(slice(None),) * dim + (None,)]

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


def unsqueeze(input, dim):
    """A view with a size-1 dimension inserted at ``dim``."""
    array = input._array
    dim = wrap_dim(dim if type(dim) is int else _int(dim, "unsqueeze", "dim", 1), array.ndim + 1)
    if not (_grad_state.enabled and input._requires_grad):
        return plain_view(array[(slice(None),) * dim + (None,)], input)
    return as_view(Unsqueeze.apply(input, dim), input)


class Squeeze(Op):
    """out = x without its size-1 dimensions.   The gradient is reshaped back."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.shape = x.shape
        return _squeezed(x, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class SqueezeDim(Squeeze):
    """out = x without dimension ``dim`` (if it has size 1)."""

    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """out = x without those of ``dims`` that have size 1."""

    node_name = "SqueezeBackward2"


def _squeezed(a, dims):
    """``a`` without the (size-1) dimensions ``dims``: a view."""
    if not dims:
        return a.view()
    index = [slice(None)] * a.ndim
    for d in dims:
        index[d] = 0
    return a[tuple(index) + (Ellipsis,)]


def squeeze(input, dim=None):
    """A view without size-1 dimensions (only among ``dim``, an int or a tuple, when given)."""
    shape = input._array.shape
    if dim is None:
        op = Squeeze
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
    elif isinstance(dim, (tuple, list)):
        op = SqueezeDims
        dims = dims_of(tuple(dim), len(shape)) if dim else ()
    else:
        op = SqueezeDim
        dims = (wrap_dim(_int(dim, "squeeze", "dim", 1), len(shape)),)
    dims = tuple(d for d in dims if len(shape) and shape[d] == 1)
    if not (_grad_state.enabled and input._requires_grad):
        return plain_view(_squeezed(input._array, dims), input)
    return as_view(op.apply(input, dims), input)


def atleast_1d(*tensors):
    """Each tensor with at least one dimension (0-d ones become shape [1])."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors):
    """Each tensor with at least two dimensions (new dimensions go in front)."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors):
    """Each tensor with at least three dimensions (a matrix [m, n] becomes [m, n, 1])."""
    return _atleast(tensors, 3)


def _atleast(tensors, n):
    single = len(tensors) == 1
    if single and isinstance(tensors[0], (list, tuple)):
        tensors, single = tuple(tensors[0]), False
    out = []
    for x in tensors:
        d = x._array.ndim
        if d < n:
            if d == 0:
                x = reshape(x, (1,) * n)
            elif n == 3 and d == 1:
                x = unsqueeze(unsqueeze(x, 0), 2)
            elif n == 3:
                x = unsqueeze(x, 2)
            else:
                x = unsqueeze(x, 0)
        out.append(x)
    return out[0] if single else tuple(out)


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


def transpose(input, dim0, dim1):
    """A view with dimensions ``dim0`` and ``dim1`` swapped."""
    array = input._array
    n = array.ndim
    dim0 = wrap_dim(dim0 if type(dim0) is int else _int(dim0, "transpose", "dim0", 1), n)
    dim1 = wrap_dim(dim1 if type(dim1) is int else _int(dim1, "transpose", "dim1", 2), n)
    if not (_grad_state.enabled and input._requires_grad):
        return plain_view(array.swapaxes(dim0, dim1) if n else array.view(), input)
    return as_view(Transpose.apply(input, dim0, dim1), input)


swapaxes = swapdims = transpose


class T(Op):
    """out = the transpose of a matrix (``x.t()``).   The gradient is transposed back."""

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
    if not (_grad_state.enabled and input._requires_grad):
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


def permute(input, *dims):
    """A view with the dimensions in the order ``dims``."""
    dims = int_list(dims, "permute", "dims")
    n = input._array.ndim
    if len(dims) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. input."
                           "dim() = {} is not equal to len(dims) = {}".format(n, len(dims)))
    dims = tuple(wrap_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    if not (_grad_state.enabled and input._requires_grad):
        return plain_view(input._array.transpose(dims), input)
    return as_view(Permute.apply(input, dims), input)


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
    return as_view(Permute.apply(input, tuple(order)), input)


moveaxis = movedim


# ---------------------------------------------------------------- expand, repeat


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


def expand(input, *sizes):
    """A view with size-1 dimensions stretched to ``sizes`` (-1 keeps a size); new dimensions
    may be added in front.  No memory is copied."""
    sizes = int_list(sizes, "expand", "size")
    shape = input._array.shape
    error = expand_error(input.dtype, shape, sizes)
    if error is not None:
        raise error
    lead = len(sizes) - len(shape)
    target = sizes[:lead] + tuple(o if s == -1 else s for s, o in zip(sizes[lead:], shape))
    if not (_grad_state.enabled and input._requires_grad):
        return plain_view(expanded(input._array, target), input)
    return as_view(Expand.apply(input, target), input)


def expand_as(input, other):
    """``input.expand(other.shape)``."""
    if not isinstance(other, Tensor):
        raise TypeError("expand_as(): argument 'other' (position 1) must be Tensor, not "
                        + type(other).__name__)
    return expand(input, other._array.shape)


def expand_copy(input, size):
    """``expand`` into new memory."""
    return contiguous(expand(input, size))


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
            raise RuntimeError("Trying to create tensor with negative dimension {}: {}".format(
                n, _fmt(out)))
    return Repeat.apply(input, repeats)


def repeat(input, *repeats):
    """``input`` copied ``repeats[i]`` times along dimension i (new dimensions in front)."""
    return _repeat(input, int_list(repeats, "repeat", "repeats"))


def tile(input, dims):
    """Like ``repeat``, but ``dims`` shorter than the tensor's rank is padded with 1s in front."""
    dims = int_list((dims,), "tile", "dims")
    dims = (1,) * (input._array.ndim - len(dims)) + dims
    return _repeat(input, dims)


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


def flip(input, *dims):
    """A copy with the element order reversed along each of ``dims``."""
    dims = int_list(dims, "flip", "dims")
    return Flip.apply(input, dims_of(dims, input._array.ndim) if dims else ())


def fliplr(input):
    """Reverses the columns (dimension 1)."""
    if input._array.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return Flip.apply(input, (1,))


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
    if len(shifts) != len(dims):
        raise RuntimeError("shifts and dimensions must align. shifts: {}, dims:{}".format(
            len(shifts), len(dims)))
    dims = tuple(wrap_dim(d, n) for d in dims)
    return Roll.apply(input, shifts, dims)


# ---------------------------------------------------------------- slices and selections


class Slice(Op):
    """out = x[start:stop:step] along ``dim`` (a view).
    The gradient is zeros like x with the incoming gradient placed at the slice."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, start, stop, step):
        index = (slice(None),) * dim + (slice(start, stop, step),)
        ctx.shape, ctx.index = x.shape, index
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        return dual.index_grad(grad, ctx.shape, ctx.index), None, None, None, None


class Select(Op):
    """out = x[index] along ``dim``, which disappears (a view).
    The gradient is zeros like x with the incoming gradient placed at ``index``."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, index):
        index = (slice(None),) * dim + (index,)
        ctx.shape, ctx.index = x.shape, index
        return x[index + (Ellipsis,)]            # a 0-d view, not a NumPy scalar

    @staticmethod
    def backward(ctx, grad):
        return dual.index_grad(grad, ctx.shape, ctx.index), None, None


class Alias(Op):
    """out = x itself, as a new view (``x[...]``).   The gradient passes unchanged."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.view()

    @staticmethod
    def backward(ctx, grad):
        return grad


def narrow(input, dim, start, length):
    """A view of ``length`` entries of dimension ``dim``, from ``start``."""
    shape = input._array.shape
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(_int(dim, "narrow", "dim", 1), len(shape))
    try:
        start, length = operator.index(start), operator.index(length)
        if isinstance(start, bool):
            raise TypeError
    except TypeError:
        raise TypeError("narrow() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (int dim, Tensor start, int length)\n * (int dim, "
                        "int start, int length)\n".format(", ".join(
                            type(a).__name__ for a in (dim, start, length)))) from None
    size = shape[dim]
    if not -size <= start <= size:
        raise IndexError("start out of range (expected to be in range of [{}, {}], but got {})"
                         .format(-size, size, start))
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError("start ({}) + length ({}) exceeds dimension size ({}).".format(
            start, length, size))
    return as_view(Slice.apply(input, dim, start, start + length, 1), input)


def select(input, dim, index):
    """The view at ``index`` along dimension ``dim``, which is removed."""
    shape = input._array.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(_int(dim, "select", "dim", 1), len(shape))
    index = _int(index, "select", "index", 2)
    if not -shape[dim] <= index < shape[dim]:
        raise IndexError("select(): index {} out of range for tensor of size {} at dimension {}"
                         .format(index, _fmt(shape), dim))
    return as_view(Select.apply(input, dim, index + shape[dim] if index < 0 else index), input)


class Diagonal(Op):
    """out = the diagonal of x in dimensions ``dim1`` and ``dim2`` (a view, its entries along a
    new last dimension).   The gradient is zeros like x with the incoming gradient on that
    diagonal."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return diagonal_view(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, grad):
        if dual.is_array(grad):
            return DiagonalGrad.forward(None, grad, ctx.shape, *ctx.args), None, None, None
        return DiagonalGrad.apply(grad, ctx.shape, *ctx.args), None, None, None


class DiagonalGrad(Op):
    """out = zeros of ``shape`` with g on a diagonal (the gradient of ``diagonal``).
    Its own gradient reads that diagonal back."""

    node_name = "DiagonalBackwardBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, g, shape, offset, dim1, dim2):
        if ctx is not None:
            ctx.args = (offset, dim1, dim2)
        out = np.zeros(shape, dtype=g.dtype)
        diagonal_view(out, offset, dim1, dim2)[...] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        if dual.is_array(grad):
            return diagonal_view(grad, *ctx.args), None, None, None, None
        return diagonal(grad, *ctx.args), None, None, None, None


def diagonal_view(a, offset, dim1, dim2):
    """The (writable) NumPy view of a diagonal, with torch's layout: the diagonal last."""
    shape, strides = a.shape, a.strides
    corner = [slice(None)] * a.ndim
    if offset >= 0:
        length = max(min(shape[dim1], shape[dim2] - offset), 0)
        corner[dim2] = slice(offset, None)
    else:
        length = max(min(shape[dim1] + offset, shape[dim2]), 0)
        corner[dim1] = slice(-offset, None)
    keep = [d for d in range(a.ndim) if d != dim1 and d != dim2]
    new_shape = tuple(shape[d] for d in keep) + (length,)
    new_strides = tuple(strides[d] for d in keep) + (strides[dim1] + strides[dim2],)
    return _as_strided(a[tuple(corner)] if length else a, new_shape, new_strides)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """A view of the diagonal with respect to ``dim1`` and ``dim2`` (``offset`` > 0: above)."""
    n = input._array.ndim
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError("diagonal dimensions cannot be identical {}, {}".format(dim1, dim2))
    return as_view(Diagonal.apply(input, int(offset), d1, d2), input)


METHODS = ("reshape", "view", "view_as", "reshape_as", "flatten", "unflatten", "ravel",
           "squeeze", "unsqueeze", "transpose", "swapaxes", "swapdims", "t", "permute",
           "movedim", "moveaxis", "expand", "expand_as", "repeat", "tile", "flip", "fliplr",
           "flipud", "roll", "narrow", "select", "diagonal")

FUNCTIONAL = ()


# splitting and joining live in their own module; they are part of this family
from . import joining  # noqa: E402  (joining builds on the views above)
from .joining import *  # noqa: E402,F401,F403

__all__ += joining.__all__
METHODS += joining.METHODS
