"""``ember.backends``: the switches torch offers for its GPU libraries.  ember has none of those
libraries, so the switches exist (course code sets ``torch.backends.cudnn.deterministic =
True``) and change nothing."""
from . import cudnn, mps

__all__ = ["cudnn", "mps"]
