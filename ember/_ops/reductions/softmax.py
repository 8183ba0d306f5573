"""Softmax and log_softmax over a dimension (numerically stable).

softmax(x)_i = exp(x_i) / sum_j exp(x_j).  Subtracting the row maximum m first changes nothing
mathematically (the factor exp(-m) cancels) but keeps every exp() at most 1, so large inputs
cannot overflow.  log_softmax(x)_i = x_i - m - log(sum_j exp(x_j - m)) is computed directly
rather than as log(softmax(x)), which would give -inf where softmax underflows to 0.

Gradients, with s = softmax(x) and g the incoming gradient:

* softmax:     dx = s * (g - sum(g * s))          (the Jacobian is diag(s) - s s^T)
* log_softmax: dx = g - s * sum(g)
"""
import warnings

import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, wrap_dim
from ..core.registry import export


def _shifted(x, dim):
    """x minus its maximum along ``dim``: every entry <= 0 (half precision works in float32)."""
    if x.dtype.kind not in "fV":                   # only when empty: nothing to compute
        return x.astype(np.float64)
    if x.dtype == np.float16:
        x = x.astype(np.float32)
    return x - np.maximum.reduce(x, axis=dim, keepdims=True, initial=-np.inf)


def _sum_keep(g, dim):
    if dual.is_array(g):
        if g.ndim == 2 and dim == 1:
            return _row_sum(g)
        return np.add.reduce(g, axis=dim, keepdims=True)
    return g.sum(dim, keepdim=True)


# The (N, C) case -- a batch of class scores, as cross_entropy sees them -- is the common one,
# and NumPy's reductions along a short last axis pay some overhead per row.  These two do the
# same with whole-column operations, several times faster for a handful of classes.

def _row_max(x):
    """Each row's maximum (axis 1 of a matrix), kept as a column."""
    classes = x.shape[1]
    if 1 < classes <= 8:
        m = np.maximum(x[:, 0], x[:, 1])
        for j in range(2, classes):
            np.maximum(m, x[:, j], out=m)
        return m[:, None]
    return np.maximum.reduce(x, axis=1, keepdims=True)


def _row_sum(x):
    """Each row's sum, kept as a column: a product with a vector of ones (BLAS)."""
    return np.dot(x, np.ones((x.shape[1], 1), x.dtype))


class Softmax(Op):
    """out = exp(x - m) / sum(exp(x - m)) along ``dim``.   dx = out * (g - sum(g * out))."""

    @staticmethod
    def forward(ctx, x, dim):
        e = np.exp(_shifted(x, dim))
        e /= np.add.reduce(e, axis=dim, keepdims=True)
        out = e.astype(x.dtype, copy=False)
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return out * (grad - _sum_keep(grad * out, ctx.dim)), None


class LogSoftmax(Op):
    """out = x - m - log(sum(exp(x - m))) along ``dim``.   dx = g - exp(out) * sum(g)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, dim):
        if x.ndim == 2 and dim == 1 and x.shape[1] and x.dtype.kind in "fV" and x.itemsize > 2:
            shifted = x - _row_max(x)                  # the (N, C) case, kept fast
            total = _row_sum(np.exp(shifted))
        else:
            shifted = _shifted(x, dim)
            total = np.add.reduce(np.exp(shifted), axis=dim, keepdims=True)
        shifted -= np.log(total)
        out = shifted.astype(x.dtype, copy=False)
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad - dual.exp(out) * _sum_keep(grad, ctx.dim), None


def _implicit_dim(name, ndim, stacklevel):
    """torch's old rule when ``dim`` is left out (with a deprecation warning)."""
    warnings.warn("Implicit dimension choice for {} has been deprecated. Change the call to "
                  "include dim=X as an argument.".format(name), UserWarning,
                  stacklevel=stacklevel + 1)
    return 0 if ndim in (0, 1, 3) else 1


def _apply(op, name, input, dim, stacklevel, dtype, label=None):
    if isinstance(stacklevel, _dtype.dtype):      # torch.softmax(x, dim, dtype) positionally
        dtype = stacklevel
    if dtype is not None:
        input = input.to(_dtype.to_dtype(dtype))
    x = input._array
    ndim = x.ndim
    if dim is None:
        dim = _implicit_dim(label or name, ndim, stacklevel if type(stacklevel) is int else 3)
    elif not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError("{}(): argument 'dim' (position 1) must be int, not {}".format(
            name, type(dim).__name__))
    dim = wrap_dim(dim, ndim)
    if x.dtype.kind not in "fV" and x.size:
        kernel = "lastdim_kernel_impl" if dim >= ndim - 1 else "kernel_impl"
        raise NotImplementedError("\"{}_{}\" not implemented for '{}'".format(
            name, kernel, input.dtype.scalar_name))
    return op.apply(input, dim if ndim else None)


@export("F")
def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim``: each slice becomes a probability distribution.
    With ``dtype`` the input is converted first (to compute in float64, say).

    This is also ``F.softmax``: without ``dim`` torch's old rule picks one, with a warning
    (dim 0 for 0-, 1- and 3-d input, else dim 1)."""
    return _apply(Softmax, "softmax", input, dim, _stacklevel, dtype)


@export("F")
def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably in one step (also ``F.log_softmax``)."""
    return _apply(LogSoftmax, "log_softmax", input, dim, _stacklevel, dtype)


@export("torch", "Tensor", "special", name="softmax")
def softmax_of(input, dim, dtype=None):
    """``torch.softmax`` and ``x.softmax``: ``F.softmax`` with ``dim`` required."""
    return softmax(input, dim, dtype=dtype)


@export("torch", "Tensor", "special", name="log_softmax")
def log_softmax_of(input, dim, dtype=None):
    """``torch.log_softmax`` and ``x.log_softmax``: ``F.log_softmax`` with ``dim`` required."""
    return log_softmax(input, dim, dtype=dtype)


softmax_of.__name__ = softmax_of.__qualname__ = "softmax"             # as torch's errors say
log_softmax_of.__name__ = log_softmax_of.__qualname__ = "log_softmax"


@export("F")
def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """``F.softmin``: softmax(-x) along ``dim``; small values get large probabilities."""
    if dtype is not None:
        input = input.to(_dtype.to_dtype(dtype))
    return _apply(Softmax, "softmax", -input, dim, _stacklevel, None, "softmin")


@export("F")
def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """``F.gumbel_softmax``: a differentiable sample from the categorical distribution of
    ``logits``: softmax((logits + g) / tau) with g ~ Gumbel(0, 1).  With ``hard``, the one-hot
    of the largest entry, with the soft sample's gradient (the straight-through estimator)."""
    from ..creation import draws, mt19937
    x = logits._array
    noise = draws.exponential(mt19937.default_generator, x.size, 1.0).astype(x.dtype)
    gumbels = -np.log(noise.reshape(x.shape))
    y_soft = softmax((logits + Tensor._make(gumbels)) / tau, dim)
    if not hard:
        return y_soft
    dim = wrap_dim(dim, x.ndim)
    index = np.argmax(y_soft._array, axis=dim, keepdims=True)
    y_hard = np.zeros_like(y_soft._array)
    np.put_along_axis(y_hard, index, 1.0, axis=dim)
    return Tensor._make(y_hard) - y_soft.detach() + y_soft


