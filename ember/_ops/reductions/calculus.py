"""Differences and integrals along a dimension: ``diff`` (neighbouring differences),
``trapezoid`` and ``cumulative_trapezoid`` (the trapezoid rule), ``logcumsumexp`` (the running
``log(sum(exp))``).

They are built from slices, subtraction, products and ``cumsum``, which record their own
gradients; the gradient of ``diff`` is, for example, the output gradient shifted and
subtracted from itself."""
import numpy as np

from ..core.common import Tensor
from ..core.operands import invalid_arguments
from ..core.registry import export
from ..core.out import accepts_out


def _dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError("Dimension out of range (expected to be in range of [{}, {}], but got "
                         "{})".format(-n, n - 1, dim))
    return dim + n if dim < 0 else dim


@export("torch", "Tensor")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: ``out[i] = x[i + 1] - x[i]``, applied
    ``n`` times (``prepend``/``append`` are joined on first)."""
    if input._array.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError("order must be non-negative but got {}".format(n))
    dim = _dim(dim, input._array.ndim)
    from ..shape.joining import cat
    parts = [p for p in (prepend, input, append) if p is not None]
    x = cat(parts, dim) if len(parts) > 1 else input
    for _ in range(n):
        length = x._array.shape[dim]
        if length == 0:
            break
        later, earlier = x.narrow(dim, 1, length - 1), x.narrow(dim, 0, length - 1)
        x = (later ^ earlier) if x._array.dtype == np.bool_ else later - earlier
    return x


def _check_x(name, y, x, dx):
    """Sample points ``x`` (a tensor) or a spacing ``dx`` (a keyword), not both."""
    if x is not None and (dx is not None or not isinstance(x, Tensor)):
        invalid_arguments(name, (y, x) if dx is None else (y, x, dx), (
            "Tensor y, Tensor x, *, int dim = -1", "Tensor y, *, Number dx = 1, int dim = -1"))


def _check_not_bool(name, y, x):
    """torch's error for bool samples (after the dimension is checked)."""
    given = [y] if x is None else [x, y]
    if any(t._array.dtype == np.bool_ for t in given):
        raise RuntimeError("{}: received a bool input for {}, but bool is not supported".format(
            name, " or ".join("`x`" if t is x else "`y`" for t in given)))


def _spacing(y, x, dx, dim):
    """The widths of the trapezoids along ``dim``: from sample points ``x`` or a constant."""
    if x is None:
        return dx
    if x._array.ndim == 1:
        shape = [1] * y._array.ndim
        shape[dim] = -1
        return diff(x).reshape(shape)
    return diff(x, dim=dim)


@export("torch")
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of ``y`` along ``dim`` by the trapezoid rule: the sum of
    ``(y[i] + y[i + 1]) / 2 * width[i]``."""
    _check_x("trapezoid", y, x, dx)
    dim = _dim(dim, y._array.ndim)
    _check_not_bool("trapezoid", y, x)
    length = y._array.shape[dim]
    if length == 0:
        return y.sum(dim) * 0
    width = _spacing(y, x, 1 if dx is None else dx, dim)
    if not isinstance(width, Tensor):    # as torch: the sum less half the two ends, times dx
        return (y.sum(dim) - (y.select(dim, 0) + y.select(dim, -1)) * 0.5) * width
    pairs = y.narrow(dim, 1, length - 1) + y.narrow(dim, 0, length - 1)
    return (pairs * width).sum(dim) / 2


@export("torch")
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integral of ``y`` along ``dim`` by the trapezoid rule (one element shorter
    than ``y`` along ``dim``)."""
    _check_x("cumulative_trapezoid", y, x, dx)
    dim = _dim(dim, y._array.ndim)
    _check_not_bool("cumulative_trapezoid", y, x)
    length = y._array.shape[dim]
    if length == 0:
        return y.clone()
    pairs = y.narrow(dim, 1, length - 1) + y.narrow(dim, 0, length - 1)
    width = _spacing(y, x, 1 if dx is None else dx, dim)
    return (pairs * width / 2).cumsum(dim)


@export("torch", "Tensor")
@accepts_out
def logcumsumexp(input, dim):
    """``log(cumsum(exp(x)))`` along ``dim``, computed stably: with ``m`` the maximum,
    ``m + log(cumsum(exp(x - m)))``."""
    dim = _dim(dim, input._array.ndim)
    if input._array.dtype.kind != "f":
        raise RuntimeError("\"logcumsumexp_out_cpu\" not implemented for '{}'".format(
            input.dtype.scalar_name))
    if input._array.size == 0:
        return input.clone()
    m = input.detach().amax(dim, keepdim=True)
    m = m.masked_fill(~m.isfinite(), 0)
    return (input - m).exp().cumsum(dim).log() + m
