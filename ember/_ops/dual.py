"""Functions for writing backward formulas once, for both kinds of backward pass.

A backward formula receives NumPy arrays in the usual first-order pass (fast: no graph is
built), and ember tensors when the backward pass itself is recorded (``create_graph=True``, for
higher derivatives).  Operators (``+ - * / ** @``), ``.T``, ``.reshape``, ``.swapaxes``,
indexing and comparisons mean the same on both.  For everything else a formula calls the
function of the same name here, which picks NumPy's or ember's version by the argument's type.
"""
import numpy as np

from .common import Tensor, sum_to_shape


def is_array(x):
    """True for NumPy arrays and scalars (the first-order pass), False for tensors."""
    return not isinstance(x, Tensor)


def expand(g, shape):
    """``g`` broadcast to ``shape`` (the gradient of a sum)."""
    if not isinstance(g, Tensor):
        if g.ndim == 0:                      # the common case (a full sum): fill
            out = np.empty(shape, g.dtype)
            out.fill(g)
            return out
        return np.broadcast_to(g, shape)
    return g.expand(shape)


def sum_to(g, shape):
    """``g`` summed down to ``shape`` (the gradient of broadcasting)."""
    if not isinstance(g, Tensor):
        return sum_to_shape(np.asarray(g), tuple(shape))
    return g.sum_to_size(shape)


def permute(g, dims):
    """``g`` with its dimensions reordered."""
    return g.permute(*dims) if isinstance(g, Tensor) else np.transpose(g, dims)


def outer(a, b):
    """The outer product of two vectors."""
    return a.outer(b) if isinstance(a, Tensor) else np.outer(a, b)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from .pointwise import where as ember_where
        return ember_where(condition, a, b)
    if isinstance(condition, Tensor):
        condition = condition._array
    return np.where(condition, a, b)


def clone(g):
    """A copy of ``g`` that may be written to."""
    return g.clone() if isinstance(g, Tensor) else np.array(g)


def zeros(shape, like):
    """Zeros of ``shape`` with the dtype (and kind: array or tensor) of ``like``."""
    if isinstance(like, Tensor):
        return like.new_zeros(shape)
    return np.zeros(shape, dtype=like.dtype)


def _unary(name, np_fn):
    def fn(x):
        return getattr(x, name)() if isinstance(x, Tensor) else np_fn(x)
    fn.__name__ = name
    fn.__doc__ = "``{}`` of an array or a tensor.".format(name)
    return fn


sign = _unary("sign", np.sign)
floor = _unary("floor", np.floor)
trunc = _unary("trunc", np.trunc)
log = _unary("log", np.log)
exp = _unary("exp", np.exp)
sqrt = _unary("sqrt", np.sqrt)
abs = _unary("abs", np.abs)
cos = _unary("cos", np.cos)
sin = _unary("sin", np.sin)


def index_grad(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the gradient of ``x[index]``."""
    from .indexing import index_grad as _index_grad
    return _index_grad(grad, shape, index)
