"""Window functions for spectral analysis (``stft``): ``hann_window``, ``hamming_window``,
``blackman_window``, ``bartlett_window``, ``kaiser_window``.

A window of length N tapers a frame of signal towards its ends.  ``periodic=True`` (the
default) gives the first N of a symmetric window of N + 1 samples, the form that overlaps
evenly in ``stft``.  Each is computed step by step in the requested dtype, as torch does.
The cosines are rounded correctly from float64 values; torch's vectorised cosine is not always,
so about one float32 value in twenty differs from torch's in the last bit (the Kaiser window,
computed in float64, by a few bits).
"""
import numpy as np

from ... import _dtype
from ..._device import check as check_device, place
from ..core.registry import export
from .from_data import _finish, dtype_arg


def _prepare(fn, window_length, dtype, device):
    """The NumPy dtype, or torch's error for a bad length or a non-floating dtype."""
    if type(window_length) is not int:
        raise TypeError("{}(): argument 'window_length' (position 1) must be int, not {}".format(
            fn, type(window_length).__name__))
    check_device(device)
    dtype = dtype_arg(dtype, fn) or _dtype.get_default_dtype()
    if window_length < 0:
        raise RuntimeError("{} requires non-negative window_length, got window_length={}".format(
            fn, window_length))
    if not dtype.is_floating_point:
        raise RuntimeError("{} expects floating point dtypes, got: TensorOptions(dtype={}, "
                           "device=cpu, layout=Strided (default), requires_grad=false (default), "
                           "pinned_memory=false, memory_format=(nullopt))".format(
                               fn, _C_NAMES.get(dtype.name, dtype.name)))
    return dtype.numpy


_C_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}


def _window(fn, window_length, periodic, dtype, device, requires_grad, formula):
    """A window of ``window_length`` samples: ``formula(k, n)`` of the positions k = 0 .. n-1
    (n one longer when periodic, the last sample then dropped)."""
    np_dtype = _prepare(fn, window_length, dtype, device)
    if window_length <= 1:
        values = np.ones(window_length, np_dtype)
    else:
        n = window_length + 1 if periodic else window_length
        values = formula(np.arange(n, dtype=np_dtype), n)[:window_length]
    return _finish(place(values.astype(np_dtype, copy=False), check_device(device)),
                   requires_grad)


def _scaled(k, factor):
    """k times a Python number, computed in k's dtype (as torch multiplies by a scalar)."""
    return k * k.dtype.type(factor)


def _cos(x):
    """cos of each element, correctly rounded to x's dtype."""
    return np.cos(x.astype(np.float64)).astype(x.dtype)


def _cosine_sum(alpha, beta):
    def formula(k, n):
        return _scaled(_cos(_scaled(k, 2 * np.pi / (n - 1))), -beta) + k.dtype.type(alpha)
    return formula


@export("torch")
def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):
    """``alpha - beta cos(2 pi k / (N - 1))``: a raised cosine that stays above 0 at the ends."""
    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad,
                   _cosine_sum(alpha, beta))


@export("torch")
def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):
    """``0.5 - 0.5 cos(2 pi k / (N - 1))`` = ``sin^2(pi k / (N - 1))``: 0 at both ends."""
    return _window("hann_window", window_length, periodic, dtype, device, requires_grad,
                   _cosine_sum(0.5, 0.5))


def _blackman(k, n):
    x = _scaled(k, np.pi / (n - 1))
    return (_scaled(_cos(_scaled(x, 4)), 0.08) - _scaled(_cos(_scaled(x, 2)), 0.5)
            + k.dtype.type(0.42))


@export("torch")
def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """``0.42 - 0.5 cos(2 pi k / (N - 1)) + 0.08 cos(4 pi k / (N - 1))``."""
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad,
                   _blackman)


def _bartlett(k, n):
    x = _scaled(k, 2.0 / (n - 1))
    half = (n - 1) // 2 + 1
    x[half:] = 2 - x[half:]
    return x


@export("torch")
def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """A triangle: ``1 - |2k / (N - 1) - 1|``."""
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad,
                   _bartlett)


def _kaiser(beta):
    def formula(k, n):
        alpha = (n - 1) / 2.0
        x = (k.astype(np.float64) - alpha) / alpha
        return np.i0(beta * np.sqrt(np.maximum(1 - x * x, 0))) / np.i0(beta)
    return formula


@export("torch")
def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):
    """``I0(beta sqrt(1 - (2k / (N - 1) - 1)^2)) / I0(beta)`` (I0: the modified Bessel function
    of order 0); ``beta`` sets how fast it falls to the ends."""
    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad,
                   _kaiser(beta))
