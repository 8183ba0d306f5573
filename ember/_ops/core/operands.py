"""What the elementwise families (``arithmetic``, ``division``, ``power``, ``comparison``,
``exponential``, ``trigonometric``, ``error_function``, ``rounding``, ``clamping``,
``predicates``) share: their operands, torch's errors for bad arguments, the ``out=`` argument,
and the base classes of the ops that wrap one NumPy function.

A Python number beside a tensor counts for less than a tensor in type promotion
(``int_tensor * 2.5`` is float32, ``float32_tensor + 1e300`` stays float32); an integer that does
not fit the tensor's integer dtype wraps around (``int8 + 1000`` adds -24), as in torch.
"""
import warnings

import numpy as np

from ... import _errors
from ... import _dtype
from ...autograd.op import Op
from .common import Tensor, broadcast_shapes, check_broadcast

# ---------------------------------------------------------------- operands and their errors


def _type_name(x):
    if isinstance(x, Tensor):
        return "Tensor"
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else cls.__module__ + "." + cls.__name__


def operand(x, fname, name="other", position=2):
    """``x`` as an operand of ``fname``: a tensor or a Python number.  NumPy scalars become
    Python numbers and arrays become tensors; anything else is torch's TypeError."""
    if isinstance(x, (Tensor, int, float, complex)):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    if isinstance(x, (np.number, np.bool_)):
        return x.item()
    raise _errors.must_be_tensor(fname, name, position, _type_name(x))


def tensor_operand(x, fname, name="other", position=2):
    """``x``, which must be a tensor (no numbers allowed), else torch's TypeError."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    raise _errors.must_be_tensor(fname, name, position, _type_name(x))


def invalid_arguments(fname, args, overloads):
    """torch's TypeError for arguments that match none of a function's signatures."""
    raise TypeError("{}() received an invalid combination of arguments - got ({}), but expected "
                    "one of:\n{}".format(fname, ", ".join(_type_name(a) for a in args),
                                         "".join(" * ({})\n".format(o) for o in overloads)))


TENSOR_OR_NUMBER = ("Tensor input, Tensor other, *, Tensor out = None",
                    "Tensor input, Number other, *, Tensor out = None")


def tensor_first(fname, input, other):
    """Checks the signature ``fname(Tensor input, Tensor or Number other)``; returns ``other``
    as an operand."""
    if not isinstance(input, Tensor):
        if isinstance(input, (int, float)):
            invalid_arguments(fname, (input, other), TENSOR_OR_NUMBER)
        operand(input, fname, "input", 1)
    return operand(other, fname)


def no_tensor(fname, input, other):
    """The TypeError for ``fname(input, other)`` when neither is a tensor."""
    operand(input, fname, "input", 1)
    invalid_arguments(fname, (input, other), TENSOR_OR_NUMBER)


def tensor_pair(input, other, fname):
    """``input`` and ``other`` of ``fname(input, other)``: two tensors (torch's TypeError for a
    number) whose shapes broadcast (torch's error if not)."""
    if not isinstance(input, Tensor):
        input = tensor_operand(input, fname, "input", 1)
    if not isinstance(other, Tensor):
        other = tensor_operand(other, fname)
    if input._array.shape != other._array.shape:
        broadcast_shapes(input._array.shape, other._array.shape)
    return input, other


def not_implemented(kernel, dtype):
    """torch's error for a dtype that its kernel ``kernel`` does not handle."""
    raise _errors.not_implemented(kernel, _dtype.from_numpy(dtype).scalar_name)


def check_float(x, kernel):
    """torch's error for an array ``x`` whose dtype is not a float (torch's kernel ``kernel``
    has no other)."""
    if x.dtype.kind not in "fV":
        not_implemented(kernel, x.dtype)


# torch's messages name dtypes by their C types in a few places (lerp, clamp_)
C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
           "int16": "short int", "int32": "int", "int64": "long int", "float16": "c10::Half",
           "float32": "float", "float64": "double"}


# ---------------------------------------------------------------- integers that wrap around


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


def number_as_tensor(number, other):
    """A number in the place of a tensor (``torch.sub(2, x)``): a 0-d tensor of the result
    dtype, so that it promotes like the number it stands for."""
    dtype = _dtype.result_type(number, other).numpy
    if type(number) is int and dtype.kind in "iu":
        return Tensor._make(_wrap(number, dtype))
    return Tensor._make(np.array(number, dtype=dtype))


def wrapped_int(t, value):
    """A Python int beside an integer (or bool) tensor, as the 0-d tensor torch makes of it."""
    dtype = t._array.dtype if t._array.dtype.kind != "b" else np.dtype(np.int64)
    return Tensor._make(_wrap(value, dtype))


def fits(t, value):
    """Whether a Python number may stand beside tensor ``t`` as it is (see ``wrapped_int``)."""
    if type(value) is not int or t._array.dtype.kind not in "iu":
        return True
    info = np.iinfo(t._array.dtype)
    return info.min <= value <= info.max


def fitted(t, value):
    """``value`` beside tensor ``t``: as it is, or wrapped around when it does not fit."""
    return value if fits(t, value) else wrapped_int(t, value)


def check_fits(value, dtype):
    """Where torch refuses rather than wraps (``fill_``, ``where``, ``clamp``, ``pow``): a number
    that an integer or float16 dtype cannot hold is an error.  Unsigned types take negative
    numbers down to -max, which wrap (-1 is 255 in uint8)."""
    dtype = np.dtype(dtype)
    if isinstance(value, complex):      # a complex number fits a real type if it is real
        if dtype.kind == "c":
            return
        if value.imag:
            overflow(dtype)
        value = value.real
    if isinstance(value, bool) or dtype.kind == "b":
        return
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        low = -int(info.max) if dtype.kind == "u" else int(info.min)
        if not low <= value <= info.max:
            overflow(dtype)
    elif dtype.itemsize < 8 and np.isfinite(value) and abs(value) > np.finfo(dtype).max:
        overflow(dtype)                        # (float16 and float32; inf is fine)


_C_TYPE = {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int",
           "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double"}


def overflow(dtype):
    """torch's error for a number that ``dtype`` cannot hold."""
    raise _errors.overflow_converting(_C_TYPE.get(np.dtype(dtype).name, np.dtype(dtype).name))


# ---------------------------------------------------------------- result dtypes and computing


def floating(a):
    """``a`` itself if it is a float (or complex) array, else ``a`` cast to the default float
    dtype."""
    return a if a.dtype.kind in "fcV" else a.astype(_dtype.get_default_dtype().numpy)


def float_result(a, b):
    """The dtype of a binary float function: promoted, and integers become the default float."""
    dtype = _dtype.result_type(a, b)
    return (dtype if dtype.is_floating_point or dtype.is_complex else
            _dtype.get_default_dtype()).numpy


def result_dtype(a, b, dtype):
    """The NumPy dtype of ``a op b`` (``dtype`` is what ``common.binary_dtype`` said)."""
    if dtype is not None:
        return np.dtype(dtype)
    return (a if isinstance(a, Tensor) else b)._array.dtype


def compute(ufunc, a, b, dtype):
    """``ufunc(a, b)`` computed in ``dtype`` (None: NumPy's own result type), with torch's
    message when the shapes do not broadcast."""
    try:
        return ufunc(a, b) if dtype is None else ufunc(a, b, dtype=dtype, casting="unsafe")
    except ValueError:
        check_broadcast(np.shape(a), np.shape(b))
        raise


# ---------------------------------------------------------------- out=


def write_out(result, out, name):
    """Writes ``result`` into the ``out=`` tensor (resizing it, as torch does) and returns it."""
    if result._requires_grad:
        raise RuntimeError("{}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.".format(name))
    if not isinstance(out, Tensor):
        raise TypeError("{}(): argument 'out' must be Tensor, not {}".format(name,
                                                                            _type_name(out)))
    if not _dtype.can_cast(result.dtype, out.dtype):
        raise _errors.cannot_cast_result(result.dtype.scalar_name, out.dtype.scalar_name)
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


def finish(result, out, name):
    """``result``, or, with an ``out=`` tensor, ``result`` written into it."""
    return result if out is None else write_out(result, out, name)


# ---------------------------------------------------------------- ops that wrap a NumPy function


class FloatFunction(Op):
    """A function of one tensor computed by the NumPy function ``function`` in floats (integer
    tensors compute in the default float dtype, as in torch's).  It saves its input x; each
    subclass writes the backward formula, the chain rule: grad times the derivative at x."""

    function = None

    @classmethod
    def forward(cls, ctx, x):
        ctx.save_for_backward(x)
        return cls.function(floating(x))


class FloatFunctionOfOutput(FloatFunction):
    """A :class:`FloatFunction` whose derivative is easiest written with its output
    (``exp``: the derivative of e ** x is e ** x), which it saves instead of its input."""

    @classmethod
    def forward(cls, ctx, x):
        out = cls.function(floating(x))
        ctx.save_for_backward(out)
        return out


class BinaryFunction(Op):
    """A function of two tensors a, b computed by the NumPy function ``function`` in ``dtype``
    (the promoted dtype).  It saves both inputs for the backward formula of each subclass."""

    function = None

    @classmethod
    def forward(cls, ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        return cls.function(a, b, dtype=dtype, casting="unsafe")


def float_binary(op, fname, input, other, out):
    """``op`` of two tensors whose promoted dtype must be a float (torch has no integer
    kernel for it)."""
    input, other = tensor_pair(input, other, fname)
    dtype = _dtype.result_type(input, other).numpy
    if dtype.kind not in "fV":
        not_implemented(fname + "_cpu", dtype)
    return finish(op.apply(input, other, dtype), out, fname)
