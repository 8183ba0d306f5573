"""The legacy tensor API of PyTorch before 0.4, which old course material still uses: the typed
tensor classes (``FloatTensor``, ``LongTensor`` ...), the ``Tensor(...)`` constructor forms,
``set_default_tensor_type`` and ``typename``.

A typed class is not a subclass of ``Tensor``: it is a constructor and a test.  ``FloatTensor([1,
2])`` makes an ordinary ``Tensor`` of dtype float32, and ``isinstance(t, FloatTensor)`` asks
whether ``t`` is a float32 tensor, as in torch.  ``Tensor(...)`` is the typed class of the
default dtype (``FloatTensor`` unless ``set_default_dtype`` says otherwise).
"""
import warnings

import numpy as np

from . import _errors
from . import _dtype
from ._device import check as _check_device
from ._size import Size
from ._tensor import Tensor

_C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
            "int16": "short int", "int32": "int", "int64": "long int", "float16": "c10::Half",
            "float32": "float", "float64": "double"}
_OVERLOADS = (" * (*, torch.device device = None)\n"
              " * (torch.Storage storage)\n"
              " * (Tensor other)\n"
              " * (tuple of ints size, *, torch.device device = None)\n"
              " * (object data, *, torch.device device = None)\n")


def _options(dtype):
    return ("TensorOptions(dtype={}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))".format(_C_NAMES[dtype.name]))


def _arg_type(a):
    return "Tensor" if isinstance(a, Tensor) else type(a).__name__


def _described(a):
    """How torch's argument errors describe a value: 'list of [int]' for a list of ints."""
    if isinstance(a, (list, tuple)):
        names = []
        for item in a:
            if _arg_type(item) not in names:
                names.append(_arg_type(item))
        return "{} of [{}]".format(type(a).__name__, ", ".join(names))
    return _arg_type(a)


def _invalid(args, kwargs):
    """torch's TypeError for arguments that fit none of the constructor's forms; the note says
    why the first form (no arguments) did not fit."""
    got = [_arg_type(a) for a in args] + ["{}={}".format(k, "torch.dtype" if isinstance(
        v, _dtype.dtype) else _arg_type(v)) for k, v in kwargs.items()]
    if kwargs:
        note = "some of the keywords were incorrect: " + ", ".join(kwargs)
    else:
        note = "some of the arguments have invalid types: ({})".format(
            ", ".join("!{}!".format(_described(a)) for a in args))
    first, rest = _OVERLOADS.split("\n", 1)
    raise TypeError("new() received an invalid combination of arguments - got ({}), but expected "
                    "one of:\n{}\n      didn't match because {}\n{}".format(
                        ", ".join(got), first, note, rest))


def construct(dtype, args, kwargs, cls=Tensor):
    """``XTensor(*args)``: from a size (``(2, 3)`` or a ``Size``: memory that torch leaves
    uninitialised and ember zeroes), from data (a list, a tuple or an array: a copy converted to
    ``dtype``) or from a tensor of exactly ``dtype`` (sharing its memory)."""
    device = kwargs.pop("device", None) if "device" in kwargs else None
    if kwargs:
        _invalid(args, dict(kwargs, **({"device": device} if device is not None else {})))
    _check_device(device)
    if len(args) == 1 and not isinstance(args[0], int):
        data = args[0]
        if isinstance(data, Tensor):
            if data._array.dtype != dtype.numpy:
                raise TypeError("expected {} (got {})".format(_options(dtype),
                                                              _options(data.dtype)))
            return _wrap(cls, data._array)
        if isinstance(data, Size):
            return _wrap(cls, _zeros(tuple(data), dtype))
        if isinstance(data, (list, tuple, np.ndarray)):
            from ._ops.creation.from_data import _from_data
            return _wrap(cls, _from_data(data, dtype))
        if isinstance(data, (str, bytes)):
            raise TypeError("new(): invalid data type '{}'".format(type(data).__name__))
        raise TypeError("new(): data must be a sequence (got {})".format(type(data).__name__))
    if any(not isinstance(a, int) or isinstance(a, bool) for a in args):
        _invalid(args, {})
    return _wrap(cls, _zeros(args or (0,), dtype))


def _zeros(shape, dtype):
    for n in shape:
        if n < 0:
            raise _errors.negative_dimension(n, list(shape))
    return np.zeros(shape, dtype=dtype.numpy)


def _wrap(cls, array):
    t = object.__new__(cls)
    t._array = array
    t._requires_grad = False
    t.grad_fn = None
    return t


class _TensorType(type):
    """The type of the typed tensor classes: a call constructs, ``isinstance`` tests the dtype."""

    def __call__(cls, *args, **kwargs):
        return construct(cls.dtype, args, kwargs)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._array.dtype == cls.dtype.numpy

    def __repr__(cls):
        return "<class 'torch.{}'>".format(cls.__name__)


def _typed(dtype):
    return _TensorType(dtype._torch_type, (), {
        "dtype": dtype, "is_sparse": False, "is_cuda": False, "__module__": "torch",
        "__doc__": "Tensors of dtype {}: ``{}(data)`` or ``{}(*sizes)``.".format(
            dtype, dtype._torch_type, dtype._torch_type)})


FloatTensor, DoubleTensor, HalfTensor = (_typed(d) for d in (
    _dtype.float32, _dtype.float64, _dtype.float16))
LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor = (_typed(d) for d in (
    _dtype.int64, _dtype.int32, _dtype.int16, _dtype.int8, _dtype.uint8, _dtype.bool_))

TYPES = {"torch." + c.__name__: c for c in (
    FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor,
    ByteTensor, BoolTensor)}


def set_default_tensor_type(t):
    """Deprecated: sets the default dtype from a typed class or its name (floating ones only)."""
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
                  UserWarning, stacklevel=2)
    if isinstance(t, str):
        if t not in TYPES:
            raise ModuleNotFoundError("No module named '{}'".format(t.rpartition(".")[0] or t))
        t = TYPES[t]
    if not isinstance(t, _TensorType):
        raise TypeError("invalid type object: only floating-point types are supported as the "
                        "default type")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _dtype.set_default_dtype(t.dtype)


def typename(obj):
    """The name of ``obj``'s type: 'torch.FloatTensor' for a tensor, 'module.Class' otherwise
    (a class or function names itself; other objects name their class)."""
    if isinstance(obj, Tensor):
        return obj.type()
    if hasattr(obj, "__qualname__"):
        module, name = getattr(obj, "__module__", "") or "", obj.__qualname__
    elif hasattr(obj, "__name__"):
        module, name = getattr(obj, "__module__", "") or "", obj.__name__
    else:
        module, name = type(obj).__module__ or "", type(obj).__qualname__
    return name if module in ("", "builtins") else module + "." + name
