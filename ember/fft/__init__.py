"""``ember.fft``: discrete Fourier transforms, as ``torch.fft``.

For a signal x of n samples the DFT is ``X[k] = sum_t x[t] exp(-2 pi i k t / n)`` and ``ifft``
undoes it.  ``norm`` says where the 1/n goes: "backward" (the default: on the inverse),
"forward" (on the forward transform), or "ortho" (1/sqrt(n) on both).  The families:

* ``fft``/``ifft``: complex to complex (a real input is read as complex);
* ``rfft``/``irfft``: a real signal to the first n//2 + 1 frequencies of its spectrum (the rest
  are their conjugates) and back;
* ``hfft``/``ihfft``: the opposite pair: a Hermitian half spectrum to a real signal and back;
* ``...2`` (over the last two dims) and ``...n`` (over ``dim``, or all dims) versions of each.

The outputs are complex64 for float32 (and integer) inputs and complex128 for float64, as in
torch.  Every transform is differentiable (see ``_transforms.py`` for the adjoint formulas).
"""
import numpy as np

from .. import _dtype
from .._device import check as check_device, place
from .._ops.creation.from_data import dtype_arg
from .._ops.elementwise.complex_numbers import conj, conj_physical
from .._ops.shape.reordering import roll
from .._tensor import Tensor
from ._arguments import (inverse_real_sizes, many_dims, norm_mode, one_dim, real_input,
                         tensor_input, written)
from ._transforms import FftC2R, c2c, opposite, r2c

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "hfft2", "ihfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift"]


def _fft(x, axes, sizes, norm):
    if x.dtype.is_complex:
        return c2c(x, axes, sizes, norm, True)
    return r2c(x, axes, sizes, norm, False)      # torch too reads a real signal as such


def _ifft(x, axes, sizes, norm):
    if x.dtype.is_complex:
        return c2c(x, axes, sizes, norm, False)
    return conj(r2c(x, axes, sizes, opposite(norm), False))    # a real signal: conj(fft) / n


def _rfft(x, axes, sizes, norm):
    return r2c(x, axes, sizes, norm, True)


def _irfft(x, axes, sizes, norm):
    return FftC2R.apply(x, axes, inverse_real_sizes(x, axes, sizes), norm)


def _split(axes, sizes):
    """(axes, sizes) of all dims but the last, and of the last one."""
    return (axes[:-1], sizes and sizes[:-1]), (axes[-1:], sizes and sizes[-1:])


def _hfft(x, axes, sizes, norm):
    """The spectrum of a signal whose own spectrum is Hermitian is real: the DFT over the other
    dims, then irfft of the conjugate over the last, with the opposite normalisation."""
    (others, other_sizes), (last, last_size) = _split(axes, sizes)
    if others:
        x = c2c(x, others, other_sizes, norm, True)
    return _irfft(conj(x), last, last_size, opposite(norm))


def _ihfft(x, axes, sizes, norm):
    """The inverse of ``hfft``: the conjugate of rfft over the last dim (the opposite
    normalisation), then the inverse DFT over the other dims."""
    (others, other_sizes), (last, last_size) = _split(axes, sizes)
    half = _rfft(x, last, last_size, opposite(norm))
    if not others:
        return conj(half)
    return c2c(conj_physical(half), others, other_sizes, norm, False)


# name: (the transform, the input check)
_KINDS = {"fft": (_fft, tensor_input), "ifft": (_ifft, tensor_input),
          "rfft": (_rfft, real_input), "irfft": (_irfft, tensor_input),
          "hfft": (_hfft, tensor_input), "ihfft": (_ihfft, real_input)}


def _complex(input):
    """A real input converted to complex first, as torch does (its graph starts with the
    conversion)."""
    return input if input.dtype.is_complex else input.to(input.dtype.to_complex())


def _one(kind, input, n, dim, norm, out):
    transform, check = _KINDS[kind]
    input = check(input, kind)
    if kind in ("irfft", "hfft"):
        input = _complex(input)
    axes, sizes = one_dim(input, n, dim, kind)
    return written(transform(input, axes, sizes, norm_mode(norm)), out, kind)


def _many(kind, name, input, s, dim, norm, out):
    transform, check = _KINDS[kind]
    input = check(input, name)
    if kind in ("fft", "ifft", "irfft", "hfft"):
        input = _complex(input)
    axes, sizes = many_dims(input, s, dim, name)
    return written(transform(input, axes, sizes, norm_mode(norm)), out, name)


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """The DFT of ``input`` along ``dim`` (cut or zero-padded to ``n`` samples first)."""
    return _one("fft", input, n, dim, norm, out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse DFT along ``dim``."""
    return _one("ifft", input, n, dim, norm, out)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The DFT of a real signal: only frequencies 0 .. n//2 (the others are their conjugates)."""
    return _one("rfft", input, n, dim, norm, out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The real signal of ``n`` samples (default 2 * (m - 1)) whose half spectrum is ``input``."""
    return _one("irfft", input, n, dim, norm, out)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The (real) DFT of a signal with Hermitian symmetry given by its first half."""
    return _one("hfft", input, n, dim, norm, out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of ``hfft``: the first half of the inverse DFT of a real signal."""
    return _one("ihfft", input, n, dim, norm, out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The DFT over two dims (the last two by default)."""
    return _many("fft", "fft2", input, s, dim, norm, out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse DFT over two dims."""
    return _many("ifft", "ifft2", input, s, dim, norm, out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The DFT of a real signal over two dims, halved along the last."""
    return _many("rfft", "rfft2", input, s, dim, norm, out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse of ``rfft2``."""
    return _many("irfft", "irfft2", input, s, dim, norm, out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The two-dimensional ``hfft``: a half Hermitian spectrum to a real signal."""
    return _many("hfft", "hfft2", input, s, dim, norm, out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse of ``hfft2``."""
    return _many("ihfft", "ihfft2", input, s, dim, norm, out)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """The DFT over ``dim`` (all dims by default, or the last ``len(s)``)."""
    return _many("fft", "fftn", input, s, dim, norm, out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse DFT over ``dim``."""
    return _many("ifft", "ifftn", input, s, dim, norm, out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The DFT of a real signal over ``dim``, halved along the last of them."""
    return _many("rfft", "rfftn", input, s, dim, norm, out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``rfftn``."""
    return _many("irfft", "irfftn", input, s, dim, norm, out)


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The n-dimensional ``hfft``."""
    return _many("hfft", "hfftn", input, s, dim, norm, out)


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``hfftn``."""
    return _many("ihfft", "ihfftn", input, s, dim, norm, out)


# ---------------------------------------------------------------- frequencies and shifts


def _frequencies(k, scale, dtype, device, requires_grad):
    """``k * scale`` computed as torch does, in ``dtype`` itself (so float32 values match)."""
    np_dtype = (dtype_arg(dtype, "fftfreq") or _dtype.get_default_dtype()).numpy
    values = k.astype(np_dtype) * np_dtype.type(scale)
    t = Tensor._make(place(values, check_device(device)))
    return t.requires_grad_() if requires_grad else t


def _length(n):
    if n < 0:
        raise RuntimeError("Trying to create tensor with negative dimension {}: [{}]".format(n, n))


def fftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The frequencies of ``fft``'s outputs for n samples spaced ``d`` apart:
    ``[0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (d * n)``."""
    _length(n)
    k = np.arange(n)
    k[(n + 1) // 2:] -= n
    return _frequencies(k, 1.0 / (n * d) if n else 0.0, dtype, device, requires_grad)


def rfftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The frequencies of ``rfft``'s outputs: ``[0, 1, ..., n // 2] / (d * n)``."""
    _length(n)
    return _frequencies(np.arange(n // 2 + 1), 1.0 / (n * d) if n else 0.0, dtype, device,
                        requires_grad)


def _shift(input, dim, extra):
    dims = list(range(input.ndim)) if dim is None else [dim] if type(dim) is int else list(dim)
    return roll(input, [(input.shape[d] + extra) // 2 for d in dims], dims)


def fftshift(input, dim=None):
    """The spectrum reordered so that frequency 0 is in the middle (a roll by n // 2)."""
    return _shift(input, dim, 0)


def ifftshift(input, dim=None):
    """The inverse of ``fftshift`` (a roll by (n + 1) // 2)."""
    return _shift(input, dim, 1)
