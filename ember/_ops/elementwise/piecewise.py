"""The piecewise-linear activations that are tensor methods as well as layers: ``hardshrink``
(``x`` where ``|x| > lambd``, else 0), ``softshrink`` (the same, moved ``lambd`` towards 0) and
``prelu`` (``x`` where positive, else a learnt slope times ``x``).  Their relatives that are only
layers (``hardtanh``, ``leaky_relu`` ...) are in ``ember/nn/functional/activation.py``.

Each backward multiplies the incoming gradient by the slope of the piece each element is on.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from ..core.operands import check_float
from ..core.registry import export


class Hardshrink(Op):
    """out = x where |x| > lambd, else 0.   d(out)/dx = 1 where |x| > lambd, else 0."""

    @staticmethod
    def forward(ctx, x, lambd):
        check_float(x, "hardshrink_cpu")
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        return np.where((x >= -lambd) & (x <= lambd), x.dtype.type(0), x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        lambd = ctx.lambd
        return dual.times_step(grad, ~((x >= -lambd) & (x <= lambd)), x), None   # NaN: passes


@export("torch", "Tensor", "F")
def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0."""
    return Hardshrink.apply(input, lambd)


class Softshrink(Hardshrink):
    """out = x - lambd for x > lambd, x + lambd for x < -lambd, else 0.
    d(out)/dx = 1 where |x| > lambd, else 0: the slope of hardshrink, whose backward it uses."""

    @staticmethod
    def forward(ctx, x, lambd):
        check_float(x, "softshrink_check")
        if not lambd >= 0:
            raise RuntimeError("lambda must be in range [0, {:g}] for input dtype {}, but found "
                               "{:g}".format(float(np.finfo(x.dtype).max),
                                             _dtype.from_numpy(x.dtype).scalar_name, lambd))
        ctx.save_for_backward(x)
        ctx.lambd = lambd
        t = x.dtype.type
        return np.where(x > lambd, x - t(lambd), np.where(x < -lambd, x + t(lambd), x * 0))


@export("F")
def softshrink(input, lambd=0.5):
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd``."""
    return Softshrink.apply(input, lambd)



class Prelu(Op):
    """out = x for x > 0, else w * x, with one learnt slope w per channel (dimension 1).
    dx = grad for x > 0, else w * grad;  dw = the sum over each channel of x * grad where
    x <= 0."""

    node_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        w_b = _channel_view(w, x.ndim)
        return np.where(x > 0, x, w_b * x)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        w_b = _channel_view(w, len(x.shape))
        positive = x > 0
        grad_x = dual.where(positive, grad, w_b * grad) if needs[0] else None
        grad_w = None
        if needs[1]:
            per_element = dual.where(positive, 0.0, x * grad)
            if len(w.shape) == 0 or w.shape[0] == 1 or len(x.shape) < 2:
                grad_w = per_element.sum().reshape(w.shape)
            else:
                others = tuple(d for d in range(len(x.shape)) if d != 1)
                grad_w = dual.sum_dims(per_element, others)
        return grad_x, grad_w


def _channel_view(w, ndim):
    """The weight reshaped to broadcast along dimension 1 of an ``ndim``-dimensional input."""
    if len(w.shape) == 0 or w.shape[0] == 1 or ndim < 2:
        return w.reshape(())
    return w.reshape((w.shape[0],) + (1,) * (ndim - 2))


@export("torch", "Tensor", "F")
def prelu(input, weight):
    """``x`` where positive, else ``weight * x``; ``weight`` has one slope per channel
    (dimension 1 of ``input``) or a single one."""
    if weight._array.ndim > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           "ndim = {}".format(weight._array.ndim))
    if input._array.dtype != weight._array.dtype:
        raise RuntimeError("prelu: Type promoting not supported. Got {} and {}".format(
            input.dtype.scalar_name, weight.dtype.scalar_name))
    count = weight._array.size
    channels = input._array.shape[1] if input._array.ndim >= 2 else 1
    if count != 1 and count != channels:
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found parameter "
                           "numbers = {} and channel size = {}.".format(count, channels))
    return Prelu.apply(input, weight)
