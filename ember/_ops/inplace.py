"""In-place operations: ``add_``, ``mul_``, ``zero_``, ``x += y`` ... (names end in ``_``).

They overwrite the tensor's memory, so everything viewing that memory sees the change, and they
bump its version counter, so a backward pass that saved the old values refuses to use them.

Two checks come first: a leaf that requires grad (a parameter) may only be changed in place
under ``no_grad()`` -- otherwise its gradient would describe a value that no longer exists -- and
the same holds for views of such a leaf.

When the change itself must be recorded (the tensor or the other operand requires grad), the
operation is computed out of place from a copy of the old values, written back into the memory,
and the tensor takes the result's ``grad_fn``: in the graph, the tensor now *is* that result.
"""
import numpy as np

from .. import _dtype
from ..autograd.grad_mode import state as _grad_state
from .common import Tensor
from . import arithmetic, pointwise

__all__ = []

_SHARED_MEMORY = ("unsupported operation: more than one element of the written-to tensor refers "
                  "to a single memory location. Please clone() the tensor before performing the "
                  "operation.")


def check_inplace(t, view_message=False):
    """torch's errors for changing, in place, a leaf that requires grad (or a view of one)."""
    if not (_grad_state.enabled and t._requires_grad):
        return
    if t.grad_fn is None:
        if view_message:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    base = t._base
    if base is not None and base._requires_grad:
        if base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        raise RuntimeError("ember does not record in-place changes of a view of a tensor that "
                           "requires grad; compute the new tensor out of place instead")


def _needs_record(self, args):
    if not _grad_state.enabled:
        return False
    if self._requires_grad:
        return True
    return any(isinstance(a, Tensor) and a._requires_grad for a in args)


def write_result(self, result):
    """Copies ``result`` into ``self``'s memory with torch's dtype and shape checks."""
    src, dst = result._array, self._array
    if not _dtype.can_cast(result.dtype, self.dtype):
        raise RuntimeError("result type {} can't be cast to the desired output type {}".format(
            result.dtype.scalar_name, self.dtype.scalar_name))
    if src.shape != dst.shape:
        try:
            if np.broadcast_shapes(src.shape, dst.shape) != dst.shape:
                raise ValueError
        except ValueError:
            raise RuntimeError("output with shape {} doesn't match the broadcast shape {}".format(
                list(dst.shape), list(np.broadcast_shapes(src.shape, dst.shape))
                if _broadcastable(src.shape, dst.shape) else list(src.shape))) from None
    if not dst.flags.writeable:
        raise RuntimeError(_SHARED_MEMORY)
    np.copyto(dst, src, casting="unsafe")


def _broadcastable(a, b):
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def apply_inplace(self, op, *args, **kwargs):
    """``self.op_(*args)``: computes ``op(self, *args)`` and writes it into ``self``."""
    check_inplace(self)
    if _needs_record(self, args):
        old = Tensor._make(self._array.copy())
        old._requires_grad = self._requires_grad
        old.grad_fn = self.grad_fn
        old._output_nr = self._output_nr
        result = op(old, *args, **kwargs)
        write_result(self, result)
        self.grad_fn = result.grad_fn
        self._requires_grad = result._requires_grad
        self._output_nr = result._output_nr
    else:
        write_result(self, op(self, *args, **kwargs))
    self._bump_version()
    return self


def _fast_ufunc(self, ufunc, other, op, kwargs):
    """Untracked ``self op= other`` straight into the memory; the general path on any problem."""
    if not _needs_record(self, (other,)):
        b = other._array if isinstance(other, Tensor) else other
        try:
            ufunc(self._array, b, out=self._array)
        except (TypeError, ValueError):
            pass                            # let the general path raise torch's error
        else:
            self._bump_version()
            return self
    return apply_inplace(self, op, other, **kwargs)


def add_(self, other, *, alpha=1):
    """``self += alpha * other`` in place."""
    if alpha != 1:
        if not _needs_record(self, (other,)) and self._array.dtype.kind == "f":
            b = other._array if isinstance(other, Tensor) else other
            check_inplace(self)
            try:
                np.add(self._array, np.multiply(b, alpha, dtype=self._array.dtype),
                       out=self._array)
            except (TypeError, ValueError):
                return apply_inplace(self, arithmetic.add, other, alpha=alpha)
            self._bump_version()
            return self
        return apply_inplace(self, arithmetic.add, other, alpha=alpha)
    check_inplace(self)
    return _fast_ufunc(self, np.add, other, arithmetic.add, {})


def sub_(self, other, *, alpha=1):
    """``self -= alpha * other`` in place."""
    if alpha != 1:
        return add_(self, other, alpha=-alpha)
    check_inplace(self)
    return _fast_ufunc(self, np.subtract, other, arithmetic.sub, {})


def mul_(self, other):
    """``self *= other`` in place."""
    check_inplace(self)
    return _fast_ufunc(self, np.multiply, other, arithmetic.mul, {})


def div_(self, other, *, rounding_mode=None):
    """``self /= other`` in place."""
    if rounding_mode is not None or self._array.dtype.kind != "f":
        return apply_inplace(self, arithmetic.div, other, rounding_mode=rounding_mode)
    check_inplace(self)
    return _fast_ufunc(self, np.true_divide, other, arithmetic.div, {})


def pow_(self, exponent):
    return apply_inplace(self, arithmetic.pow, exponent)


def neg_(self):
    return apply_inplace(self, arithmetic.neg)


def zero_(self):
    """Sets every element to 0."""
    return fill_(self, 0)


def fill_(self, value):
    """Sets every element to ``value``."""
    check_inplace(self)
    if isinstance(value, Tensor):
        if value._array.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               "{} dimensions.".format(value._array.ndim))
        if _needs_record(self, (value,)):
            return apply_inplace(self, lambda s, v: v.expand_as(s) + s * 0, value)
        value = value._array.item()
    if not self._array.flags.writeable:
        raise RuntimeError(_SHARED_MEMORY)
    if _needs_record(self, ()):
        return apply_inplace(self, lambda s: s * 0 + value)
    self._array.fill(value)
    self._bump_version()
    return self


def copy_(self, src, non_blocking=False):
    """Copies ``src`` (broadcast, converted to this dtype) into this tensor's memory."""
    check_inplace(self)
    if not isinstance(src, Tensor):
        raise TypeError("copy_(): argument 'other' (position 1) must be Tensor, not "
                        + type(src).__name__)
    if _needs_record(self, (src,)):
        return apply_inplace(self, lambda s, v: v.to(s.dtype).expand_as(s).clone() + s * 0, src)
    if not self._array.flags.writeable:
        raise RuntimeError(_SHARED_MEMORY)
    try:
        np.copyto(self._array, src._array, casting="unsafe")
    except ValueError:
        raise RuntimeError("The size of tensor a ({}) must match the size of tensor b ({}) at "
                           "non-singleton dimension {}".format(
                               self._array.shape[-1] if self._array.ndim else 1,
                               src._array.shape[-1], max(self._array.ndim - 1, 0))) from None
    self._bump_version()
    return self


def _unary(name, fn):
    def method(self):
        return apply_inplace(self, fn)
    method.__name__ = name
    method.__doc__ = "In-place version of :func:`{}`.".format(name[:-1])
    return method


relu_ = _unary("relu_", pointwise.relu)
exp_ = _unary("exp_", pointwise.exp)
log_ = _unary("log_", pointwise.log)
sqrt_ = _unary("sqrt_", pointwise.sqrt)
abs_ = _unary("abs_", pointwise.abs)
sigmoid_ = _unary("sigmoid_", pointwise.sigmoid)
tanh_ = _unary("tanh_", pointwise.tanh)


METHODS = ("add_", "sub_", "mul_", "div_", "pow_", "neg_", "zero_", "fill_", "copy_", "relu_",
           "exp_", "log_", "sqrt_", "abs_", "sigmoid_", "tanh_")

FUNCTIONAL = ()
