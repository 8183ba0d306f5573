"""``ember.nn.functional`` (``import ember.nn.functional as F``): the layers as plain functions.

Each module here is one family of neural-network functions, with the autograd Op behind each
function: activations, losses, normalization, dropout, embeddings, distances, convolution,
padding and pooling.  They build on the operations of ``ember/_ops``; a function is in ``F``
when its declaration says ``export(..., "F")`` (``core/registry.py``), wherever it lives
(``F.relu`` and ``F.softmax`` are declared with the operations).
"""
from ..._ops.core import registry as _registry
from . import (activation, activation_smooth, loss, loss_binary, loss_classification,  # noqa: F401
               loss_distribution, loss_margin, normalization, normalize, dropout, sparse,
               distance, padding, conv, pooling, pooling_adaptive, torch_level, attention,
               attention_multihead, recurrent, shuffle, interpolate, fold, grid_sample, ctc,
               pooling_fractional)

globals().update(_registry.names("F"))
__all__ = sorted(_registry.names("F"))
