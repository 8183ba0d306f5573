"""Powers and roots: ``**`` (``pow``), ``float_power``, ``square``, ``sqrt`` and ``rsqrt``.

An integer tensor to a negative integer power is an error when the exponent is a number, and
1, -1 or 0 (never an error) when it is a tensor, as in torch.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, binary_dtype
from ..core.operands import (FloatFunctionOfOutput, compute, finish, fits, floating,
                             invalid_arguments, not_implemented, operand, overflow, result_dtype,
                             wrapped_int, write_out)
from ..core.inplace import twin
from ..core.half import rounded, widen
from ..core.registry import export


class Pow(Op):
    """out = a ** n for a number n.   d(out)/da = n * a ** (n - 1)  (0 when n = 0)."""

    @staticmethod
    def forward(ctx, a, n, dtype=None):
        ctx.save_for_backward(a)
        ctx.exponent = n
        if n == 2:
            return a * a if dtype is None else np.multiply(a, a, dtype=dtype, casting="unsafe")
        if dtype is None:
            if a.dtype.kind == "b":                  # bool ** True is x, bool ** False is True
                return np.logical_or(a, not n)
            if type(n) is float and n and a.dtype.kind == "f" and not a.dtype.type(n):
                # torch keeps the exponent in double: 1e-300 is not 0 (-2.9 ** 1e-300 is nan)
                return np.power(a.astype(np.float64), n).astype(a.dtype)
            return np.power(a, n)
        return np.power(a, n, dtype=dtype, casting="unsafe")

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        n = ctx.exponent
        if n == 0:
            return dual.zeros(a.shape, grad), None, None
        if n == 2:                  # 2a as a + a: exact, and faster than a product with 2.0
            return grad * (a + a), None, None
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
    result = np.dtype(dtype if dtype is not None else np.result_type(a, b))
    if result.kind in "iu":
        exponent = np.asanyarray(b)
        if exponent.dtype != result and exponent.dtype.kind in "iu":
            exponent = exponent.astype(result)       # -2 in uint8 is 254, as torch casts it
            b = exponent
        if np.any(exponent < 0):
            base = np.asanyarray(a)
            out = compute(np.power, a, np.maximum(exponent, 0), dtype)
            odd = np.remainder(exponent, 2) == 1
            small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
            return np.where(exponent < 0, small, out).astype(out.dtype)
    return compute(np.power, a, b, dtype)


class Sqrt(FloatFunctionOfOutput):
    """out = sqrt(x).   d(out)/dx = 1 / (2 sqrt(x)) = 1 / (2 out)  (inf at 0)."""

    function = np.sqrt

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad / (out * 2)


class Rsqrt(Op):
    """out = 1 / sqrt(x).   d(out)/dx = -x ** -1.5 / 2 = -out ** 3 / 2."""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        out = rounded(1 / np.sqrt(widen(x)), x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * (out * out * out) * -0.5


# ---------------------------------------------------------------- public functions

_POW_OVERLOADS = ("Tensor input, Tensor exponent, *, Tensor out = None",
                  "Number self, Tensor exponent, *, Tensor out = None",
                  "Tensor input, Number exponent, *, Tensor out = None")


@export("torch", "Tensor")
def pow(input, exponent, *, out=None):
    """``input ** exponent``; either may be a number (but not both)."""
    if not isinstance(input, Tensor):
        s = operand(input, "pow", "self", 1)
        exponent = operand(exponent, "pow", "exponent")
        if not isinstance(exponent, Tensor):
            invalid_arguments("pow", (input, exponent), _POW_OVERLOADS)
        if not fits(exponent, s):
            s = int(wrapped_int(exponent, s)._array)
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
        overflow(result_dtype(input, exponent, dtype))
    return result if out is None else write_out(result, out, "pow")


@export("torch", "Tensor")
def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in float64 (for more precision)."""
    from ..core.copy import to_dtype
    if isinstance(input, Tensor):
        if input._array.dtype != np.float64:
            input = to_dtype(input, _dtype.float64)
    elif isinstance(exponent, Tensor):
        input = float(operand(input, "float_power", "self", 1))
    else:
        invalid_arguments("float_power", (input, exponent), _POW_OVERLOADS)
    if isinstance(exponent, Tensor):
        if exponent._array.dtype != np.float64:
            exponent = to_dtype(exponent, _dtype.float64)
    else:
        exponent = float(operand(exponent, "float_power", "exponent"))
    return pow(input, exponent, out=out)


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def square(input, *, out=None):
    """``input ** 2``."""
    return pow(input, 2, out=out)


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def sqrt(input, *, out=None):
    """Square root of each element (nan below 0)."""
    return finish(Sqrt.apply(input), out, "sqrt")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def rsqrt(input, *, out=None):
    """``1 / sqrt(x)`` of each element."""
    return finish(Rsqrt.apply(input), out, "rsqrt")


