"""Writing into a tensor's memory: ``x[index] = v``, ``index_put``, and the graph bookkeeping
of every in-place change (``update_inplace``).  Part of the indexing family (``indexing.py``).

Writing ``x[index] = v`` changes ``x``'s memory.  When that must be recorded, ``x`` gets a new
graph node: its gradient passes through unchanged except at ``index``, where it goes to ``v``
instead.  The node is ``CopySlices`` when a view was written to (``x[0] = v``),
``IndexPutBackward0`` for index tensors (``x[mask] = v``), ``CopyBackwards`` or
``FillBackward3`` for the whole tensor (``x[:] = v``).  Writing into a view of a computed
tensor changes the base tensor's history, and every view of it then reads from that new
history (``AsStridedBackward0``), as in torch.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor
from .plan import _fmt, _result_shape, _simple, _write, check_index_bounds, plan, read
from .reading import index_grad
from ..shape.repeating import expand_error
from ..core.registry import export


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


# torch names integer dtypes by their C types in its overflow error
_C_TYPES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double",
            "bool": "bool"}


def checked_scalar(value, np_dtype):
    """A number to be written into a tensor of ``np_dtype``, with torch's overflow error for
    integer tensors (negative numbers wrap around in unsigned ones, as in torch)."""
    if isinstance(value, (complex, np.complexfloating)) and np_dtype.kind != "c":
        if value.imag:                          # a real tensor takes a complex number's real part
            raise _errors.overflow_converting(_C_TYPES[np_dtype.name])
        value = value.real
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
            raise _errors.overflow_unpacking()
        fits = low <= value <= int(info.max)
    if not fits:
        raise _errors.overflow_converting(_C_TYPES[np_dtype.name])
    return value % (int(info.max) + 1) if value < 0 and np_dtype.kind == "u" else value


def check_leaf(self, viewed):
    """torch's refusal to change in place a leaf that requires grad, or a view of one (with
    grad mode on); ``viewed`` says whether the change goes through a view."""
    if self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a {}leaf Variable that requires grad is being used in an in-place "
                           "operation.".format("view of a " if viewed else ""))
    base = self._base
    if base is not None and base._requires_grad and base.grad_fn is None and self._requires_grad:
        raise _errors.leaf_view_inplace()


_FAST_VALUES = (float, int, bool, np.ndarray)


def setitem(self, index, value):
    """``self[index] = value``: writes into the memory (recorded in the graph when needed)."""
    array = self._array
    if _simple(index) and array.flags.writeable and not (_grad_state().enabled and (
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
    record = _grad_state().enabled and (self._requires_grad or is_tensor and value._requires_grad)
    if _grad_state().enabled:
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
        from ..core.inplace import SHARED_MEMORY
        raise RuntimeError(SHARED_MEMORY)
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


# ---------------------------------------------------------------- index_put


@export("torch", "Tensor")
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


@export("torch", "Tensor")
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
    from ..core.inplace import write_result
    record = _grad_state().enabled and (self._requires_grad or any(
        isinstance(o, Tensor) and o._requires_grad for o in others))
    if _grad_state().enabled:
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


