"""Binds the operations of ``ember/_ops`` to the Tensor class as methods and operators.

The methods are the functions declared with ``export(..., "Tensor", ...)`` (their first argument
is the tensor): ``x.exp()`` is ``exponential.exp(x)``.  The Python operators are listed here.
"""
from .core import registry
from .elementwise import arithmetic, comparison, division, inplace, integers, power, rounding
from .indexing import reading, writing
from .linalg import products


def _reflected(fn):
    def method(self, other):
        return fn(other, self)
    method.__name__ = fn.__name__
    return method


def _or_not_implemented(fn):
    """For comparisons: ``tensor == "text"`` falls back to Python's default, as torch's does."""
    def method(self, other):
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented
    method.__name__ = fn.__name__
    return method


def install(Tensor):
    methods = registry.names("Tensor", final=True)
    for name, fn in methods.items():
        setattr(Tensor, name, fn)

    a, d, c = arithmetic, division, comparison
    operators = {
        "__add__": a.add, "__radd__": a.add, "__iadd__": inplace.add_,
        "__sub__": a.sub, "__rsub__": a.rsub, "__isub__": inplace.sub_,
        "__mul__": a.mul, "__rmul__": a.mul, "__imul__": inplace.mul_,
        "__truediv__": d.div, "__rtruediv__": d.rtruediv, "__itruediv__": inplace.div_,
        "__floordiv__": d.floor_divide, "__rfloordiv__": _reflected(d.floor_divide),
        "__ifloordiv__": methods["floor_divide_"],
        "__mod__": d.remainder, "__rmod__": _reflected(d.remainder),
        "__imod__": methods["remainder_"],
        "__pow__": power.pow, "__rpow__": _reflected(power.pow), "__ipow__": inplace.pow_,
        "__matmul__": products.matmul, "__rmatmul__": _reflected(products.matmul),
        "__neg__": a.neg, "__abs__": rounding.abs, "__invert__": c.invert,
        "__pos__": a.positive,
        "__and__": c.bitwise_and, "__rand__": c.bitwise_and, "__iand__": methods["bitwise_and_"],
        "__or__": c.bitwise_or, "__ror__": c.bitwise_or, "__ior__": methods["bitwise_or_"],
        "__xor__": c.bitwise_xor, "__rxor__": c.bitwise_xor, "__ixor__": methods["bitwise_xor_"],
        "__lshift__": integers.bitwise_left_shift,
        "__rlshift__": _reflected(integers.bitwise_left_shift),
        "__ilshift__": methods["bitwise_left_shift_"],
        "__rshift__": integers.bitwise_right_shift,
        "__rrshift__": _reflected(integers.bitwise_right_shift),
        "__irshift__": methods["bitwise_right_shift_"],
        "__eq__": _or_not_implemented(c.eq), "__ne__": _or_not_implemented(c.ne),
        "__lt__": c.lt, "__le__": c.le, "__gt__": c.gt, "__ge__": c.ge,
        "__getitem__": reading.getitem, "__setitem__": writing.setitem,
    }
    for name, fn in operators.items():
        setattr(Tensor, name, fn)
