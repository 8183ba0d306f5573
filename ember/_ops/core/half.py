"""torch's rule for float16 on the CPU: an operation computes in float32 and rounds its result
to float16 once.

A NumPy ufunc on float16 does the same, one ufunc at a time; but a formula of several steps
(sigmoid = 1 / (1 + e ** -x)) would round after each of them, and drift from torch by several
units in the last place.  Forwards written as formulas widen float16 inputs with ``widen`` and
round the result once with ``rounded``.  (Gradients are not affected: they are formulas of
ember operations, each of which follows the rule.)"""
import numpy as np

HALF = np.dtype(np.float16)
_SINGLE = np.dtype(np.float32)


def widen(x):
    """``x`` in float32 if it is float16, else ``x`` itself."""
    return x.astype(_SINGLE) if x.dtype is HALF else x


def rounded(out, dtype):
    """``out`` (computed from widened inputs) in the inputs' ``dtype``: float16 results rounded
    once from float32."""
    return out.astype(dtype) if out.dtype is not dtype else out


def computing(dtype):
    """The dtype in which an operation whose result has ``dtype`` computes: float32 for
    float16, else ``dtype`` itself."""
    return _SINGLE if dtype is HALF else dtype
