"""Data types: ``ember.float32`` and friends, and torch's type-promotion rules.

A :class:`dtype` names a NumPy dtype the way torch does (``torch.float32``).  The promotion
rules decide the dtype of ``a + b`` when ``a`` and ``b`` differ:

* categories rank ``bool < integer < floating < complex``; a higher category always wins, and
  within a category the wider type wins (``uint8 + int8 -> int16``, ``int32 + float16 ->
  float16``); a complex result keeps the precision of a float operand (``float64 + complex64 ->
  complex128``);
* operands come in three priorities: tensors with at least one dimension, 0-d tensors, and
  Python numbers.  A lower-priority operand only matters when its category is higher, so a 0-d
  ``float64`` tensor does not turn a ``float32`` tensor into ``float64``, but ``int_tensor * 2.5``
  is a float (of the default dtype, float32).
"""
import numpy as np

__all__ = ["dtype", "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
           "can_cast"]


class dtype:
    """A tensor element type (``ember.float32``, ``ember.int64``, ...)."""

    __slots__ = ("name", "numpy", "category", "is_floating_point", "is_complex", "is_signed",
                 "itemsize", "_torch_type", "scalar_name")

    def __init__(self, name, numpy_dtype, category, torch_type):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.category = category                   # 0 bool, 1 integer, 2 floating, 3 complex
        self.is_floating_point = category == 2
        self.is_complex = category == 3
        self.is_signed = name != "uint8" and name != "bool"
        self.itemsize = self.numpy.itemsize
        self._torch_type = torch_type              # legacy type name: "FloatTensor"
        self.scalar_name = torch_type[:-6]         # torch's ScalarType name: "Float"

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return _by_name, (self.name,)

    def to_real(self):
        """The real dtype of a complex one's parts (``complex64 -> float32``); others: itself."""
        return _BY_NUMPY[np.empty(0, self.numpy).real.dtype] if self.is_complex else self

    def to_complex(self):
        """The complex dtype with parts of this precision (``float64 -> complex128``).  ember has
        no complex32, so float16 (and other non-complex types) give complex64."""
        if self.is_complex:
            return self
        return complex128 if self.name == "float64" else complex64


bool_ = dtype("bool", np.bool_, 0, "BoolTensor")
uint8 = dtype("uint8", np.uint8, 1, "ByteTensor")
int8 = dtype("int8", np.int8, 1, "CharTensor")
int16 = dtype("int16", np.int16, 1, "ShortTensor")
int32 = dtype("int32", np.int32, 1, "IntTensor")
int64 = dtype("int64", np.int64, 1, "LongTensor")
float16 = dtype("float16", np.float16, 2, "HalfTensor")
float32 = dtype("float32", np.float32, 2, "FloatTensor")
float64 = dtype("float64", np.float64, 2, "DoubleTensor")
complex64 = dtype("complex64", np.complex64, 3, "ComplexFloatTensor")
complex128 = dtype("complex128", np.complex128, 3, "ComplexDoubleTensor")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
_BY_NAME = {d.name: d for d in ALL}
_BY_NUMPY = {d.numpy: d for d in ALL}
ALIASES = {"half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
           "long": int64, "bool": bool_, "cfloat": complex64, "cdouble": complex128}


def _by_name(name):
    return _BY_NAME[name]


def from_numpy(np_dtype):
    """The ember dtype of a NumPy dtype; TypeError for types torch has no tensor for."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        pass
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError("can't convert np.ndarray of type {}. The only supported types are: "
                        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
                        .format(np.dtype(np_dtype) if _is_dtype_like(np_dtype) else np_dtype)) from None


def _is_dtype_like(x):
    try:
        np.dtype(x)
        return True
    except TypeError:
        return False


def to_dtype(x):
    """Accepts an ember dtype, a NumPy dtype or a type such as ``float``; returns an ember dtype."""
    if isinstance(x, dtype):
        return x
    if x is float:                       # as in torch: Python's float is a double
        return float64
    if x is int:
        return int64
    if x is bool:
        return bool_
    if x is complex:
        return complex128
    return from_numpy(x)


# ---------------------------------------------------------------- the default dtype

_default = [float32]


def get_default_dtype():
    """The dtype of tensors made from Python floats (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Sets the dtype of tensors made from Python floats: float16, float32 or float64."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


# ---------------------------------------------------------------- promotion


def _promote(a, b):
    if a is b:
        return a
    if a.category != b.category:
        high, low = (a, b) if a.category > b.category else (b, a)
        if high.is_complex and low.is_floating_point:      # float64 + complex64 -> complex128
            return _BY_NUMPY[np.promote_types(a.numpy, b.numpy)]
        return high
    return _BY_NUMPY[np.promote_types(a.numpy, b.numpy)]


_PROMOTE = {(a, b): _promote(a, b) for a in ALL for b in ALL}


def promote_types(type1, type2):
    """The smallest dtype that both ``type1`` and ``type2`` convert to (torch's lattice)."""
    return _PROMOTE[type1, type2]


def _combine(higher, lower):
    """Joins the result of a higher-priority operand group with a lower one."""
    if higher is None:
        return lower
    if lower is None or higher.category >= max(lower.category, 2):
        return higher
    if lower.is_complex:              # a float tensor keeps its precision: float64 + 1j -> complex128
        return higher.to_complex() if higher.is_floating_point else lower
    if higher is bool_ or lower.is_floating_point:
        return _PROMOTE[higher, lower]
    return higher


def scalar_dtype(value):
    """The dtype a Python number takes when it meets a tensor (a 'wrapped number')."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (complex, np.complexfloating)):
        return _default[0].to_complex()
    return _default[0]


def result_type(*operands):
    """torch.result_type for tensors and Python numbers: see the module docstring."""
    dims = zeros = scalars = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if d is None or not isinstance(d, dtype):
            s = scalar_dtype(x)
            scalars = s if scalars is None else _PROMOTE[scalars, s]
        elif x.ndim:
            dims = d if dims is None else _PROMOTE[dims, d]
        else:
            zeros = d if zeros is None else _PROMOTE[zeros, d]
    return _combine(dims, _combine(zeros, scalars))


def can_cast(from_, to):
    """Whether an in-place result of dtype ``from_`` may be written into a ``to`` tensor."""
    return from_.category <= to.category
