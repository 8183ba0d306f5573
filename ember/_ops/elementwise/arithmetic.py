"""Addition, subtraction and multiplication of tensors and numbers: ``+ - *``, unary ``-``, and
the fused ``addcmul`` and ``addcdiv`` of the optimizers.  Division and remainders are in
``division.py``, powers in ``power.py``, comparisons and logic in ``comparison.py``.

Each differentiable operation is an :class:`~ember.autograd.op.Op`: ``forward`` computes
with NumPy (which also broadcasts), ``backward`` gives each input its share of the gradient.
A gradient that came out bigger than its input because of broadcasting is summed back to the
input's shape by the autograd node, in one place, so the formulas here ignore broadcasting.

``dtype`` (the last argument of the binary ops) is None when NumPy's result type is already
torch's; otherwise it is the NumPy dtype to compute in (see ``common.binary_dtype``).  How
numbers stand beside tensors (promotion, integers that wrap around) is in ``elementwise.py``.
``Add``, ``Sub``, ``Mul`` (and ``Div``) call NumPy themselves rather than through
``elementwise.compute``: they are the hottest ops, and the extra call would cost 2%.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core.common import Tensor, binary_dtype, broadcast_shapes
from ..core.operands import (compute, finish, fits, invalid_arguments, no_tensor, number_as_tensor,
                             operand, result_dtype, tensor_operand, wrapped_int, write_out)
from ..core.inplace import twin
from ..core.half import computing, rounded
from ..core.registry import export


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
        return compute(np.add, a, b, dtype)

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
        return compute(np.subtract, a, b, dtype)

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
        return compute(np.subtract, s, a, dtype)

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
        return compute(np.multiply, a, b, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * b if needs[0] else None), (grad * a if needs[1] else None), None


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


class Addcmul(Op):
    """out = x + value * a * b.   dx = 1,  da = value * b,  db = value * a."""

    combine = np.multiply           # how a and b are combined

    @classmethod
    def forward(cls, ctx, x, a, b, value, dtype):
        ctx.save_for_backward(a, b)
        ctx.value = value
        # value in the computing dtype as torch casts it: wrapping around in integers (-1 is 255
        # in uint8), where NumPy's dtype.type(-1) would raise
        wide = computing(dtype)                  # (float16 computes in float32)
        value = np.asarray(value).astype(dtype) if dtype.kind in "iu" else wide.type(value)
        return rounded(np.add(x, np.multiply(cls.combine(a, b, dtype=wide), value), dtype=wide),
                       dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        value = ctx.value
        needs = ctx.needs_input_grad
        return (grad, grad * (b * value) if needs[1] else None,
                grad * (a * value) if needs[2] else None, None, None)


class Addcdiv(Addcmul):
    """out = x + value * a / b.   dx = 1,  da = value / b,  db = -value * a / b**2."""

    combine = np.true_divide

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        value = ctx.value
        needs = ctx.needs_input_grad
        return (grad, grad * (value / b) if needs[1] else None,
                -grad * value * a / (b * b) if needs[2] else None, None, None)


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor")
def add(input, other, alpha=1, *, out=None):
    """``input + alpha * other``, broadcasting.  ``x + y`` is ``add(x, y)``."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            no_tensor("add", input, other)
        input = operand(input, "add", "input", 1)
        if alpha == 1:
            input, other = other, input           # number + tensor = tensor + number
        else:
            input = number_as_tensor(input, other)
    b = other if type(other) is Tensor else operand(other, "add")
    dtype = binary_dtype(input, b)
    try:
        if alpha == 1 and dtype is None:
            result = Add.apply(input, b)
        else:
            _check_alpha(input, b, dtype, alpha)
            result = Add.apply(input, b, alpha, dtype)
    except OverflowError:                   # an int too big for the tensor's dtype: wrap it
        if type(b) is not int:
            raise
        return add(input, wrapped_int(input, b), alpha=alpha, out=out)
    return result if out is None else write_out(result, out, "add")


def _check_alpha(a, b, dtype, alpha):
    kind = result_dtype(a, b, dtype).kind
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


@export("torch", "Tensor", aliases=("subtract",))
def sub(input, other, alpha=1, *, out=None):
    """``input - alpha * other``, broadcasting.  ``x - y`` is ``sub(x, y)``."""
    b = other if type(other) is Tensor else operand(other, "sub")
    if not isinstance(input, Tensor):
        if not isinstance(b, Tensor):
            no_tensor("sub", input, other)
        number = operand(input, "sub", "input", 1)
        check_bool_sub(number, b)
        input = number_as_tensor(number, b)
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
        return sub(input, wrapped_int(input, b), alpha=alpha, out=out)
    return result if out is None else write_out(result, out, "sub")


@export("torch")
def rsub(input, other, alpha=1):
    """``other - alpha * input`` (what ``2 - x`` computes)."""
    if not isinstance(input, Tensor):
        invalid_arguments("rsub", (input, other),
                          ("Tensor input, Tensor other, *, Number alpha = 1",
                           "Tensor input, Number other, Number alpha = 1"))
    other = operand(other, "rsub")
    if input._array.dtype.kind == "b" or isinstance(other, bool) or \
            isinstance(other, Tensor) and other._array.dtype.kind == "b":
        check_bool_sub(input, other)
    dtype = binary_dtype(input, other)
    _check_alpha(input, other, dtype, alpha)
    if isinstance(other, Tensor):
        return RsubTensor.apply(input, other, alpha, dtype)
    if not fits(input, other):
        return sub(wrapped_int(input, other), input, alpha=alpha)
    return Rsub.apply(input, other, alpha, dtype)


@export("torch", "Tensor", aliases=("multiply",))
def mul(input, other, *, out=None):
    """Elementwise product, broadcasting.  ``x * y`` is ``mul(x, y)``."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            no_tensor("mul", input, other)
        input, other = other, operand(input, "mul", "input", 1)
    b = other if type(other) is Tensor else operand(other, "mul")
    dtype = binary_dtype(input, b)
    try:
        result = Mul.apply(input, b) if dtype is None else Mul.apply(input, b, dtype)
    except OverflowError:
        if type(b) is not int:
            raise
        return mul(input, wrapped_int(input, b), out=out)
    return result if out is None else write_out(result, out, "mul")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("negative",))
def neg(input, *, out=None):
    """``-input``."""
    result = Neg.apply(input)
    return result if out is None else write_out(result, out, "neg")


@export("torch", "Tensor")
def positive(input):
    """``+input``: the tensor itself."""
    if input._array.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _addc(op, fname, input, tensor1, tensor2, value, out):
    tensor1 = tensor_operand(tensor1, fname, "tensor1")
    tensor2 = tensor_operand(tensor2, fname, "tensor2")
    dtype = _dtype.result_type(input, tensor1, tensor2).numpy
    if op is Addcdiv and tensor1._array.dtype.kind in "iub" and \
            tensor2._array.dtype.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    broadcast_shapes(input._array.shape, tensor1._array.shape, tensor2._array.shape)
    return finish(op.apply(input, tensor1, tensor2, value, dtype), out, fname)


@export("torch", "Tensor", inplace=twin("Tensor"))
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2`` (one step of many optimizers)."""
    return _addc(Addcmul, "addcmul", input, tensor1, tensor2, value, out)


@export("torch", "Tensor", inplace=twin("Tensor"))
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2`` (one step of many optimizers)."""
    return _addc(Addcdiv, "addcdiv", input, tensor1, tensor2, value, out)


