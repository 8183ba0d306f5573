"""Binds the operations of ``ember/_ops`` to the Tensor class as methods and operators.

Each operation family lists in ``METHODS`` the functions that are also tensor methods (their
first argument is the tensor): ``x.exp()`` is ``pointwise.exp(x)``.  The Python operators are
listed here, at the bottom.
"""
from . import FAMILIES, arithmetic, indexing, inplace, linalg, pointwise


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
    for family in FAMILIES:
        for name in family.METHODS:
            setattr(Tensor, name, getattr(family, name))

    a = arithmetic
    operators = {
        "__add__": a.add, "__radd__": a.add, "__iadd__": inplace.add_,
        "__sub__": a.sub, "__rsub__": a.rsub, "__isub__": inplace.sub_,
        "__mul__": a.mul, "__rmul__": a.mul, "__imul__": inplace.mul_,
        "__truediv__": a.div, "__rtruediv__": a.rtruediv, "__itruediv__": inplace.div_,
        "__floordiv__": a.floor_divide, "__rfloordiv__": _reflected(a.floor_divide),
        "__ifloordiv__": inplace.floor_divide_,
        "__mod__": a.remainder, "__rmod__": _reflected(a.remainder),
        "__imod__": inplace.remainder_,
        "__pow__": a.pow, "__rpow__": _reflected(a.pow), "__ipow__": inplace.pow_,
        "__matmul__": linalg.matmul, "__rmatmul__": _reflected(linalg.matmul),
        "__neg__": a.neg, "__abs__": pointwise.abs, "__invert__": a.invert,
        "__pos__": a.positive,
        "__and__": a.bitwise_and, "__rand__": a.bitwise_and, "__iand__": inplace.bitwise_and_,
        "__or__": a.bitwise_or, "__ror__": a.bitwise_or, "__ior__": inplace.bitwise_or_,
        "__xor__": a.bitwise_xor, "__rxor__": a.bitwise_xor, "__ixor__": inplace.bitwise_xor_,
        "where": pointwise.where_method,       # x.where(c, y) is where(c, x, y): not x first
        "__eq__": _or_not_implemented(a.eq), "__ne__": _or_not_implemented(a.ne),
        "__lt__": a.lt, "__le__": a.le, "__gt__": a.gt, "__ge__": a.ge,
        "__getitem__": indexing.getitem, "__setitem__": indexing.setitem,
    }
    for name, fn in operators.items():
        setattr(Tensor, name, fn)
