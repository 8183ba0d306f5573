"""Reductions: operations that combine the elements along some dimensions into one value.

The gradient of a sum is the incoming gradient copied back ("expanded") to every element that
went into it; a mean divides that by the count.  Reductions over ``dim`` with ``keepdim=False``
drop the reduced dimensions, so backward first puts them back as size 1 and then expands.

Reductions that *select* an element (``max``, ``amax``, ``median`` ...) send the gradient to the
selected element only: to the one at the returned index when there is an index, else shared
equally among all the elements equal to the result (ties), as torch does.

The selections of the largest and smallest elements (``max``, ``argmax`` ...) and ``logsumexp``
are in ``extremes.py``, statistics (``var``, ``median``, ``quantile`` ...) in ``statistics.py``,
running reductions (``cumsum``, ``cummax`` ...) in ``cumulative.py``, norms in ``norms.py``.
"""
import builtins

import numpy as np

from ... import _dtype
from ...autograd.grad_mode import state as _grad_state
from ...autograd.op import Op
from ..core import dual
from ..core.operands import write_out
from ..core.common import Tensor, dims_of, sum_to_shape, wrap_dim
from ..core.registry import export
from ..core.out import accepts_out


# ---------------------------------------------------------------- helpers


def reduce_dims(dim, ndim):
    """A ``dim`` argument as sorted non-negative axes.  None and an empty list mean every
    dimension; a 0-d tensor accepts dim 0 (or -1) but has no axis to reduce."""
    if dim is None or (not isinstance(dim, (int, np.integer)) and len(dim) == 0):
        return tuple(range(ndim))
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer, tuple, list)):
        raise TypeError("argument 'dim' must be tuple of ints, not " + type(dim).__name__)
    dims = dims_of(dim, ndim)
    return dims if ndim else ()


def kept_shape(shape, dims):
    """``shape`` with the reduced ``dims`` as size 1 (what ``keepdim=True`` gives)."""
    kept = list(shape)
    for d in dims:
        kept[d] = 1
    return tuple(kept)


def expand_reduced(grad, shape, dims, keepdim):
    """Brings a reduction's gradient back to the input ``shape`` (a view, no copy)."""
    if not keepdim and dims and len(shape):
        grad = grad.reshape(kept_shape(shape, dims))
    return dual.expand(grad, shape)


def count(shape, dims):
    """How many elements a reduction over ``dims`` combines into each result."""
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def long_for_ints(a):
    """torch sums integers and bools as int64: the NumPy dtype for that, else None."""
    return np.int64 if a.dtype.kind in "iub" else None


def np_dtype(dtype):
    """The NumPy dtype of a ``dtype=`` argument (None stays None)."""
    return None if dtype is None else _dtype.to_dtype(dtype).numpy


def check_nonempty_dims(name, x, dims, separator="(): "):
    """torch refuses to pick an element (max, median ...) out of nothing."""
    for d in dims:
        if x.shape[d] == 0:
            raise IndexError("{}{}Expected reduction dim {} to have non-zero size.".format(
                name, separator, d))


def shared_among_ties(grad, x, result, shape, dims, keepdim, nan_aware=True):
    """The gradient of a reduction that picks an extreme value (amax, max() ...): each element
    equal to the result gets an equal share of its gradient.  A NaN result came from the NaN
    elements, which share it -- unless ``nan_aware`` is False: then, as torch's amax and amin
    do, a NaN result matches nothing and its gradient is NaN."""
    xa = dual.data(x)
    ra = dual.data(result)
    if not keepdim:
        ra = ra.reshape(kept_shape(shape, dims))
    hit = xa == ra
    if nan_aware and xa.dtype.kind in "fV":
        hit |= np.isnan(xa) & np.isnan(ra)
    with np.errstate(invalid="ignore"):
        share = hit / np.add.reduce(hit, axis=dims, keepdims=True)
    return expand_reduced(grad, shape, dims, keepdim) * share.astype(xa.dtype, copy=False)


# ---------------------------------------------------------------- sum and mean


class Sum(Op):
    """out = sum of all elements.   d(out)/dx_i = 1 for every i."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dtype=None):
        ctx.shape = x.shape
        return np.add.reduce(x, axis=None, dtype=dtype or long_for_ints(x))

    @staticmethod
    def backward(ctx, grad):
        return dual.expand(grad, ctx.shape), None


class SumDim(Op):
    """out = sums along ``dims``.   Each input element gets the gradient of its sum."""

    exact_grads = True

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return np.add.reduce(x, axis=dims, keepdims=keepdim, dtype=dtype or long_for_ints(x))

    @staticmethod
    def backward(ctx, grad):
        return expand_reduced(grad, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class SumAs(Sum):
    """``sum(dtype=...)`` in another float dtype: the gradient is cast back to the input's."""

    exact_grads = False
    node_name = "SumBackward0"


class SumDimAs(SumDim):
    exact_grads = False
    node_name = "SumBackward1"


def _mean_of(x, dims, keepdim, dtype):
    n = count(x.shape, dims)
    if dtype is None and x.dtype == np.float16:       # accumulate half precision in float32
        return (np.add.reduce(x, axis=dims, keepdims=keepdim, dtype=np.float32) / n).astype(
            np.float16)
    total = np.add.reduce(x, axis=dims, keepdims=keepdim, dtype=dtype)
    if n == 0:
        with np.errstate(invalid="ignore"):
            return np.true_divide(total, 0)
    return np.true_divide(total, n, dtype=total.dtype)


class Mean(Op):
    """out = mean of all elements.   d(out)/dx_i = 1 / n."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dtype=None):
        ctx.shape = x.shape
        return _mean_of(x, tuple(range(x.ndim)), False, dtype)

    @staticmethod
    def backward(ctx, grad):
        n = builtins.max(count(ctx.shape, range(len(ctx.shape))), 1)
        return dual.expand(grad / n, ctx.shape), None


class MeanDim(Op):
    """out = means along ``dims``.   d(out)/dx_i = 1 / (number of elements averaged)."""

    exact_grads = True

    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return _mean_of(x, dims, keepdim, dtype)

    @staticmethod
    def backward(ctx, grad):
        n = builtins.max(count(ctx.shape, ctx.dims), 1)
        return expand_reduced(grad / n, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class MeanAs(Mean):
    """``mean(dtype=...)`` in another float dtype: the gradient is cast back."""

    exact_grads = False
    node_name = "MeanBackward0"


class MeanDimAs(MeanDim):
    exact_grads = False
    node_name = "MeanBackward1"


class SumToSize(Op):
    """Sums a broadcast gradient back to ``shape``.   Its gradient expands again."""

    exact_grads = True

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        if x.dtype.kind in "iub":                 # integers and bools sum as int64, as in torch
            x = x.astype(np.int64)
        return sum_to_shape(x, tuple(shape))

    @staticmethod
    def backward(ctx, grad):
        return dual.expand(grad, ctx.shape), None


@export("torch", "Tensor")
def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, out=None):
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints).  Integers and bools
    add up as int64 unless ``dtype`` says otherwise."""
    if out is not None:         # (out= spelled out here, not by accepts_out: sum is hot)
        return write_out(sum(input, dim, keepdim, dtype=dtype, axis=axis), out, "sum")
    if axis is not None:
        dim = axis
    x = input._array
    if dtype is not None:
        wanted = _dtype.to_dtype(dtype)
        if wanted.numpy.kind not in "fV" and input._requires_grad and _grad_state().enabled:
            raise RuntimeError("Autograd not support dtype: " + wanted.scalar_name)
        dtype = wanted.numpy
        cast = dtype != x.dtype
    if dim is None and not keepdim:
        if dtype is None:
            return Sum.apply(input)
        return (SumAs if cast else Sum).apply(input, dtype)
    dims = reduce_dims(dim, x.ndim)
    if dtype is None:
        return SumDim.apply(input, dims, keepdim)
    return (SumDimAs if cast else SumDim).apply(input, dims, keepdim, dtype)


@export("torch", "Tensor")
def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, out=None):
    """Average of all elements, or along ``dim``.  Needs a floating-point input (or ``dtype``)."""
    if out is not None:         # (out= spelled out here, not by accepts_out: mean is hot)
        return write_out(mean(input, dim, keepdim, dtype=dtype, axis=axis), out, "mean")
    if axis is not None:
        dim = axis
    x = input._array
    if dtype is None:
        if x.dtype.kind not in "fcV":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either "
                               "a floating point or complex dtype. Got: " +
                               input.dtype.scalar_name)
    else:
        dtype = _dtype.to_dtype(dtype)
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError("mean(): could not infer output dtype. Optional dtype must be "
                               "either a floating point or complex dtype. Got: " +
                               dtype.scalar_name)
        dtype = dtype.numpy
        if dtype == x.dtype:
            dtype = None
    if dim is None and not keepdim:
        return Mean.apply(input) if dtype is None else MeanAs.apply(input, dtype)
    dims = reduce_dims(dim, x.ndim)
    if dtype is None:
        return MeanDim.apply(input, dims, keepdim)
    return MeanDimAs.apply(input, dims, keepdim, dtype)


@export("Tensor")
def sum_to_size(input, *size):
    """Sums ``input`` down to ``size`` (which it must broadcast from)."""
    if len(size) == 1 and not isinstance(size[0], int):
        size = tuple(size[0])
    shape = input._array.shape
    if len(size) > len(shape) or builtins.any(
            s not in (n, 1) for s, n in zip(reversed(size), reversed(shape))):
        raise RuntimeError("size {{[{}]}} is not expandable to size {{[{}]}}.".format(
            ", ".join(map(str, size)), ", ".join(map(str, shape))))
    if shape == tuple(size):
        return input
    return SumToSize.apply(input, tuple(size))


# ---------------------------------------------------------------- sums that skip NaN


class Nansum(Op):
    """out = sum of the elements that are not NaN.   d(out)/dx_i = 1, or 0 where x_i is NaN."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return np.nansum(x, axis=dims, keepdims=keepdim, dtype=dtype or long_for_ints(x))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        xa = dual.data(x)
        g = expand_reduced(grad, xa.shape, ctx.dims, ctx.keepdim)
        with np.errstate(invalid="ignore"):
            return g * ~np.isnan(xa), None, None, None


@export("torch", "Tensor")
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum treating NaN as zero."""
    x = input._array
    return Nansum.apply(input, reduce_dims(dim, x.ndim), keepdim, np_dtype(dtype))


@export("torch", "Tensor")
@accepts_out
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean of the elements that are not NaN: ``nansum / (number of non-NaN elements)``, so
    the gradient comes through a division, as in torch (DivBackward0)."""
    x = input._array
    if x.dtype.kind not in "fV":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           "but got " + input.dtype.scalar_name)
    dims = reduce_dims(dim, x.ndim)
    counted = np.add.reduce(~np.isnan(x), axis=dims, keepdims=keepdim, dtype=np.int64)
    return nansum(input, dims, keepdim, dtype=dtype) / Tensor._make(np.asanyarray(counted))


# ---------------------------------------------------------------- product


class Prod(Op):
    """out = product of all elements.   d(out)/dx_i = product of all the other elements.

    That is out / x_i when nothing is zero.  Otherwise the product of the others is the
    product with the zeros replaced by ones, divided by x_i (by 1 for a zero itself), where no
    *other* element is zero, and 0 elsewhere.  A recorded backward pass (for higher
    derivatives) needs the product of the others as a differentiable function instead: the
    running product from the left times the one from the right."""

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dims = tuple(range(x.ndim))
        ctx.keepdim = False
        out = np.multiply.reduce(x, axis=None, dtype=dtype or long_for_ints(x))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return prod_grad(grad, x, out, ctx.dims, ctx.keepdim), None


class ProdDim(Prod):
    """out = products along ``dim`` (see Prod for the gradient)."""

    node_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, x, dim, keepdim, dtype):
        ctx.dims, ctx.keepdim = (dim,) if x.ndim else (), keepdim
        out = np.multiply.reduce(x, axis=ctx.dims, keepdims=keepdim,
                                 dtype=dtype or long_for_ints(x))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return prod_grad(grad, x, out, ctx.dims, ctx.keepdim), None, None, None


def prod_grad(grad, x, out, dims, keepdim):
    xa = dual.data(x)
    shape = xa.shape
    if not shape:                       # the product of one number is itself (also inf, nan)
        return grad
    g = expand_reduced(grad, shape, dims, keepdim)
    is_zero = xa == 0
    if not is_zero.any():
        if not keepdim:
            out = out.reshape(kept_shape(shape, dims))
        return g * out / x
    if dual.is_array(x):
        zeros = np.add.reduce(is_zero, axis=dims, keepdims=True)
        alone = (zeros - is_zero == 0).astype(xa.dtype)           # no zero among the others
        safe = x + is_zero.astype(xa.dtype)                        # zeros replaced by ones
        others = dual.prod_dims(safe, dims).reshape(kept_shape(shape, dims)) / safe
        return g * others * alone
    if len(dims) == 1:
        return g * product_of_others(x, dims[0])
    return g * product_of_others(x.reshape(-1), 0).reshape(shape)


def product_of_others(x, dim):
    """Element i: the product of all the elements but x_i along ``dim`` (a tensor), as the
    running product of those before i times the running product of those after it."""
    n = x.shape[dim]
    one = np.ones(kept_shape(x.shape, (dim,)), dtype=x.dtype.numpy)
    head = (slice(None),) * dim + (slice(0, n - 1),)
    before = dual.cat([one, x.cumprod(dim)[head]], dim)
    after = dual.flip(dual.cat([one, dual.flip(x, (dim,)).cumprod(dim)[head]], dim), (dim,))
    return before * after


@export("torch", "Tensor")
@accepts_out
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of all elements, or along one dimension ``dim``."""
    x = input._array
    if dim is None:
        return Prod.apply(input, np_dtype(dtype))
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError("prod() received an invalid combination of arguments - got ({}), but "
                        "expected one of:\n * (*, torch.dtype dtype = None)\n * (int dim, bool "
                        "keepdim = False, *, torch.dtype dtype = None)\n".format(
                            type(dim).__name__))
    return ProdDim.apply(input, wrap_dim(dim, x.ndim), keepdim, np_dtype(dtype))


# ---------------------------------------------------------------- logical reductions


def _logical(fn, input, dim, keepdim):
    x = input._array
    # unlike the other reductions, an empty list of dims reduces nothing here (as in torch)
    dims = () if isinstance(dim, (tuple, list)) and not dim else reduce_dims(dim, x.ndim)
    out = np.asanyarray(fn(x, axis=dims, keepdims=keepdim))
    if x.dtype == np.uint8:
        out = out.astype(np.uint8)
    return Tensor._make(out)


@export("torch", "Tensor")
@accepts_out
def all(input, dim=None, keepdim=False):
    """True if every element (along ``dim``) is non-zero."""
    return _logical(np.all, input, dim, keepdim)


@export("torch", "Tensor")
@accepts_out
def any(input, dim=None, keepdim=False):
    """True if some element (along ``dim``) is non-zero."""
    return _logical(np.any, input, dim, keepdim)


@export("Tensor", name="count_nonzero")
def count_nonzero_method(input, *dims, dim=None):
    """``x.count_nonzero(dim)``; the method also takes several dims one by one:
    ``x.count_nonzero(0, 1)``."""
    if len(dims) > 1 and dim is None:
        dim = dims
    elif dims:
        if dim is not None:
            raise TypeError("count_nonzero() got multiple values for argument 'dim'")
        dim = dims[0]
    return count_nonzero(input, dim)


@export("torch")
def count_nonzero(input, dim=None):
    """The number of non-zero elements (along ``dim``)."""
    x = input._array
    dims = reduce_dims(dim, x.ndim)
    return Tensor._make(np.asanyarray(np.count_nonzero(x, axis=dims), dtype=np.int64))
