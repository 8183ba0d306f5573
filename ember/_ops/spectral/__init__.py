"""The short-time Fourier transform (``stft``, ``istft``) and the framing and overlap-adding
it is made of.  The transforms themselves are in ``ember.fft``, loaded on first use."""
# each module declares its public names (core/registry.py) when imported
from . import framing, stft  # noqa: F401
