"""Arithmetic on tensors and numbers: ``+ - * / // % **``, comparisons and logical operations.

Each differentiable operation is an :class:`~ember.autograd.function.Op`: ``forward`` computes
with NumPy (which also broadcasts), ``backward`` gives each input its share of the gradient.
A gradient that came out bigger than its input because of broadcasting is summed back to the
input's shape by the autograd node, in one place, so the formulas here ignore broadcasting.

``dtype`` (the last argument of the binary ops) is None when NumPy's result type is already
torch's; otherwise it is the NumPy dtype to compute in (see ``common.binary_dtype``).

A Python number beside a tensor counts for less than a tensor in type promotion
(``int_tensor * 2.5`` is float32, ``float32_tensor + 1e300`` stays float32); an integer that does
not fit the tensor's integer dtype wraps around (``int8 + 1000`` adds -24), as in torch.
"""
import warnings

import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .common import Tensor, binary_dtype, check_broadcast

__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "remainder", "fmod", "pow", "float_power", "neg", "negative", "rsub",
           "positive", "reciprocal", "square",
           "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
           "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"]

# ---------------------------------------------------------------- operands


def _type_name(x):
    if isinstance(x, Tensor):
        return "Tensor"
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else cls.__module__ + "." + cls.__name__


def operand(x, fname, name="other", position=2):
    """``x`` as an operand of ``fname``: a tensor or a Python number.  NumPy scalars become
    Python numbers and arrays become tensors; anything else is torch's TypeError."""
    if isinstance(x, (Tensor, int, float)):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    if isinstance(x, (np.number, np.bool_)) and x.dtype.kind != "c":
        return x.item()
    raise TypeError("{}(): argument '{}' (position {}) must be Tensor, not {}".format(
        fname, name, position, _type_name(x)))


def tensor_operand(x, fname, name="other", position=2):
    """``x``, which must be a tensor (no numbers allowed), else torch's TypeError."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    raise TypeError("{}(): argument '{}' (position {}) must be Tensor, not {}".format(
        fname, name, position, _type_name(x)))


def invalid_arguments(fname, args, overloads):
    """torch's TypeError for arguments that match none of a function's signatures."""
    raise TypeError("{}() received an invalid combination of arguments - got ({}), but expected "
                    "one of:\n{}".format(fname, ", ".join(_type_name(a) for a in args),
                                         "".join(" * ({})\n".format(o) for o in overloads)))


_TENSOR_OR_NUMBER = ("Tensor input, Tensor other, *, Tensor out = None",
                     "Tensor input, Number other, *, Tensor out = None")


def _tensor_first(fname, input, other):
    """Checks the signature ``fname(Tensor input, Tensor or Number other)``."""
    if not isinstance(input, Tensor):
        if isinstance(input, (int, float)):
            invalid_arguments(fname, (input, other), _TENSOR_OR_NUMBER)
        operand(input, fname, "input", 1)
    return operand(other, fname)


def _no_tensor(fname, input, other):
    """The TypeError for ``fname(input, other)`` when neither is a tensor."""
    operand(input, fname, "input", 1)
    invalid_arguments(fname, (input, other), _TENSOR_OR_NUMBER)


def _number_as_tensor(number, other):
    """A number in the place of a tensor (``torch.sub(2, x)``): a 0-d tensor of the result
    dtype, so that it promotes like the number it stands for."""
    dtype = _dtype.result_type(number, other).numpy
    if type(number) is int and dtype.kind in "iu":
        return Tensor._make(_wrap(number, dtype))
    return Tensor._make(np.array(number, dtype=dtype))


def _wrap(value, dtype):
    """A Python int cast to an integer dtype as torch casts it: wrapping around when it does not
    fit (NumPy raises instead), as a 0-d array."""
    if not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("int too big to convert")
    return np.array(value % 2 ** 64, dtype=np.uint64).astype(dtype)


def number_as(value, dtype):
    """A Python number as a 0-d array of ``dtype``; an int wraps around into an integer dtype
    (after ``check_fits`` -1 in uint8 is 255, as in torch)."""
    dtype = np.dtype(dtype)
    if type(value) is int and dtype.kind in "iu":
        return _wrap(value, dtype)
    return np.array(value, dtype=dtype)


def _wrapped_int(t, value):
    """A Python int beside an integer (or bool) tensor, as the 0-d tensor torch makes of it."""
    dtype = t._array.dtype if t._array.dtype.kind != "b" else np.dtype(np.int64)
    return Tensor._make(_wrap(value, dtype))


def _fits(t, value):
    """Whether a Python number may stand beside tensor ``t`` as it is (see ``_wrapped_int``)."""
    if type(value) is not int or t._array.dtype.kind not in "iu":
        return True
    info = np.iinfo(t._array.dtype)
    return info.min <= value <= info.max


def check_fits(value, dtype):
    """Where torch refuses rather than wraps (``fill_``, ``where``, ``clamp``, ``pow``): a number
    that an integer or float16 dtype cannot hold is an error.  Unsigned types take negative
    numbers down to -max, which wrap (-1 is 255 in uint8)."""
    dtype = np.dtype(dtype)
    if isinstance(value, bool) or dtype.kind == "b":
        return
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        low = -int(info.max) if dtype.kind == "u" else int(info.min)
        if not low <= value <= info.max:
            _overflow(dtype)
    elif dtype == np.float16 and np.isfinite(value) and abs(value) > 65504:
        _overflow(dtype)


_C_TYPE = {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int",
           "int64": "int64_t", "float16": "c10::Half"}


def _overflow(dtype):
    raise RuntimeError("value cannot be converted to type {} without overflow".format(
        _C_TYPE.get(np.dtype(dtype).name, np.dtype(dtype).name)))


def not_implemented(kernel, dtype):
    raise NotImplementedError('"{}" not implemented for \'{}\''.format(
        kernel, _dtype.from_numpy(dtype).scalar_name))


def _result_dtype(a, b, dtype):
    """The NumPy dtype of ``a op b`` (``dtype`` is what ``binary_dtype`` said)."""
    if dtype is not None:
        return np.dtype(dtype)
    return (a if isinstance(a, Tensor) else b)._array.dtype


def _ufunc(fn, a, b, dtype):
    """``fn(a, b)`` computed in ``dtype``, with torch's message when shapes do not broadcast."""
    try:
        return fn(a, b) if dtype is None else fn(a, b, dtype=dtype, casting="unsafe")
    except ValueError:
        check_broadcast(np.shape(a), np.shape(b))
        raise


def _check_int_division(a, b, dtype):
    """Integer division by zero is an error in torch (floats give inf or nan)."""
    if np.dtype(dtype).kind in "iu" and np.any(np.equal(b, 0)):
        raise RuntimeError("ZeroDivisionError")


def _times_alpha(b, alpha, dtype):
    """``alpha * b`` in the result dtype (for a bool result, alpha counts as a truth value)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.logical_and(b, bool(alpha))
    if dtype.kind in "iu":
        alpha = np.array(alpha).astype(dtype)           # wraps around, as torch's cast does
    return np.multiply(b, alpha, dtype=dtype, casting="unsafe")


# ---------------------------------------------------------------- the differentiable operations


class Add(Op):
    """out = a + alpha * b.   d(out)/da = 1,  d(out)/db = alpha."""

    @staticmethod
    def forward(ctx, a, b, alpha=1, dtype=None):
        ctx.alpha = alpha
        if alpha != 1:
            b = _times_alpha(b, alpha, dtype or np.result_type(a, b))
        try:
            if dtype is None:
                return np.add(a, b)
            return np.add(a, b, dtype=dtype, casting="unsafe")
        except ValueError:
            check_broadcast(np.shape(a), np.shape(b))
            raise

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.alpha
        return grad, grad if alpha == 1 else grad * alpha, None, None


class Sub(Op):
    """out = a - alpha * b.   d(out)/da = 1,  d(out)/db = -alpha."""

    @staticmethod
    def forward(ctx, a, b, alpha=1, dtype=None):
        ctx.alpha = alpha
        if alpha != 1:
            b = _times_alpha(b, alpha, dtype or np.result_type(a, b))
        try:
            if dtype is None:
                return np.subtract(a, b)
            return np.subtract(a, b, dtype=dtype, casting="unsafe")
        except ValueError:
            check_broadcast(np.shape(a), np.shape(b))
            raise

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.alpha
        return grad, -grad if alpha == 1 else grad * -alpha, None, None


class Rsub(Op):
    """out = s - alpha * a for a number s (``1 - x``).   d(out)/da = -alpha."""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, s, alpha=1, dtype=None):
        ctx.alpha = alpha
        if alpha != 1:
            a = _times_alpha(a, alpha, dtype or np.result_type(a, s))
        if dtype is None:
            return np.subtract(s, a)
        return np.subtract(s, a, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.alpha
        return -grad if alpha == 1 else grad * -alpha, None, None, None


class RsubTensor(Op):
    """out = b - alpha * a for tensors (``torch.rsub(a, b)``).   d/da = -alpha,  d/db = 1."""

    node_name = "RsubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha, dtype):
        return Sub.forward(ctx, b, a, alpha, dtype)

    @staticmethod
    def backward(ctx, grad):
        grad_b, grad_a, _, _ = Sub.backward(ctx, grad)
        return grad_a, grad_b, None, None


class Mul(Op):
    """out = a * b.   d(out)/da = b,  d(out)/db = a."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        try:
            if dtype is None:
                return np.multiply(a, b)
            return np.multiply(a, b, dtype=dtype, casting="unsafe")
        except ValueError:
            check_broadcast(np.shape(a), np.shape(b))
            raise

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * b if needs[0] else None), (grad * a if needs[1] else None), None


class Div(Op):
    """out = a / b.   d(out)/da = 1 / b,  d(out)/db = -a / b**2 (computed as -(a / b) / b)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        try:
            if dtype is None:
                return np.true_divide(a, b)
            return np.true_divide(a, b, dtype=dtype, casting="unsafe")
        except ValueError:
            check_broadcast(np.shape(a), np.shape(b))
            raise

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad / b if needs[0] else None
        grad_b = -grad * ((a / b) / b) if needs[1] else None
        return grad_a, grad_b, None


class DivRounding(Op):
    """out = a / b rounded down ('floor') or towards zero ('trunc').   A step function: its
    derivative is 0 wherever it exists, and torch uses 0 everywhere."""

    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, mode, dtype):
        ctx.shapes = np.shape(a), np.shape(b)
        kind = np.dtype(dtype).kind
        if kind == "b":
            not_implemented("div_" + mode + "_cpu", dtype)
        _check_int_division(a, b, dtype)
        if mode == "floor":
            return _ufunc(np.floor_divide, a, b, dtype)
        if kind == "f":
            return np.trunc(_ufunc(np.true_divide, a, b, dtype))
        q = _ufunc(np.floor_divide, a, b, dtype)            # integers: floor, then towards 0
        inexact = np.remainder(a, b, dtype=dtype, casting="unsafe") != 0
        return q + (inexact & (np.less(a, 0) != np.less(b, 0)))

    @staticmethod
    def backward(ctx, grad):
        shape_a, shape_b = ctx.shapes
        return dual.zeros(shape_a, grad), dual.zeros(shape_b, grad), None, None


class FloorDivide(Op):
    """out = floor(a / b).   torch defines no derivative (``x // y``): the graph node raises
    when the backward pass reaches it."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        out_dtype = np.result_type(a, b) if dtype is None else dtype
        if np.dtype(out_dtype).kind == "b":
            not_implemented("div_floor_cpu", out_dtype)
        _check_int_division(a, b, out_dtype)
        return _ufunc(np.floor_divide, a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Remainder(Op):
    """out = a mod b with the sign of b (Python's %).   d/da = 1,  d/db = -floor(a / b)."""

    node_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return _modulo(np.remainder, "remainder_cpu", a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.floor_divide(a, b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


class RemainderScalar(Op):
    """out = a mod s for a number s.   d(out)/da = 1."""

    node_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, s, dtype=None):
        return _modulo(np.remainder, "remainder_cpu", a, s, dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None, None


class RemainderOfNumber(Op):
    """out = s mod b for a number s (``2 % x``).   torch defines no derivative for it."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, s, b, dtype=None):
        return _modulo(np.remainder, "remainder_cpu", s, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::remainder is not implemented")


class Fmod(Op):
    """out = a mod b with the sign of a (C's fmod).   d/da = 1,  d/db = -trunc(a / b)."""

    node_name = "FmodBackward1"

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return _modulo(np.fmod, "fmod_cpu", a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.trunc(a / b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


class FmodScalar(Op):
    """out = fmod(a, s) for a number s.   d(out)/da = 1."""

    node_name = "FmodBackward0"

    @staticmethod
    def forward(ctx, a, s, dtype=None):
        return _modulo(np.fmod, "fmod_cpu", a, s, dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None, None


def _modulo(fn, kernel, a, b, dtype):
    out_dtype = np.result_type(a, b) if dtype is None else dtype
    if np.dtype(out_dtype).kind == "b":
        not_implemented(kernel, out_dtype)
    _check_int_division(a, b, out_dtype)
    return _ufunc(fn, a, b, dtype)


class Pow(Op):
    """out = a ** n for a number n.   d(out)/da = n * a ** (n - 1)  (0 when n = 0)."""

    @staticmethod
    def forward(ctx, a, n, dtype=None):
        ctx.save_for_backward(a)
        ctx.exponent = n
        if n == 2:
            return np.multiply(a, a, dtype=dtype, casting="unsafe")
        if dtype is None:
            if a.dtype.kind == "b":                  # bool ** True is x, bool ** False is True
                return np.logical_or(a, not n)
            return np.power(a, n)
        return np.power(a, n, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        n = ctx.exponent
        if n == 0:
            return dual.zeros(a.shape, grad), None, None
        if n == 2:
            return grad * (a * 2.0), None, None
        return grad * (a ** (n - 1.0) * n), None, None


class PowTensor(Op):
    """out = a ** b for tensors.   d/da = b * a ** (b - 1)  (0 where b = 0),
    d/db = out * log(a)  (0 where a = 0 and b >= 0, torch's convention, rather than nan)."""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        out = _power(a, b, dtype)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad_b = None
        if needs[0]:
            grad_a = dual.where(b == 0, 0.0, grad * (b * a ** (b - 1.0)))
        if needs[1]:
            log_a = dual.log(dual.type_as(a, out))
            grad_b = grad * dual.where((a == 0) & (b >= 0), 0.0, out * log_a)
        return grad_a, grad_b, None


class PowOfNumber(Op):
    """out = s ** b for a number s.   d(out)/db = out * log(s)  (0 where s = 0 and b >= 0)."""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, s, b, dtype=None):
        out = _power(s, b, dtype)
        ctx.save_for_backward(b, out)
        ctx.base = s
        return out

    @staticmethod
    def backward(ctx, grad):
        b, out = ctx.saved_tensors
        s = ctx.base
        log_s = float(np.log(s)) if s > 0 else (float("-inf") if s == 0 else float("nan"))
        if s == 0:
            return None, grad * dual.where(b >= 0, 0.0, out * log_s), None
        return None, grad * (out * log_s), None


def _power(a, b, dtype):
    """``a ** b``; integer powers with negative exponents follow torch (1, -1 or 0, never an
    error)."""
    result = np.dtype(_ufunc_dtype(a, b, dtype))
    if result.kind in "iu":
        exponent = np.asarray(b)
        if exponent.dtype != result and exponent.dtype.kind in "iu":
            exponent = exponent.astype(result)       # -2 in uint8 is 254, as torch casts it
            b = exponent
        if np.any(exponent < 0):
            base = np.asarray(a)
            out = _ufunc(np.power, a, np.maximum(exponent, 0), dtype)
            odd = np.remainder(exponent, 2) == 1
            small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
            return np.where(exponent < 0, small, out).astype(out.dtype)
    return _ufunc(np.power, a, b, dtype)


def _ufunc_dtype(a, b, dtype):
    return dtype if dtype is not None else np.result_type(a, b)


class Neg(Op):
    """out = -a.   d(out)/da = -1."""

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind == "b":
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                               "you are trying to invert a mask, use the `~` or `logical_not()` "
                               "operator instead.")
        return np.negative(a)

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Reciprocal(Op):
    """out = 1 / a.   d(out)/da = -1 / a**2 = -out**2."""

    @staticmethod
    def forward(ctx, a):
        if a.dtype.kind != "f":
            a = a.astype(_dtype.get_default_dtype().numpy)
        out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -grad * (out * out)


# ---------------------------------------------------------------- public functions


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other``, broadcasting.  ``x + y`` is ``add(x, y)``."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            _no_tensor("add", input, other)
        input = operand(input, "add", "input", 1)
        if alpha == 1:
            input, other = other, input           # number + tensor = tensor + number
        else:
            input = _number_as_tensor(input, other)
    b = other if type(other) is Tensor else operand(other, "add")
    dtype = binary_dtype(input, b)
    try:
        if alpha == 1 and dtype is None:
            result = Add.apply(input, b)
        else:
            _check_alpha(input, b, dtype, alpha)
            result = Add.apply(input, b, alpha, dtype)
    except OverflowError:
        if type(b) is not int:
            raise
        return add(input, _wrapped_int(input, b), alpha=alpha, out=out)
    return result if out is None else write_out(result, out, "add")


def _check_alpha(a, b, dtype, alpha):
    kind = _result_dtype(a, b, dtype).kind
    if kind in "iu" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if kind != "b" and isinstance(alpha, (bool, np.bool_)):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")


def check_bool_sub(a, b):
    """torch refuses subtraction with bool operands (tensors or Python bools)."""
    a_bool = a._array.dtype.kind == "b" if isinstance(a, Tensor) else isinstance(a, bool)
    b_bool = b._array.dtype.kind == "b" if isinstance(b, Tensor) else isinstance(b, bool)
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``, broadcasting.  ``x - y`` is ``sub(x, y)``."""
    b = other if type(other) is Tensor else operand(other, "sub")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            _no_tensor("sub", input, other)
        number = operand(input, "sub", "input", 1)
        check_bool_sub(number, b)
        input = _number_as_tensor(number, b)
    if input._array.dtype.kind == "b" or isinstance(b, bool) or \
            isinstance(b, Tensor) and b._array.dtype.kind == "b":
        check_bool_sub(input, b)
    dtype = binary_dtype(input, b)
    try:
        if alpha == 1 and dtype is None:
            result = Sub.apply(input, b)
        else:
            _check_alpha(input, b, dtype, alpha)
            result = Sub.apply(input, b, alpha, dtype)
    except OverflowError:
        if type(b) is not int:
            raise
        return sub(input, _wrapped_int(input, b), alpha=alpha, out=out)
    return result if out is None else write_out(result, out, "sub")


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (what ``2 - x`` computes)."""
    if not isinstance(input, Tensor):
        invalid_arguments("rsub", (input, other),
                          ("Tensor input, Tensor other, *, Number alpha = 1",
                           "Tensor input, Number other, Number alpha = 1"))
    other = operand(other, "rsub")
    if isinstance(other, Tensor):
        if input._array.dtype.kind == "b" or other._array.dtype.kind == "b":
            check_bool_sub(other, input)
        dtype = binary_dtype(input, other)
        _check_alpha(input, other, dtype, alpha)
        return RsubTensor.apply(input, other, alpha, dtype)
    if input._array.dtype.kind == "b" or isinstance(other, bool):
        check_bool_sub(input, other)
    dtype = binary_dtype(input, other)
    _check_alpha(input, other, dtype, alpha)
    if not _fits(input, other):
        return sub(_wrapped_int(input, other), input, alpha=alpha)
    return Rsub.apply(input, other, alpha, dtype)


def mul(input, other, *, out=None):
    """Elementwise product, broadcasting.  ``x * y`` is ``mul(x, y)``."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            _no_tensor("mul", input, other)
        input, other = other, operand(input, "mul", "input", 1)
    b = other if type(other) is Tensor else operand(other, "mul")
    dtype = binary_dtype(input, b)
    try:
        result = Mul.apply(input, b) if dtype is None else Mul.apply(input, b, dtype)
    except OverflowError:
        if type(b) is not int:
            raise
        return mul(input, _wrapped_int(input, b), out=out)
    return result if out is None else write_out(result, out, "mul")


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """Elementwise quotient ``input / other``.  Integers divide to floats unless
    ``rounding_mode`` is ``'trunc'`` (towards zero) or ``'floor'`` (towards minus infinity)."""
    b = other if type(other) is Tensor else operand(other, "div")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            _no_tensor("div", input, other)
        number = operand(input, "div", "input", 1)
        if rounding_mode is None:                 # computed in floats: the number as it is
            dtype = _dtype.result_type(number, b)
            if not dtype.is_floating_point:
                dtype = _dtype.get_default_dtype()
            input = Tensor._make(np.array(number, dtype=dtype.numpy))
        else:
            input = _number_as_tensor(number, b)
    dtype = binary_dtype(input, b)
    if rounding_mode is not None:
        if rounding_mode != "floor" and rounding_mode != "trunc":
            raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or "
                               "'floor' but found '{}'".format(rounding_mode))
        if not _fits(input, b):
            b = _wrapped_int(input, b)
            dtype = binary_dtype(input, b)
        result = DivRounding.apply(input, b, rounding_mode, _result_dtype(input, b, dtype))
        return result if out is None else write_out(result, out, "div")
    if (input._array.dtype.kind if dtype is None else np.dtype(dtype).kind) != "f":
        dtype = _dtype.get_default_dtype().numpy
    result = Div.apply(input, b) if dtype is None else Div.apply(input, b, dtype)
    return result if out is None else write_out(result, out, "div")


divide = true_divide = div


def floor_divide(input, other, *, out=None):
    """``input // other``: the quotient rounded towards minus infinity (no gradient)."""
    b = operand(other, "floor_divide")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            _no_tensor("floor_divide", input, other)
        input = _number_as_tensor(operand(input, "floor_divide", "input", 1), b)
    if not _fits(input, b):
        b = _wrapped_int(input, b)
    result = FloorDivide.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "floor_divide")


def remainder(input, other, *, out=None):
    """Python's ``%``: ``input - floor(input / other) * other``, with the sign of ``other``."""
    b = operand(other, "remainder")
    if not isinstance(input, Tensor):
        s = operand(input, "remainder", "input", 1)
        if not isinstance(b, Tensor):
            invalid_arguments("remainder", (input, other), _TENSOR_OR_NUMBER)
        if not _fits(b, s):
            s = int(_wrapped_int(b, s)._array)
        result = RemainderOfNumber.apply(s, b, binary_dtype(b, s))
    else:
        if not _fits(input, b):
            b = _wrapped_int(input, b)
        op = Remainder if isinstance(b, Tensor) else RemainderScalar
        result = op.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "remainder")


def fmod(input, other, *, out=None):
    """C's fmod: ``input - trunc(input / other) * other``, with the sign of ``input``."""
    b = _tensor_first("fmod", input, other)
    if not _fits(input, b):
        b = _wrapped_int(input, b)
    op = Fmod if isinstance(b, Tensor) else FmodScalar
    result = op.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "fmod")


def pow(input, exponent, *, out=None):
    """``input ** exponent``; either may be a number (but not both)."""
    if not isinstance(input, Tensor):
        s = operand(input, "pow", "self", 1)
        exponent = operand(exponent, "pow", "exponent")
        if not isinstance(exponent, Tensor):
            invalid_arguments("pow", (input, exponent),
                              ("Tensor input, Tensor exponent, *, Tensor out = None",
                               "Number self, Tensor exponent, *, Tensor out = None",
                               "Tensor input, Number exponent, *, Tensor out = None"))
        if not _fits(exponent, s):
            s = int(_wrapped_int(exponent, s)._array)
        result = PowOfNumber.apply(s, exponent, binary_dtype(exponent, s))
        return result if out is None else write_out(result, out, "pow")
    exponent = operand(exponent, "pow", "exponent")
    kind = input._array.dtype.kind
    if isinstance(exponent, Tensor):
        if kind == "b" and exponent._array.dtype.kind == "b":
            not_implemented("pow", input._array.dtype)
        result = PowTensor.apply(input, exponent, binary_dtype(input, exponent))
        return result if out is None else write_out(result, out, "pow")
    if kind in "iub" and type(exponent) is int and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    dtype = binary_dtype(input, exponent)
    try:
        result = Pow.apply(input, exponent) if dtype is None else Pow.apply(input, exponent,
                                                                              dtype)
    except OverflowError:
        _overflow(_result_dtype(input, exponent, dtype))
    return result if out is None else write_out(result, out, "pow")


def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in float64 (for more precision)."""
    from .copy import to_dtype
    if isinstance(input, Tensor):
        if input._array.dtype != np.float64:
            input = to_dtype(input, _dtype.float64)
    elif isinstance(exponent, Tensor):
        input = float(operand(input, "float_power", "self", 1))
    else:
        invalid_arguments("float_power", (input, exponent),
                          ("Tensor input, Tensor exponent, *, Tensor out = None",
                           "Number self, Tensor exponent, *, Tensor out = None",
                           "Tensor input, Number exponent, *, Tensor out = None"))
    if isinstance(exponent, Tensor):
        if exponent._array.dtype != np.float64:
            exponent = to_dtype(exponent, _dtype.float64)
    else:
        exponent = float(operand(exponent, "float_power", "exponent"))
    return pow(input, exponent, out=out)


def neg(input, *, out=None):
    """``-input``."""
    result = Neg.apply(input)
    return result if out is None else write_out(result, out, "neg")


negative = neg


def positive(input):
    """``+input``: the tensor itself."""
    if input._array.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def reciprocal(input, *, out=None):
    """``1 / input`` (integers become floats)."""
    result = Reciprocal.apply(input)
    return result if out is None else write_out(result, out, "reciprocal")


def square(input, *, out=None):
    """``input ** 2``."""
    return pow(input, 2, out=out)


def write_out(result, out, name):
    """Writes ``result`` into the ``out=`` tensor (resizing it, as torch does) and returns it."""
    if result._requires_grad:
        raise RuntimeError("{}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.".format(name))
    if not isinstance(out, Tensor):
        raise TypeError("{}(): argument 'out' must be Tensor, not {}".format(name,
                                                                            _type_name(out)))
    if not _dtype.can_cast(result.dtype, out.dtype):
        raise RuntimeError("result type {} can't be cast to the desired output type {}".format(
            result.dtype.scalar_name, out.dtype.scalar_name))
    array = result._array
    if out._array.shape != array.shape:
        if out._array.size:
            warnings.warn(
                "An output with one or more elements was resized since it had shape {}, which "
                "does not match the required output shape {}. This behavior is deprecated, and "
                "in a future PyTorch release outputs will not be resized unless they have zero "
                "elements. You can explicitly reuse an out tensor t by resizing it, inplace, to "
                "zero elements with t.resize_(0).".format(list(out._array.shape),
                                                         list(array.shape)), UserWarning,
                stacklevel=3)
        out._array = np.empty(array.shape, out._array.dtype)
    np.copyto(out._array, array, casting="unsafe")
    out._bump_version()
    return out


# ---------------------------------------------------------------- comparisons and logic


def _compare(ufunc, fname, a, b, out):
    """A comparison or logical function of two operands: a bool tensor, never differentiable."""
    if ufunc in _LOGICAL:
        a, b = tensor_operand(a, fname, "input", 1), tensor_operand(b, fname)
    else:
        b = _tensor_first(fname, a, b)
    if not _fits(a, b):
        b = _wrapped_int(a, b)
    dtype = binary_dtype(a, b)
    x = a._array
    y = b._array if isinstance(b, Tensor) else b
    if dtype is not None:
        x = x.astype(dtype, copy=False)
        y = np.asarray(y).astype(dtype, copy=False)
    result = Tensor._make(np.asarray(_ufunc(ufunc, x, y, None)))
    return result if out is None else write_out(result, out, fname)


def eq(input, other, *, out=None):
    """Elementwise ``input == other`` (a bool tensor)."""
    return _compare(np.equal, "eq", input, other, out)


def ne(input, other, *, out=None):
    """Elementwise ``input != other``."""
    return _compare(np.not_equal, "ne", input, other, out)


def lt(input, other, *, out=None):
    """Elementwise ``input < other``."""
    return _compare(np.less, "lt", input, other, out)


def le(input, other, *, out=None):
    """Elementwise ``input <= other``."""
    return _compare(np.less_equal, "le", input, other, out)


def gt(input, other, *, out=None):
    """Elementwise ``input > other``."""
    return _compare(np.greater, "gt", input, other, out)


def ge(input, other, *, out=None):
    """Elementwise ``input >= other``."""
    return _compare(np.greater_equal, "ge", input, other, out)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


_LOGICAL = (np.logical_and, np.logical_or, np.logical_xor)


def logical_and(input, other, *, out=None):
    """Elementwise AND of the truth values (nonzero is true)."""
    return _compare(np.logical_and, "logical_and", input, other, out)


def logical_or(input, other, *, out=None):
    """Elementwise OR of the truth values."""
    return _compare(np.logical_or, "logical_or", input, other, out)


def logical_xor(input, other, *, out=None):
    """Elementwise XOR of the truth values."""
    return _compare(np.logical_xor, "logical_xor", input, other, out)


def logical_not(input, *, out=None):
    """Elementwise NOT of the truth values."""
    result = Tensor._make(np.logical_not(input._array))
    return result if out is None else write_out(result, out, "logical_not")


def _bitwise(ufunc, fname, a, b, out):
    b = _tensor_first(fname, a, b)
    if not _fits(a, b):
        b = _wrapped_int(a, b)
    dtype = binary_dtype(a, b)
    if _result_dtype(a, b, dtype).kind == "f":
        not_implemented(fname + "_cpu", _result_dtype(a, b, dtype))
    y = b._array if isinstance(b, Tensor) else b
    result = Tensor._make(np.asarray(_ufunc(ufunc, a._array, y, dtype)))
    return result if out is None else write_out(result, out, fname)


def bitwise_and(input, other, *, out=None):
    """Elementwise bitwise AND of integer or bool tensors (``&``)."""
    return _bitwise(np.bitwise_and, "bitwise_and", input, other, out)


def bitwise_or(input, other, *, out=None):
    """Elementwise bitwise OR (``|``)."""
    return _bitwise(np.bitwise_or, "bitwise_or", input, other, out)


def bitwise_xor(input, other, *, out=None):
    """Elementwise bitwise XOR (``^``)."""
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other, out)


def bitwise_not(input, *, out=None):
    """Elementwise bitwise NOT; logical NOT for bool tensors."""
    if input._array.dtype.kind == "f":
        not_implemented("bitwise_not_cpu", input._array.dtype)
    result = Tensor._make(np.invert(input._array))
    return result if out is None else write_out(result, out, "bitwise_not")


def invert(input):
    """``~input`` (the operator): bitwise NOT of an integer or bool tensor."""
    if input._array.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return Tensor._make(np.invert(input._array))


def rtruediv(input, other):
    """``other / input`` for a number ``other`` (the ``/`` operator with the tensor on the right):
    ``reciprocal(input) * other``, as torch computes it."""
    return mul(reciprocal(input), operand(other, "div"))


METHODS = ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "remainder", "fmod", "pow", "float_power", "neg", "negative",
           "positive", "reciprocal", "square", "eq", "ne", "lt", "le", "gt", "ge", "greater",
           "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or",
           "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
           "bitwise_not")

FUNCTIONAL = ()
