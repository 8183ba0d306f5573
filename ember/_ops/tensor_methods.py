"""Binds the operations of ``ember/_ops`` to the Tensor class as methods and operators.

Each operation family lists in ``METHODS`` the functions that are also tensor methods (their
first argument is the tensor): ``x.exp()`` is ``exponential.exp(x)``.  The Python operators are
listed here, at the bottom.
"""
from . import FAMILIES, NN_METHODS, nn_families
from .elementwise import arithmetic, clamping, comparison, division, inplace, power, rounding
from .indexing import reading as indexing
from .linalg import products as linalg


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


def _stand_in(name):
    """The method ``name`` of a neural-network family before that family is imported: the
    first call imports the families, which replaces every stand-in by the real method.

    (Not a ``Tensor.__getattr__``: Python does not specialise attribute access on classes
    that define one, and every ``t._array`` on the hot paths would pay for it.)"""
    def method(self, *args, **kwargs):
        nn_families()
        return getattr(self, name)(*args, **kwargs)
    method.__name__ = method.__qualname__ = name
    return method


def install(Tensor):
    for family in FAMILIES:
        for name in family.METHODS:
            setattr(Tensor, name, getattr(family, name))
    for name in NN_METHODS:
        setattr(Tensor, name, _stand_in(name))

    a, d, c = arithmetic, division, comparison
    operators = {
        "__add__": a.add, "__radd__": a.add, "__iadd__": inplace.add_,
        "__sub__": a.sub, "__rsub__": a.rsub, "__isub__": inplace.sub_,
        "__mul__": a.mul, "__rmul__": a.mul, "__imul__": inplace.mul_,
        "__truediv__": d.div, "__rtruediv__": d.rtruediv, "__itruediv__": inplace.div_,
        "__floordiv__": d.floor_divide, "__rfloordiv__": _reflected(d.floor_divide),
        "__ifloordiv__": inplace.floor_divide_,
        "__mod__": d.remainder, "__rmod__": _reflected(d.remainder),
        "__imod__": inplace.remainder_,
        "__pow__": power.pow, "__rpow__": _reflected(power.pow), "__ipow__": inplace.pow_,
        "__matmul__": linalg.matmul, "__rmatmul__": _reflected(linalg.matmul),
        "__neg__": a.neg, "__abs__": rounding.abs, "__invert__": c.invert,
        "__pos__": a.positive,
        "__and__": c.bitwise_and, "__rand__": c.bitwise_and, "__iand__": inplace.bitwise_and_,
        "__or__": c.bitwise_or, "__ror__": c.bitwise_or, "__ior__": inplace.bitwise_or_,
        "__xor__": c.bitwise_xor, "__rxor__": c.bitwise_xor, "__ixor__": inplace.bitwise_xor_,
        "where": clamping.where_method,        # x.where(c, y) is where(c, x, y): not x first
        "__eq__": _or_not_implemented(c.eq), "__ne__": _or_not_implemented(c.ne),
        "__lt__": c.lt, "__le__": c.le, "__gt__": c.gt, "__ge__": c.ge,
        "__getitem__": indexing.getitem, "__setitem__": indexing.setitem,
    }
    for name, fn in operators.items():
        setattr(Tensor, name, fn)
