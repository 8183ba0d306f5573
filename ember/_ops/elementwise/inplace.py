"""In-place operations: ``add_``, ``mul_``, ``zero_``, ``x += y`` ... (names end in ``_``).

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
import numpy as np

from ... import _dtype
from ...autograd.function import _SavedOutput
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from . import (arithmetic, clamping, comparison, division, error_function, exponential, power,
               predicates, rounding, trigonometric)
from ..core.common import Tensor, broadcast_shapes
from ..core.operands import C_NAMES, check_fits

__all__ = []

_SHARED_MEMORY = ("unsupported operation: more than one element of the written-to tensor refers "
                  "to a single memory location. Please clone() the tensor before performing the "
                  "operation.")


def writable(self):
    """``self``'s array, to write one value into (``fill_``, ``zero_``, ``masked_fill_``).  An
    expanded tensor's array is a read-only NumPy broadcast, yet torch fills it: every element
    gets the same value, so writing through the repeated positions is well defined.  Such an
    array is seen again, writable, through the memory it views."""
    a = self._array
    if a.flags.writeable:
        return a
    root = a
    while isinstance(root.base, np.ndarray):
        root = root.base
    if self._base is None or not root.flags.writeable or not root.flags.c_contiguous:
        raise RuntimeError(_SHARED_MEMORY)
    offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return np.ndarray(a.shape, a.dtype, buffer=root, offset=offset, strides=a.strides)


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
    if src.shape != dst.shape:
        shape = broadcast_shapes(src.shape, dst.shape)
        if shape != dst.shape:
            raise RuntimeError("output with shape {} doesn't match the broadcast shape {}".format(
                list(dst.shape), list(shape)))
    if not _dtype.can_cast(result.dtype, self.dtype):
        raise RuntimeError("result type {} can't be cast to the desired output type {}".format(
            result.dtype.scalar_name, self.dtype.scalar_name))
    if not dst.flags.writeable:
        raise RuntimeError(_SHARED_MEMORY)
    np.copyto(dst, src, casting="unsafe")


def apply_inplace(self, op, *args, **kwargs):
    """``self.op_(*args)``: computes ``op(self, *args)`` and writes it into ``self``."""
    check_inplace(self)
    if _needs_record(self, args + tuple(kwargs.values()) if kwargs else args):
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


def _check_cast(self, other):
    """torch checks that the promoted dtype may be written into this tensor before it runs a
    binary operation (so ``bool_tensor &= float_tensor`` is a cast error, not a missing
    kernel)."""
    if isinstance(other, (Tensor, int, float)):
        result = _dtype.result_type(self, other)
        if not _dtype.can_cast(result, self.dtype):
            raise RuntimeError("result type {} can't be cast to the desired output type "
                               "{}".format(result.scalar_name, self.dtype.scalar_name))


def _check_output_shape(self, args):
    """torch checks first that the other operands broadcast to this tensor's shape."""
    shape = self._array.shape
    for a in args:
        if isinstance(a, Tensor) and a._array.shape != shape:
            result = broadcast_shapes(shape, a._array.shape)
            if result != shape:
                raise RuntimeError("output with shape {} doesn't match the broadcast shape "
                                   "{}".format(list(shape), list(result)))


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


def _fast_ufunc(self, ufunc, other, op):
    """Untracked ``self op= other`` straight into the memory; the general path on any problem
    (NumPy refuses before writing anything, and the general path raises torch's error)."""
    if not _needs_record(self, (other,)):
        b = other._array if isinstance(other, Tensor) else other
        try:
            ufunc(self._array, b, out=self._array)
        except (TypeError, ValueError, OverflowError):
            pass
        else:
            self._bump_version()
            return self
    _check_output_shape(self, (other,))
    _check_cast(self, other)
    return apply_inplace(self, op, other)


def add_(self, other, *, alpha=1):
    """``self += alpha * other`` in place."""
    check_inplace(self)
    if alpha != 1:
        if not _needs_record(self, (other,)) and self._array.dtype.kind == "f" and \
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
    return _fast_ufunc(self, np.add, other, arithmetic.add)


def sub_(self, other, *, alpha=1):
    """``self -= alpha * other`` in place."""
    if self._array.dtype.kind == "b" or isinstance(other, bool) or \
            isinstance(other, Tensor) and other._array.dtype.kind == "b":
        arithmetic.check_bool_sub(self, other)        # (NumPy would subtract bools)
    if alpha != 1:
        return apply_inplace(self, arithmetic.sub, other, alpha=alpha)
    check_inplace(self)
    return _fast_ufunc(self, np.subtract, other, arithmetic.sub)


def mul_(self, other):
    """``self *= other`` in place."""
    check_inplace(self)
    return _fast_ufunc(self, np.multiply, other, arithmetic.mul)


def div_(self, other, *, rounding_mode=None):
    """``self /= other`` in place (integer tensors only with a ``rounding_mode``)."""
    if rounding_mode is not None or self._array.dtype.kind != "f":
        _check_output_shape(self, (other,))
        if rounding_mode is not None:
            _check_cast(self, other)
        return apply_inplace(self, division.div, other, rounding_mode=rounding_mode)
    check_inplace(self)
    return _fast_ufunc(self, np.true_divide, other, division.div)


subtract_, multiply_, divide_, true_divide_ = sub_, mul_, div_, div_


def pow_(self, exponent):
    """``self **= exponent`` in place."""
    if isinstance(exponent, Tensor):
        _check_output_shape(self, (exponent,))
    return apply_inplace(self, power.pow, exponent)


def lerp_(self, end, weight):
    """``self += weight * (end - self)`` in place."""
    end, weight = clamping.check_lerp_operands(self, end, weight)
    _check_output_shape(self, (end, weight))
    return apply_inplace(self, clamping.lerp, end, weight)


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
    if isinstance(value, (Tensor, int, float)):
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
    return np.asarray(number).astype(self._array.dtype)      # 0-d: -1 in uint8 is 255


def fill_(self, value):
    """Sets every element to ``value`` (a number or a 0-d tensor)."""
    check_inplace(self)
    if type(value) is float and self._array.dtype.kind == "f" and not _needs_record(self, ()) \
            and self._array.flags.writeable and abs(value) <= 65504.0:   # (fits every dtype)
        self._array.fill(value)                      # the common case, kept short
        self._bump_version()
        return self
    value = _fill_value(self, value)
    if _needs_record(self, (value,)):
        if isinstance(value, Tensor):
            return apply_inplace(self, FillTensor.apply, value)
        return apply_inplace(self, Fill.apply, value)
    writable(self).fill(value._array if isinstance(value, Tensor) else value)
    self._bump_version()
    return self


def zero_(self):
    """Sets every element to 0."""
    check_inplace(self)
    if _needs_record(self, ()):
        return apply_inplace(self, Zero.apply)
    writable(self).fill(0)
    self._bump_version()
    return self


def copy_(self, src, non_blocking=False):
    """Copies ``src`` (broadcast to this shape, converted to this dtype) into this tensor."""
    check_inplace(self)
    if not isinstance(src, Tensor):
        if not isinstance(src, (np.ndarray, np.generic, int, float)):  # as torch's parser allows
            raise TypeError("copy_(): argument 'other' (position 1) must be Tensor, not "
                            + type(src).__name__)
        src = Tensor._make(np.asarray(src))
    if src._array.shape != self._array.shape:
        _check_output_shape(self, (src,))
    if _needs_record(self, (src,)):
        return apply_inplace(self, Copy.apply, src)
    if not self._array.flags.writeable:
        raise RuntimeError(_SHARED_MEMORY)
    np.copyto(self._array, src._array, casting="unsafe")
    self._bump_version()
    return self


# ---------------------------------------------------------------- everything else


def _named(method, fn, name):
    """``method`` named ``name``, with a docstring that points to ``fn``."""
    method.__name__ = method.__qualname__ = name
    method.__doc__ = "In-place version of :func:`{}`.".format(fn.__name__)
    return method


def _inplace(fn, name):
    """The in-place method ``name`` of the out-of-place function ``fn``."""
    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)
    return _named(method, fn, name)


def _binary_inplace(fn, name):
    """The in-place method ``name`` of the binary function ``fn``, with torch's checks first."""
    def method(self, other, *args, **kwargs):
        _check_output_shape(self, (other,))
        _check_cast(self, other)
        return apply_inplace(self, fn, other, *args, **kwargs)
    return _named(method, fn, name)


def _clamp_inplace(fn, name):
    """``clamp_`` and its relatives: with number bounds torch words the dtype error with C's
    type names ("... desired output type int")."""
    def method(self, *bounds, **kwargs):
        numbers = [b for b in bounds + tuple(kwargs.values()) if b is not None]
        if numbers and not any(isinstance(b, Tensor) for b in numbers):
            result = _dtype.result_type(self, *numbers)
            if not _dtype.can_cast(result, self.dtype):
                raise RuntimeError("result type {} can't be cast to the desired output type "
                                   "{}".format(result.scalar_name,
                                               C_NAMES[self._array.dtype.name]))
        return apply_inplace(self, fn, *bounds, **kwargs)
    return _named(method, fn, name)


# the in-place variants whose autograd differs from their out-of-place functions
from .inplace_recorded import (_comparison_inplace, _logical_inplace,  # noqa: E402
                               _underivable_inplace)


neg_ = _inplace(arithmetic.neg, "neg_")
negative_ = _inplace(arithmetic.neg, "negative_")
addcmul_ = _inplace(arithmetic.addcmul, "addcmul_")
addcdiv_ = _inplace(arithmetic.addcdiv, "addcdiv_")
reciprocal_ = _inplace(division.reciprocal, "reciprocal_")
floor_divide_ = _binary_inplace(division.floor_divide, "floor_divide_")
remainder_ = _binary_inplace(division.remainder, "remainder_")
fmod_ = _binary_inplace(division.fmod, "fmod_")
square_ = _inplace(power.square, "square_")
sqrt_ = _inplace(power.sqrt, "sqrt_")
rsqrt_ = _inplace(power.rsqrt, "rsqrt_")
eq_ = _comparison_inplace(comparison.eq, "eq_", "Eq")
ne_ = _comparison_inplace(comparison.ne, "ne_", "Ne")
lt_ = _comparison_inplace(comparison.lt, "lt_", "Lt")
le_ = _comparison_inplace(comparison.le, "le_", "Le")
gt_ = _comparison_inplace(comparison.gt, "gt_", "Gt")
ge_ = _comparison_inplace(comparison.ge, "ge_", "Ge")
not_equal_ = _comparison_inplace(comparison.ne, "not_equal_", "Ne")
less_ = _comparison_inplace(comparison.lt, "less_", "Lt")
less_equal_ = _comparison_inplace(comparison.le, "less_equal_", "Le")
greater_ = _comparison_inplace(comparison.gt, "greater_", "Gt")
greater_equal_ = _comparison_inplace(comparison.ge, "greater_equal_", "Ge")
logical_and_ = _logical_inplace(comparison.logical_and, "logical_and_")
logical_or_ = _logical_inplace(comparison.logical_or, "logical_or_")
logical_xor_ = _logical_inplace(comparison.logical_xor, "logical_xor_")
logical_not_ = _logical_inplace(comparison.logical_not, "logical_not_")
bitwise_and_ = _binary_inplace(comparison.bitwise_and, "bitwise_and_")
bitwise_or_ = _binary_inplace(comparison.bitwise_or, "bitwise_or_")
bitwise_xor_ = _binary_inplace(comparison.bitwise_xor, "bitwise_xor_")
bitwise_not_ = _inplace(comparison.bitwise_not, "bitwise_not_")

exp_ = _inplace(exponential.exp, "exp_")
exp2_ = _inplace(exponential.exp2, "exp2_")
expm1_ = _inplace(exponential.expm1, "expm1_")
log_ = _inplace(exponential.log, "log_")
log2_ = _inplace(exponential.log2, "log2_")
log10_ = _inplace(exponential.log10, "log10_")
log1p_ = _inplace(exponential.log1p, "log1p_")
sigmoid_ = _inplace(exponential.sigmoid, "sigmoid_")
logit_ = _inplace(exponential.logit, "logit_")
xlogy_ = _binary_inplace(exponential.xlogy, "xlogy_")
sin_ = _inplace(trigonometric.sin, "sin_")
cos_ = _inplace(trigonometric.cos, "cos_")
tan_ = _inplace(trigonometric.tan, "tan_")
asin_ = _inplace(trigonometric.asin, "asin_")
arcsin_ = _inplace(trigonometric.asin, "arcsin_")
acos_ = _inplace(trigonometric.acos, "acos_")
arccos_ = _inplace(trigonometric.acos, "arccos_")
atan_ = _inplace(trigonometric.atan, "atan_")
arctan_ = _inplace(trigonometric.atan, "arctan_")
atan2_ = _binary_inplace(trigonometric.atan2, "atan2_")
arctan2_ = _binary_inplace(trigonometric.atan2, "arctan2_")
sinh_ = _inplace(trigonometric.sinh, "sinh_")
cosh_ = _inplace(trigonometric.cosh, "cosh_")
tanh_ = _inplace(trigonometric.tanh, "tanh_")
asinh_ = _underivable_inplace(trigonometric.asinh, "asinh_", "Asinh")
arcsinh_ = _underivable_inplace(trigonometric.asinh, "arcsinh_", "Asinh")
acosh_ = _underivable_inplace(trigonometric.acosh, "acosh_", "Acosh")
arccosh_ = _underivable_inplace(trigonometric.acosh, "arccosh_", "Acosh")
atanh_ = _underivable_inplace(trigonometric.atanh, "atanh_", "Atanh")
arctanh_ = _underivable_inplace(trigonometric.atanh, "arctanh_", "Atanh")
hypot_ = _binary_inplace(trigonometric.hypot, "hypot_")
erf_ = _inplace(error_function.erf, "erf_")
erfc_ = _inplace(error_function.erfc, "erfc_")
erfinv_ = _inplace(error_function.erfinv, "erfinv_")

abs_ = _inplace(rounding.abs, "abs_")
absolute_ = _inplace(rounding.abs, "absolute_")
sign_ = _inplace(rounding.sign, "sign_")
sgn_ = _inplace(rounding.sgn, "sgn_")
floor_ = _inplace(rounding.floor, "floor_")
ceil_ = _inplace(rounding.ceil, "ceil_")
round_ = _inplace(rounding.round, "round_")
trunc_ = _inplace(rounding.trunc, "trunc_")
fix_ = _inplace(rounding.trunc, "fix_")
frac_ = _inplace(rounding.frac, "frac_")
relu_ = _inplace(clamping.relu, "relu_")
clamp_ = _clamp_inplace(clamping.clamp, "clamp_")
clip_ = _clamp_inplace(clamping.clamp, "clip_")
clamp_min_ = _clamp_inplace(clamping.clamp_min, "clamp_min_")
clamp_max_ = _clamp_inplace(clamping.clamp_max, "clamp_max_")
nan_to_num_ = _inplace(predicates.nan_to_num, "nan_to_num_")

METHODS = ("add_", "sub_", "mul_", "div_", "subtract_", "multiply_", "divide_", "true_divide_",
           "pow_", "float_power_", "lerp_", "fill_", "zero_", "copy_",
           "neg_", "negative_", "reciprocal_", "square_", "floor_divide_", "remainder_",
           "fmod_", "eq_", "ne_", "lt_", "le_", "gt_", "ge_", "not_equal_", "less_",
           "less_equal_", "greater_", "greater_equal_", "logical_and_", "logical_or_",
           "logical_xor_", "logical_not_", "bitwise_and_", "bitwise_or_", "bitwise_xor_",
           "bitwise_not_", "exp_", "exp2_", "expm1_", "log_", "log2_", "log10_", "log1p_",
           "sqrt_", "rsqrt_", "sin_", "cos_", "tan_", "asin_", "arcsin_", "acos_", "arccos_",
           "atan_", "arctan_", "atan2_", "arctan2_", "sinh_", "cosh_", "tanh_", "asinh_",
           "arcsinh_", "acosh_", "arccosh_", "atanh_", "arctanh_", "sigmoid_", "logit_", "erf_",
           "erfc_", "erfinv_", "abs_", "absolute_", "sign_", "sgn_", "floor_", "ceil_", "round_",
           "trunc_", "fix_", "frac_", "relu_", "clamp_", "clip_", "clamp_min_", "clamp_max_",
           "hypot_", "xlogy_", "nan_to_num_", "addcmul_", "addcdiv_")

FUNCTIONAL = ()
