"""Products built from the basic ones: ``inner`` (sum over the last dimensions), ``addr``
(a matrix plus an outer product), ``addbmm`` (a matrix plus a sum of batched products),
``vander`` (the Vandermonde matrix of powers) and ``diagflat`` (a vector on a diagonal).

Each is composed of ``matmul``, ``outer``, ``bmm``, ``cumprod`` and ``diag``, which record their
own gradients."""
import numpy as np

from ... import _dtype
from ..core.common import Tensor
from ..core.registry import export
from ..core.out import accepts_out
from ..core.inplace import twin
from ..elementwise.clamping import where
from .contraction import diag
from .products import bmm, outer
from .affine import _check_expandable


def _scaled(input, product, beta, alpha):
    """``beta * input + alpha * product``, where beta == 0 ignores input (even nan), and
    alpha == 1 leaves the product as it is."""
    if alpha != 1:
        product = product * alpha
    if beta == 0:           # input's values are ignored (even nan); its gradient is zero
        ignored = Tensor._make(np.zeros(product._array.shape, np.bool_))
        return where(ignored, input, product)
    return (input if beta == 1 else input * beta) + product


@export("torch", "Tensor")
@accepts_out
def inner(input, other):
    """``sum_k input[..., k] * other[..., k]`` for every pair of leading indices (result shape
    ``input.shape[:-1] + other.shape[:-1]``); a plain product when either is a scalar."""
    if input._array.ndim == 0 or other._array.ndim == 0:
        return input * other
    k, j = input._array.shape[-1], other._array.shape[-1]
    if k != j:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got "
                           "shapes {} and {}".format(list(input.shape), list(other.shape)))
    a = input.reshape(-1, k)
    b = other.reshape(-1, k)
    return (a @ b.T).reshape(*(input._array.shape[:-1] + other._array.shape[:-1]))


@export("torch", "Tensor", inplace=twin())
@accepts_out
def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v._array.ndim != 1:
            raise RuntimeError("addr: Expected 1-D argument {}, but got {}-D".format(
                name, v._array.ndim))
    product = outer(vec1, vec2)
    _check_expandable(input._array, product._array.shape)
    return _scaled(input, product, beta, alpha)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * sum_b batch1[b] @ batch2[b]``."""
    _check_expandable(input._array, (batch1._array.shape[-2 if batch1._array.ndim > 2 else -1],
                                     batch2._array.shape[-1]))
    for name, b in (("batch1", batch1), ("batch2", batch2)):
        if b._array.ndim != 3:
            raise RuntimeError("{} must be a 3D tensor".format(name))
    product = bmm(batch1, batch2).sum(0)
    return _scaled(input, product, beta, alpha)


@export("torch")
def vander(x, N=None, increasing=False):
    """The matrix of powers of the 1-D ``x``: column j is ``x ** (N - 1 - j)`` (``increasing``:
    ``x ** j``); the powers are a running product, whose gradient the ``cumprod`` records."""
    if x._array.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x._array.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dtype = x.dtype if x.is_floating_point() else _dtype.int64
    x = x.to(dtype)
    if n == 0:
        return Tensor._make(np.empty((x._array.shape[0], 0), dtype.numpy))
    from ..shape.joining import cat
    ones = Tensor._make(np.ones((x._array.shape[0], 1), dtype.numpy))
    if n == 1:
        return ones
    powers = cat([ones, x.unsqueeze(1).expand(-1, n - 1)], 1).cumprod(1)
    return powers if increasing else powers.flip(1)


@export("torch", "Tensor")
def diagflat(input, offset=0):
    """The flattened ``input`` placed on diagonal ``offset`` of a square zero matrix."""
    return diag(input.flatten(), offset)
