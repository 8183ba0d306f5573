"""The allow-list of ``ember.load``: every name a data.pkl may mention, and what it becomes.

torch's ``.pth`` files rebuild tensors by calling functions named in the pickle
(``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)``).  ember answers each
allowed name with a function of its own, below, that checks its arguments before building
anything -- above all that a tensor view lies inside its storage.  Names that are not in
:data:`GLOBALS` are refused by the unpickler; only the functions in :data:`CALLABLES` can ever be
called.
"""
import collections
import math
import pickle

import numpy as np

from .._device import device as _device
from .._size import Size
from .._tensor import Tensor
from .._quantized.dtypes import QUANTIZED, SCHEMES
from .pickler import QUANTIZED_STORAGES, STORAGE_OF, is_parameter

__all__ = ["GLOBALS", "REDUCERS", "Storage", "StorageType", "UNSUPPORTED_STORAGES",
           "TORCH_ONLY_DTYPES", "bad", "check_int", "short", "NO_PICKLE"]

# torch storages whose element type NumPy (and so ember) has no dtype for.
UNSUPPORTED_STORAGES = {
    "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128", "QUInt4x2Storage": "quint4x2",
    "QUInt2x4Storage": "quint2x4",
}
# torch dtypes NumPy (and so ember) cannot represent: named in a file, they get a clear error.
TORCH_ONLY_DTYPES = frozenset([
    "complex32", "complex64", "complex128", "cfloat", "cdouble", "chalf", "uint16",
    "uint32", "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
    "quint2x4"])
NO_PICKLE = ("ember.load only rebuilds tensors, Parameters, dicts, lists, tuples, sets, strings, "
             "bytes and numbers, and never imports or calls anything else -- also not with "
             "weights_only=False; nothing from the file was run.")


class Storage:
    """A storage read from ``data/<key>``: a 1-D array of its dtype, in native byte order."""

    __slots__ = ("key", "array")

    def __init__(self, key, array):
        self.key = key
        self.array = array


class StorageType:
    """What a name like ``torch.FloatStorage`` in data.pkl stands for: a dtype."""

    __slots__ = ("name", "dtype")

    def __init__(self, name, dtype):
        self.name = name
        self.dtype = dtype


class TensorType:
    """What ``torch.Tensor`` / ``torch.nn.parameter.Parameter`` in data.pkl stand for."""

    __slots__ = ("parameter",)

    def __init__(self, parameter):
        self.parameter = parameter


def short(value):
    """A value from the file, described in at most a line (the file controls its size)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def bad(message):
    return pickle.UnpicklingError("ember.load: " + message)


def check_int(value, what, minimum=0):
    if type(value) is not int or value < minimum:
        raise bad("{} must be an integer >= {}, not {}".format(what, minimum, short(value)))
    return value


def check_shape(values, what):
    if isinstance(values, Size):
        values = tuple(values)
    if type(values) is not tuple or len(values) > 64:
        raise bad("the {} of a tensor must be a tuple of at most 64 integers, not {}"
                  .format(what, short(values)))
    for v in values:
        check_int(v, "every {} of a tensor".format(what))
    return values


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    """Builds a tensor viewing ``storage``, after checking that the view lies inside it.

    Without the check a crafted file could make the tensor read memory beyond the storage:
    the last element is at ``offset + sum((size_i - 1) * stride_i)``, which must be smaller
    than the storage's length.
    """
    if not isinstance(storage, Storage):
        raise bad("a tensor's storage is not a storage record")
    offset = check_int(storage_offset, "a tensor's storage offset")
    size = check_shape(size, "size")
    stride = check_shape(stride, "stride")
    if len(size) != len(stride):
        raise bad("a tensor has size {} but stride {} (different lengths)".format(
            short(size), short(stride)))
    if type(requires_grad) is not bool:
        raise bad("requires_grad must be True or False, not {}".format(short(requires_grad)))
    array = storage.array
    numel = math.prod(size)
    if numel >= 2 ** 62:
        raise RuntimeError("ember.load: a tensor of size {} is impossibly large (file corrupted "
                           "or malicious)".format(list(size)))
    last = offset + sum((n - 1) * s for n, s in zip(size, stride))
    if numel and last >= array.size:            # (an empty tensor reads nothing)
        raise RuntimeError(
            "ember.load: a tensor view exceeds its storage (file corrupted or malicious): "
            "storage data/{} has {} elements, but size {}, stride {} and offset {} reach element "
            "{}".format(storage.key, array.size, list(size), list(stride), offset, last))
    item = array.itemsize
    if numel == 0:                              # nothing to share; keep the saved strides
        view = np.ndarray(size, dtype=array.dtype, buffer=np.empty(0, array.dtype),
                          strides=tuple(s * item for s in stride))
    else:
        view = np.ndarray(size, dtype=array.dtype, buffer=array, offset=offset * item,
                          strides=tuple(s * item for s in stride))
    t = Tensor._make(view)
    if requires_grad:
        t.requires_grad = True
    return t


def _rebuild_qtensor(storage, storage_offset, size, stride, quantizer_params, requires_grad,
                     backward_hooks):
    """A quantized tensor: its integers viewed from ``storage`` (checked as any tensor's), and
    ``quantizer_params`` = (per_tensor_affine, scale, zero_point) or (per_channel_affine,
    scales, zero_points, axis)."""
    from .._quantized import quantized_tensor_from
    ints = _rebuild_tensor_v2(storage, storage_offset, size, stride, False, backward_hooks)
    try:
        return quantized_tensor_from(ints, quantizer_params)
    except (TypeError, ValueError) as e:
        raise bad("a quantized tensor's parameters are invalid: {}".format(e)) from None


def _rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    if not isinstance(data, Tensor) or type(requires_grad) is not bool:
        raise bad("a Parameter must be rebuilt from a tensor and a bool")
    from ..nn import Parameter
    param = Parameter(data.detach(), requires_grad)
    return _set_state(param, state)


def _rebuild_from_type_v2(func, new_type, args, state):
    """A tensor (or Parameter) with Python attributes: rebuild it, then set the attributes."""
    if func not in (_rebuild_tensor_v2, _rebuild_parameter) or type(args) is not tuple:
        raise bad("_rebuild_from_type_v2 with an unexpected rebuild function")
    if not isinstance(new_type, TensorType):
        raise bad("_rebuild_from_type_v2 may only make tensors and Parameters")
    t = func(*args)
    if new_type.parameter and not is_parameter(t):
        t = _rebuild_parameter(t, t.requires_grad, None)
    return _set_state(t, state)


# Fields ember keeps in a tensor's __dict__ (its live views; the Buffer mark): a file must not
# set them, or it could make in-place operations rewrite unrelated tensors.
EMBER_TENSOR_FIELDS = frozenset(["_views", "_is_buffer"])


def _set_state(t, state):
    """Sets the saved Python attributes of a tensor (never ember's own fields)."""
    if state is None:
        return t
    if type(state) is tuple and len(state) == 2:        # (dict state, slot state)
        merged = dict(state[0] or {})
        merged.update(state[1] or {})
        state = merged
    if type(state) is not dict:
        raise bad("the attributes of a tensor must be a dict, not {!r}".format(type(state)))
    for key, value in state.items():
        if type(key) is not str or key.startswith("__") or hasattr(type(t), key) or \
                key in EMBER_TENSOR_FIELDS:
            raise bad("refusing to set the tensor attribute {}".format(short(key)))
        t.__dict__[key] = value
    return t


def _ordered_dict(*args):
    if args and not (len(args) == 1 and type(args[0]) is list):
        raise bad("OrderedDict called with unexpected arguments")
    return collections.OrderedDict(*args)


def _encode(text, encoding):
    if type(text) is not str or encoding not in ("latin1", "latin-1"):
        raise bad("_codecs.encode is only allowed for latin-1 bytes")
    return text.encode("latin-1")


def _make_set(items=()):
    if type(items) not in (list, tuple):
        raise bad("set() of an unexpected argument")
    return set(items)


def _make_bytearray(data=b""):
    if type(data) is not bytes:
        raise bad("bytearray() of an unexpected argument")
    return bytearray(data)


def _make_complex(real=0.0, imag=0.0):
    if type(real) not in (int, float) or type(imag) not in (int, float):
        raise bad("complex() of an unexpected argument")
    return complex(real, imag)


def _make_size(dims=()):
    return Size(check_shape(dims, "size"))


def _make_device(kind, index=None):
    if type(kind) is not str or not (index is None or type(index) is int):
        raise bad("torch.device() of unexpected arguments")
    try:
        return _device(kind, index)
    except (RuntimeError, ValueError):
        raise bad("unknown device {}".format(short(kind))) from None


# The allow-list: every name data.pkl may mention, and what it means here.  Functions in it may
# be called by the pickle (REDUCE); everything else is a plain value.
CALLABLES = {
    ("collections", "OrderedDict"): _ordered_dict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_qtensor"): _rebuild_qtensor,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    ("torch._tensor", "_rebuild_from_type_v2"): _rebuild_from_type_v2,
    ("torch", "Size"): _make_size,
    ("torch", "device"): _make_device,
    ("_codecs", "encode"): _encode,
    ("builtins", "set"): _make_set,
    ("builtins", "bytearray"): _make_bytearray,
    ("builtins", "complex"): _make_complex,
}
GLOBALS = dict(CALLABLES)
GLOBALS[("torch", "Tensor")] = TensorType(parameter=False)
GLOBALS[("torch.nn.parameter", "Parameter")] = TensorType(parameter=True)
for _d, _name in STORAGE_OF.items():
    GLOBALS[("torch", _name)] = StorageType(_name, _d)
    GLOBALS[("torch", _d.name)] = _d
for _d in QUANTIZED.values():          # qint8 ...: the dtype, its storage and the schemes
    GLOBALS[("torch", _d.name)] = _d
    if _d.name in QUANTIZED_STORAGES:
        GLOBALS[("torch", QUANTIZED_STORAGES[_d.name])] = StorageType(
            QUANTIZED_STORAGES[_d.name], _d)
for _scheme in SCHEMES.values():
    GLOBALS[("torch", _scheme.name)] = _scheme
for _name in UNSUPPORTED_STORAGES:
    GLOBALS[("torch", _name)] = StorageType(_name, None)
REDUCERS = frozenset(id(f) for f in CALLABLES.values())
