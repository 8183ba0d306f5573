"""Scaling by a norm: ``F.normalize`` (every vector along ``dim`` to unit p-norm) and
``F.local_response_norm`` (every value divided by a power of the sum of squares of its
neighbouring channels, as in AlexNet).
"""
import math
import numpy as np
from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor, wrap_dim
from .distance import norm_grad, vector_norm
from ..._ops.core.registry import export
from ..._ops.core.half import rounded, widen


# ---------------------------------------------------------------- local response norm


def _window_matrix(channels, size, dtype):
    """B with B[c, j] = 1 when channel j is in the window of channel c: c - size//2 <= j <=
    c + (size-1)//2.  ``z @ B.T`` sums each channel's window; ``z @ B`` is its transpose."""
    c = np.arange(channels)
    offset = c[None, :] - c[:, None]
    return ((offset >= -(size // 2)) & (offset <= (size - 1) // 2)).astype(dtype)


class LocalResponseNorm(Op):
    """out = x / base ** beta,  base = k + alpha / size * (sum of x ** 2 over the window of
    ``size`` neighbouring channels).  Channel j appears in the windows of several channels c,
    so  dL/dx_j = g_j / base_j ** beta
                  - 2 * beta * alpha / size * x_j * sum_{c: j in window(c)} g_c * out_c / base_c.
    The window sums are products with a 0/1 band matrix over the channel axis.
    torch computes it with pooling and ends with a division, hence the name."""

    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        band = _window_matrix(x.shape[1], size, x.dtype)
        base = _lrn_base_of_array(x, size, alpha, k)
        out = rounded(widen(x) / widen(rounded(widen(base) ** beta, x.dtype)), x.dtype)
        ctx.save_for_backward(x)
        ctx.band, ctx.size, ctx.alpha, ctx.beta, ctx.k = band, size, alpha, beta, k
        ctx.base, ctx.out = base, out
        return out

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if dual.is_array(grad):
            band, base, out = ctx.band, ctx.base, ctx.out
        else:                   # recorded: tensors all through (matmul takes no arrays)
            band = Tensor._make(ctx.band)
            base = _lrn_base(x, band, ctx.size, ctx.alpha, ctx.k)
            out = x / base ** ctx.beta
        spread = ((grad * out / base).swapaxes(1, -1) @ band).swapaxes(1, -1)
        return (grad / base ** ctx.beta
                - x * spread * (2 * ctx.beta * ctx.alpha / ctx.size)), None, None, None, None


def _lrn_base_of_array(x, size, alpha, k):
    """``_lrn_base`` in torch's steps, each rounded to x's dtype: the mean of x ** 2 over each
    window (an average pooling that counts the zero padding), times alpha, plus k.  Sliding
    sums keep an inf from making nan of the neighbours outside its window, as 0 * inf in a
    product with the band matrix would."""
    t, channels = x.dtype, x.shape[1]
    squares = widen(rounded(widen(x) * widen(x), t))
    edge = np.zeros_like(squares[:, :1])
    padded = np.concatenate([edge] * (size // 2) + [squares] + [edge] * ((size - 1) // 2),
                            axis=1)
    total = padded[:, :channels].copy()
    for i in range(1, size):
        total += padded[:, i:i + channels]
    mean = widen(rounded(total / size, t))
    return rounded(widen(rounded(mean * alpha, t)) + k, t)


def _lrn_base(x, band, size, alpha, k):
    window_sums = ((x * x).swapaxes(1, -1) @ band.T).swapaxes(1, -1)
    return window_sums * (alpha / size) + k


@export("F")
def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalisation across channels (dim 1) of a 3-d or larger input:
    each element divided by ``(k + alpha * mean of x**2 over size neighbouring channels) ** beta``
    (channels beyond the edges count as zeros)."""
    dim = input._array.ndim
    if dim < 3:
        raise ValueError("Expected 3D or higher dimensionality                          input "
                         "(got {} dimensions)".format(dim))
    if input._array.size == 0:
        return input
    if dim > 3 and input._array.dtype == np.float16:     # torch pools 4-d and larger in 3-d
        raise _errors.not_implemented("avg_pool3d_out_frame", "Half")
    return LocalResponseNorm.apply(input, size, alpha, beta, k)


# ---------------------------------------------------------------- normalize


class Normalize(Op):
    """out = x / max(||x||_p, eps) along ``dim``.  With N = max(n, eps):
    dL/dx = g / N - sum(g * out) / N * dn/dx, the second term only where n >= eps (below it,
    the denominator is the constant eps).  torch ends with a division, hence the name."""

    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, x, p, dim, eps):
        stat_shape = x.shape[:dim] + (1,) + x.shape[dim + 1:] if x.ndim else ()
        w = widen(x)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            n = rounded(vector_norm(w, p, stat_shape), x.dtype)    # the norm in x's dtype
        denom = np.maximum(n, eps)
        ctx.save_for_backward(x)
        ctx.p, ctx.eps, ctx.stat_shape, ctx.n = p, eps, stat_shape, n
        return rounded(w / denom, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        p, eps, stat_shape = ctx.p, ctx.eps, ctx.stat_shape
        n = ctx.n if dual.is_array(grad) or p in (0, math.inf, -math.inf) else \
            vector_norm(x, p, stat_shape)
        denom = n + (eps - n) * (n < eps)
        along = dual.sum_to(grad * x, stat_shape) / (denom * denom) * (n >= eps)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return grad / denom - along * norm_grad(x, n, p, stat_shape), None, None, None


@export("F")
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input`` divided by its L_p norm along ``dim`` (at least ``eps``): unit vectors."""
    if input._array.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           "input. Got " + input.dtype.scalar_name)
    result = Normalize.apply(input, float(p), wrap_dim(dim, input._array.ndim), eps)
    if out is not None:
        from ..._ops.elementwise.inplace import copy_
        copy_(out, result)
        return out
    return result
