"""Forward-mode automatic differentiation (``torch.autograd.forward_ad``).

Reverse mode (``backward``) carries a gradient from the output back to every input; forward
mode carries a *tangent* -- a direction of change -- from the inputs forward with the values:
each operation computes its result and, next to it, how much the result moves when its inputs
move along their tangents (its Jacobian times the tangents, "JVP").  One forward pass gives the
directional derivative J v of a whole function, with no graph kept::

    with forward_ad.dual_level():
        x = forward_ad.make_dual(primal, tangent)      # x carries (primal, tangent)
        y = f(x)
        value, jv = forward_ad.unpack_dual(y)           # f(primal), J(primal) @ tangent

How it is wired in: while a dual level is open, ``op._transform`` holds this module, and
``Op.apply`` hands every operation to :func:`apply` here, which runs it as usual and then its
JVP rule (``jvp_rules.py``, one table) on the tangents of its inputs.  The views made without a
graph node (``plain_view``, the fast path of ``view``, ``transpose`` ...) ask
:func:`follow_view` for their tangent.  With no level open, an operation pays for one check.
As in torch, there is one level at a time and levels are global (not per thread).
"""
import weakref
from collections import namedtuple

import numpy as np

from .._tensor import Tensor
from . import op as _op

__all__ = ["UnpackedDualTensor", "enter_dual_level", "exit_dual_level", "make_dual",
           "unpack_dual", "dual_level"]

# The open levels (at most one) and, for each, weak references to the tensors given a tangent
# at that level, so that exiting the level takes their tangents away.
_levels = []


class UnpackedDualTensor(namedtuple("UnpackedDualTensor", ["primal", "tangent"])):
    """What :func:`unpack_dual` returns: the primal value and its tangent (None if it has none)."""

    __slots__ = ()


def enter_dual_level():
    """Opens a dual level and returns its number (torch allows one at a time)."""
    if _levels:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _levels.append([])
    _op._transform = _module()
    return len(_levels) - 1


def exit_dual_level(*, level=None):
    """Closes the dual level ``level`` (the last one by default); its tangents are dropped."""
    if level is None:
        level = len(_levels) - 1
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != len(_levels) - 1:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was "
                           "created. This is not supported.")
    for ref in _levels.pop():
        t = ref()
        if t is not None:
            t.__dict__.pop("_fw_tangent", None)
    _op._transform = None


class dual_level:
    """Context manager of a dual level: ``with dual_level(): ...`` (``as`` gives its number)."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()


def _check_level(level, what):
    if not _levels:
        raise RuntimeError("Trying to {} but no level exists, make sure to enter_dual_level() "
                           "first.".format(what))
    if level is not None and level != len(_levels) - 1:
        raise RuntimeError("Invalid level given to _fw_primal")


def make_dual(tensor, tangent, *, level=None):
    """A view of ``tensor`` that carries ``tangent`` (same size) as its forward derivative."""
    _check_level(level, "create a dual Tensor for forward AD")
    if not isinstance(tensor, Tensor) or not isinstance(tangent, Tensor):
        bad = tangent if isinstance(tensor, Tensor) else tensor
        raise TypeError("make_dual(): argument '{}' (position {}) must be Tensor, not {}".format(
            "tangent" if bad is tangent else "tensor", 2 if bad is tangent else 1,
            type(bad).__name__))
    if tensor._array.dtype.kind not in "fc":
        raise ValueError("Expected primal to be floating point or complex, but got: "
                         + str(tensor.dtype))
    if tangent._array.dtype.kind not in "fc":
        raise ValueError("Expected tangent to be floating point or complex, but got: "
                         + str(tangent.dtype))
    if tangent._array.shape != tensor._array.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the original "
            "Tensor, this is not supported. Tensor is of size {} while the given forward gradient "
            "is of size {}.".format(list(tensor._array.shape), list(tangent._array.shape)))
    if tangent_of(tensor) is not None:
        raise RuntimeError("Making a dual Tensor based on a Tensor that already has a forward "
                           "gradient at the same level {} is not supported.".format(
                               len(_levels) - 1))
    with _off():
        dual = tensor.view_as(tensor)
    _set_tangent(dual, tangent)
    return dual


def unpack_dual(tensor, *, level=None):
    """``(primal, tangent)`` of a dual tensor: a view without the tangent, and the tangent
    (None when ``tensor`` has none, or no level is open)."""
    tangent = tangent_of(tensor) if _levels else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    _check_level(level, "unpack a dual Tensor")
    with _off():
        primal = tensor.view_as(tensor)
    return UnpackedDualTensor(primal, tangent)


# ---------------------------------------------------------------- the seam's side

def tangent_of(t):
    """The tangent ``t`` carries at the open level, or None."""
    return t.__dict__.get("_fw_tangent") if isinstance(t, Tensor) else None


def carry_tangent(source, target):
    """Gives ``target`` (a detached copy of ``source``) ``source``'s tangent, if a dual level
    is open and it has one: how ``func.grad`` inside ``func.jacfwd`` keeps the tangents."""
    tangent = tangent_of(source) if _levels else None
    if tangent is not None:
        _set_tangent(target, tangent)


def _set_tangent(t, tangent):
    t.__dict__["_fw_tangent"] = tangent
    _levels[-1].append(weakref.ref(t))


class _off:
    """Runs a block with tangents switched off (the op inside a rule is a plain op)."""

    def __enter__(self):
        _op._transform = None

    def __exit__(self, *exc):
        _op._transform = _module() if _levels else None


def _module():
    import sys
    return sys.modules[__name__]


def apply(cls, args):
    """Runs the op ``cls`` on ``args`` as usual and gives each floating-point output the tangent
    its JVP rule computes from the inputs' tangents (no rule: torch's NotImplementedError)."""
    with _off():
        out = cls.apply(*args)
        tangents = [tangent_of(a) for a in args]
        if any(t is not None for t in tangents):
            outs = out if type(out) is tuple else (out,)
            if any(o._array.dtype.kind in "fc" for o in outs):
                from .jvp_rules import rule_of
                rule = rule_of(cls)
                result = rule(cls, args, tangents, out)
                for o, t in zip(outs, result if type(out) is tuple else (result,)):
                    if t is not None and o._array.dtype.kind in "fc":
                        _set_tangent(o, t)
    return out


def elementwise(fn, args):
    """``fn(*args)``, a computation without an op and without a derivative (comparisons)."""
    with _off():
        return fn(*args)


def follow_view(view, input):
    """Gives ``view`` (a NumPy view of ``input``'s memory made without a graph node) the same
    view of ``input``'s tangent."""
    tangent = tangent_of(input)
    if tangent is None:
        return
    flat = view_indices(view._array, input._array)
    with _off():
        _set_tangent(view, tangent.reshape(-1)[Tensor._make(flat)])


def view_indices(view, array):
    """For each element of ``view`` (a NumPy view into ``array``'s memory), the position of
    that element in ``array`` (as a flat, row-major index): any view, found by the memory
    offsets of the elements."""
    size = array.itemsize
    start = (view.__array_interface__["data"][0] - array.__array_interface__["data"][0]) // size
    offsets = _offsets(array, 0, size).ravel()
    order = np.argsort(offsets, kind="stable")
    return order[np.searchsorted(offsets[order], _offsets(view, start, size))]


def _offsets(array, start, size):
    """The memory offset, in elements, of each element of ``array`` (``start`` for the first)."""
    out = np.full(array.shape, start, dtype=np.int64)
    for d, (n, stride) in enumerate(zip(array.shape, array.strides)):
        shape = [1] * array.ndim
        shape[d] = n
        out = out + (np.arange(n, dtype=np.int64) * (stride // size)).reshape(shape)
    return out
