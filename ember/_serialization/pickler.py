"""Writing data.pkl: a protocol-2 pickle, opcode by opcode, that torch's safe loader accepts.

ember cannot use Python's ``pickle.Pickler`` for this: the file must name torch's rebuild
functions (``torch._utils._rebuild_tensor_v2`` ...), and the Pickler insists on importing every
name it writes -- which would need torch.  So :class:`PickleWriter` emits the opcodes itself;
each ``_save_*`` method is a short recipe for one kind of value, readable next to the output of
``python -m pickletools`` on a file torch wrote.
"""
import collections
import struct
import sys

import numpy as np

from .. import _dtype, _lowprec
from .._device import device as _device
from .._size import Size
from .._tensor import Tensor

__all__ = ["PickleWriter", "STORAGE_OF", "QUANTIZED_STORAGES", "contiguous_strides",
           "is_parameter"]

# The storages of quantized tensors' integers, by quantized dtype name.
QUANTIZED_STORAGES = {"qint8": "QInt8Storage", "quint8": "QUInt8Storage", "qint32": "QInt32Storage"}
# torch's legacy storage class for each dtype: how data.pkl names the type of a storage.
STORAGE_OF = {
    _dtype.float32: "FloatStorage", _dtype.float64: "DoubleStorage", _dtype.float16: "HalfStorage",
    _dtype.int8: "CharStorage", _dtype.uint8: "ByteStorage", _dtype.int16: "ShortStorage",
    _dtype.int32: "IntStorage", _dtype.int64: "LongStorage", _dtype.bool_: "BoolStorage",
    _lowprec.bfloat16: "BFloat16Storage",
}


class PickleWriter:
    """Writes a protocol-2 pickle of ``obj``, collecting the storages of its tensors.

    ``dump(obj)`` returns the bytes of data.pkl; afterwards ``storages`` lists ``(key, array)``
    for the records ``data/<key>``.  Objects met twice (a tied weight, a shared list) are written
    once and then referred to through the pickle's memo, so they stay shared when loaded.
    """

    def __init__(self):
        self.out = bytearray(b"\x80\x02")          # PROTO 2
        self.memo = {}                            # id(obj) -> memo slot, for shared objects
        self.alive = []                           # memoized objects: keeps their ids unique
        self.storages = []                        # (key, array) for data/<key>, in order
        self.storage_keys = {}                    # id(storage array) -> key

    def dump(self, obj):
        self.save(obj)
        self.out += b"."                          # STOP
        return bytes(self.out)

    # ------------------------------------------------------------ opcodes

    def _global(self, module, name):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"

    def _memoize(self, obj):
        slot = len(self.memo)
        self.memo[id(obj)] = slot
        self.alive.append(obj)
        self.out += b"q" + bytes([slot]) if slot < 256 else b"r" + struct.pack("<I", slot)

    def _get(self, obj):
        slot = self.memo[id(obj)]
        self.out += b"h" + bytes([slot]) if slot < 256 else b"j" + struct.pack("<I", slot)

    def _reduce(self, module, name, *args):
        """Writes the call ``module.name(*args)``."""
        self._global(module, name)
        self._save_tuple(args)
        self.out += b"R"                          # REDUCE

    def _empty_ordered_dict(self):
        self._global("collections", "OrderedDict")
        self.out += b")R"                         # EMPTY_TUPLE, REDUCE

    # ------------------------------------------------------------ values

    def save(self, obj):
        if id(obj) in self.memo:
            self._get(obj)
            return
        kind = type(obj)
        if obj is None:
            self.out += b"N"
        elif kind is bool:
            self.out += b"\x88" if obj else b"\x89"
        elif kind is int:
            self._save_int(obj)
        elif kind is float:
            self.out += b"G" + struct.pack(">d", obj)
        elif kind is str:
            data = obj.encode("utf-8", "surrogatepass")
            self.out += b"X" + struct.pack("<I", len(data)) + data
        elif kind is bytes:                       # protocol 2 spells bytes as a latin-1 str
            self._reduce("_codecs", "encode", obj.decode("latin-1"), "latin1")
        elif kind is bytearray:
            self._reduce("__builtin__", "bytearray", bytes(obj))
        elif kind is complex:
            self._reduce("__builtin__", "complex", obj.real, obj.imag)
        elif kind is set:
            self._reduce("__builtin__", "set", list(obj))
        elif isinstance(obj, Tensor):
            self._save_tensor(obj)
        elif isinstance(obj, Size):
            self._reduce("torch", "Size", tuple(obj))
        elif isinstance(obj, _dtype.dtype):
            self._global("torch", obj.name)
        elif isinstance(obj, _device):
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            self._reduce("torch", "device", *args)
        elif isinstance(obj, collections.OrderedDict):
            self._save_ordered_dict(obj)
        elif isinstance(obj, dict):
            self._save_dict(obj)
        elif isinstance(obj, list):
            self._save_list(obj)
        elif isinstance(obj, tuple):
            self._save_tuple(obj)
        else:
            raise TypeError(unsaveable(obj))

    def _save_int(self, value):
        if 0 <= value < 256:
            self.out += b"K" + bytes([value])                      # BININT1
        elif 0 <= value < 65536:
            self.out += b"M" + struct.pack("<H", value)            # BININT2
        elif -2 ** 31 <= value < 2 ** 31:
            self.out += b"J" + struct.pack("<i", value)            # BININT
        else:                                                      # LONG1/LONG4: two's complement
            data = value.to_bytes(value.bit_length() // 8 + 1, "little", signed=True)
            if len(data) < 256:
                self.out += b"\x8a" + bytes([len(data)]) + data
            else:
                self.out += b"\x8b" + struct.pack("<I", len(data)) + data

    def _save_tuple(self, items):
        if not items:
            self.out += b")"
            return
        if len(items) > 3:
            self.out += b"("                                       # MARK
        for item in items:
            self.save(item)
        self.out += b"t" if len(items) > 3 else b"\x85\x86\x87"[len(items) - 1:len(items)]

    def _save_list(self, items):
        self.out += b"]"
        self._memoize(items)
        for start in range(0, len(items), 1000):
            self.out += b"("
            for item in items[start:start + 1000]:
                self.save(item)
            self.out += b"e"                                       # APPENDS

    def _save_items(self, mapping):
        items = list(mapping.items())
        for start in range(0, len(items), 1000):
            self.out += b"("
            for key, value in items[start:start + 1000]:
                self.save(key)
                self.save(value)
            self.out += b"u"                                       # SETITEMS

    def _save_dict(self, mapping):
        self.out += b"}"
        self._memoize(mapping)
        self._save_items(mapping)

    def _save_ordered_dict(self, mapping):
        """An OrderedDict, with its attributes: a state_dict carries ``_metadata`` this way."""
        self._empty_ordered_dict()
        self._memoize(mapping)
        self._save_items(mapping)
        state = getattr(mapping, "__dict__", None)
        if state:
            self.save(dict(state))
            self.out += b"b"                                       # BUILD

    # ------------------------------------------------------------ tensors

    def _save_tensor(self, t):
        if t.is_quantized:
            self._save_qtensor(t)
            return
        requires_grad = bool(t.requires_grad)
        attributes = {k: v for k, v in t.__dict__.items() if not k.startswith("_")}
        if is_parameter(t):
            name = "_rebuild_parameter_with_state" if attributes else "_rebuild_parameter"
            self._global("torch._utils", name)
            self.out += b"("
            self._save_plain_tensor(t._array, False)
            self.save(requires_grad)
            self._empty_ordered_dict()                             # backward hooks: never saved
            if attributes:
                self.save(attributes)
            self.out += b"tR"
        elif attributes:                                           # a tensor with user attributes
            self._global("torch._tensor", "_rebuild_from_type_v2")
            self.out += b"("
            self._global("torch._utils", "_rebuild_tensor_v2")
            self._global("torch", "Tensor")
            self.out += b"("
            self._tensor_arguments(t._array, requires_grad)
            self.out += b"t"
            self.save(attributes)
            self.out += b"tR"
        else:
            self._save_plain_tensor(t._array, requires_grad)
        self._memoize(t)

    def _save_qtensor(self, t):
        """A quantized tensor as torch writes it: ``_rebuild_qtensor(storage of its integers,
        offset, size, stride, (scheme, scale, zero_point[, axis]), requires_grad, hooks)``."""
        self._global("torch._utils", "_rebuild_qtensor")
        self.out += b"("
        self._tensor_arguments(t._int, False, QUANTIZED_STORAGES[t.dtype.name], hooks=False)
        self.out += b"("
        self._global("torch", t.qscheme().name)
        if t._axis is None:
            self.save(float(t._scale))
            self.save(int(t._zero_point))
        else:
            self._save_plain_tensor(t._scale, False)
            self._save_plain_tensor(t._zero_point, False)
            self.save(t._axis)
        self.out += b"t"
        self.save(False)
        self._empty_ordered_dict()
        self.out += b"tR"
        self._memoize(t)

    def _save_plain_tensor(self, array, requires_grad):
        self._global("torch._utils", "_rebuild_tensor_v2")
        self.out += b"("
        self._tensor_arguments(array, requires_grad)
        self.out += b"tR"

    def _tensor_arguments(self, array, requires_grad, storage_name=None, hooks=True):
        """storage, storage_offset, size, stride, requires_grad, backward_hooks (the last two
        unless not ``hooks``); ``storage_name`` overrides the storage class of the dtype."""
        storage_name = storage_name or STORAGE_OF[_dtype.from_numpy(array.dtype)]
        storage, offset, strides = self._storage_for(array)
        key = self.storage_keys.get(id(storage))
        if key is None:
            key = str(len(self.storages))
            self.storage_keys[id(storage)] = key
            self.storages.append((key, storage))
        self.out += b"("
        self.save("storage")
        self._global("torch", storage_name)
        self.save(key)
        self.save("cpu")
        self.save(storage.size)
        self.out += b"tQ"                                          # TUPLE, BINPERSID
        self.save(offset)
        self.save(tuple(array.shape))
        self.save(strides)
        if hooks:
            self.save(requires_grad)
            self._empty_ordered_dict()

    def _storage_for(self, array):
        """``(storage, offset, strides)`` for ``array``, in elements.

        A view shares the storage of the array that owns its memory (found by following
        ``.base``), so that ``t`` and ``t[2:5]`` saved together are stored once, as torch does.
        When the owner is not a plain contiguous array of the same dtype (or the view has
        negative strides, which torch cannot express) the view is saved as a contiguous copy.
        """
        root = array
        while isinstance(root.base, np.ndarray):
            root = root.base
        itemsize = array.itemsize
        if ((array.size or any(array.strides)) and root.dtype == array.dtype  # (an empty
                and root.dtype.isnative and root.flags.c_contiguous and root.size):  # slice)
            start = array.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            strides = tuple(s // itemsize if n > 1 else c for s, n, c in
                            zip(array.strides, array.shape, contiguous_strides(array.shape)))
            last = start // itemsize + sum((n - 1) * s for n, s in zip(array.shape, strides))
            if (start >= 0 and start % itemsize == 0
                    and all(s >= 0 and (n <= 1 or s * itemsize == b)
                            for s, n, b in zip(strides, array.shape, array.strides))
                    and last < root.size):
                return root, start // itemsize, strides
        copy = np.ascontiguousarray(array)
        if not copy.dtype.isnative:
            copy = copy.astype(copy.dtype.newbyteorder("="))
        return copy.reshape(-1), 0, contiguous_strides(array.shape)


def contiguous_strides(shape):
    """torch's strides of a contiguous tensor: a size-0 or size-1 dimension counts as 1."""
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def is_parameter(t):
    """Whether ``t`` is an ``ember.nn.Parameter`` (without importing ember.nn for it)."""
    nn = sys.modules.get("ember.nn")
    parameter = getattr(nn, "Parameter", None)
    return parameter is not None and isinstance(t, parameter)


def unsaveable(obj):
    kind = type(obj)
    name = kind.__module__ + "." + kind.__qualname__
    hint = ""
    if kind.__module__ == "numpy":
        hint = " Convert NumPy values first: ember.from_numpy(array), or .item() for a scalar."
    elif hasattr(obj, "state_dict"):
        hint = " Save its state_dict() instead, and load that with load_state_dict()."
    return ("ember.save cannot store an object of type {}: a .pth file written by ember holds "
            "only tensors, Parameters, dicts, lists, tuples, sets, strings, bytes, numbers, None, "
            "dtypes, devices and Sizes, so that it loads with torch.load(weights_only=True)."
            "{}".format(name, hint))
