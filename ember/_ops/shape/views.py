"""Shape operations: the same numbers, arranged differently.

Most of them return a *view*: a tensor sharing memory with its input, exactly as NumPy views
do, so that writing into one shows in the other.  This module has the views that keep the
elements in their order and only change the shape (``view``, ``reshape``, ``flatten``,
``squeeze``, ``unsqueeze`` ...), the bookkeeping every view needs (``as_view``, ``plain_view``)
and the argument checks the family shares.  The rest of the family:

* ``reordering.py``: the same elements in another order (``transpose``, ``permute``, ``movedim``,
  ``t`` are views; ``flip`` and ``roll`` copies, as in torch);
* ``repeating.py``: elements repeated (``expand`` is a view, ``repeat`` and ``tile`` copies);
* ``slicing.py``: a part of the tensor as a view (``narrow``, ``select``, ``diagonal``);
* ``joining.py``: splitting and joining (``split``, ``cat``, ``stack`` ...).

Their gradients only rearrange the incoming gradient back into the input's shape: a transpose
is undone by the same transpose, an expand by summing over the expanded dimensions, a slice by
putting the gradient into zeros at the slice.

When nothing is recorded (no grad needed), a view operation skips the autograd machinery and
wraps NumPy's view directly (``plain_view``): these operations are on the hot path.
"""
import operator
import weakref

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd import op as _op
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core.common import Tensor, as_int, dims_of, wrap_dim
from ..core.registry import export


_new = object.__new__


def as_view(result, input):
    """Marks ``result`` as a view of ``input``: they share memory and a version counter.

    The views of a computed tensor that require grad are also remembered by that tensor, so
    that when it is changed in place (``y[0] = 1``) they can be given the new history
    (``writing.rebase_views``)."""
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
    if _op._transform is not None:           # a transform: the same view of the tangent/batch
        _op._transform.follow_view(t, input)
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
        try:
            out.append(as_int(s))
        except TypeError:
            raise TypeError("{}(): argument '{}' (position {}) must be tuple of ints, but "
                            "found element of type {} at pos {}".format(
                                fn, name, pos, type(s).__name__, i)) from None
    return tuple(out)


def int_list_or_keyword(args, keyword, fn, name):
    """The sizes or dims of a method that takes them one by one (``x.permute(1, 0)``), as one
    sequence (``x.permute((1, 0))``) or by keyword (``x.permute(dims=(1, 0))``), as a tuple."""
    if keyword is None:
        return int_list(args, fn, name)
    if args:
        raise TypeError("{}() got multiple values for argument '{}'".format(fn, name))
    return int_list((keyword,), fn, name)


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
            raise _errors.invalid_shape(_fmt(shape), numel)
        return shape
    if known == 0:
        if numel == 0:
            raise RuntimeError("cannot reshape tensor of 0 elements into shape {} because the "
                               "unspecified dimension size -1 can be any value and is ambiguous"
                               .format(_fmt(shape)))
        raise _errors.invalid_shape(_fmt(shape), numel)
    if numel % known:
        raise _errors.invalid_shape(_fmt(shape), numel)
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


@export("Tensor")
def view(input, *shape, size=None, dtype=None):
    """The same memory seen with another shape (one entry may be -1, inferred).

    ``view(dtype)`` reinterprets the bytes as another dtype (not differentiable)."""
    if dtype is not None and not shape and size is None:
        shape = (dtype,)
    if len(shape) == 1 and isinstance(shape[0], (_dtype.dtype, type, np.dtype)):
        return _view_dtype(input, _dtype.to_dtype(shape[0]))
    try:
        shape = int_list_or_keyword(shape, size, "view", "size")
    except TypeError:
        raise TypeError("view() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n"
                        .format(", ".join(type(s).__name__ for s in shape))) from None
    array = input._array
    shape = infer_shape(shape, array.size)
    if array.flags.c_contiguous:
        if not (_grad_state().enabled and input._requires_grad):
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


@export("Tensor")
def view_as(input, other):
    """``input.view(other.shape)``."""
    return view(input, other._array.shape)


@export("torch", "Tensor")
def reshape(input, *args, shape=None):
    """``input`` with a new shape: a view when the memory layout allows, else a copy."""
    array = input._array
    shape = infer_shape(int_list_or_keyword(args, shape, "reshape", "shape"), array.size)
    if array.flags.c_contiguous:
        if not (_grad_state().enabled and input._requires_grad):
            return plain_view(array.reshape(shape), input)
        return as_view(View.apply(input, shape), input)
    if _viewable(array, shape):
        return as_view(ReshapeAlias.apply(input, shape), input)
    return UnsafeView.apply(contiguous(input), shape)


@export("Tensor")
def reshape_as(input, other):
    """``input.reshape(other.shape)``."""
    return reshape(input, other._array.shape)


@export("torch", "Tensor")
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


@export("torch", "Tensor")
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


@export("torch", "Tensor")
def ravel(input):
    """The elements as one dimension: ``contiguous().view(-1)``."""
    return view(contiguous(input), (-1,))


def contiguous(input):
    """``input.contiguous()`` (the copy module builds on this one, so it is imported late)."""
    from ..core.copy import contiguous as _contiguous
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


@export("torch", "Tensor")
def unsqueeze(input, dim):
    """A view with a size-1 dimension inserted at ``dim``."""
    array = input._array
    dim = wrap_dim(dim if type(dim) is int else _int(dim, "unsqueeze", "dim", 1), array.ndim + 1)
    if not (_grad_state().enabled and input._requires_grad):
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


@export("Tensor", name="squeeze")
def squeeze_method(input, *dims, dim=None):
    """``x.squeeze(dim)``; the method also takes several dims one by one: ``x.squeeze(0, 2)``."""
    if len(dims) > 1:
        if dim is not None:
            raise TypeError("squeeze() received an invalid combination of arguments - got "
                            "(int, dim=int), but expected one of:\n * ()\n * (int dim)\n"
                            " * (tuple of ints dim)\n")
        dim = int_list(dims, "squeeze", "dim")
    elif dims:
        if dim is not None:
            raise TypeError("squeeze() got multiple values for argument 'dim'")
        dim = dims[0]
    return squeeze(input, dim)


@export("torch")
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
    if not (_grad_state().enabled and input._requires_grad):
        return plain_view(_squeezed(input._array, dims), input)
    return as_view(op.apply(input, dims), input)


@export("torch")
def atleast_1d(*tensors):
    """Each tensor with at least one dimension (0-d ones become shape [1])."""
    return _atleast(tensors, 1)


@export("torch")
def atleast_2d(*tensors):
    """Each tensor with at least two dimensions (new dimensions go in front)."""
    return _atleast(tensors, 2)


@export("torch")
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
