"""Choosing between values, element by element: ``relu``, ``clamp`` and its one-sided forms,
``maximum`` and ``minimum`` (``fmax``/``fmin`` ignore nan), ``where``, and the interpolation
``lerp`` between two tensors.

The gradient goes to whichever value was chosen.  Where torch's derivative has a convention at a
kink (``clamp`` at a bound -> 1, ``relu`` at 0 -> 0, ``maximum`` at a tie -> half to each), the
docstring says so.  Bounds and the values of ``where`` may be numbers or tensors (broadcasting).
"""
import warnings

import numpy as np

from ... import _dtype, _errors
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, broadcast_shapes
from ..core.operands import (C_NAMES, BinaryFunction, check_fits, check_float, finish,
                             invalid_arguments, not_implemented, number_as, operand,
                             tensor_operand, tensor_pair)
from ..core.inplace import clamp_twin, twin
from ..core.registry import export


class Relu(Op):
    """out = max(x, 0).   d(out)/dx = 1 where x > 0, else 0 (also at 0)."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        if x.dtype.kind == "c":
            raise _errors.clamp_of_complex()
        out = np.maximum(x, 0, dtype=x.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        # Not `out > 0`: torch zeroes where out <= 0, so a NaN lets the gradient through.
        return dual.times_step(grad, ~(out <= 0), out)  # (6x faster than np.where when large)


# ---------------------------------------------------------------- clamping


class Clamp(Op):
    """out = min(max(x, lo), hi) for numbers lo, hi (either may be None).
    d(out)/dx = 1 where lo <= x <= hi (bounds included), else 0."""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, lo, hi, dtype):
        ctx.save_for_backward(x)
        ctx.bounds = lo, hi
        if dtype is not None:
            x = x.astype(dtype)
        out = x if lo is None else np.maximum(x, number_as(lo, x.dtype))
        return out if hi is None else np.minimum(out, number_as(hi, x.dtype))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        if lo is None:
            inside = x <= hi
        elif hi is None:
            inside = x >= lo
        else:
            inside = (x >= lo) & (x <= hi)
        return dual.where(inside, grad, 0.0), None, None, None


class ClampMin(Clamp):
    """out = max(x, lo) for a number lo.   d(out)/dx = 1 where x >= lo, else 0."""

    node_name = "ClampMinBackward0"


class ClampMax(Clamp):
    """out = min(x, hi) for a number hi.   d(out)/dx = 1 where x <= hi, else 0."""

    node_name = "ClampMaxBackward0"


class ClampTensor(Op):
    """out = min(max(x, lo), hi) for tensors lo, hi (either may be None), broadcasting.
    dx = grad where lo <= x <= hi;  dlo = grad where x < lo (and lo < hi);
    dhi = grad where x > hi (or hi < lo, where hi wins)."""

    node_name = "ClampBackward0"

    @staticmethod
    def forward(ctx, x, lo, hi, dtype):
        ctx.save_for_backward(x, lo, hi)
        out = x.astype(dtype, copy=False)
        if lo is not None:
            out = np.maximum(out, lo, dtype=dtype, casting="unsafe")
        if hi is not None:
            out = np.minimum(out, hi, dtype=dtype, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        x, lo, hi = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grads = [None, None, None, None]
        if lo is not None and hi is not None:
            if needs[0]:
                grads[0] = dual.where((x >= lo) & (x <= hi), grad, 0.0)
            if needs[1]:
                grads[1] = dual.where((x < lo) & (lo < hi), grad, 0.0)
            if needs[2]:
                grads[2] = dual.where((x > hi) | (hi < lo), grad, 0.0)
        elif lo is not None:
            grads[0] = dual.where(x >= lo, grad, 0.0) if needs[0] else None
            grads[1] = dual.where(x < lo, grad, 0.0) if needs[1] else None
        else:
            grads[0] = dual.where(x <= hi, grad, 0.0) if needs[0] else None
            grads[2] = dual.where(x > hi, grad, 0.0) if needs[2] else None
        return tuple(grads)


class ClampMinTensor(BinaryFunction):
    """out = max(x, lo) for a tensor lo.   dx = grad where x >= lo,  dlo = grad where x < lo."""

    node_name = "ClampMinBackward1"
    function = np.maximum

    @staticmethod
    def backward(ctx, grad):
        x, lo = ctx.saved_tensors
        keep = x >= lo
        return dual.where(keep, grad, 0.0), dual.where(keep, 0.0, grad), None


class ClampMaxTensor(BinaryFunction):
    """out = min(x, hi) for a tensor hi.   dx = grad where x <= hi,  dhi = grad where x > hi."""

    node_name = "ClampMaxBackward1"
    function = np.minimum

    @staticmethod
    def backward(ctx, grad):
        x, hi = ctx.saved_tensors
        keep = x <= hi
        return dual.where(keep, grad, 0.0), dual.where(keep, 0.0, grad), None


# ---------------------------------------------------------------- maximum and minimum


class Maximum(BinaryFunction):
    """out = the larger of a and b (nan if either is nan).   The gradient goes to the larger
    one; at a tie each gets half (torch's choice); at a nan both get all of it."""

    function = np.maximum

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = dual.where(a == b, grad / 2, grad)
        return dual.where(a < b, 0.0, shared), dual.where(a > b, 0.0, shared), None


class Minimum(BinaryFunction):
    """out = the smaller of a and b (nan if either is nan).   The gradient goes to the smaller
    one; at a tie each gets half; at a nan both get all of it."""

    function = np.minimum

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shared = dual.where(a == b, grad / 2, grad)
        return dual.where(a > b, 0.0, shared), dual.where(a < b, 0.0, shared), None


class Fmax(BinaryFunction):
    """out = the larger of a and b, ignoring a nan.   The gradient goes to a where a >= b or
    b is nan, else to b (ties go to a)."""

    function = np.fmax

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a = (a >= b) | (b != b)
        return dual.where(to_a, grad, 0.0), dual.where(to_a, 0.0, grad), None


class Fmin(BinaryFunction):
    """out = the smaller of a and b, ignoring a nan.   The gradient goes to a where a <= b or
    b is nan, else to b (ties go to a)."""

    function = np.fmin

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a = (a <= b) | (b != b)
        return dual.where(to_a, grad, 0.0), dual.where(to_a, 0.0, grad), None


# ---------------------------------------------------------------- lerp and where


def _lerp_array(a, b, w):
    """a + w (b - a), computed as torch does for precision: from b's side when |w| >= 0.5, so
    that w = 1 gives exactly b."""
    diff = b - a
    if np.ndim(w) == 0:
        return a + w * diff if np.abs(w) < 0.5 else b - diff * (1 - w)
    return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))


class Lerp(Op):
    """out = a + w (b - a) for a number w.   d/da = 1 - w,  d/db = w."""

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.weight = w
        return _lerp_array(a, b, a.dtype.type(w))

    @staticmethod
    def backward(ctx, grad):
        w = ctx.weight
        needs = ctx.needs_input_grad
        return (grad * (1 - w) if needs[0] else None), (grad * w if needs[1] else None), None


class LerpTensor(Op):
    """out = a + w (b - a) for a tensor w.   d/da = 1 - w,  d/db = w,  d/dw = b - a."""

    node_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        return _lerp_array(a, b, w)

    @staticmethod
    def backward(ctx, grad):
        a, b, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return ((grad * (1 - w) if needs[0] else None), (grad * w if needs[1] else None),
                (grad * (b - a) if needs[2] else None))


class Where(Op):
    """out = a where the condition holds, else b.   The gradient goes to whichever was chosen."""

    @staticmethod
    def forward(ctx, condition, a, b, dtype):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b).astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        condition, = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (None, dual.where(condition, grad, 0.0) if needs[1] else None,
                dual.where(condition, 0.0, grad) if needs[2] else None, None)


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def relu(input):
    """Rectified linear unit: ``max(x, 0)`` elementwise."""
    return Relu.apply(input)


_CLAMP_OVERLOADS = ("Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None",
                    "Tensor input, Number min = None, Number max = None, *, Tensor out = None")


def _bound(x):
    """A clamp bound: None, a Python number, or a tensor."""
    if x is None or isinstance(x, Tensor):
        return x
    return operand(x, "clamp")


def _number_bounds(input, lo, hi):
    """The dtype to compute ``clamp`` with number bounds in (None: the input's), after checking
    that the bounds fit it and that it is not bool (torch has no such kernel)."""
    dtype = _dtype.result_type(*(x for x in (input, lo, hi) if x is not None)).numpy
    if dtype.kind == "c":
        raise _errors.clamp_of_complex()
    if dtype.kind == "b":
        kernel = "clamp_max" if lo is None else "clamp_min" if hi is None else "clamp"
        not_implemented(kernel + "_scalar_cpu", dtype)
    for bound in (lo, hi):
        if bound is not None:
            check_fits(bound, dtype)
    return None if dtype == input._array.dtype else dtype


@export("torch", "Tensor", inplace=clamp_twin("torch", "Tensor"), aliases=("clip",))
def clamp(input, min=None, max=None, *, out=None):
    """Each element limited to ``[min, max]``: ``minimum(maximum(x, min), max)``.  The bounds are
    numbers or tensors (broadcasting); either may be None.  If ``min > max`` every element
    becomes ``max``."""
    try:
        lo, hi = _bound(min), _bound(max)
    except TypeError:
        lo = hi = None
        invalid_arguments("clamp", (input,) + tuple(b for b in (min, max) if b is not None),
                          _CLAMP_OVERLOADS)
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if not isinstance(lo, Tensor) and not isinstance(hi, Tensor):
        return finish(Clamp.apply(input, lo, hi, _number_bounds(input, lo, hi)), out, "clamp")
    if not (lo is None or isinstance(lo, Tensor)) or not (hi is None or isinstance(hi, Tensor)):
        invalid_arguments("clamp", (input, min, max), _CLAMP_OVERLOADS)
    dtype = _dtype.result_type(*(x for x in (input, lo, hi) if x is not None)).numpy
    if dtype.kind == "c":
        raise _errors.clamp_of_complex()
    if dtype.kind == "b" and lo is not None and hi is not None:
        not_implemented("clamp_cpu", dtype)
    broadcast_shapes(*(x._array.shape for x in (input, lo, hi) if x is not None))
    return finish(ClampTensor.apply(input, lo, hi, dtype), out, "clamp")


def _pairwise(op, fname, input, other, out):
    """``op`` of two tensors, in their promoted dtype."""
    input, other = tensor_pair(input, other, fname)
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind == "c":
        if fname.startswith("clamp"):        # clamp_min is torch's maximum, clamp_max minimum
            not_implemented("maximum_cpu" if fname == "clamp_min" else "minimum_cpu", dtype)
        raise RuntimeError(fname + " not implemented for complex tensors.")
    return finish(op.apply(input, other, dtype), out, fname)


@export("torch", "Tensor", inplace=clamp_twin("torch", "Tensor"))
def clamp_min(input, min, *, out=None):
    """Each element at least ``min`` (a number or a tensor): ``maximum(x, min)``."""
    if isinstance(min, Tensor):
        return _pairwise(ClampMinTensor, "clamp_min", input, min, out)
    lo = operand(min, "clamp_min", "min")
    return finish(ClampMin.apply(input, lo, None, _number_bounds(input, lo, None)), out,
                  "clamp_min")


@export("torch", "Tensor", inplace=clamp_twin("torch", "Tensor"))
def clamp_max(input, max, *, out=None):
    """Each element at most ``max`` (a number or a tensor): ``minimum(x, max)``."""
    if isinstance(max, Tensor):
        return _pairwise(ClampMaxTensor, "clamp_max", input, max, out)
    hi = operand(max, "clamp_max", "max")
    return finish(ClampMax.apply(input, None, hi, _number_bounds(input, None, hi)), out,
                  "clamp_max")


@export("torch", "Tensor")
def maximum(input, other, *, out=None):
    """The larger of the two tensors, elementwise (nan if either is nan)."""
    return _pairwise(Maximum, "maximum", input, other, out)


@export("torch", "Tensor")
def minimum(input, other, *, out=None):
    """The smaller of the two tensors, elementwise (nan if either is nan)."""
    return _pairwise(Minimum, "minimum", input, other, out)


@export("torch", "Tensor")
def fmax(input, other, *, out=None):
    """The larger of the two tensors, elementwise, ignoring nan where the other is a number."""
    return _pairwise(Fmax, "fmax", input, other, out)


@export("torch", "Tensor")
def fmin(input, other, *, out=None):
    """The smaller of the two tensors, elementwise, ignoring nan where the other is a number."""
    return _pairwise(Fmin, "fmin", input, other, out)


@export("torch", "Tensor")
def lerp(input, end, weight, *, out=None):
    """Linear interpolation ``input + weight * (end - input)``; ``weight`` is a number or a
    tensor (all three broadcast)."""
    end, weight = check_lerp_operands(input, end, weight)
    shapes = [t._array.shape for t in (input, end, weight) if isinstance(t, Tensor)]
    broadcast_shapes(*shapes)
    if isinstance(weight, Tensor):
        check_float(input._array, "lerp_kernel_tensor")
        return finish(LerpTensor.apply(input, end, weight), out, "lerp")
    check_float(input._array, "lerp_kernel_scalar")
    return finish(Lerp.apply(input, end, weight), out, "lerp")


def check_lerp_operands(input, end, weight):
    """``end`` must be a tensor and ``weight`` a number or a tensor, both of input's dtype."""
    end = tensor_operand(end, "lerp", "end")
    if not isinstance(weight, Tensor):
        weight = operand(weight, "lerp", "weight", 3)
    expected = input._array.dtype
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t._array.dtype != expected:
            raise RuntimeError("expected dtype {} for `{}` but got dtype {}".format(
                C_NAMES[expected.name], name, C_NAMES[t._array.dtype.name]))
    return end, weight


_WHERE_OVERLOADS = ("Tensor condition",
                    "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
                    "Tensor condition, Number self, Tensor other",
                    "Tensor condition, Tensor input, Number other",
                    "Tensor condition, Number self, Number other")


@export("torch")
def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` holds, else ``other`` (tensors or numbers, broadcasting).
    With the condition alone: the indices where it holds, one tensor per dimension."""
    if input is None and other is None:
        condition = tensor_operand(condition, "where", "condition", 1)
        return tuple(Tensor._make(i) for i in np.nonzero(np.atleast_1d(condition._array)))
    if input is None or other is None:
        invalid_arguments("where", tuple(a for a in (condition, input, other) if a is not None),
                          _WHERE_OVERLOADS)
    condition = tensor_operand(condition, "where", "condition", 1)
    kind = condition._array.dtype.kind
    if kind == "u" and condition._array.dtype.itemsize == 1:
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and "
                      "will be removed in a future version of PyTorch. Use a boolean condition "
                      "instead.", UserWarning, stacklevel=2)
        condition = Tensor._make(condition._array.astype(bool))
    elif kind != "b":
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           "with dtype " + condition.dtype.scalar_name)
    a = operand(input, "where", "input", 2)
    b = operand(other, "where", "other", 3)
    dtype = _dtype.result_type(a, b).numpy
    broadcast_shapes(*(np.shape(x._array) for x in (condition, a, b) if isinstance(x, Tensor)))
    if not isinstance(a, Tensor):
        check_fits(a, dtype)
        a = Tensor._make(number_as(a, dtype))
    if not isinstance(b, Tensor):
        check_fits(b, dtype)
        b = Tensor._make(number_as(b, dtype))
    return finish(Where.apply(condition, a, b, dtype), out, "where")


@export("Tensor", name="where")
def where_method(self, condition, other):
    """``x.where(condition, y)``: ``where(condition, x, y)``."""
    return where(condition, self, other)


