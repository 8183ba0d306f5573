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
    "ember._ops.reductions.reduce": ("Sum", "SumDim", "Mean", "MeanDim", "Prod"),
    "ember._ops.reductions.extremes": ("Logsumexp",),
    "ember._ops.reductions.softmax": ("Softmax", "LogSoftmax"),
    "ember._ops.reductions.statistics": ("Var", "Std", "VarMean", "StdMean"),
    "ember._ops.reductions.norms": ("LinalgVectorNorm",),
    "ember._ops.reductions.cumulative": ("Cumsum", "Cumprod"),
    "ember._ops.linalg.products": ("Mm", "Mv", "Dot", "Bmm", "Matmul"),
    "ember._ops.linalg.affine": ("Addmm", "Baddbmm"),
    "ember._ops.linalg.einsum": ("Einsum",),
    "ember._ops.linalg.contraction": ("Tensordot", "Trace"),
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


def _forward_f32(forward, bf16, first):
    """``forward`` run in float32 on bfloat16 arrays; ``first``: where the arrays start (after
    ``ctx``, or ``cls, ctx`` for a class method)."""
    def forward_f32(*args):
        if not _only_bfloat16(args[first:], bf16):
            return forward(*args)
        return _down(forward(*args[:first], *_up(args[first:], bf16)), bf16)
    return forward_f32


def _backward_f32(backward, bf16, first):
    def backward_f32(*args):
        if not _only_bfloat16(args[first:], bf16):
            return backward(*args)
        result = backward(*args[:first], *_up(args[first:], bf16))
        return _down(tuple(result) if isinstance(result, (tuple, list)) else result, bf16)
    return backward_f32


def _wrap(cls, bf16):
    """Wraps ``cls``'s forward and backward (its own or inherited, static or class methods),
    once: a subclass of a wrapped class inherits the wrappers."""
    for name, make in (("forward", _forward_f32), ("backward", _backward_f32)):
        raw = next(k.__dict__[name] for k in cls.__mro__ if name in k.__dict__)
        function = raw.__func__
        if getattr(function, "_computes_in_float32", False):
            continue
        wrapper = make(function, bf16, 2 if isinstance(raw, classmethod) else 1)
        wrapper._computes_in_float32 = True
        wrapper.__doc__ = function.__doc__
        setattr(cls, name, type(raw)(wrapper))


def install(bf16):
    """Wraps the operations of ``_OPS`` (once, when ml_dtypes is first loaded)."""
    for module_name, names in _OPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            _wrap(getattr(module, name), bf16)
