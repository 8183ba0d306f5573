"""How a tensor is changed in place (``add_``, ``exp_``, ``x += y`` ...: names end in ``_``):
the checks and the writing that every in-place operation shares, and the in-place twins that
``export(..., inplace=twin())`` makes of out-of-place functions.

They overwrite the tensor's memory, so everything viewing that memory sees the change, and they
bump its version counter, so a backward pass that saved the old values refuses to use them.

Two checks come first: a leaf that requires grad (a parameter) may only be changed in place
under ``no_grad()`` -- otherwise its gradient would describe a value that no longer exists -- and
the same holds for views of such a leaf.  Then the result is computed completely, and checked
against the tensor (its dtype must hold the result's, its shape must be the broadcast shape),
before a single element is written: after an error the tensor is unchanged.

When the change itself must be recorded (the tensor or the other operand requires grad), the
operation is computed out of place from a copy of the old values, written back into the memory,
and the tensor takes the result's ``grad_fn``: in the graph, the tensor now *is* that result.

NumPy's floating-point warnings (overflow, division by zero) are silenced for all of ember's
code (``_ops/__init__.py``): torch gives inf and nan without a word, and so does ember.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple, Union

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd.function import _SavedOutput
from ...autograd.grad_mode import state as _grad_state
from .common import Tensor, broadcast_shapes
from .operands import C_NAMES

SHARED_MEMORY = ("unsupported operation: more than one element of the written-to tensor refers "
                  "to a single memory location. Please clone() the tensor before performing the "
                  "operation.")


# ---------------------------------------------------------------- writing into a tensor
#
# Every change of a tensor's memory goes through these three functions (or through
# ``apply_inplace`` below, for the in-place operations of the graph), so that each write bumps
# the version counter: a backward pass that saved the old values then refuses to use them, as
# torch's does.  Optimizers, ``nn.init`` and gradient clipping write only through them.


def writable(t: Tensor) -> np.ndarray:
    """The NumPy array of ``t``, to change in place outside the graph (an optimizer's update,
    initialisation, gradient clipping); ``t``'s version is bumped here, once for the change.
    Memory that several elements share (an expanded tensor) is refused, as torch refuses it."""
    array = t._array
    if not array.flags.writeable:
        raise RuntimeError(SHARED_MEMORY)
    t._bump_version()
    return array


def fill_target(t: Tensor) -> np.ndarray:
    """The array to write one value into (``fill_``, ``zero_``, ``masked_fill_``).  An expanded
    tensor's array is a read-only NumPy broadcast, yet torch fills it: every element gets the
    same value, so writing through the repeated positions is well defined.  Such an array is
    seen again, writable, through the memory it views.  (The caller bumps the version.)"""
    a = t._array
    if a.flags.writeable:
        return a
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if t._base is None or not root.flags.writeable or not root.flags.c_contiguous:
        raise RuntimeError(SHARED_MEMORY)
    offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return np.ndarray(a.shape, a.dtype, buffer=root, offset=offset, strides=a.strides)


def assign(t: Tensor, values: Any) -> Tensor:
    """Copies ``values`` (an array or number, broadcast and converted to ``t``'s dtype) into
    ``t``'s memory; returns ``t``."""
    np.copyto(writable(t), values, casting="unsafe")
    return t


def fill(t: Tensor, value: Union[int, float, bool]) -> Tensor:
    """Sets every element of ``t`` to the number ``value``; returns ``t``."""
    writable(t).fill(value)
    return t


def check_inplace(t: Tensor, view_message: bool = False) -> None:
    """torch's errors for changing, in place, a leaf that requires grad (or a view of one)."""
    if not (_grad_state().enabled and t._requires_grad):
        return
    if t.grad_fn is None:
        if view_message:
            raise _errors.leaf_view_inplace()
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    base = t._base
    if base is not None and base._requires_grad:
        if base.grad_fn is None:
            raise _errors.leaf_view_inplace()
        raise RuntimeError("ember does not record in-place changes of a view of a tensor that "
                           "requires grad; compute the new tensor out of place instead")


def needs_record(self: Tensor, args: Sequence[Any]) -> bool:
    if not _grad_state().enabled:
        return False
    if self._requires_grad:
        return True
    return any(isinstance(a, Tensor) and a._requires_grad for a in args)


def write_result(self: Tensor, result: Tensor) -> None:
    """Copies ``result`` into ``self``'s memory with torch's dtype and shape checks."""
    src, dst = result._array, self._array
    if src.shape != dst.shape:
        shape = broadcast_shapes(src.shape, dst.shape)
        if shape != dst.shape:
            raise _errors.broadcast_output(list(dst.shape), list(shape))
    if not _dtype.can_cast(result.dtype, self.dtype):
        raise _errors.cannot_cast_result(result.dtype.scalar_name, self.dtype.scalar_name)
    if not dst.flags.writeable:
        raise RuntimeError(SHARED_MEMORY)
    np.copyto(dst, src, casting="unsafe")


def apply_inplace(self: Tensor, op: Callable[..., Tensor], *args: Any, **kwargs: Any) -> Tensor:
    """``self.op_(*args)``: computes ``op(self, *args)`` and writes it into ``self``."""
    check_inplace(self)
    if needs_record(self, args + tuple(kwargs.values()) if kwargs else args):
        old = Tensor._make(self._array.copy())
        old._requires_grad = self._requires_grad
        old.grad_fn = self.grad_fn
        old._output_nr = self._output_nr
        result = op(old, *args, **kwargs)
        write_result(self, result)
        self._bump_version()
        self.grad_fn = result.grad_fn
        self._requires_grad = result._requires_grad
        self._output_nr = result._output_nr
        _adopt_saved_output(result, self)
    else:
        write_result(self, op(self, *args, **kwargs))
        self._bump_version()
    return self


def check_cast(self: Tensor, other: Any) -> None:
    """torch checks that the promoted dtype may be written into this tensor before it runs a
    binary operation (so ``bool_tensor &= float_tensor`` is a cast error, not a missing
    kernel)."""
    if isinstance(other, (Tensor, int, float)):
        result = _dtype.result_type(self, other)
        if not _dtype.can_cast(result, self.dtype):
            raise _errors.cannot_cast_result(result.scalar_name, self.dtype.scalar_name)


def check_output_shape(self: Tensor, args: Sequence[Any]) -> None:
    """torch checks first that the other operands broadcast to this tensor's shape."""
    shape = self._array.shape
    for a in args:
        if isinstance(a, Tensor) and a._array.shape != shape:
            result = broadcast_shapes(shape, a._array.shape)
            if result != shape:
                raise _errors.broadcast_output(list(shape), list(result))


def _adopt_saved_output(result, self):
    """If the node saved its output (``exp_`` saves e ** x), that output is now ``self``: later
    in-place changes of ``self`` must make the backward pass refuse, as in torch."""
    node = result.grad_fn
    saved = getattr(node, "_saved", None)
    if not saved:
        return
    for i, item in enumerate(saved):
        if type(item) is _SavedOutput and item.ref() is result:
            saved[i] = _SavedOutput(self, item.nr)
            node._versions[i] = self._version


def fast_ufunc(self: Tensor, ufunc: np.ufunc, other: Any, op: Callable[..., Tensor]) -> Tensor:
    """Untracked ``self op= other`` straight into the memory; the general path on any problem
    (NumPy refuses before writing anything, and the general path raises torch's error)."""
    if not needs_record(self, (other,)):
        b = other._array if isinstance(other, Tensor) else other
        try:
            ufunc(self._array, b, out=self._array)
        except (TypeError, ValueError, OverflowError):
            pass
        else:
            self._bump_version()
            return self
    check_output_shape(self, (other,))
    check_cast(self, other)
    return apply_inplace(self, op, other)


# ---------------------------------------------------------------- in-place twins


class Twin:
    """The in-place twin of an out-of-place function, as declared with ``export(...,
    inplace=twin(...))``: ``exp`` gets ``exp_``, which computes ``exp(self)`` and writes it into
    ``self``.  ``places`` says where the twin appears ("Tensor": ``x.exp_()``; "torch":
    ``ember.exp_(x)``); ``wrap`` makes it from the function and the twin's name."""

    def __init__(self, places: Tuple[str, ...],
                 wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        self.places = places or ("Tensor",)
        self.wrap = wrap

    def make(self, fn: Callable[..., Any], name: str) -> Callable[..., Any]:
        method = self.wrap(fn)
        method.__name__ = method.__qualname__ = name
        method.__doc__ = "In-place version of :func:`{}`.".format(fn.__name__)
        return method


def _unary(fn):
    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)
    return method


def _binary(fn):
    def method(self, other, *args, **kwargs):
        check_output_shape(self, (other,))
        check_cast(self, other)
        return apply_inplace(self, fn, other, *args, **kwargs)
    return method


def _clamp(fn):
    def method(self, *bounds, **kwargs):
        numbers = [b for b in bounds + tuple(kwargs.values()) if b is not None]
        if numbers and not any(isinstance(b, Tensor) for b in numbers):
            result = _dtype.result_type(self, *numbers)
            if not _dtype.can_cast(result, self.dtype):
                raise _errors.cannot_cast_result(result.scalar_name,
                                                 C_NAMES[self._array.dtype.name])
        return apply_inplace(self, fn, *bounds, **kwargs)
    return method


def twin(*places: str) -> Twin:
    """An in-place twin that applies the function and writes the result into the tensor."""
    return Twin(places, _unary)


def binary_twin(*places: str) -> Twin:
    """The twin of ``fn(self, other)``: torch first checks that ``other`` broadcasts to the
    tensor's shape and that the promoted dtype can be written into it."""
    return Twin(places, _binary)


def clamp_twin(*places: str) -> Twin:
    """The twin of ``clamp`` and its relatives: with number bounds torch words the dtype error
    with C's type names ("... desired output type int")."""
    return Twin(places, _clamp)
