"""Products plus a tensor: ``addmm``, ``addmv``, ``baddbmm`` (``beta * input + alpha * A @ B``)
and the layers built on them, ``F.linear`` (``x @ W^T + b``) and ``F.bilinear``.

The gradients are those of the products (products.py), scaled by ``alpha``, and ``beta``
times the incoming gradient for ``input``, summed down to its shape where it was broadcast.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..core import dual
from ..core.registry import export
from ..core.out import accepts_out
from ..core.inplace import twin
from .products import _C_NAMES, _check_bmm, _check_mm_shapes, _check_mv, _check_not_bool, matmul


# ---------------------------------------------------------------- products plus a tensor


class Addmm(Op):
    """out = beta * M + alpha * (A @ B), M broadcast (``nn.Linear``: bias + x @ W^T).
    dM = beta * dout (summed to M's shape),  dA = alpha * dout @ B^T,  dB = alpha * A^T @ dout."""

    @staticmethod
    def forward(ctx, m, a, b, beta, alpha):
        ctx.save_for_backward(a, b)
        out = a @ b
        if out.dtype.kind in "iu":         # torch converts the factors to the integer type
            beta, alpha = int(beta), int(alpha)
        ctx.beta, ctx.alpha = beta, alpha
        if alpha == 0:                     # the product is left out (inf * 0 gives no NaN)
            out[...] = 0
        elif alpha != 1:
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
        grad_ab = grad * ctx.alpha if ctx.alpha != 1 else grad
        grad_m = (grad if ctx.beta == 1 else grad * ctx.beta) if needs[0] else None
        # (grad^T A)^T rather than A^T grad: the same numbers, laid out so that nn.Linear's
        # weight (passed as W^T) gets a contiguous gradient that is kept without a copy
        return (grad_m, grad_ab @ b.T if needs[1] else None,
                (grad_ab.T @ a).T if needs[2] else None, None, None)


class Addmv(Addmm):
    """out = beta * v + alpha * (A @ x).   dv = beta * dout,  dA = alpha * outer(dout, x),
    dx = alpha * A^T @ dout."""

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_ax = grad * ctx.alpha if ctx.alpha != 1 else grad
        grad_v = (grad if ctx.beta == 1 else grad * ctx.beta) if needs[0] else None
        return (grad_v, dual.outer(grad_ax, x) if needs[1] else None,
                a.T @ grad_ax if needs[2] else None, None, None)


class Baddbmm(Addmm):
    """out = beta * M + alpha * (A[i] @ B[i]) for a batch.   The gradients are Addmm's, per
    batch entry."""

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_ab = grad * ctx.alpha if ctx.alpha != 1 else grad
        grad_m = (grad if ctx.beta == 1 else grad * ctx.beta) if needs[0] else None
        return (grad_m, grad_ab @ b.swapaxes(-2, -1) if needs[1] else None,
                a.swapaxes(-2, -1) @ grad_ab if needs[2] else None, None, None)


def _check_expandable(m, shape):
    """``input`` of addmm and friends must broadcast to the product's shape."""
    mshape = m.shape
    for i in range(1, len(mshape) + 1):
        if len(mshape) > len(shape) or (mshape[-i] != shape[-i] and mshape[-i] != 1):
            raise RuntimeError("The expanded size of the tensor ({}) must match the existing "
                               "size ({}) at non-singleton dimension {}.  Target sizes: [{}].  "
                               "Tensor sizes: [{}]".format(
                                   shape[-i], mshape[-i], len(shape) - i,
                                   ", ".join(map(str, shape)), ", ".join(map(str, mshape))))


@export("torch", "Tensor", inplace=twin())
@accepts_out
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)`` in one node (what ``nn.Linear`` uses)."""
    a, b, m = mat1._array, mat2._array, input._array
    if a.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got {}-D tensor".format(a.ndim))
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got {}-D tensor".format(b.ndim))
    _check_mm_shapes(a.shape[0], a.shape[1], b.shape[0], b.shape[1])
    _check_expandable(m, (a.shape[0], b.shape[1]))
    if m.dtype is not b.dtype:
        raise RuntimeError("self and mat2 must have the same dtype, but got {} and {}".format(
            input.dtype.scalar_name, mat2.dtype.scalar_name))
    if a.dtype is not b.dtype:
        raise RuntimeError("mat1 and mat2 must have the same dtype, but got {} and {}".format(
            mat1.dtype.scalar_name, mat2.dtype.scalar_name))
    _check_not_bool("addmm_impl_cpu_", a)
    return Addmm.apply(input, mat1, mat2, beta, alpha)


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
@accepts_out
def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)`` in one node."""
    a, x, v = mat._array, vec._array, input._array
    if a.ndim != 2 or x.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got {}, {}, {}".format(
            v.ndim, a.ndim, x.ndim))
    _check_mv(a.shape[0], a.shape[1], x.shape[0], a.dtype, x.dtype)
    _check_expandable(v, (a.shape[0],))
    if v.dtype is not a.dtype:
        raise _errors.same_dtype_addmv(input.dtype.scalar_name,
                                       mat.dtype.scalar_name,
                                       vec.dtype.scalar_name)
    _check_not_bool("addmv_impl_cpu", a)
    return Addmv.apply(input, mat, vec, beta, alpha)


@export("torch", "Tensor", inplace=twin())
@accepts_out
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices, in one node."""
    a, b, m = batch1._array, batch2._array, input._array
    if a.ndim != 3:
        raise _errors.batch_must_be_3d("batch1")
    if b.ndim != 3:
        raise _errors.batch_must_be_3d("batch2")
    if m.dtype is not a.dtype:
        raise RuntimeError("Input dtypes must be the same, got: input {}, batch1: {}, batch2: {}"
                           .format(_C_NAMES[m.dtype.name], _C_NAMES[a.dtype.name],
                                   _C_NAMES[b.dtype.name]))
    _check_bmm(a.shape[0], a.shape[2], b.shape[0], b.shape[1], a, b)
    _check_expandable(m, (a.shape[0], a.shape[1], b.shape[2]))
    _check_not_bool("bmm", a)
    return Baddbmm.apply(input, batch1, batch2, beta, alpha)


# ---------------------------------------------------------------- layers


@export("F")
def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: what ``nn.Linear`` computes.  As in torch, a 2-d input with
    a bias is one ``addmm`` node (AddmmBackward0); other inputs with a bias are flattened to
    2-d for the addmm and reshaped back (ViewBackward0); without a bias it is a ``matmul``."""
    x, w = input._array, weight._array
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are {}D "
                           "and {}D".format(x.ndim, w.ndim))
    if bias is None:
        return matmul(input, weight.t())
    if x.ndim == 2:
        return addmm(bias, input, weight.t())
    if x.flags.c_contiguous and bias._array.ndim == 1:
        rows = int(np.prod(x.shape[:-1]))
        out = addmm(bias, input.reshape(rows, x.shape[-1]), weight.t())
        return out.view(x.shape[:-1] + w.shape[:1] if w.ndim == 2 else x.shape[:-1])
    return matmul(input, weight.t()) + bias


@export("F")
def bilinear(input1, input2, weight, bias=None):
    """``y_k = input1^T weight_k input2 + bias_k`` for every output feature k (``nn.Bilinear``):
    input1 (..., in1), input2 (..., in2), weight (out, in1, in2), bias (out,)."""
    x1, x2, w = input1._array, input2._array, weight._array
    if x1.ndim != x2.ndim:
        raise RuntimeError("bilinear(): input dimensions do not match: got {} and {}".format(
            x1.ndim, x2.ndim))
    for i in range(x1.ndim - 1):
        if x1.shape[i] != x2.shape[i]:
            raise RuntimeError("bilinear(): input batch dimensions do not match at dim {}: got "
                               "{} and {}".format(i, x1.shape[i], x2.shape[i]))
    if x1.shape[-1] != w.shape[1]:
        raise RuntimeError("bilinear(): input1 size does not match weight size: got {} but "
                           "expected {}".format(x1.shape[-1], w.shape[1]))
    if x2.shape[-1] != w.shape[2]:
        raise RuntimeError("bilinear(): input2 size does not match weight size: got {} but "
                           "expected {}".format(x2.shape[-1], w.shape[2]))
    if bias is not None and bias._array.shape[-1:] != w.shape[:1]:
        raise RuntimeError("bilinear(): bias size does not match weight size: got {} but "
                           "expected {}".format(bias._array.shape[-1], w.shape[0]))
    if not x1.dtype == x2.dtype == w.dtype:
        raise RuntimeError("All tensors must have the same dtype, got input1: {}, input2: {}, "
                           "weight: {}".format(_C_NAMES[x1.dtype.name], _C_NAMES[x2.dtype.name],
                                               _C_NAMES[w.dtype.name]))
    from .einsum import einsum
    out = einsum("...i,kij,...j->...k", input1, weight, input2)
    return out if bias is None else out + bias
