"""Indexing: ``x[i]``, ``x[1:3]``, ``x[mask]``, ``x[[0, 2]]`` and ``x[i] = v``.

Reading ``x[index]`` follows torch's rules.  The parts of the index are applied from left to
right: an integer selects (``SelectBackward0``), a slice narrows (``SliceBackward0``), ``None``
inserts a dimension (``UnsqueezeBackward0``) -- each a view, sharing memory with ``x``.  Index
tensors, lists and boolean masks are applied last, all together, with NumPy's rules for
"advanced" indexing (``IndexBackward0``); their result is a copy.  (This differs from NumPy
in one way: ``x[0, :, [0, 1]]`` selects first, so the indexed dimension stays in place.)

The gradient of reading is the incoming gradient placed into zeros shaped like ``x``, at the
positions that were read (added up, where an index repeats).

Writing ``x[index] = v`` changes ``x``'s memory.  When that must be recorded, ``x`` gets a new
graph node: its gradient passes through unchanged except at ``index``, where it goes to ``v``
instead.  The node is ``CopySlices`` when a view was written to (``x[0] = v``),
``IndexPutBackward0`` for index tensors (``x[mask] = v``), ``CopyBackwards`` or
``FillBackward3`` for the whole tensor (``x[:] = v``).  Writing into a view of a computed
tensor changes the base tensor's history, and every view of it then reads from that new
history (``AsStridedBackward0``), as in torch.

The rest of the family: ``gathering.py`` (``gather``, ``scatter``, ``index_select``,
``masked_fill`` ...) and ``sorting.py`` (``sort``, ``topk`` ...).
"""
import operator
import warnings

import numpy as np

from ..autograd.function import Op
from ..autograd.grad_mode import state as _grad_state
from . import dual
from .common import Tensor
from .shape import Alias, Select, Slice, Unsqueeze, as_view, expand_error, plain_view

__all__ = ["index_put"]

_TYPES_ERROR = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices (got {})")
_DTYPE_ERROR = "tensors used as indices must be long, int, byte or bool tensors"
_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


def _fmt(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


# ---------------------------------------------------------------- reading an index


def _as_tuple(index):
    """The parts of an index.  A short list holding slices, sequences or tensors is read as a
    tuple of parts (deprecated in torch, with its warning)."""
    if type(index) is tuple:
        return index
    if type(index) is list and len(index) < 32:
        for part in index:
            if part is None or part is Ellipsis or isinstance(
                    part, (slice, list, tuple, Tensor, np.ndarray)):
                warnings.warn(
                    "Using a non-tuple sequence for multidimensional indexing is deprecated and "
                    "will be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In "
                    "pytorch 2.9 this will be interpreted as tensor index, x[torch.tensor(seq)], "
                    "which will result either in an error or a different result", UserWarning,
                    stacklevel=4)
                return tuple(index)
    return (index,)


def _index_array(part):
    """An index tensor, array or list as a NumPy array of int64/int32 indices, or a bool mask;
    a 0-d integer one as an int, a 0-d bool one as a bool."""
    if isinstance(part, Tensor):
        a = part._array
    else:
        if isinstance(part, str):
            raise TypeError("new(): invalid data type 'str'")
        a = np.asarray(part)
        if a.dtype.kind == "f":
            a = a.astype(np.int64)          # torch reads lists and arrays of floats as longs
        elif a.dtype.kind == "U" or a.dtype.kind == "S":
            raise TypeError("new(): invalid data type 'str'")
    kind = a.dtype.kind
    if kind == "b" or a.dtype == np.uint8:
        if a.ndim == 0:
            return bool(a)
        if kind != "b":
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                          "torch.bool instead.", UserWarning, stacklevel=4)
            a = a.astype(bool)
        return a
    if kind in "iu":
        if a.ndim == 0:
            return int(a)
        if a.dtype in _INDEX_DTYPES:
            return a
    raise IndexError(_DTYPE_ERROR)


def _parts(index):
    """Each part of the index in one of six forms: int, bool, slice, None, Ellipsis, array."""
    out = []
    for part in _as_tuple(index):
        t = type(part)
        if t is int or t is slice or t is bool or part is None or part is Ellipsis:
            out.append(part)
        elif isinstance(part, np.bool_):
            out.append(bool(part))
        elif isinstance(part, np.integer):
            out.append(int(part))
        elif isinstance(part, (Tensor, np.ndarray, list, tuple, str)):
            out.append(_index_array(part))
        else:
            raise IndexError(_TYPES_ERROR.format(t.__name__))
    return out


def _slice_bounds(part, size):
    step = part.step
    if step is not None:
        step = operator.index(step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
    if any(isinstance(v, Tensor) for v in (part.start, part.stop, step)):
        part = slice(*(operator.index(v) if v is not None else None
                       for v in (part.start, part.stop, step)))
    return part.indices(size)


def plan(shape, index, keep_full_slice=False, check_bounds=True):
    """How torch applies ``index`` to a tensor of ``shape``.

    Returns ``(steps, basic, advanced)``: the view operations, in order, as ``(Op, args)``;
    the same views as one NumPy index (ints, slices, None); and the index arrays to apply to
    the resulting view (a NumPy index tuple), or None.  A full slice ``:`` inside a tuple is
    no operation; a lone one (``x[:]`` when reading) still is, as in torch.  Index tensors are
    checked against the sizes unless ``check_bounds`` is False (writing checks them later)."""
    parts = _parts(index)
    ndim = len(shape)
    specified = 0
    for p in parts:
        if type(p) is int or type(p) is slice:
            specified += 1
        elif type(p) is np.ndarray:
            specified += p.ndim if p.dtype.kind == "b" else 1
    if specified > ndim:
        if ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError("too many indices for tensor of dimension {}".format(ndim))
    steps = []
    basic = []
    arrays = []                      # (dim, array) of the advanced parts
    cur = list(shape)
    dim = 0
    ellipsis_seen = False
    for position, p in enumerate(parts):     # torch names a part by its position
        t = type(p)
        if t is int:
            size = cur[dim]
            if not -size <= p < size:
                raise IndexError("index {} is out of bounds for dimension {} with size {}".format(
                    p, position, size))
            if p < 0:
                p += size
            steps.append((Select, (dim, p)))
            basic.append(p)
            del cur[dim]
        elif t is slice:
            start, stop, step = _slice_bounds(p, cur[dim])
            length = len(range(start, stop, step))
            # torch skips a slice written as covering everything (``:``, ``0:n``), but not one
            # that only works out that way (``-n:``)
            if step == 1 and stop == cur[dim] and (p.start is None or p.start == 0) \
                    and not keep_full_slice:
                basic.append(slice(None))
            else:
                stop = max(stop, start)
                steps.append((Slice, (dim, start, stop, step)))
                basic.append(slice(start, stop, step))
                cur[dim] = length
            dim += 1
        elif p is None or t is bool:
            steps.append((Unsqueeze, (dim,)))
            basic.append(None)
            cur.insert(dim, 1)
            if t is bool:
                arrays.append((dim, np.zeros(1 if p else 0, dtype=np.int64)))
            dim += 1
        elif p is Ellipsis:
            skip = 0 if ellipsis_seen else ndim - specified
            ellipsis_seen = True
            basic.extend([slice(None)] * skip)
            dim += skip
        else:
            k = p.ndim if p.dtype.kind == "b" else 1
            arrays.append((dim, p))
            basic.extend([slice(None)] * k)
            dim += k
    if not arrays:
        return steps, tuple(basic), None
    return steps, tuple(basic), _advanced(cur, arrays, check_bounds)


def _advanced(shape, arrays, check_bounds=True):
    """Checks the index arrays against the indexed (viewed) ``shape`` with torch's errors, and
    returns them as a NumPy index tuple.  (``x[i] = v`` checks the bounds itself, later.)"""
    shapes = []
    for dim, a in arrays:
        if a.dtype.kind == "b":
            for j, n in enumerate(a.shape):
                if dim + j >= len(shape) or shape[dim + j] != n:
                    raise IndexError("The shape of the mask {} at index {} does not match the "
                                     "shape of the indexed tensor {} at index {}".format(
                                         _fmt(a.shape), j, _fmt(shape), dim + j))
            shapes.extend([(int(np.count_nonzero(a)),)] * a.ndim)
        else:
            shapes.append(a.shape)
    try:
        broadcast = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(_fmt(s) for s in shapes)) from None
    index = []
    indexed = set()
    d = 0
    for dim, a in arrays:
        index.extend([slice(None)] * (dim - d))
        index.append(a)
        d = dim + (a.ndim if a.dtype.kind == "b" else 1)
        indexed.update(range(dim, d))
    index = tuple(index)
    if 0 in broadcast or any(n == 0 for k, n in enumerate(shape) if k not in indexed):
        # nothing is read, so torch never looks at the indices: any valid ones will do
        return tuple(np.zeros_like(p) if type(p) is np.ndarray and p.dtype.kind != "b" and
                     shape[k] else p for k, p in enumerate(index))
    if check_bounds:
        check_index_bounds(shape, index)
    return index


def _result_shape(shape, index):
    """The shape of ``a[index]`` for an array ``a`` of ``shape``, without looking at whether the
    indices are in range (torch checks the value written before the indices)."""
    probe_shape = list(shape)
    probe = []
    d = 0
    for p in index:
        if type(p) is np.ndarray and p.dtype.kind != "b":
            probe_shape[d] = max(probe_shape[d], 1)
            probe.append(np.zeros_like(p))
        else:
            probe.append(p)
        d += p.ndim if type(p) is np.ndarray and p.dtype.kind == "b" else 1
    return np.empty(probe_shape, np.bool_)[tuple(probe)].shape


def check_index_bounds(shape, index):
    """torch's error for an index out of range.  Like torch, it reports the first element (in
    the result's order) with a bad index, and names the dimension by its position among the
    index tensors (a mask counting for all its dimensions)."""
    checks = []                          # (position, size, indices)
    position = 0
    d = 0
    for p in index:
        if type(p) is not np.ndarray:
            d += 1
        elif p.dtype.kind == "b":
            d += p.ndim
            position += p.ndim
        else:
            checks.append((position, shape[d], p))
            d += 1
            position += 1
    if not any(p.size and (p.min() < -n or p.max() >= n) for _, n, p in checks):
        return
    common = np.broadcast_shapes(*(p.shape for _, _, p in checks))
    bad = [np.broadcast_to((p < -n) | (p >= n), common).reshape(-1) for _, n, p in checks]
    first = int(np.argmax(np.logical_or.reduce(bad)))
    for (position, size, p), wrong in zip(checks, bad):
        if wrong[first]:
            raise IndexError("index {} is out of bounds for dimension {} with size {}".format(
                np.broadcast_to(p, common).reshape(-1)[first], position, size))


def fresh(a):
    """``a`` laid out row by row, like a newly allocated torch tensor (NumPy may leave the
    result of advanced indexing transposed)."""
    return np.ascontiguousarray(a)


def read(a, index):
    """``a`` at ``index`` = (basic, advanced) (an array or a tensor; a view when basic)."""
    basic, adv = index
    view = a[basic + (Ellipsis,)]
    return view if adv is None else view[adv]


def _write(a, index, value):
    basic, adv = index
    view = a[basic + (Ellipsis,)]
    view[Ellipsis if adv is None else adv] = value


# ---------------------------------------------------------------- x[index]


class Index(Op):
    """out = x[index arrays] (a copy).
    dx = zeros like x, with d(out) added in at the indexed positions (repeats add up)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        return fresh(x[index])

    @staticmethod
    def backward(ctx, grad):
        return index_grad(grad, ctx.shape, ctx.index), None


class IndexGrad(Op):
    """out = zeros(shape) with g added at ``index`` (the gradient of indexing).
    Its own gradient reads the same positions back: d(out)[index]."""

    node_name = "IndexPutBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, g, shape, index):
        if ctx is not None:
            ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        _accumulate(out, index, g)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None


def _accumulate(out, index, g):
    """``out[index] += g``, where repeated positions add up."""
    parts = index if type(index) is tuple else (index,)
    if all(type(p) is not np.ndarray or p.dtype.kind == "b" for p in parts):
        out[index] += g                 # no position can repeat: a plain write
    else:
        np.add.at(out, index, g)


def index_grad(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the gradient of ``x[index]``."""
    if not isinstance(grad, Tensor):
        return IndexGrad.forward(None, np.asarray(grad), shape, index)
    return IndexGrad.apply(grad, shape, index)


def getitem(self, index):
    """``self[index]``: torch's indexing rules (see the module docstring), with a gradient."""
    array = self._array
    record = _grad_state.enabled and self._requires_grad
    if not record:
        if _simple(index):
            try:                    # ints and slices only: NumPy's own basic indexing
                return plain_view(array[index + (Ellipsis,)] if type(index) is tuple else
                                  array[index, ...], self)
            except IndexError:
                pass                # torch's message comes from the general path below
        elif isinstance(index, Tensor) and index._array.ndim and (
                index._array.dtype in _INDEX_DTYPES or index._array.dtype.kind == "b"):
            try:                    # one index tensor or mask: NumPy's advanced indexing
                return Tensor._make(array[index._array])
            except IndexError:
                pass
    elif _simple(index):
        steps = _simple_steps(array.shape, index)
        if steps is not None:
            out = self
            for op, args in steps:
                out = as_view(op.apply(out, *args), self)
            return out if steps else as_view(Alias.apply(self), self)
    elif isinstance(index, Tensor) and _in_bounds(index._array, array.shape):
        return Index.apply(self, (index._array,))
    steps, basic, adv = plan(array.shape, index, keep_full_slice=type(index) is slice)
    if record:
        out = self
        for op, args in steps:
            out = as_view(op.apply(out, *args), self)
        if adv is not None:
            return Index.apply(out, adv)
        return out if steps else as_view(Alias.apply(self), self)
    view = array[basic + (Ellipsis,)]
    if adv is not None:
        return Tensor._make(fresh(view[adv]))
    return plain_view(view, self)


def _simple_steps(shape, index):
    """``plan``'s view steps for a ``_simple`` index, quickly; None when an int is out of
    range (``plan`` then raises torch's error)."""
    parts = index if type(index) is tuple else (index,)
    if len(parts) > len(shape):
        return None
    steps = []
    dim = 0
    for real, part in enumerate(parts):
        size = shape[real]
        if type(part) is int:
            if not -size <= part < size:
                return None
            steps.append((Select, (dim, part + size if part < 0 else part)))
            continue
        start, stop, step = part.indices(size)
        if not (step == 1 and stop == size and (part.start is None or part.start == 0)
                and type(index) is tuple):
            steps.append((Slice, (dim, start, max(stop, start), step)))
        dim += 1
    return steps


def _in_bounds(a, shape):
    """Whether the tensor index ``a`` alone reads ``x[a]`` without error: int64/int32 indices
    in range, or a bool mask of the right shape."""
    if not a.ndim or not shape:
        return False
    if a.dtype.kind == "b":
        return a.shape == shape[:a.ndim]
    if a.dtype not in _INDEX_DTYPES:
        return False
    return not a.size or -shape[0] <= a.min() and a.max() < shape[0]


def _simple(index):
    """Whether ``index`` is an int, a slice with a positive step, or a tuple of those (NumPy
    then reads it exactly as torch does)."""
    t = type(index)
    if t is int:
        return True
    if t is slice:
        return index.step is None or type(index.step) is int and index.step > 0
    if t is not tuple:
        return False
    for part in index:
        t = type(part)
        if t is slice:
            step = part.step
            if step is not None and (type(step) is not int or step <= 0):
                return False
        elif t is not int:
            return False
    return True


# ---------------------------------------------------------------- x[index] = value


class CopySlices(Op):
    """x[index] = v, written into x's memory.
    dx = d(out) with zeros at ``index`` (those values were overwritten);
    dv = d(out)[index], summed back to v's shape (v was broadcast)."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, v, index, value_shape):
        ctx.index, ctx.value_shape = index, value_shape
        _write(x, index, np.reshape(v, _strip_ones(value_shape)) if value_shape else v)
        return x

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        grad_x = grad_v = None
        if needs[0]:
            grad_x = zero_at(grad, ctx.index)
        if needs[1]:
            shape = ctx.value_shape
            grad_v = dual.sum_to(read(grad, ctx.index), _strip_ones(shape)).reshape(shape)
        return grad_x, grad_v, None, None


class IndexPut(CopySlices):
    """x[index tensors] = v, in place (``IndexPutBackward0``)."""


class Copy(CopySlices):
    """x[...] = v for a tensor v: ``x.copy_(v)`` (``CopyBackwards``)."""

    node_name = "CopyBackwards"


class Fill(CopySlices):
    """x[...] = number: ``x.fill_(number)`` (``FillBackward3``)."""

    node_name = "FillBackward3"


class AsStrided(Op):
    """The history of a view after its base was changed in place: out = the base's elements
    that the view's memory covers.  The gradient is zeros like the base with the incoming
    gradient at those elements (found from the two memory layouts when backward needs them)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, base, view):
        ctx.base, ctx.view = base, view
        return view

    @staticmethod
    def backward(ctx, grad):
        base = ctx.base
        return index_grad(grad, base.shape, view_coords(ctx.view, base)), None


def zero_at(g, index):
    """A copy of ``g`` with zeros at ``index`` (the gradient of an overwritten input)."""
    if dual.is_array(g):
        g = np.array(g)
        _write(g, index, 0)
        return g
    keep = np.ones(tuple(g.shape), dtype=bool)
    _write(keep, index, False)
    return g * Tensor._make(keep)


def _strip_ones(shape):
    """``shape`` without leading 1s (how torch fits a value into an indexed region)."""
    i = 0
    while i < len(shape) and shape[i] == 1:
        i += 1
    return tuple(shape[i:])


def _type_name(value):
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else t.__module__ + "." + t.__name__


# torch names dtypes by their C++ types in some messages
C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
           "int32": "int", "int64": "long int", "float16": "c10::Half", "float32": "float",
           "float64": "double"}
_C_TYPES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t"}


def checked_scalar(value, np_dtype):
    """A number to be written into a tensor of ``np_dtype``, with torch's overflow error for
    integer tensors (negative numbers wrap around in unsigned ones, as in torch)."""
    if np_dtype.kind not in "iu" or isinstance(value, (bool, np.bool_)):
        return value
    info = np.iinfo(np_dtype)
    low = -int(info.max) if np_dtype.kind == "u" else int(info.min)
    if isinstance(value, (float, np.floating)):
        fits = bool(np.isfinite(value)) and low <= value <= int(info.max)
        value = int(value) if fits else value
    else:
        value = int(value)
        if not -(1 << 63) <= value < (1 << 63):
            raise ValueError("Overflow when unpacking long long")
        fits = low <= value <= int(info.max)
    if not fits:
        raise RuntimeError("value cannot be converted to type {} without overflow".format(
            _C_TYPES[np_dtype.name]))
    return value % (int(info.max) + 1) if value < 0 and np_dtype.kind == "u" else value


def check_leaf(self, viewed):
    """torch's refusal to change in place a leaf that requires grad, or a view of one (with
    grad mode on); ``viewed`` says whether the change goes through a view."""
    if self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a {}leaf Variable that requires grad is being used in an in-place "
                           "operation.".format("view of a " if viewed else ""))
    base = self._base
    if base is not None and base._requires_grad and base.grad_fn is None and self._requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


_FAST_VALUES = (float, int, bool, np.ndarray)


def setitem(self, index, value):
    """``self[index] = value``: writes into the memory (recorded in the graph when needed)."""
    array = self._array
    if _simple(index) and array.flags.writeable and not (_grad_state.enabled and (
            self._requires_grad or isinstance(value, Tensor) and value._requires_grad)):
        # the common case, kept short: NumPy's basic indexing and broadcasting rules agree
        # with torch's here, and NumPy's errors send us down the general path for torch's text
        v = value._array if isinstance(value, Tensor) else value
        if array.dtype.kind == "f" and array.itemsize >= 4 and type(v) in _FAST_VALUES:
            try:
                array[index] = v
            except (IndexError, ValueError):
                pass
            else:
                self._bump_version()
                return
    is_tensor = isinstance(value, Tensor)
    if not is_tensor and not isinstance(value, (int, float, bool, np.number, np.bool_)):
        raise TypeError("can't assign a {} to a torch.{}".format(
            _type_name(value), self.dtype._torch_type))
    steps, basic, adv = plan(array.shape, index, check_bounds=False)
    record = _grad_state.enabled and (self._requires_grad or is_tensor and value._requires_grad)
    if _grad_state.enabled:
        check_leaf(self, bool(steps) or self._base is not None)
    region = array[basic + (Ellipsis,)]
    target = region.shape if adv is None else _result_shape(region.shape, adv)
    if is_tensor:
        v = value._array
        if adv is not None and v.dtype != array.dtype:
            raise RuntimeError("Index put requires the source and destination dtypes match, got "
                               "{} for the destination and {} for the source.".format(
                                   self.dtype.scalar_name, value.dtype.scalar_name))
        fitted = _strip_ones(v.shape)
        if adv is None:
            error = expand_error(value.dtype, fitted, target)
        else:
            error = None if _broadcasts(fitted, target) else RuntimeError(
                "shape mismatch: value tensor of shape {} cannot be broadcast to indexing "
                "result of shape {}".format(_fmt(fitted), _fmt(target)))
        if error is not None:
            raise error
        if v.shape != fitted:
            v = v.reshape(fitted)
    else:
        v = checked_scalar(value, array.dtype)
    if adv is not None:
        check_index_bounds(region.shape, adv)
    if not array.flags.writeable:
        from .inplace import _SHARED_MEMORY
        raise RuntimeError(_SHARED_MEMORY)
    if not record:
        with np.errstate(over="ignore", invalid="ignore"):
            region[Ellipsis if adv is None else adv] = v
        self._bump_version()
        return
    base = self._base
    if base is not None and (self._requires_grad or not base._requires_grad):
        _write_through_view(self, base, (basic, adv), value)
    else:
        if steps:
            op = CopySlices
        elif adv is not None:
            op = IndexPut
        else:            # torch copies a tensor of the same shape, fills with a number or 0-d one
            op = Copy if is_tensor and (value._array.shape == target or value._array.ndim) \
                else Fill
        _record_write(self, op, value, (basic, adv))
    self._bump_version()


def _broadcasts(shape, target):
    if len(shape) > len(target):
        return False
    return all(s == 1 or s == t for s, t in zip(reversed(shape), reversed(target)))


def _history(t):
    """A new tensor object on ``t``'s memory, carrying ``t``'s place in the graph."""
    old = Tensor._make(t._array)
    old._requires_grad, old.grad_fn, old._output_nr = t._requires_grad, t.grad_fn, t._output_nr
    return old


def _record_write(t, op, value, index):
    """Writes ``value`` at ``index`` into ``t`` through ``op``, which becomes t's grad_fn;
    the views of ``t`` that require grad then read their values from that new history."""
    shape = value._array.shape if isinstance(value, Tensor) else ()
    result = op.apply(_history(t), value, index, shape)
    t.grad_fn, t._requires_grad, t._output_nr = result.grad_fn, True, 0
    rebase_views(t)


def _write_through_view(view, base, index, value):
    """A recorded write into a view: the base gets the write (CopySlices), and the view (like
    every other view of the base) a new history reading it from the base
    (AsStridedBackward0), as in torch."""
    coords = view_coords(view._array, base._array)
    selected = tuple(read(c, index) for c in coords)
    _record_write(base, CopySlices, value, ((), selected))
    _rebase(view, base)


def rebase_views(base):
    """After ``base`` was changed in place (and got a new grad_fn), points the views of it
    that require grad at its new history: their old one describes values that are gone."""
    views = base.__dict__.get("_views")
    if not views:
        return
    alive = []
    for ref in views:
        view = ref()
        if view is not None and view._base is base:
            _rebase(view, base)
            alive.append(ref)
    base._views = alive


def _rebase(view, base):
    result = AsStrided.apply(base, view._array)
    view.grad_fn, view._requires_grad, view._output_nr = result.grad_fn, True, 0


def view_coords(view, base):
    """For each element of the NumPy view ``view`` of ``base``, its coordinates in ``base``
    (a tuple of index arrays)."""
    item = base.itemsize
    start = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // item
    offsets = _offsets(view.shape, view.strides, item) + start
    if not base.flags.c_contiguous:
        places = _offsets(base.shape, base.strides, item).reshape(-1)
        lookup = np.zeros(int(places.max()) + 1 if places.size else 0, dtype=np.int64)
        lookup[places] = np.arange(base.size)
        offsets = lookup[offsets]
    return np.unravel_index(offsets, base.shape)


def _offsets(shape, strides, item):
    out = np.zeros(shape, dtype=np.int64)
    for d, (n, s) in enumerate(zip(shape, strides)):
        out += (np.arange(n, dtype=np.int64) * (s // item)).reshape(
            (n,) + (1,) * (len(shape) - d - 1))
    return out




def index_put(input, indices, values, accumulate=False):
    """A copy of ``input`` with ``values`` written (or, with ``accumulate``, added) at the
    positions given by the tuple of index tensors ``indices``."""
    out = input.clone()
    return index_put_(out, indices, values, accumulate)


class IndexPutAccumulate(Op):
    """out = x with v added at ``index`` (repeats add up).
    dx = d(out);  dv = d(out)[index], summed to v's shape."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, v, index, value_shape):
        ctx.index, ctx.value_shape = index, value_shape
        out = x.copy()
        np.add.at(out, index, np.broadcast_to(v, out[index].shape))
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_v = None
        if ctx.needs_input_grad[1]:
            shape = ctx.value_shape
            grad_v = dual.sum_to(grad[ctx.index], _strip_ones(shape)).reshape(shape)
        return grad, grad_v, None, None


def index_put_(self, indices, values, accumulate=False):
    """Writes (or adds) ``values`` at the positions given by the index tensors ``indices``."""
    if not accumulate:
        setitem(self, tuple(indices), values)
        return self
    _, _, adv = plan(self._array.shape, tuple(indices))
    index = () if adv is None else adv
    return update_inplace(self, lambda x: IndexPutAccumulate.apply(
        x, values, index, values._array.shape), values)


# ---------------------------------------------------------------- in place


def update_inplace(self, compute, *others):
    """Overwrites ``self`` with ``compute(self)``, an out-of-place operation.

    torch's leaf checks come first and the version counter is bumped.  When the change must
    be recorded (``self`` or one of ``others`` requires grad), ``compute`` gets ``self``'s
    history and its result's node becomes ``self``'s grad_fn; for a view, the base takes the
    change (CopySlices) and the view reads it back, as with ``view[i] = v``."""
    from .inplace import write_result
    record = _grad_state.enabled and (self._requires_grad or any(
        isinstance(o, Tensor) and o._requires_grad for o in others))
    if _grad_state.enabled:
        check_leaf(self, self._base is not None)
    if not record:
        write_result(self, compute(self))
    else:
        result = compute(_history(self))
        base = self._base
        if base is not None and (self._requires_grad or not base._requires_grad):
            if result._array.shape != self._array.shape:
                write_result(self, result)            # torch's error for a shape mismatch
            coords = view_coords(self._array, base._array)
            _record_write(base, CopySlices, result.to(self.dtype), ((), coords))
            _rebase(self, base)
        else:
            write_result(self, result)
            self.grad_fn, self._requires_grad, self._output_nr = result.grad_fn, True, 0
            rebase_views(self)
    self._bump_version()
    return self


METHODS = ("index_put", "index_put_")

FUNCTIONAL = ()

# gathering/scattering and sorting live in their own modules; they are part of this family
from . import gathering, sorting  # noqa: E402  (they build on the machinery above)
from .gathering import *  # noqa: E402,F401,F403
from .gathering import (index_add_, index_copy_, index_fill_, masked_fill_,  # noqa: E402,F401
                        masked_scatter_, scatter_, scatter_add_)
from .sorting import *  # noqa: E402,F401,F403

__all__ += gathering.__all__ + sorting.__all__
METHODS += gathering.METHODS + sorting.METHODS
