"""Printing tensors exactly as torch does (placeholder until the full formatter lands)."""
import numpy as np


def tensor_repr(t):
    body = np.array2string(t._array, separator=", ", precision=4)
    suffix = ""
    if t.grad_fn is not None:
        suffix = ", grad_fn=<{}>".format(type(t.grad_fn).__name__)
    elif t._requires_grad:
        suffix = ", requires_grad=True"
    return "tensor({}{})".format(body, suffix)
