"""The activations that torch also offers at its top level (``torch.selu`` ...), where they take
no ``inplace`` argument (``torch.selu_`` is the in-place one): each calls its ``F`` function."""
from ..._ops.core.registry import export
from . import activation, activation_smooth


@export("torch")
def selu(input):
    """``torch.selu``: ``F.selu`` without ``inplace``."""
    return activation_smooth.selu(input)


@export("torch")
def celu(input, alpha=1.0):
    """``torch.celu``: ``F.celu`` without ``inplace``."""
    return activation_smooth.celu(input, alpha)


@export("torch")
def threshold(input, threshold, value):
    """``torch.threshold``: ``F.threshold`` without ``inplace``."""
    return activation.threshold(input, threshold, value)


@export("torch")
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """``torch.rrelu``: ``F.rrelu`` without ``inplace``."""
    return activation.rrelu(input, lower, upper, training)
