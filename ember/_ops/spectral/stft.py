"""The short-time Fourier transform ``stft`` and its inverse ``istft``, as torch's.

``stft`` cuts the signal into frames of ``n_fft`` samples, ``hop_length`` apart (after padding
``n_fft // 2`` samples at each end when ``center``), multiplies each by ``window`` and takes its
DFT: the result is (frequencies, frames), complex.  ``istft`` undoes it: the inverse DFT of each
frame, times the window, overlap-added, divided by the overlap-added squared window.  Both are
built from differentiable operations, so gradients come for free.
"""
import warnings

from ..core.common import Tensor
from ..core.registry import export
from ..elementwise.complex_numbers import is_complex
from ..shape.complex_views import view_as_real
from .framing import frames, overlap_add

_NO_WINDOW = ("A window was not provided. A rectangular window will be applied,which is known to "
              "cause spectral leakage. Other windows such as torch.hann_window or "
              "torch.hamming_window are recommended to reduce spectral leakage.To suppress this "
              "warning and use a rectangular window, explicitly set "
              "`window=torch.ones(n_fft, device=<device>)`.")
_NO_WINDOW_INVERSE = ("A window was not provided. A rectangular window will be applied.Please "
                      "provide the same window used by stft to make the inversion lossless.To "
                      "suppress this warning and use a rectangular window, explicitly set "
                      "`window=torch.ones(n_fft, device=<device>)`.")
_REAL_RESULT = ("stft with return_complex=False is deprecated. In a future pytorch release, stft "
                "will return complex tensors for all inputs, and return_complex=False will raise "
                "an error.\nNote: you can still call torch.view_as_real on the complex output to "
                "recover the old return format.")
_ONESIDED_COMPLEX = "Cannot have onesided output if window or input is complex"
_warned = set()


def _warn_once(message):
    """torch gives these warnings once per process (TORCH_WARN_ONCE)."""
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)


def _flag(value):
    return "None" if value is None else str(int(bool(value)))


def _describe(t, braces):
    if t is None:
        return "None"
    shape = "[" + ", ".join(str(n) for n in t.shape) + "]"
    return "torch." + t.dtype._torch_type + ("{" + shape + "}" if braces else shape)


def _padded_window(window, win_length, n_fft, like):
    """The window (ones when None) centred in ``n_fft`` samples with zeros on both sides."""
    from ...nn.functional.padding import pad
    if window is None:
        window = like.new_ones(win_length).real if like.is_complex() else like.new_ones(win_length)
    left = (n_fft - win_length) // 2
    if left or win_length < n_fft:
        window = pad(window, [left, n_fft - win_length - left])
    return window


@export("torch", "Tensor")
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """The short-time Fourier transform: the spectrum of each window-weighted frame of
    ``n_fft`` samples, ``hop_length`` (default ``n_fft // 4``) apart; shape (..., freq, frames)."""
    if not isinstance(input, Tensor):
        raise AttributeError("'{}' object has no attribute 'dim'".format(type(input).__name__))
    if isinstance(n_fft, Tensor):         # torch reads a one-element tensor as its number
        if n_fft.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if n_fft.dtype.is_floating_point or n_fft.dtype.is_complex:
            raise TypeError("stft(): argument 'n_fft' must be int, not a {} tensor".format(
                n_fft.dtype.scalar_name))
        n_fft = int(n_fft.item())
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    if align_to_window:
        raise NotImplementedError("ember's stft has no align_to_window=True")
    if center:
        from ...nn.functional.padding import pad
        ndim = input.ndim
        half = n_fft // 2
        input = pad(input.view([1] * (3 - ndim) + list(input.shape)), [half, half], pad_mode)
        input = input.view(input.shape[-ndim:])
    if window is None:
        _warn_once(_NO_WINDOW)
    complex_data = is_complex(input) or (window is not None and is_complex(window))
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    prefix = ("stft({}, n_fft={}, hop_length={}, win_length={}, window={}, normalized={}, "
              "onesided={}, return_complex={}, align_to_window={}) ".format(
                  _describe(input, False), n_fft, hop, win, _describe(window, True),
                  _flag(normalized), _flag(onesided), _flag(return_complex),
                  _flag(align_to_window)))
    if not (complex_data or input.dtype.is_floating_point):
        raise RuntimeError(prefix + ": expected a tensor of floating point or complex values")
    if return_complex is None and not complex_data:
        raise RuntimeError("stft requires the return_complex parameter be given for real "
                           "inputs, and will further require that return_complex=True in a "
                           "future PyTorch release.")
    if input.ndim not in (1, 2):
        raise RuntimeError(prefix + ": expected a 1D or 2D tensor")
    length = input.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(prefix + ": expected 0 < n_fft < {}, but got n_fft={}".format(length,
                                                                                      n_fft))
    if hop <= 0:
        raise RuntimeError(prefix + ": expected hop_length > 0, but got hop_length={}".format(hop))
    if not 0 < win <= n_fft:
        raise RuntimeError(prefix + ": expected 0 < win_length <= n_fft, but got win_length={}"
                           .format(win))
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(prefix + ": expected a 1D window tensor of size equal to win_length={}, "
                           "but got window with size {}".format(win, list(window.shape)))
    onesided = not complex_data if onesided is None else onesided
    if onesided and complex_data:
        raise RuntimeError(_ONESIDED_COMPLEX)
    from ... import fft
    pieces = frames(input, n_fft, hop)
    if window is not None or win < n_fft:
        pieces = pieces * _padded_window(window, win, n_fft, input)
    transform = fft.rfft if onesided else fft.fft
    spectrum = transform(pieces, dim=-1, norm="ortho" if normalized else "backward")
    spectrum = spectrum.transpose(-1, -2)
    if return_complex is False:
        _warn_once(_REAL_RESULT)
        return view_as_real(spectrum.resolve_conj())
    return spectrum


@export("torch", "Tensor")
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """The inverse of ``stft``: each frame's inverse DFT, times the window, overlap-added and
    divided by the overlap-added squared window."""
    for name, value in (("n_fft", n_fft), ("hop_length", hop_length),
                        ("win_length", win_length), ("length", length)):
        if (value is not None or name == "n_fft") and type(value) is not int:
            raise TypeError("istft(): argument '{}'{} must be int, not {}".format(
                name, " (position 2)" if name == "n_fft" else "", type(value).__name__))
        # (n_fft is given by position, the others usually by name)
    if window is None:
        _warn_once(_NO_WINDOW_INVERSE)
    if not is_complex(input):
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    prefix = ("istft({}, n_fft={}, hop_length={}, win_length={}, window={}, center={}, "
              "normalized={}, onesided={}, length={}, return_complex={}) ".format(
                  "CPU" + input.dtype._torch_type[:-6] + "Type" +
                  str(list(input.shape)), n_fft, hop, win, _describe(window, True),
                  _flag(center), _flag(normalized), _flag(onesided),
                  "None" if length is None else length, _flag(return_complex)))
    # (each check's message starts ": ", after the arguments)
    if input.ndim not in (2, 3):
        raise RuntimeError(prefix + ": expected a tensor with a tensor with 2 or 3 dimensions of "
                           "complex dtype, but got {}".format(input.ndim))
    size = input.shape[-2]
    onesided = size != n_fft if onesided is None else onesided
    if onesided and n_fft // 2 + 1 != size:
        raise RuntimeError(prefix + ": expected the frequency dimension (3rd to the last) of the "
                           "input tensor to match n_fft / 2 + 1 when onesided=True, but got {}"
                           .format(size))
    if not onesided and n_fft != size:
        raise RuntimeError(prefix + ": expected the frequency dimension (3rd to the last) of the "
                           "input tensor to match n_fft when onesided=False, but got {}"
                           .format(size))
    if not 0 < hop <= win:
        raise RuntimeError(prefix + ": expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(prefix + ": expected 0 < win_length <= n_fft")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(prefix + ": Invalid window shape. window has to be 1D and length of "
                           "`win_length`")
    if return_complex and onesided:
        raise RuntimeError(_ONESIDED_COMPLEX)
    from ... import fft
    norm = "ortho" if normalized else "backward"
    spectra = input.transpose(-1, -2)
    if return_complex:
        pieces = fft.ifft(spectra, n_fft, dim=-1, norm=norm)
    else:
        if not onesided:
            spectra = spectra.narrow(-1, 0, n_fft // 2 + 1)
        pieces = fft.irfft(spectra, n_fft, dim=-1, norm=norm)
    window = _padded_window(window, win, n_fft, pieces)
    count = pieces.shape[-2]
    expected = n_fft + hop * (count - 1)
    signal = overlap_add(pieces * window, hop, expected)
    envelope = overlap_add((window * window).expand(count, n_fft), hop, expected)
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else expected - n_fft // 2 if center else expected
    signal = signal[..., start:end]
    envelope = envelope[start:end]
    if bool((envelope.abs() < 1e-11).any()):
        raise RuntimeError(prefix + "window overlap add min: 1\n[ CPUBoolType{} ]")
    signal = signal / envelope
    if length is not None and end > expected:
        from ...nn.functional.padding import pad
        signal = pad(signal, [0, end - expected])
    return signal
