"""Norms: the vector p-norm (``norm``, ``linalg.vector_norm``) and matrix norms
(``linalg.matrix_norm``).

For p >= 1 the gradient of (sum |x_i|^p)^(1/p) is sign(x_i) |x_i|^(p-1) / norm^(p-1): for the
2-norm simply x / norm, for the 1-norm sign(x).  The inf-norm is a maximum of |x|, so like
``amax`` it shares its gradient among the tied elements.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from ..core.common import wrap_dim
from ..core.operands import finish
from .reduce import expand_reduced, kept_shape, reduce_dims, shared_among_ties
from .extremes import amax, amin
from ..core.registry import export


class LinalgVectorNorm(Op):
    """out = (sum |x_i|^p)^(1/p) along ``dims``; p = inf / -inf: the largest / smallest |x_i|;
    p = 0: the number of non-zero elements.

    d(out)/dx_i = sign(x_i) |x_i|^(p-1) / out^(p-1): x_i / out for p = 2, sign(x_i) for p = 1,
    sign(x_i) shared among the ties for p = +-inf, nothing for p = 0.  Where that divides by a
    zero norm (or raises a zero to a negative power), the gradient is 0, as in torch."""

    @staticmethod
    def forward(ctx, x, ord, dims, keepdim, dtype):
        if dtype is not None:
            a = x.astype(dtype)
        else:
            a = x.astype(np.float32) if x.dtype == np.float16 else x
        with np.errstate(divide="ignore", over="ignore"):
            if ord == 2:
                out = np.sqrt(np.add.reduce(a * a, axis=dims, keepdims=keepdim))
            elif ord == 1:
                out = np.add.reduce(np.abs(a), axis=dims, keepdims=keepdim)
            elif ord == np.inf:
                out = np.maximum.reduce(np.abs(a), axis=dims, keepdims=keepdim)
            elif ord == -np.inf:
                out = np.minimum.reduce(np.abs(a), axis=dims, keepdims=keepdim)
            elif ord == 0:
                out = np.add.reduce(a != 0, axis=dims, keepdims=keepdim, dtype=a.dtype)
            else:
                out = np.add.reduce(np.abs(a) ** ord, axis=dims, keepdims=keepdim) ** (1 / ord)
        out = out.astype(dtype or x.dtype, copy=False)
        ctx.ord, ctx.dims, ctx.keepdim = ord, dims, keepdim
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        p, dims = ctx.ord, ctx.dims
        if p == 0:
            return None, None, None, None, None
        x, out = ctx.saved_tensors
        xa = dual.data(x)
        shape = xa.shape
        if p == np.inf or p == -np.inf:
            return (shared_among_ties(grad, dual.abs(x), out, shape, dims, ctx.keepdim) *
                    dual.sign(x), None, None, None, None)
        g = expand_reduced(grad, shape, dims, ctx.keepdim)
        if p == 1:
            return g * dual.sign(x), None, None, None, None
        if not ctx.keepdim:
            out = out.reshape(kept_shape(shape, dims))
        zero_norm = dual.data(out) == 0
        if zero_norm.any():                     # divide by 1 there, then zero the result
            out = out + zero_norm.astype(xa.dtype)
            g = g * ~zero_norm
        if p == 2:
            return g * x / out, None, None, None, None
        if p < 1:
            zero = xa == 0
            scaled = dual.sign(x) * (dual.abs(x) + zero.astype(xa.dtype)) ** (p - 1) * ~zero
        else:
            scaled = dual.sign(x) * dual.abs(x) ** (p - 1)
        return g * scaled / out ** (p - 1), None, None, None, None


def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector p-norm of ``input`` (flattened, or along ``dim``): what ``norm`` and
    ``ember.linalg.vector_norm`` compute."""
    x = input._array
    if x.dtype.kind not in "fV":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           "input. Got " + input.dtype.scalar_name)
    if dtype is not None:
        target = _dtype.to_dtype(dtype)
        if _dtype.promote_types(input.dtype, target) is not target:
            raise RuntimeError("linalg.vector_norm: the dtype of the input ({}) should be "
                               "convertible without narrowing to the specified dtype ({})".format(
                                   input.dtype.scalar_name, target.scalar_name))
        dtype = None if target.numpy == x.dtype else target.numpy
    dims = reduce_dims(dim, x.ndim)
    ord = float(ord)
    if np.isinf(ord) and x.size == 0:
        name = "inf" if ord > 0 else "-inf"
        if len(dims) == x.ndim:
            raise RuntimeError("linalg.vector_norm cannot compute the {} norm on an empty tensor "
                               "because the operation does not have an identity".format(name))
        for d in dims:
            if x.shape[d] == 0:
                raise RuntimeError("linalg.vector_norm cannot compute the {} norm on the "
                                   "dimension {}because this dimension is empty and the "
                                   "operation does not have an identity".format(name, d))
    return LinalgVectorNorm.apply(input, ord, dims, keepdim, dtype)


@export("torch")
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """The vector p-norm (``p`` a number; 'fro' is the 2-norm) of all elements or along
    ``dim``; ``p='nuc'`` is the nuclear norm of matrices."""
    if isinstance(p, str):
        few = dim is None or isinstance(dim, (int, np.integer)) or len(dim) <= 2
        if p == "fro" and few:
            result = vector_norm(input, 2, dim, keepdim, dtype=dtype)
        else:
            result = matrix_norm(input, p, tuple(range(input._array.ndim)) if dim is None
                                 else dim, keepdim, dtype=dtype)
    else:
        result = vector_norm(input, 2 if p is None else p, dim, keepdim, dtype=dtype)
    return finish(result, out, "norm")


@export("Tensor", name="norm")
def norm_of(self, p="fro", dim=None, keepdim=False, dtype=None):
    """``x.norm(p, dim, keepdim, dtype)``: ``torch.norm`` without ``out``."""
    return norm(self, p, dim, keepdim, dtype=dtype)


norm_of.__name__, norm_of.__qualname__ = "norm", "Tensor.norm"       # as torch words errors


def matrix_norm(input, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """A matrix norm over the two dimensions ``dim``: 'fro' (the 2-norm of all entries),
    1 / -1 (the largest / smallest column sum of absolute values), inf / -inf (row sums),
    'nuc' / 2 / -2 (the sum / the largest / the smallest of the singular values)."""
    x = input._array
    if isinstance(ord, str) and ord not in ("fro", "nuc") or not isinstance(ord, str) and \
            ord not in (1, -1, 2, -2, np.inf, -np.inf):
        raise RuntimeError("linalg.matrix_norm: Order {} not supported.".format(ord))
    if x.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    dim = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if len(dim) != 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got " +
                           " ".join(str(d) for d in dim))
    _check_matrix_norm(input, dim, dtype)
    if ord == "fro":
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if ord in ("nuc", 2, -2):
        from ..linalg.svd import singular_value_norm      # (linalg is a layer above)
        return singular_value_norm(input, ord, dim, keepdim, dtype)
    rows, cols = (wrap_dim(d, x.ndim) for d in dim)
    along, across = (rows, cols) if abs(ord) == 1 else (cols, rows)
    sums = vector_norm(input, 1, along, keepdim, dtype=dtype)    # column (or row) sums of |A|
    if not keepdim and across > along:
        across -= 1
    return (amax if ord > 0 else amin)(sums, across, keepdim)


def _check_matrix_norm(input, dim, dtype):
    """torch's checks of a matrix norm's input, dimensions and dtype."""
    if input._array.dtype.kind != "f":
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           "input. Got " + input.dtype.scalar_name)
    if wrap_dim(dim[0], input._array.ndim) == wrap_dim(dim[1], input._array.ndim):
        raise RuntimeError("linalg.matrix_norm: dims must be different. Got ({}, {})".format(
            *dim))
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError("linalg.matrix_norm: dtype should be floating point or complex, but "
                           "got " + dtype.scalar_name)
