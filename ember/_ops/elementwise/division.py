"""Division: ``/`` (``div``, also rounded), ``//`` (``floor_divide``), ``%`` (``remainder``),
``fmod`` and ``reciprocal``.

``/`` always gives floats (integers divide in the default float dtype); the rounded divisions
and remainders keep integer dtypes, and there an integer division by zero is an error, as in
torch (floats give inf or nan).
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from .arithmetic import mul
from ..core.common import Tensor, binary_dtype
from ..core.operands import (FloatFunctionOfOutput, TENSOR_OR_NUMBER, compute, finish, fits,
                             fitted, float_result, invalid_arguments, no_tensor, not_implemented,
                             number_as_tensor, operand, result_dtype, tensor_first, wrapped_int,
                             write_out)
from ..core.inplace import binary_twin, twin
from ..core.registry import export


def _integer_division(ufunc, kernel, a, b, dtype):
    """``ufunc(a, b)`` for a division that keeps integers whole (``//``, ``%``, ``fmod``):
    torch has no bool kernel ``kernel`` for it, and refuses an integer division by zero."""
    out_dtype = np.dtype(np.result_type(a, b) if dtype is None else dtype)
    if out_dtype.kind == "b":
        not_implemented(kernel, out_dtype)
    if out_dtype.kind in "iu" and np.any(np.equal(b, 0)):
        raise RuntimeError("ZeroDivisionError")
    return compute(ufunc, a, b, dtype)


# ---------------------------------------------------------------- the differentiable operations


class Div(Op):
    """out = a / b.   d(out)/da = 1 / b,  d(out)/db = -a / b**2 (computed as -(a / b) / b)."""

    @staticmethod
    def forward(ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return compute(np.true_divide, a, b, dtype)

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
        if mode == "trunc" and dtype.kind == "f":
            return np.trunc(compute(np.true_divide, a, b, dtype))
        q = _integer_division(np.floor_divide, "div_" + mode + "_cpu", a, b, dtype)
        if mode == "floor":
            return q
        # integers towards zero: one more than rounded down where inexact and negative
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
        return _integer_division(np.floor_divide, "div_floor_cpu", a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Remainder(Op):
    """out = a mod b with the sign of b (Python's %).   d/da = 1,  d/db = -floor(a / b)."""

    node_name = "RemainderBackward1"
    ufunc, kernel = np.remainder, "remainder_cpu"

    @classmethod
    def forward(cls, ctx, a, b, dtype=None):
        ctx.save_for_backward(a, b)
        return _integer_division(cls.ufunc, cls.kernel, a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.floor_divide(a, b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


class Fmod(Remainder):
    """out = a mod b with the sign of a (C's fmod).   d/da = 1,  d/db = -trunc(a / b)."""

    node_name = "FmodBackward1"
    ufunc, kernel = np.fmod, "fmod_cpu"

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_b = -grad * dual.trunc(a / b) if ctx.needs_input_grad[1] else None
        return grad, grad_b, None


class RemainderScalar(Op):
    """out = a mod s for a number s.   d(out)/da = 1."""

    node_name = "RemainderBackward0"
    ufunc, kernel = np.remainder, "remainder_cpu"

    @classmethod
    def forward(cls, ctx, a, s, dtype=None):
        return _integer_division(cls.ufunc, cls.kernel, a, s, dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None, None


class FmodScalar(RemainderScalar):
    """out = fmod(a, s) for a number s.   d(out)/da = 1."""

    node_name = "FmodBackward0"
    ufunc, kernel = np.fmod, "fmod_cpu"


class RemainderOfNumber(RemainderScalar):
    """out = s mod b for a number s (``2 % x``).   torch defines no derivative for it."""

    node_name = "NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::remainder is not implemented")


class Reciprocal(FloatFunctionOfOutput):
    """out = 1 / a.   d(out)/da = -1 / a**2 = -out**2."""

    function = np.reciprocal

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return -grad * (out * out)


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", aliases=("divide", "true_divide"))
def div(input, other, *, rounding_mode=None, out=None):
    """Elementwise quotient ``input / other``.  Integers divide to floats unless
    ``rounding_mode`` is ``'trunc'`` (towards zero) or ``'floor'`` (towards minus infinity)."""
    b = other if type(other) is Tensor else operand(other, "div")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            no_tensor("div", input, other)
        number = operand(input, "div", "input", 1)
        if rounding_mode is None:                 # computed in floats: the number as it is
            input = Tensor._make(np.array(number, dtype=float_result(number, b)))
        else:
            input = number_as_tensor(number, b)
    if rounding_mode is not None:
        if rounding_mode != "floor" and rounding_mode != "trunc":
            raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or "
                               "'floor' but found '{}'".format(rounding_mode))
        b = fitted(input, b)
        dtype = result_dtype(input, b, binary_dtype(input, b))
        return finish(DivRounding.apply(input, b, rounding_mode, dtype), out, "div")
    dtype = binary_dtype(input, b)
    if (input._array.dtype.kind if dtype is None else np.dtype(dtype).kind) not in "fcV":
        dtype = _dtype.get_default_dtype().numpy
    result = Div.apply(input, b) if dtype is None else Div.apply(input, b, dtype)
    return result if out is None else write_out(result, out, "div")




@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def floor_divide(input, other, *, out=None):
    """``input // other``: the quotient rounded towards minus infinity (no gradient)."""
    b = operand(other, "floor_divide")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            no_tensor("floor_divide", input, other)
        input = number_as_tensor(operand(input, "floor_divide", "input", 1), b)
    b = fitted(input, b)
    result = FloorDivide.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "floor_divide")


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def remainder(input, other, *, out=None):
    """Python's ``%``: ``input - floor(input / other) * other``, with the sign of ``other``."""
    b = operand(other, "remainder")
    if not isinstance(input, Tensor):
        s = operand(input, "remainder", "input", 1)
        if not isinstance(b, Tensor):
            invalid_arguments("remainder", (input, other), TENSOR_OR_NUMBER)
        if not fits(b, s):
            s = int(wrapped_int(b, s)._array)
        result = RemainderOfNumber.apply(s, b, binary_dtype(b, s))
    else:
        b = fitted(input, b)
        op = Remainder if isinstance(b, Tensor) else RemainderScalar
        result = op.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "remainder")


@export("torch", "Tensor", inplace=binary_twin("Tensor"))
def fmod(input, other, *, out=None):
    """C's fmod: ``input - trunc(input / other) * other``, with the sign of ``input``."""
    b = fitted(input, tensor_first("fmod", input, other))
    op = Fmod if isinstance(b, Tensor) else FmodScalar
    result = op.apply(input, b, binary_dtype(input, b))
    return result if out is None else write_out(result, out, "fmod")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def reciprocal(input, *, out=None):
    """``1 / input`` (integers become floats)."""
    return finish(Reciprocal.apply(input), out, "reciprocal")


def rtruediv(input, other):
    """``other / input`` for a number ``other`` (the ``/`` operator with the tensor on the right):
    ``reciprocal(input) * other``, as torch computes it."""
    return mul(reciprocal(input), operand(other, "div"))


