"""Copies: ``clone``, ``contiguous``, dtype conversion (``to``, ``float()``, ...) and moves
between devices (``to(device)``, ``cpu()``).

A copy's gradient is the incoming gradient itself; a dtype conversion's gradient is converted
back to the input's dtype (the autograd node does that for every op).
"""
import warnings

import numpy as np

from ... import _device
from ...autograd.op import Op
from .registry import export


class Clone(Op):
    """out = a copy of x (keeping x's memory layout).   d(out)/dx = 1."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        # torch keeps the strides of a dense tensor; one whose elements repeat (expanded) is
        # copied row by row
        return x.copy(order="C" if 0 in x.strides else "K")

    @staticmethod
    def backward(ctx, grad):
        return grad


class Contiguous(Clone):
    """out = a copy of x laid out row by row (``contiguous`` of a strided tensor)."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.ascontiguousarray(x)


class ToCopy(Op):
    """out = x converted to another dtype.   The gradient is converted back."""

    @staticmethod
    def forward(ctx, x, dtype):
        if x.dtype.kind == "c" and dtype.kind != "c":
            warnings.warn("Casting complex values to real discards the imaginary part",
                          UserWarning, stacklevel=5)
            x = x.real
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class ToDevice(Op):
    """out = x on another device.   The gradient is moved back to x's device."""

    node_name = "ToCopyBackward0"
    exact_grads = True

    @staticmethod
    def forward(ctx, x, device):
        ctx.source = _device.of_array(x)
        return _device.move(x, device)

    @staticmethod
    def backward(ctx, grad):
        return _device.move(grad, ctx.source), None


@export("torch", "Tensor")
def clone(input, *, memory_format=None):
    """A copy of ``input`` in new memory (recorded in the graph: CloneBackward0).  Like torch's
    default ``preserve_format``, the copy keeps the input's strides (a transposed tensor's clone
    is transposed too)."""
    return Clone.apply(input)


@export("Tensor")
def contiguous(input, memory_format=None):
    """``input`` itself if its memory is laid out row by row, else such a copy."""
    if input._array.flags.c_contiguous:
        return input
    return Contiguous.apply(input)


def to_dtype(input, dtype):
    """A copy of ``input`` converted to the ember ``dtype`` (ToCopyBackward0)."""
    return ToCopy.apply(input, dtype.numpy)


def to_device(input, device):
    """``input`` on the (checked) ``device``: ``input`` itself when it is there already, else a
    copy (ToCopyBackward0)."""
    if _device.of_array(input._array) == device:
        return input
    return ToDevice.apply(input, device)
