"""Copies: ``clone``, ``contiguous`` and dtype conversion (``to``, ``float()``, ...).

A copy's gradient is the incoming gradient itself; a dtype conversion's gradient is converted
back to the input's dtype (the autograd node does that for every op).
"""
import numpy as np

from ..autograd.function import Op
from .common import Tensor

__all__ = ["clone", "contiguous"]


class Clone(Op):
    """out = a copy of x.   d(out)/dx = 1."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Op):
    """out = x converted to another dtype.   The gradient is converted back."""

    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def clone(input, *, memory_format=None):
    """A copy of ``input`` in new memory (recorded in the graph: CloneBackward0)."""
    return Clone.apply(input)


def contiguous(input, memory_format=None):
    """``input`` itself if its memory is laid out row by row, else such a copy."""
    if input._array.flags.c_contiguous:
        return input
    return Clone.apply(input)


def to_dtype(input, dtype):
    """A copy of ``input`` converted to the ember ``dtype`` (ToCopyBackward0)."""
    return ToCopy.apply(input, dtype.numpy)


METHODS = ("clone", "contiguous")

FUNCTIONAL = ()
