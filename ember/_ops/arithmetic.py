"""Arithmetic on tensors and numbers: ``+ - * / // % **``, comparisons and logical operations.

Each differentiable operation is an :class:`~ember.autograd.function.Op`: ``forward`` computes
with NumPy (which also broadcasts), ``backward`` gives each input its share of the gradient.
A gradient that came out bigger than its input because of broadcasting is summed back to the
input's shape by the autograd node, in one place, so the formulas here ignore broadcasting.

``dtype`` (the last argument of the binary ops) is None when NumPy's result type is already
torch's; otherwise it is the NumPy dtype to compute in (see ``common.binary_dtype``).
"""
import numpy as np

from .. import _dtype
from ..autograd.function import Op
from . import dual
from .common import Tensor, as_tensor_operand, binary_dtype, check_broadcast, is_number

__all__ = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "remainder", "fmod", "pow", "float_power", "neg", "negative", "rsub",
           "reciprocal", "square",
           "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
           "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"]


def _broadcast_error(a, b):
    check_broadcast(np.shape(a), np.shape(b))
    raise


class Add(Op):
    """out = a + alpha * b.   d(out)/da = 1,  d(out)/db = alpha."""

    @staticmethod
    def forward(ctx, a, b, alpha=1, dtype=None):
        ctx.alpha = alpha
        if alpha != 1:
            b = np.multiply(b, alpha, dtype=dtype)
        try:
            return np.add(a, b) if dtype is None else np.add(a, b, dtype=dtype)
        except ValueError:
            _broadcast_error(a, b)

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
            b = np.multiply(b, alpha, dtype=dtype)
        try:
            return np.subtract(a, b) if dtype is None else np.subtract(a, b, dtype=dtype)
        except ValueError:
            _broadcast_error(a, b)

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.alpha
        return grad, -grad if alpha == 1 else grad * -alpha, None, None


class Rsub(Op):
    """out = b - alpha * a (``1 - x``).   d(out)/da = -alpha,  d(out)/db = 1."""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, b, alpha=1, dtype=None):
        ctx.alpha = alpha
        if alpha != 1:
            a = np.multiply(a, alpha, dtype=dtype)
        return np.subtract(b, a) if dtype is None else np.subtract(b, a, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.alpha
        return -grad if alpha == 1 else grad * -alpha, grad, None, None


class Mul(Op):
    """out = a * b.   d(out)/da = b,  d(out)/db = a."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        try:
            return np.multiply(a, b) if dtype is None else np.multiply(a, b, dtype=dtype)
        except ValueError:
            _broadcast_error(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * b if needs[0] else None), (grad * a if needs[1] else None), None


class Div(Op):
    """out = a / b.   d(out)/da = 1 / b,  d(out)/db = -a / b**2."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        try:
            return np.true_divide(a, b) if dtype is None else np.true_divide(a, b, dtype=dtype)
        except ValueError:
            _broadcast_error(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad / b if needs[0] else None
        grad_b = -grad * a / (b * b) if needs[1] else None
        return grad_a, grad_b, None


class Pow(Op):
    """out = a ** n for a number n.   d(out)/da = n * a ** (n - 1)."""

    @staticmethod
    def forward(ctx, a, n, dtype=None):
        ctx.save_for_backward(a)
        ctx.exponent = n
        if n == 2:
            return np.multiply(a, a, dtype=dtype)
        return np.power(a, n) if dtype is None else np.power(a, n, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        n = ctx.exponent
        if n == 0:
            return grad * 0, None, None
        if n == 2:
            return grad * (a * 2), None, None
        return grad * (a ** (n - 1) * n), None, None


class PowTensor(Op):
    """out = a ** b for tensors.   d/da = b * a ** (b - 1),  d/db = out * log(a)."""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        try:
            return np.power(a, b) if dtype is None else np.power(a, b, dtype=dtype)
        except ValueError:
            _broadcast_error(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad * b * a ** (b - 1) if needs[0] else None
        grad_b = None
        if needs[1]:
            # where a == 0 and b >= 0 the derivative in b is 0 (torch's convention), not nan
            log_a = dual.where((a == 0) & (b >= 0), 0.0, dual.log(a))
            grad_b = grad * a ** b * log_a
        return grad_a, grad_b, None


class PowScalarBase(Op):
    """out = s ** b for a number s.   d(out)/db = out * log(s)."""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, s, b, dtype=None):
        out = np.power(s, b) if dtype is None else np.power(s, b, dtype=dtype)
        ctx.save_for_backward(out)
        ctx.log_base = float(np.log(s)) if s > 0 else (float("-inf") if s == 0 else float("nan"))
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return None, grad * out * ctx.log_base, None


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
        with np.errstate(divide="ignore"):
            out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -grad * out * out


class Remainder(Op):
    """out = a mod b with the sign of b (Python's %).   d/da = 1, d/db = -floor(a / b)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        _check_int_division(a, b)
        return np.remainder(a, b) if dtype is None else np.remainder(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.floor(a / b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


class Fmod(Op):
    """out = a mod b with the sign of a (C's fmod).   d/da = 1, d/db = -trunc(a / b)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        _check_int_division(a, b)
        return np.fmod(a, b) if dtype is None else np.fmod(a, b, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.trunc(a / b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


def _check_int_division(a, b):
    if np.asarray(b).dtype.kind in "iub" and np.asarray(a).dtype.kind in "iub" and \
            np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


# ---------------------------------------------------------------- public functions


def _binary(op, a, b):
    a = as_tensor_operand(a, "input")
    b = as_tensor_operand(b)
    dtype = binary_dtype(a, b)
    return op.apply(a, b) if dtype is None else op.apply(a, b, dtype)


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other``, broadcasting.  ``x + y`` is ``add(x, y)``."""
    if not isinstance(input, Tensor):
        input, other = other, input           # number + tensor
    b = other if type(other) is Tensor else as_tensor_operand(other)
    dtype = binary_dtype(input, b)
    if alpha == 1 and dtype is None:
        result = Add.apply(input, b)
    else:
        result = Add.apply(input, b, alpha, dtype)
    return result if out is None else _out(result, out)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``.  ``1 - x`` (a number first) is ``rsub(x, 1)``."""
    if not isinstance(input, Tensor):
        return rsub(other, input, alpha=alpha)
    b = as_tensor_operand(other)
    if input._array.dtype.kind == "b" and (isinstance(b, Tensor) and b._array.dtype.kind == "b"
                                           or isinstance(b, bool)):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    dtype = binary_dtype(input, b)
    if alpha == 1 and dtype is None:
        result = Sub.apply(input, b)
    else:
        result = Sub.apply(input, b, alpha, dtype)
    return result if out is None else _out(result, out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (what ``2 - x`` computes)."""
    other = as_tensor_operand(other)
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    return Rsub.apply(input, other, alpha, binary_dtype(input, other))


def mul(input, other, *, out=None):
    """Elementwise product, broadcasting.  ``x * y`` is ``mul(x, y)``."""
    if not isinstance(input, Tensor):
        input, other = other, input
    b = other if type(other) is Tensor else as_tensor_operand(other)
    dtype = binary_dtype(input, b)
    result = Mul.apply(input, b) if dtype is None else Mul.apply(input, b, dtype)
    return result if out is None else _out(result, out)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """Elementwise quotient; integers divide to floats unless ``rounding_mode`` is
    ``'trunc'`` or ``'floor'``."""
    if rounding_mode is not None:
        if rounding_mode == "floor":
            return floor_divide(input, other)
        if rounding_mode == "trunc":
            return _out(_trunc_divide(input, other), out)
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           "but found '{}'".format(rounding_mode))
    if not isinstance(input, Tensor):               # number / tensor = number * (1 / tensor)
        return mul(reciprocal(other), input)
    b = as_tensor_operand(other)
    dtype = binary_dtype(input, b)
    kind = (dtype.kind if dtype is not None else input._array.dtype.kind)
    if kind != "f":
        dtype = _dtype.get_default_dtype().numpy
    result = Div.apply(input, b) if dtype is None else Div.apply(input, b, dtype)
    return result if out is None else _out(result, out)


divide = true_divide = div


def _trunc_divide(a, b):
    a = as_tensor_operand(a, "input")
    b = as_tensor_operand(b)
    q = div(a, b)
    if q._array.dtype.kind == "f" and not _is_float(a) and not _is_float(b):
        return Tensor._make(np.trunc(q._array).astype(_dtype.result_type(a, b).numpy))
    return q.trunc()


def _is_float(x):
    return x._array.dtype.kind == "f" if isinstance(x, Tensor) else isinstance(x, float)


def floor_divide(input, other, *, out=None):
    """``input // other`` rounded towards minus infinity (not differentiable)."""
    a = as_tensor_operand(input, "input")
    b = as_tensor_operand(other)
    dtype = binary_dtype(a, b)
    x = a._array if isinstance(a, Tensor) else a
    y = b._array if isinstance(b, Tensor) else b
    _check_int_division(x, y)
    result = np.floor_divide(x, y) if dtype is None else np.floor_divide(x, y, dtype=dtype)
    return _out(Tensor._make(np.asarray(result)), out)


def remainder(input, other, *, out=None):
    """Python's ``%``: the remainder has the sign of the divisor."""
    if not isinstance(input, Tensor):
        input = Tensor._make(np.asarray(input))
    return _out(_binary(Remainder, input, other), out)


def fmod(input, other, *, out=None):
    """C's fmod: the remainder has the sign of the dividend."""
    return _out(_binary(Fmod, input, other), out)


def pow(input, exponent, *, out=None):
    """``input ** exponent``; either may be a number."""
    if not isinstance(input, Tensor):
        exponent = as_tensor_operand(exponent, "exponent")
        return _out(PowScalarBase.apply(input, exponent, binary_dtype(exponent, input)), out)
    if isinstance(exponent, Tensor):
        return _out(_binary(PowTensor, input, exponent), out)
    if not is_number(exponent):
        raise TypeError("pow(): argument 'exponent' must be Tensor or Number, not "
                        + type(exponent).__name__)
    if input._array.dtype.kind in "iub" and exponent < 0 and not isinstance(exponent, float):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    dtype = binary_dtype(input, exponent)
    result = Pow.apply(input, exponent) if dtype is None else Pow.apply(input, exponent, dtype)
    return result if out is None else _out(result, out)


def float_power(input, exponent):
    """``input ** exponent`` computed in float64."""
    if isinstance(input, Tensor):
        input = input.double()
    if isinstance(exponent, Tensor):
        exponent = exponent.double()
    elif not isinstance(input, Tensor):
        input = float(input)
    return pow(input, exponent)


def neg(input, *, out=None):
    """``-input``."""
    return _out(Neg.apply(input), out)


negative = neg


def reciprocal(input, *, out=None):
    """``1 / input`` (integers become floats)."""
    return _out(Reciprocal.apply(input), out)


def square(input, *, out=None):
    """``input ** 2``."""
    return pow(input, 2, out=out)


def _out(result, out):
    """Writes into ``out=`` when given (resizing it, as torch does) and returns it."""
    if out is None:
        return result
    if out._requires_grad and result._requires_grad:
        raise RuntimeError("{}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.".format("op"))
    out._array = np.array(result._array, dtype=out._array.dtype) \
        if out._array.shape != result._array.shape else out._array
    np.copyto(out._array, result._array, casting="unsafe")
    out._bump_version()
    return out


# ---------------------------------------------------------------- comparisons and logic


def _compare(ufunc, a, b):
    a = as_tensor_operand(a, "input")
    b = as_tensor_operand(b)
    dtype = binary_dtype(a, b)
    x = a._array if isinstance(a, Tensor) else a
    y = b._array if isinstance(b, Tensor) else b
    if dtype is not None:
        x = np.asarray(x).astype(dtype, copy=False)
        y = np.asarray(y).astype(dtype, copy=False)
    try:
        return Tensor._make(np.asarray(ufunc(x, y)))
    except ValueError:
        check_broadcast(np.shape(x), np.shape(y))
        raise


def eq(input, other, *, out=None):
    """Elementwise ``input == other`` (a bool tensor)."""
    return _out(_compare(np.equal, input, other), out)


def ne(input, other, *, out=None):
    """Elementwise ``input != other``."""
    return _out(_compare(np.not_equal, input, other), out)


def lt(input, other, *, out=None):
    """Elementwise ``input < other``."""
    return _out(_compare(np.less, input, other), out)


def le(input, other, *, out=None):
    """Elementwise ``input <= other``."""
    return _out(_compare(np.less_equal, input, other), out)


def gt(input, other, *, out=None):
    """Elementwise ``input > other``."""
    return _out(_compare(np.greater, input, other), out)


def ge(input, other, *, out=None):
    """Elementwise ``input >= other``."""
    return _out(_compare(np.greater_equal, input, other), out)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def logical_and(input, other, *, out=None):
    """Elementwise AND of the truth values."""
    return _out(_compare(np.logical_and, input, other), out)


def logical_or(input, other, *, out=None):
    """Elementwise OR of the truth values."""
    return _out(_compare(np.logical_or, input, other), out)


def logical_xor(input, other, *, out=None):
    """Elementwise XOR of the truth values."""
    return _out(_compare(np.logical_xor, input, other), out)


def logical_not(input, *, out=None):
    """Elementwise NOT of the truth values."""
    return _out(Tensor._make(np.logical_not(input._array)), out)


def _bitwise(ufunc, name, a, b):
    a = as_tensor_operand(a, "input")
    b = as_tensor_operand(b)
    for x in (a, b):
        kind = x._array.dtype.kind if isinstance(x, Tensor) else ("b" if isinstance(x, bool) else
                                                                  "i" if isinstance(x, int) else "f")
        if kind == "f":
            raise RuntimeError('"{}_cpu" not implemented for \'Float\''.format(name))
    dtype = binary_dtype(a, b)
    x = a._array if isinstance(a, Tensor) else a
    y = b._array if isinstance(b, Tensor) else b
    result = ufunc(x, y) if dtype is None else ufunc(x, y, dtype=dtype)
    return Tensor._make(np.asarray(result))


def bitwise_and(input, other):
    """Elementwise bitwise AND of integer or bool tensors (``&``)."""
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


def bitwise_or(input, other):
    """Elementwise bitwise OR (``|``)."""
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


def bitwise_xor(input, other):
    """Elementwise bitwise XOR (``^``)."""
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


def bitwise_not(input):
    """Elementwise bitwise NOT (``~``); logical NOT for bool tensors."""
    if input._array.dtype.kind == "f":
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return Tensor._make(np.invert(input._array))


METHODS = ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "remainder", "fmod", "pow", "float_power", "neg", "negative",
           "reciprocal", "square", "eq", "ne", "lt", "le", "gt", "ge", "greater",
           "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or",
           "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
           "bitwise_not")

FUNCTIONAL = ()
