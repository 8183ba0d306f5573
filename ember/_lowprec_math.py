"""bfloat16 arithmetic as torch does it on a CPU: compute in float32, round the result once.

NumPy's bfloat16 (from ml_dtypes) rounds after every step: ``x * 0.3`` first rounds 0.3 to
bfloat16, a sum rounds each partial sum, and a compound function such as ``sigmoid`` rounds
each of its steps.  torch's CPU kernels load bfloat16 into float32, compute there, and round
only what they store.  :func:`install` gives the operations below that behaviour by wrapping their
``forward`` and ``backward``: bfloat16 arrays go in as float32, float32 results come out rounded
to bfloat16.  Only calls whose floating inputs are all bfloat16 are changed (bfloat16 mixed with
float32 already computes in float32), and the gradient of such a call is computed in the same way
(a recorded gradient, with ``create_graph=True``, is converted back to bfloat16 by ``to``).
"""
import importlib

import numpy as np

from . import _lowprec
from ._tensor import Tensor

__all__ = ["install"]

# module -> the Op classes whose results torch computes in float32 and rounds once.  (Not add,
# sub and pow: torch rounds their Python-number operand to bfloat16 first, as NumPy does.)
_OPS = {
    "ember._ops.elementwise.arithmetic": ("Mul", "Addcmul", "Addcdiv"),
    "ember._ops.elementwise.division": ("Div",),
    "ember._ops.elementwise.exponential": ("Sigmoid", "Logit", "Logaddexp", "Xlogy"),
    "ember._ops.reductions.reduce": ("Sum", "SumDim", "Mean", "MeanDim", "Prod", "Logsumexp"),
    "ember._ops.reductions.softmax": ("Softmax", "LogSoftmax"),
    "ember._ops.reductions.statistics": ("Var", "Std", "VarMean", "StdMean"),
    "ember._ops.reductions.norms": ("LinalgVectorNorm",),
    "ember._ops.reductions.cumulative": ("Cumsum", "Cumprod"),
    "ember._ops.linalg.products": ("Mm", "Mv", "Dot", "Bmm", "Matmul", "Addmm", "Baddbmm"),
    "ember._ops.linalg.contraction": ("Einsum", "Tensordot", "Trace"),
    "ember.nn.functional.attention": ("ScaledDotProductAttention",),
    "ember.nn.functional.activation_smooth": ("Elu", "Gelu", "Silu", "Mish", "Softplus",
                                              "LogSigmoid"),
    "ember.nn.functional.normalization": ("NativeBatchNorm", "NativeLayerNorm", "NativeGroupNorm",
                                          "RmsNorm"),
    "ember.nn.functional.conv": ("Convolution", "ConvolutionTransposed"),
}
_F32 = np.dtype(np.float32)


def _only_bfloat16(values, bf16):
    """True when some array is bfloat16 and no array or dtype argument is another float."""
    found = False
    for v in values:
        if isinstance(v, Tensor):
            v = v._array
        if type(v) is np.ndarray:
            kind = v.dtype
        elif isinstance(v, np.dtype):
            kind = v
        else:
            continue
        if kind == bf16:
            found = True
        elif kind.kind in "fc":
            return False
    return found


def _up(values, bf16):
    return [v.astype(_F32) if type(v) is np.ndarray and v.dtype == bf16
            else _F32 if isinstance(v, np.dtype) and v == bf16 else v for v in values]


def _down(result, bf16):
    if type(result) is tuple:
        return tuple(_down(r, bf16) for r in result)
    if isinstance(result, Tensor):                   # a recorded (create_graph) gradient
        return result.to(_lowprec.bfloat16) if result._array.dtype == _F32 else result
    if isinstance(result, (np.ndarray, np.generic)) and result.dtype == _F32:
        return np.asarray(result).astype(bf16)
    return result


def _wrap(cls, bf16):
    forward, backward = cls.forward, cls.backward

    def forward_f32(ctx, *args):
        if not _only_bfloat16(args, bf16):
            return forward(ctx, *args)
        return _down(forward(ctx, *_up(args, bf16)), bf16)

    def backward_f32(ctx, *grads):
        if not _only_bfloat16(grads, bf16):
            return backward(ctx, *grads)
        result = backward(ctx, *_up(grads, bf16))
        return _down(tuple(result) if isinstance(result, (tuple, list)) else result, bf16)

    forward_f32.__doc__ = forward.__doc__
    cls.forward = staticmethod(forward_f32)
    cls.backward = staticmethod(backward_f32)


def install(bf16):
    """Wraps the operations of ``_OPS`` (once, when ml_dtypes is first loaded)."""
    for module_name, names in _OPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            _wrap(getattr(module, name), bf16)
