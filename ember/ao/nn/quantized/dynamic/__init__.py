"""``ember.ao.nn.quantized.dynamic``: layers with int8 weights whose activations are quantized
at run time (``quantize_dynamic`` puts them in)."""
from .linear import Linear
from .rnn import LSTM

__all__ = ["Linear", "LSTM"]
