"""Functions for writing backward formulas once, for both kinds of backward pass.

A backward formula receives NumPy arrays in the usual first-order pass (fast: no graph is
built), and ember tensors when the backward pass itself is recorded (``create_graph=True``, for
higher derivatives).  Operators (``+ - * / ** @``), ``.T``, ``.reshape``, ``.swapaxes``,
indexing and comparisons mean the same on both.  For everything else a formula calls the
function of the same name here, which picks NumPy's or ember's version by the argument's type.
``times_step`` records its product on tensors as an op of its own, ``StepGrad``, whose
derivative in x is 0: the second derivative of a piecewise-linear function.
"""
import numpy as np

from ...autograd.op import Op
from .common import Tensor, sum_to_shape


def is_array(x):
    """True for NumPy arrays and scalars (the first-order pass), False for tensors."""
    return not isinstance(x, Tensor)


def is_complex(x):
    """Whether an array or a tensor holds complex numbers."""
    return x.is_complex() if isinstance(x, Tensor) else x.dtype.kind == "c"


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
        return sum_to_shape(np.asanyarray(g), tuple(shape))
    return g.sum_to_size(shape)


def permute(g, dims):
    """``g`` with its dimensions reordered."""
    return g.permute(*dims) if isinstance(g, Tensor) else np.transpose(g, dims)


def mm(a, b):
    """The product of two matrices.  On arrays the method ``a.dot(b)``: for 2-d arrays the
    same product as ``a @ b``, at half the overhead (it matters for a course's small
    matrices)."""
    if isinstance(a, Tensor):
        return a @ b
    return a.dot(b)


def outer(a, b):
    """The outer product of two vectors."""
    return a.outer(b) if isinstance(a, Tensor) else np.outer(a, b)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from ..elementwise.clamping import where as ember_where
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


def _sign(x):
    """torch's sign of an array: -1, 0 or 1, and 0 for NaN (NumPy's is NaN), so that the
    gradients built on it (|x|, L1 losses, 1-norms) are 0 at NaN, as torch's are."""
    s = np.sign(x)
    if s.dtype.kind in "fV" and np.isnan(s).any():
        s = np.where(np.isnan(s), s.dtype.type(0), s)
    return s


sign = _unary("sign", _sign)
sgn = _unary("sgn", _sign)
conj = _unary("conj_physical", np.conjugate)          # z / |z| for complex z (NumPy's sign of a complex number)
floor = _unary("floor", np.floor)
trunc = _unary("trunc", np.trunc)
log = _unary("log", np.log)
exp = _unary("exp", np.exp)
sqrt = _unary("sqrt", np.sqrt)
abs = _unary("abs", np.abs)
cos = _unary("cos", np.cos)
sin = _unary("sin", np.sin)
cosh = _unary("cosh", np.cosh)
sinh = _unary("sinh", np.sinh)
tanh = _unary("tanh", np.tanh)
log1p = _unary("log1p", np.log1p)
isfinite = _unary("isfinite", np.isfinite)


def index_grad(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the gradient of ``x[index]``."""
    from ..indexing.reading import index_grad as _index_grad
    return _index_grad(grad, shape, index)


def sum_dims(g, dims):
    """``g`` summed over the dimensions ``dims`` (which disappear)."""
    return g.sum(dims) if isinstance(g, Tensor) else np.add.reduce(g, axis=dims)


def cat(gs, dim):
    """The pieces ``gs`` joined along ``dim`` (the gradient of splitting)."""
    if any(isinstance(g, Tensor) for g in gs):
        from ..shape.joining import cat as ember_cat
        return ember_cat([g if isinstance(g, Tensor) else Tensor._make(np.asanyarray(g))
                          for g in gs], dim)
    return np.concatenate(gs, axis=dim)


def stack(gs, dim):
    """The pieces ``gs`` joined along a new dimension ``dim`` (the gradient of unbinding)."""
    if any(isinstance(g, Tensor) for g in gs):
        from ..shape.joining import stack as ember_stack
        return ember_stack([g if isinstance(g, Tensor) else Tensor._make(np.asanyarray(g))
                            for g in gs], dim)
    return np.stack(gs, axis=dim)


def flip(g, dims):
    """``g`` with the element order reversed along ``dims``."""
    return g.flip(dims) if isinstance(g, Tensor) else np.flip(g, dims)


def roll(g, shifts, dims):
    """``g`` shifted cyclically by ``shifts`` along ``dims``."""
    return g.roll(shifts, dims) if isinstance(g, Tensor) else np.roll(g, shifts, dims)


def data(x):
    """The NumPy array of an array or a tensor, for constants of a formula (masks, counts) that
    are never differentiated."""
    return x._array if isinstance(x, Tensor) else np.asanyarray(x)


def prod_dims(g, dims):
    """``g`` multiplied out over the dimensions ``dims`` (which disappear)."""
    if not isinstance(g, Tensor):
        return np.multiply.reduce(g, axis=dims)
    for d in sorted(dims, reverse=True):
        g = g.prod(d)
    return g


def cumsum(g, dim):
    """Running sums of ``g`` along ``dim``."""
    return g.cumsum(dim) if isinstance(g, Tensor) else np.cumsum(g, axis=dim)


def cumprod(g, dim):
    """Running products of ``g`` along ``dim``."""
    return g.cumprod(dim) if isinstance(g, Tensor) else np.cumprod(g, axis=dim)


def scatter_along(g, shape, indices, dim, accumulate=False):
    """Zeros of ``shape`` with ``g`` put at ``indices`` along ``dim`` (added up where indices
    repeat, with ``accumulate``): the gradient of picking ``take_along_dim(x, indices, dim)``."""
    if not isinstance(g, Tensor) and not accumulate:
        out = np.zeros(shape, dtype=g.dtype)
        np.put_along_axis(out, indices, g, dim)
        return out
    index = list(np.ix_(*[np.arange(n) for n in indices.shape]))
    index[dim] = indices
    return index_grad(g, shape, tuple(index))


def sigmoid(x):
    """``1 / (1 + exp(-x))`` of an array or a tensor."""
    return x.sigmoid() if isinstance(x, Tensor) else 1 / (1 + np.exp(-x))


def erf(x):
    """The error function of an array or a tensor."""
    if isinstance(x, Tensor):
        return x.erf()
    from ..elementwise.error_function import erf_array
    return erf_array(np.asanyarray(x, dtype=np.float64), x.dtype.itemsize).astype(x.dtype,
                                                                             copy=False)


def floor_divide(a, b):
    """``a / b`` rounded down, as ``torch.div(a, b, rounding_mode='floor')`` (a constant: its
    derivative is 0)."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from ..elementwise.division import div
        return div(a, b, rounding_mode="floor")
    return np.floor_divide(a, b)


def einsum(equation, *operands):
    """``einsum`` of arrays, or of tensors when any operand is one (the others are constants).
    NumPy's optimiser (BLAS, a good contraction order) pays off only for larger operands."""
    if any(isinstance(o, Tensor) for o in operands):
        from ..linalg.einsum import einsum as ember_einsum
        return ember_einsum(equation, *[o if isinstance(o, Tensor) else Tensor._make(np.asanyarray(o))
                                        for o in operands])
    total = 0
    for o in operands:
        total += np.size(o)
    return np.einsum(equation, *operands, optimize=total > 1000)


def type_as(x, other):
    """``x`` converted to the dtype of ``other`` (an integer operand joins a float formula)."""
    if isinstance(x, Tensor):
        return x.type_as(other)
    return x.astype(other.dtype, copy=False)


def times_step(grad, slope, x):
    """``grad * slope``, where ``slope`` is a step function of ``x`` (0 or 1 for relu, the slope
    of each piece for leaky_relu): the gradient of a piecewise-linear function.  On tensors the
    product stays connected to ``x`` with derivative 0, so that its second derivative is 0
    rather than an error, as in torch."""
    if not isinstance(grad, Tensor) and not isinstance(x, Tensor):
        return np.multiply(grad, slope, dtype=grad.dtype)
    return StepGrad.apply(grad, x, slope)


class StepGrad(Op):
    """out = grad * slope, the gradient of a piecewise-linear function of x, whose slope is a
    step function of x (see ``times_step``).   d/dgrad = slope,  d/dx = 0."""

    @staticmethod
    def forward(ctx, grad, x, slope):
        ctx.slope = slope
        ctx.x_shape = x.shape
        return np.multiply(grad, slope, dtype=grad.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.slope, zeros(ctx.x_shape, grad), None
