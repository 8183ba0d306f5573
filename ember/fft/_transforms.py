"""The three discrete Fourier transforms every function of ``ember.fft`` is built from, as
autograd ops computed by NumPy's ``numpy.fft`` (which keeps float32 data in complex64):

* ``FftC2C``: complex to complex, forward (``fft``) or inverse (``ifft``), over some dims;
* ``FftR2C``: real to complex, the whole spectrum or only its first half along the last dim
  (``rfft``: a real signal's spectrum is Hermitian, X[-k] = conj(X[k]), so half is enough);
* ``FftC2R``: a Hermitian half spectrum back to a real signal (``irfft``).

Each transform is linear, so its gradient is its adjoint applied to the incoming gradient
(torch's convention for complex numbers: ``grad_x = A^H grad_out`` for ``out = A x``):

* the adjoint of a DFT is the opposite transform with the opposite normalisation
  ("backward" <-> "forward", "ortho" stays): ``fft(norm="backward")^H = ifft(norm="forward")``;
* ``n``/``s`` pad with zeros or cut the input first; the adjoint of padding is cutting and of
  cutting is padding, so the gradient is brought back to the input's size at the end;
* R2C keeps half the spectrum: its adjoint fills the other half with zeros, takes the inverse
  transform and keeps the real part (the input was real);
* C2R reads each stored frequency k (except 0 and n/2) twice, as X[k] and conj(X[-k]): its
  adjoint is the half spectrum (R2C) of the gradient with those frequencies doubled.
"""
import numpy as np

from ..autograd.op import Op
from .._tensor import Tensor

_OPPOSITE = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def opposite(norm):
    """The normalisation of the adjoint transform."""
    return _OPPOSITE[norm]


def resize(x, axes, sizes):
    """``x`` cut or padded with zeros to ``sizes`` along ``axes`` (an array or a tensor)."""
    for axis, size in zip(axes, sizes):
        have = x.shape[axis]
        if have > size:
            x = x.narrow(axis, 0, size) if isinstance(x, Tensor) else \
                x[(slice(None),) * axis + (slice(0, size),)]
        elif have < size:
            shape = list(x.shape)
            shape[axis] = size - have
            if isinstance(x, Tensor):
                from .. import cat
                x = cat([x, x.new_zeros(shape)], axis)
            else:
                x = np.concatenate([x, np.zeros(shape, x.dtype)], axis)
    return x


def _input_sizes(x, axes):
    return [x.shape[a] for a in axes]


def c2c(x, axes, sizes, norm, forward):
    """The complex transform of an array or (recorded) tensor."""
    if isinstance(x, Tensor):
        return FftC2C.apply(x, axes, sizes, norm, forward)
    return FftC2C.compute(x, axes, sizes, norm, forward)


def r2c(x, axes, sizes, norm, onesided):
    """The transform of a real array or (recorded) tensor."""
    if isinstance(x, Tensor):
        return FftR2C.apply(x, axes, sizes, norm, onesided)
    return FftR2C.compute(x, axes, sizes, norm, onesided)


class FftC2C(Op):
    """out = DFT (or inverse DFT) of x over ``axes``, x cut or zero-padded to ``sizes``.
    grad_x = the opposite transform of grad, opposite normalisation, brought back to x's size."""

    holomorphic = False

    @staticmethod
    def compute(x, axes, sizes, norm, forward):
        transform = np.fft.fftn if forward else np.fft.ifftn
        return transform(x, s=sizes, axes=axes, norm=norm)

    @staticmethod
    def forward(ctx, x, axes, sizes, norm, forward):
        ctx.plan = axes, _input_sizes(x, axes), norm, forward
        return FftC2C.compute(x, axes, sizes, norm, forward)

    @staticmethod
    def backward(ctx, grad):
        axes, input_sizes, norm, forward = ctx.plan
        g = c2c(grad, axes, None, opposite(norm), not forward)
        return resize(g, axes, input_sizes), None, None, None, None


class FftR2C(Op):
    """out = DFT of a real x over ``axes`` (``onesided``: only frequencies 0..n//2 of the last).
    grad_x = Re(inverse DFT of grad, the dropped half filled with zeros), x's size."""

    holomorphic = False

    @staticmethod
    def compute(x, axes, sizes, norm, onesided):
        transform = np.fft.rfftn if onesided else np.fft.fftn
        return transform(x, s=sizes, axes=axes, norm=norm)

    @staticmethod
    def forward(ctx, x, axes, sizes, norm, onesided):
        full = [x.shape[a] if s is None else s for a, s in zip(axes, sizes or [None] * len(axes))]
        ctx.plan = axes, full, _input_sizes(x, axes), norm, onesided
        return FftR2C.compute(x, axes, sizes, norm, onesided)

    @staticmethod
    def backward(ctx, grad):
        axes, full, input_sizes, norm, onesided = ctx.plan
        if onesided:
            grad = resize(grad, axes[-1:], full[-1:])
        g = c2c(grad, axes, None, opposite(norm), False).real
        return resize(g, axes, input_sizes), None, None, None, None


class FftC2R(Op):
    """out = the real signal of size ``sizes`` whose half spectrum over ``axes`` is x.
    grad_x = the half spectrum of grad (opposite normalisation), frequencies 1..(n-1)//2 of
    the last axis doubled (they stand for two), brought back to x's size."""

    holomorphic = False

    @staticmethod
    def forward(ctx, x, axes, sizes, norm):
        ctx.plan = axes, _input_sizes(x, axes), norm
        return np.fft.irfftn(x, s=sizes, axes=axes, norm=norm)

    @staticmethod
    def backward(ctx, grad):
        axes, input_sizes, norm = ctx.plan
        g = r2c(grad, axes, None, opposite(norm), True)
        last = axes[-1]
        half = g.shape[last]
        doubled = grad.shape[last] - half
        if doubled > 0:
            shape = [1] * g.ndim
            shape[last] = half
            tensor = isinstance(g, Tensor)
            scale = np.ones(half, g.dtype.to_real().numpy if tensor else g.real.dtype)
            scale[1:1 + doubled] = 2
            scale = scale.reshape(shape)
            g = g * (Tensor._make(scale) if tensor else scale)
        return resize(g, axes, input_sizes), None, None, None
