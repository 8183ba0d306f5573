"""Splitting tensors into pieces and joining pieces into one: ``split``, ``chunk``,
``unbind``, ``cat``, ``stack`` and their variants.

The pieces of a split are views of the input; the result of a join is new memory.  The two
are each other's gradient: the gradient of a split joins the pieces' gradients back together
(zeros for pieces that got none), the gradient of a join cuts the incoming gradient into the
inputs' pieces.
"""
import operator

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd import op as _op
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor, wrap_dim
from .views import _fmt, _int, as_view, atleast_1d, atleast_2d, atleast_3d, int_list, reshape
from .slicing import Slice
from ..core.registry import add, export


def _views_of(results, input):
    """Marks each piece of a split as a view of ``input``."""
    for r in results:
        as_view(r, input)
    return results


# ---------------------------------------------------------------- splitting


class Split(Op):
    """outs = consecutive pieces of x along ``dim`` (views).
    The gradient joins the pieces' gradients (zeros for unused pieces) back together."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim, sizes):
        ctx.dim = dim
        pieces = []
        start = 0
        lead = (slice(None),) * dim
        for s in sizes:
            pieces.append(x[lead + (slice(start, start + s),)])
            start += s
        return tuple(pieces)

    @staticmethod
    def backward(ctx, *grads):
        return dual.cat(grads, ctx.dim), None, None


class SplitWithSizes(Split):
    """outs = pieces of x of the given sizes along ``dim`` (views)."""


def _split_sizes(size, split_size):
    if split_size == 0 and size != 0:
        raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension "
                           "size of {}".format(size))
    if split_size == 0:
        return (0,)
    full, rest = divmod(size, split_size)
    return (split_size,) * full + ((rest,) if rest or not full else ())


@export("torch")
def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or pieces of the
    sizes in a list.  The pieces are views."""
    shape = tensor._array.shape
    if not shape:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = wrap_dim(_int(dim, "split", "dim", 2), len(shape))
    if isinstance(split_size_or_sections, (list, tuple)):
        return split_with_sizes(tensor, split_size_or_sections, dim)
    if isinstance(split_size_or_sections, float) or not hasattr(split_size_or_sections,
                                                                 "__index__"):
        raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of "
                        "ints, not " + type(split_size_or_sections).__name__)
    split_size = operator.index(split_size_or_sections)
    if split_size < 0:
        raise RuntimeError("split expects split_size be non-negative, but got split_size={}"
                           .format(split_size))
    return _views_of(Split.apply(tensor, dim, _split_sizes(shape[dim], split_size)), tensor)


@export("Tensor", name="split")
def split_of(self, split_size, dim=0):
    """``x.split(split_size, dim)``: ``torch.split`` with the method's argument name."""
    return split(self, split_size, dim)


split_of.__name__, split_of.__qualname__ = "split", "Tensor.split"   # as torch words errors


@export("torch", "Tensor")
def split_with_sizes(input, split_sizes, dim=0):
    """Pieces of exactly the given sizes along ``dim`` (views)."""
    shape = input._array.shape
    dim = wrap_dim(_int(dim, "split_with_sizes", "dim", 2), len(shape))
    sizes = int_list((split_sizes,), "split_with_sizes", "split_sizes", 2)
    if any(s < 0 for s in sizes):
        raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, "
                           "but got split_sizes={}".format(_fmt(sizes)))
    if sum(sizes) != shape[dim]:
        raise RuntimeError("split_with_sizes expects split_sizes to sum exactly to {} (input "
                           "tensor's size at dimension {}), but got split_sizes={}".format(
                               shape[dim], dim, _fmt(sizes)))
    return _views_of(SplitWithSizes.apply(input, dim, sizes), input)


@export("torch", "Tensor")
def chunk(input, chunks, dim=0):
    """At most ``chunks`` pieces of equal size (``ceil(size / chunks)``; the last may be
    smaller) along ``dim``.  The pieces are views."""
    shape = input._array.shape
    chunks = _int(chunks, "chunk", "chunks", 1)
    if not shape:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: {}".format(chunks))
    dim = wrap_dim(_int(dim, "chunk", "dim", 2), len(shape))
    size = shape[dim]
    split_size = (size + chunks - 1) // chunks
    if split_size == 0 and size == 0:         # torch keeps the number of (empty) chunks here
        return _views_of(SplitWithSizes.apply(input, dim, (0,) * chunks), input)
    return _views_of(Split.apply(input, dim, _split_sizes(size, split_size)), input)


@export("torch", "Tensor")
def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None):
    """Pieces along ``dim``: ``n`` sections of sizes differing by at most one, or cut before
    each of the given indices.  Each piece is a ``narrow`` view (SliceBackward0)."""
    shape = input._array.shape
    if not shape:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    spec = indices_or_sections if indices_or_sections is not None else (
        sections if sections is not None else indices)
    dim = wrap_dim(_int(dim, "tensor_split", "dim", 2), len(shape))
    size = shape[dim]
    if isinstance(spec, Tensor):
        if spec._array.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               "with {} dims".format(spec._array.ndim))
        spec = spec.tolist()
    if isinstance(spec, (list, tuple)):
        bounds = [min(max(i + size if i < 0 else i, 0), size) for i in int_list(
            (spec,), "tensor_split", "indices")]
        starts = [0] + bounds
        stops = bounds + [size]
    else:
        n = _int(spec, "tensor_split", "sections", 1)
        if n <= 0:
            raise RuntimeError("number of sections must be larger than 0, got {}".format(n))
        small, extra = divmod(size, n)
        starts, stops, at = [], [], 0
        for i in range(n):
            starts.append(at)
            at += small + (i < extra)
            stops.append(at)
    return tuple(as_view(Slice.apply(input, dim, a, max(a, b), 1), input)
                 for a, b in zip(starts, stops))


def _split_dims(name, input, spec, dim, min_dim):
    n = input._array.ndim
    if n < min_dim:
        raise RuntimeError("torch.{} requires a tensor with at least {} dimension, but got a "
                           "tensor with {} dimensions!".format(name, min_dim, n))
    if not isinstance(spec, (list, tuple, Tensor)):
        size = input._array.shape[dim]
        if spec == 0 or size % spec:
            raise RuntimeError("torch.{} attempted to split along dimension {}, but the size of "
                               "the dimension {} is not divisible by the split_size {}!".format(
                                   name, dim, size, spec))
    return tensor_split(input, spec, dim)


def _sections_or_indices(name, input, sections, indices):
    """torch's two signatures, ``(input, int sections)`` and ``(input, tuple indices)``."""
    if (sections is None) == (indices is None):
        raise TypeError("{}() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (Tensor input, int sections)\n * (Tensor input, "
                        "tuple of ints indices)\n".format(name, "Tensor" if sections is None
                                                          else "Tensor, Tensor, Tensor"))
    return sections if sections is not None else indices


def _split_method(fn):
    """The method of ``hsplit``/``vsplit``/``dsplit``, which also takes the indices one by
    one: ``x.hsplit(1, 2)`` is ``x.hsplit((1, 2))``."""
    def method(input, *args, **kwargs):
        if len(args) > 1 and not kwargs:
            args = (int_list(args, fn.__name__, "indices"),)
        return fn(input, *args, **kwargs)
    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


@export("torch")
def hsplit(input, sections=None, indices=None):
    """``tensor_split`` along dimension 1 (dimension 0 for a vector), sizes must divide."""
    return _split_dims("hsplit", input, _sections_or_indices("hsplit", input, sections, indices),
                       1 if input._array.ndim > 1 else 0, 1)


@export("torch")
def vsplit(input, sections=None, indices=None):
    """``tensor_split`` along dimension 0 (needs at least 2 dimensions)."""
    return _split_dims("vsplit", input, _sections_or_indices("vsplit", input, sections, indices),
                       0, 2)


@export("torch")
def dsplit(input, sections=None, indices=None):
    """``tensor_split`` along dimension 2 (needs at least 3 dimensions)."""
    return _split_dims("dsplit", input, _sections_or_indices("dsplit", input, sections, indices),
                       2, 3)


for _fn in (hsplit, vsplit, dsplit):
    add("Tensor", _fn.__name__, _split_method(_fn))


class Unbind(Op):
    """outs = the slices of x along ``dim`` (views, that dimension removed).
    The gradient stacks the slices' gradients (zeros for unused ones)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        lead = (slice(None),) * dim
        return tuple(x[lead + (i, Ellipsis)] for i in range(x.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return dual.stack(grads, ctx.dim), None


@export("torch", "Tensor")
def unbind(input, dim=0):
    """The slices along ``dim`` as a tuple of views (how iterating over a tensor works)."""
    shape = input._array.shape
    if not shape:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = wrap_dim(_int(dim, "unbind", "dim", 1), len(shape))
    if shape[dim] == 0:
        return ()
    return _views_of(Unbind.apply(input, dim), input)


# ---------------------------------------------------------------- joining


class Cat(Op):
    """out = the inputs joined along ``dim``.   Each input gets its slice of the gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, *args):                 # the arrays, then dim (non-tensors go last)
        arrays, dim = args[:-1], args[-1]
        ctx.dim = dim
        sizes = []
        joined = []
        for a in arrays:
            if a.ndim == 1 and a.size == 0 and a.ndim != arrays[0].ndim + 1:
                sizes.append(None)           # a legacy empty vector: skipped (see ``cat``)
            else:
                sizes.append(a.shape[dim])
                joined.append(a)
        ctx.sizes = sizes
        if not joined:
            return np.concatenate(arrays)
        return np.concatenate(joined, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads = []
        start = 0
        lead = (slice(None),) * ctx.dim
        for size in ctx.sizes:
            if size is None:
                grads.append(dual.zeros((0,), grad))
                continue
            grads.append(grad[lead + (slice(start, start + size),)])
            start += size
        return tuple(grads) + (None,)


def _tensor_list(tensors, fn):
    if isinstance(tensors, Tensor):
        raise TypeError("{}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        "Tensor".format(fn))
    tensors = list(tensors)
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError("expected Tensor as element {} in argument 0, but got {}".format(
                i, type(x).__name__))
    return tensors


def _promoted(tensors):
    """The tensors converted to their common dtype (torch promotes inside cat and stack)."""
    first = tensors[0]._array.dtype
    for x in tensors:
        if x._array.dtype is not first:
            break
    else:
        return tensors
    target = tensors[0].dtype
    for x in tensors[1:]:
        target = _dtype.promote_types(target, x.dtype)
    return [x if x._array.dtype == target.numpy else x.to(target) for x in tensors]


@export("torch", aliases=("concat", "concatenate"))
def cat(tensors, dim=0, *, out=None):
    """Joins tensors along the existing dimension ``dim`` (all other sizes must agree).
    Empty vectors (shape [0]) are skipped, as in torch."""
    if out is None and type(dim) is int:
        fast = _join_plain(tensors)
        if fast is not None:
            try:
                return Tensor._make(np.concatenate(fast, axis=dim))
            except (ValueError, TypeError):
                pass                # torch's message comes from the checks below
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    ref = None
    for i, x in enumerate(tensors):
        a = x._array
        if a.ndim == 0:
            raise RuntimeError("zero-dimensional tensor (at position {}) cannot be concatenated"
                               .format(i))
        if ref is None and not (a.ndim == 1 and a.size == 0):
            ref = a
    if ref is None:
        ref = tensors[0]._array
    dim = wrap_dim(_int(dim, "cat", "dim", 2), ref.ndim)
    for i, x in enumerate(tensors):
        a = x._array
        if a.ndim == 1 and a.size == 0:
            continue
        if a.ndim != ref.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got {} and {}".format(
                ref.ndim, a.ndim))
        if a.shape != ref.shape:
            for d in range(a.ndim):
                if d != dim and a.shape[d] != ref.shape[d]:
                    raise RuntimeError(
                        "Sizes of tensors must match except in dimension {}. Expected size {} "
                        "but got size {} for tensor number {} in the list.".format(
                            dim, ref.shape[d], a.shape[d], i))
    result = Cat.apply(*_promoted(tensors), dim)
    if out is not None:
        return _into(out, result)
    return result




def _join_plain(tensors):
    """The arrays of ``tensors`` when joining them needs no graph and no type promotion (one
    dtype), else None.  Anything else that torch refuses, NumPy refuses too, and the checks
    in ``cat`` then say it in torch's words."""
    if type(tensors) is not list and type(tensors) is not tuple or not tensors or \
            _op._transform is not None:            # a function transform sees the ops
        return None
    record = _grad_state().enabled
    dtype = None
    arrays = []
    for x in tensors:
        if not isinstance(x, Tensor) or record and x._requires_grad:
            return None
        a = x._array
        if a.dtype is not dtype:
            if dtype is not None:
                return None
            dtype = a.dtype
        arrays.append(a)
    return arrays


def _stacked(arrays, dim):
    """``np.stack``, faster: each array gets a size-1 dimension at ``dim``, then they are
    joined along it."""
    shape = arrays[0].shape
    shape = shape[:dim] + (1,) + shape[dim:]
    return np.concatenate([a.reshape(shape) for a in arrays], axis=dim)


def _into(out, result):
    """Writes an op's result into a given ``out=`` tensor (resized, as in torch)."""
    out._array = result._array.astype(out._array.dtype, copy=False)
    out._bump_version()
    return out


class Stack(Op):
    """out = the inputs joined along a new dimension ``dim``.
    Each input gets its slice (index i along ``dim``) of the gradient."""

    exact_grads = True

    @staticmethod
    def forward(ctx, *args):                 # the arrays, then dim
        arrays, dim = args[:-1], args[-1]
        ctx.dim, ctx.count = dim, len(arrays)
        return _stacked(arrays, dim)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        return tuple(grad[lead + (i, Ellipsis)] for i in range(ctx.count)) + (None,)


@export("torch")
def stack(tensors, dim=0, *, out=None):
    """Joins tensors of equal shape along a new dimension ``dim``."""
    if out is None and type(dim) is int:
        fast = _join_plain(tensors)
        if fast is not None and -len(fast[0].shape) - 1 <= dim <= len(fast[0].shape):
            shape = fast[0].shape
            if all(a.shape == shape for a in fast):
                return Tensor._make(_stacked(fast, dim % (len(shape) + 1)))
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._array.shape
    for i, x in enumerate(tensors):
        if x._array.shape != shape:
            raise _errors.stack_sizes(_fmt(shape), _fmt(x._array.shape), i)
    dim = wrap_dim(_int(dim, "stack", "dim", 2), len(shape) + 1)
    result = Stack.apply(*_promoted(tensors), dim)
    if out is not None:
        return _into(out, result)
    return result


def _stacker(name, make, dim_of):
    def fn(tensors, *, out=None):
        tensors = _tensor_list(tensors, name)
        if not tensors:
            raise RuntimeError("{} expects a non-empty TensorList".format(name))
        tensors = [make(x) for x in tensors]
        return cat(tensors, dim_of(tensors), out=out)
    fn.__name__ = name
    return fn


hstack = export("torch")(
    _stacker("hstack", atleast_1d, lambda ts: 0 if ts[0]._array.ndim == 1 else 1))
hstack.__doc__ = "Joins tensors column-wise (along dimension 1; vectors end to end)."
vstack = export("torch", aliases=("row_stack",))(_stacker("vstack", atleast_2d, lambda ts: 0))
vstack.__doc__ = "Joins tensors row-wise: vectors become the rows of a matrix."
dstack = export("torch")(_stacker("dstack", atleast_3d, lambda ts: 2))
dstack.__doc__ = "Joins tensors depth-wise (along dimension 2, after ``atleast_3d``)."


def _as_column(x):
    n = x._array.ndim
    return reshape(x, (x._array.size, 1)) if n <= 1 else x


column_stack = export("torch")(_stacker("column_stack", _as_column, lambda ts: 1))
column_stack.__doc__ = "Joins vectors (as columns) and matrices along dimension 1."


