"""Matrix products: ``matmul`` (``@``), ``mm``, ``mv``, ``dot``, ``addmm``.

For C = A @ B the chain rule gives dL/dA = dL/dC @ B^T and dL/dB = A^T @ dL/dC: each input's
gradient is the output gradient multiplied by the *other* input, transposed.  The products run
in NumPy's BLAS.
"""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = ["matmul", "mm", "mv", "dot", "addmm"]

# The C++ type names torch prints in dtype errors ("float != double").
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _check_same_dtype(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: {} != {}".format(
            _C_NAMES[a.dtype.name], _C_NAMES[b.dtype.name]))


def _check_mm_shapes(a, b):
    if a.shape[1] != b.shape[0]:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})".format(
            a.shape[0], a.shape[1], b.shape[0], b.shape[1]))


class Mm(Op):
    """C = A @ B (matrices).   dA = dC @ B^T,  dB = A^T @ dC."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad @ b.T if needs[0] else None), (a.T @ grad if needs[1] else None)


class Mv(Op):
    """y = A @ x (matrix times vector).   dA = outer(dy, x),  dx = A^T @ dy."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a, x):
        ctx.save_for_backward(a, x)
        return a @ x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (dual.outer(grad, x) if needs[0] else None), (a.T @ grad if needs[1] else None)


class Dot(Op):
    """s = x . y (vectors).   dx = ds * y,  dy = ds * x."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.dot(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * y if needs[0] else None), (grad * x if needs[1] else None)


class Addmm(Op):
    """out = beta * M + alpha * (A @ B), M broadcast (``nn.Linear``: bias + x @ W^T).
    dM = beta * dout (summed to M's shape),  dA = alpha * dout @ B^T,  dB = alpha * A^T @ dout."""

    @staticmethod
    def forward(ctx, m, a, b, beta, alpha):
        ctx.save_for_backward(a, b)
        ctx.beta, ctx.alpha = beta, alpha
        out = a @ b
        if alpha != 1:
            out *= alpha
        if beta == 1:
            out += m                       # in place on the fresh product: no extra array
        elif beta != 0:
            out += beta * m
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        if ctx.alpha != 1:
            grad_ab = grad * ctx.alpha
        else:
            grad_ab = grad
        grad_m = (grad if ctx.beta == 1 else grad * ctx.beta) if needs[0] else None
        return (grad_m, grad_ab @ b.T if needs[1] else None,
                a.T @ grad_ab if needs[2] else None, None, None)


class Bmm(Op):
    """C[i] = A[i] @ B[i] for a batch (broadcast over leading dimensions).
    dA = dC @ B^T,  dB = A^T @ dC, each summed over broadcast batch dimensions."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return ((grad @ b.swapaxes(-2, -1)) if needs[0] else None,
                (a.swapaxes(-2, -1) @ grad) if needs[1] else None)


class Matmul(Bmm):
    """Batched matmul with broadcasting (torch reshapes into bmm and shows UnsafeViewBackward0)."""

    node_name = "UnsafeViewBackward0"


def mm(input, mat2, *, out=None):
    """Matrix product of two 2-d tensors."""
    a, b = input._array, mat2._array
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm_shapes(a, b)
    _check_same_dtype(a, b)
    return Mm.apply(input, mat2)


def mv(input, vec):
    """Product of a matrix and a vector."""
    a, x = input._array, vec._array
    if a.ndim != 2 or x.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got {}, {}, {}".format(1, a.ndim,
                                                                                      x.ndim))
    if a.shape[1] != x.shape[0]:
        raise RuntimeError("size mismatch, got input ({}), mat ({}x{}), vec ({})".format(
            a.shape[0], a.shape[0], a.shape[1], x.shape[0]))
    _check_same_dtype(a, x)
    return Mv.apply(input, vec)


def dot(input, tensor):
    """Inner product of two 1-d tensors."""
    x, y = input._array, tensor._array
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError("1D tensors expected, but got {}D and {}D tensors".format(x.ndim, y.ndim))
    if x.shape[0] != y.shape[0]:
        raise RuntimeError("inconsistent tensor size, expected tensor [{}] and src [{}] to have "
                           "the same number of elements, but got {} and {} elements respectively"
                           .format(x.shape[0], y.shape[0], x.shape[0], y.shape[0]))
    if x.dtype is not y.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found {} and {}"
                           .format(input.dtype.scalar_name, tensor.dtype.scalar_name))
    return Dot.apply(input, tensor)


def matmul(input, other, *, out=None):
    """Matrix product with NumPy's rules: vectors, matrices and broadcast batches."""
    if not isinstance(other, Tensor):
        raise TypeError("matmul(): argument 'other' (position 1) must be Tensor, not "
                        + type(other).__name__)
    a, b = input._array, other._array
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are {}D and "
                           "{}D".format(da, db))
    if da == 2 and db == 2:
        return mm(input, other)
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        return mm(input.unsqueeze(0), other).squeeze(0)
    if a.dtype is not b.dtype:
        _check_same_dtype(a, b)
    ka = a.shape[-1]
    kb = b.shape[-2] if db > 1 else b.shape[0]
    if ka != kb:
        rows = int(np.prod(a.shape[:-1]))
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})".format(
            rows, ka, kb, b.shape[-1] if db > 1 else 1))
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: [{}, {}] "
                           "but got: [{}, {}].".format(a.shape[0], ka, b.shape[0], kb)) from None
    if db == 1:
        return Matmul.apply(input, other.unsqueeze(-1)).squeeze(-1)
    if da == 1:
        return Matmul.apply(input.unsqueeze(0), other).squeeze(-2)
    return Matmul.apply(input, other)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)`` in one node (what ``nn.Linear`` uses)."""
    a, b = mat1._array, mat2._array
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got {}-D tensor".format(a.ndim) if a.ndim != 2
                           else "mat2 must be a matrix, got {}-D tensor".format(b.ndim))
    _check_mm_shapes(a, b)
    if a.dtype is not b.dtype or input._array.dtype is not a.dtype:
        raise RuntimeError("mat1 and mat2 must have the same dtype, but got {} and {}".format(
            mat1.dtype.scalar_name, mat2.dtype.scalar_name) if a.dtype is not b.dtype else
            "self and mat2 must have the same dtype, but got {} and {}".format(
                input.dtype.scalar_name, mat2.dtype.scalar_name))
    return Addmm.apply(input, mat1, mat2, beta, alpha)



def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: what ``nn.Linear`` computes.  A 2-d input with a bias is one
    ``addmm`` node (AddmmBackward0), as in torch."""
    w = weight._array
    x = input._array
    if x.ndim >= 1 and w.ndim == 2 and x.shape[-1] != w.shape[1]:
        rows = int(np.prod(x.shape[:-1])) if x.ndim > 1 else 1
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})".format(
            rows, x.shape[-1], w.shape[1], w.shape[0]))
    if x.dtype is not w.dtype:
        raise RuntimeError("mat1 and mat2 must have the same dtype, but got {} and {}".format(
            input.dtype.scalar_name, weight.dtype.scalar_name))
    if x.ndim == 2 and bias is not None:
        return Addmm.apply(bias, input, weight.t(), 1, 1)
    out = matmul(input, weight.t())
    return out if bias is None else out + bias


METHODS = ("matmul", "mm", "mv", "dot", "addmm")

FUNCTIONAL = ("linear",)
