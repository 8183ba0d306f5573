"""The in-place operations written out rather than made as twins (``core/inplace.py``):
``add_``, ``sub_``, ``mul_``, ``div_`` (the optimizers' hot paths, straight into the memory when
nothing is recorded), ``pow_``, ``lerp_``, ``float_power_``, and ``fill_``, ``zero_``, ``copy_``.
"""
import numpy as np

from ..core.common import Tensor
from ..core.inplace import (SHARED_MEMORY, apply_inplace, check_cast, check_inplace,
                            check_output_shape, fast_ufunc, fill_target, needs_record)
from ..core.operands import check_fits
from ..core.registry import export
from ...autograd.op import Op
from . import arithmetic, clamping, division, power


@export("Tensor")
def add_(self, other, *, alpha=1):
    """``self += alpha * other`` in place."""
    check_inplace(self)
    if alpha != 1:
        if not needs_record(self, (other,)) and self._array.dtype.kind == "f" and \
                not isinstance(alpha, bool):
            b = other._array if isinstance(other, Tensor) else other
            try:
                np.add(self._array, np.multiply(b, alpha, dtype=self._array.dtype),
                       out=self._array)
            except (TypeError, ValueError, OverflowError):
                return apply_inplace(self, arithmetic.add, other, alpha=alpha)
            self._bump_version()
            return self
        return apply_inplace(self, arithmetic.add, other, alpha=alpha)
    return fast_ufunc(self, np.add, other, arithmetic.add)


@export("Tensor", aliases=("subtract_",))
def sub_(self, other, *, alpha=1):
    """``self -= alpha * other`` in place."""
    if self._array.dtype.kind == "b" or isinstance(other, bool) or \
            isinstance(other, Tensor) and other._array.dtype.kind == "b":
        arithmetic.check_bool_sub(self, other)        # (NumPy would subtract bools)
    if alpha != 1:
        return apply_inplace(self, arithmetic.sub, other, alpha=alpha)
    check_inplace(self)
    return fast_ufunc(self, np.subtract, other, arithmetic.sub)


@export("Tensor", aliases=("multiply_",))
def mul_(self, other):
    """``self *= other`` in place."""
    check_inplace(self)
    return fast_ufunc(self, np.multiply, other, arithmetic.mul)


@export("Tensor", aliases=("divide_", "true_divide_"))
def div_(self, other, *, rounding_mode=None):
    """``self /= other`` in place (integer tensors only with a ``rounding_mode``)."""
    if rounding_mode is not None or self._array.dtype.kind not in "fc":
        check_output_shape(self, (other,))
        if rounding_mode is not None:
            check_cast(self, other)
        return apply_inplace(self, division.div, other, rounding_mode=rounding_mode)
    check_inplace(self)
    return fast_ufunc(self, np.true_divide, other, division.div)


subtract_, multiply_, divide_, true_divide_ = sub_, mul_, div_, div_


@export("Tensor")
def pow_(self, exponent):
    """``self **= exponent`` in place."""
    if isinstance(exponent, Tensor):
        check_output_shape(self, (exponent,))
    return apply_inplace(self, power.pow, exponent)


@export("Tensor")
def lerp_(self, end, weight):
    """``self += weight * (end - self)`` in place."""
    end, weight = clamping.check_lerp_operands(self, end, weight)
    check_output_shape(self, (end, weight))
    return apply_inplace(self, clamping.lerp, end, weight)


@export("Tensor")
def float_power_(self, exponent):
    """``self ** exponent`` in place, computed in float64 (so ``self`` must be float64)."""
    if self._array.dtype != np.float64:
        raise RuntimeError("the base given to float_power_ has dtype {} but the operation's "
                           "result requires dtype Double".format(self.dtype.scalar_name))
    return apply_inplace(self, power.float_power, exponent)


# ---------------------------------------------------------------- fill_, zero_, copy_


class Fill(Op):
    """out = x with every element set to a number.   d(out)/dx = 0."""

    node_name = "FillBackward2"
    exact_grads = True

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class FillTensor(Op):
    """out = x with every element set to the value of a 0-d tensor v.   dx = 0,
    dv = the sum of the gradient (v was copied to every element)."""

    node_name = "FillBackward3"

    @staticmethod
    def forward(ctx, x, v):
        return np.full_like(x, v)

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        return (grad * 0 if needs[0] else None), (grad.sum() if needs[1] else None)


class Zero(Fill):
    """out = x with every element set to 0.   d(out)/dx = 0."""

    node_name = "ZeroBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.zeros_like(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Copy(Op):
    """out = src broadcast and converted into x's shape and dtype.   dx = 0 (x was overwritten),
    dsrc = the gradient (summed over what was broadcast, converted back to src's dtype)."""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        out = np.empty_like(x)
        np.copyto(out, src, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        needs = ctx.needs_input_grad
        return (grad * 0 if needs[0] else None), (grad if needs[1] else None)


def _fill_value(self, value):
    """A fill value: a 0-d tensor, or a number that ``self``'s dtype can hold (torch's checks)
    as a 0-d array of that dtype."""
    if isinstance(value, (Tensor, int, float, complex)):
        number = value
    elif isinstance(value, (np.number, np.bool_)):
        number = value.item()
    else:
        name = type(value).__name__
        why = "      didn't match because some of the arguments have invalid types: (!{}!)\n"
        raise TypeError("fill_() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (Tensor value)\n{} * (Number value)\n{}".format(
                            name, why.format(name), why.format(name)))
    if isinstance(number, Tensor):
        if number._array.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               "{} dimensions.".format(number._array.ndim))
        return number
    check_fits(number, self._array.dtype)
    if isinstance(number, complex) and self._array.dtype.kind != "c":
        number = number.real
    return np.asanyarray(number).astype(self._array.dtype)      # 0-d: -1 in uint8 is 255


@export("Tensor")
def fill_(self, value):
    """Sets every element to ``value`` (a number or a 0-d tensor)."""
    check_inplace(self)
    if type(value) is float and self._array.dtype.kind == "f" and not needs_record(self, ()) \
            and self._array.flags.writeable and abs(value) <= 65504.0:   # (fits every dtype)
        self._array.fill(value)                      # the common case, kept short
        self._bump_version()
        return self
    value = _fill_value(self, value)
    if needs_record(self, (value,)):
        if isinstance(value, Tensor):
            return apply_inplace(self, FillTensor.apply, value)
        return apply_inplace(self, Fill.apply, value)
    fill_target(self).fill(value._array if isinstance(value, Tensor) else value)
    self._bump_version()
    return self


@export("Tensor")
def zero_(self):
    """Sets every element to 0."""
    check_inplace(self)
    if needs_record(self, ()):
        return apply_inplace(self, Zero.apply)
    fill_target(self).fill(0)
    self._bump_version()
    return self


@export("Tensor")
def copy_(self, src, non_blocking=False):
    """Copies ``src`` (broadcast to this shape, converted to this dtype) into this tensor."""
    check_inplace(self)
    if not isinstance(src, Tensor):
        if not isinstance(src, (np.ndarray, np.generic, int, float)):  # as torch's parser allows
            raise TypeError("copy_(): argument 'other' (position 1) must be Tensor, not "
                            + type(src).__name__)
        src = Tensor._make(np.asanyarray(src))
    if src._array.shape != self._array.shape:
        check_output_shape(self, (src,))
    if needs_record(self, (src,)):
        return apply_inplace(self, Copy.apply, src)
    if not self._array.flags.writeable:
        raise RuntimeError(SHARED_MEMORY)
    np.copyto(self._array, src._array, casting="unsafe")
    self._bump_version()
    return self


