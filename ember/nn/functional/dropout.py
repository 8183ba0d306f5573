"""Dropout and its variants: while training, zero random elements (or whole channels).

``dropout`` keeps each element with probability 1 - p and scales the kept ones by 1 / (1 - p),
so that every element keeps its expected value and nothing needs to change at evaluation time,
when dropout is the identity.  It is a product with a random mask,
``out = input * mask / (1 - p)``, so its gradient is the same product: dropped elements get
no gradient.  The feature variants (``dropout1d/2d/3d``) draw one mask entry per channel and
zero whole channels.

``alpha_dropout`` is the variant for self-normalising (SELU) networks: dropped elements are set
to SELU's negative saturation value instead of 0, then an affine map ``a * x + b`` restores the
input's mean and variance.

The masks are torch's: each entry is kept when a float64 uniform number from the generator is
below 1 - p (torch's ``bernoulli_(1 - p)``), so after the same ``manual_seed`` ember drops the
elements torch drops.
"""
import math
import warnings

import numpy as np

from ... import _errors
from ..._ops.core.common import Tensor
from ..._ops.creation import draws
from ..._ops.creation.mt19937 import default_generator
from ..._ops.creation.random import from_memory_order
from ..._ops.core.registry import export


# -(SELU's scale * alpha): the value a SELU unit saturates to, which alpha dropout drops to.
_SELU_SATURATION = 1.7580993408473766


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise _errors.dropout_probability(p)


def _noise(input, p, channel_dims):
    """A mask of kept (1) and dropped (0) entries, kept with probability 1 - p, in the input's
    dtype.  With ``channel_dims`` (2 for (N, C, *), 1 for (C, *)) one entry per channel,
    broadcast over the positions; with 0 one per element."""
    x = input._array
    if channel_dims:
        if x.ndim < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        shape = x.shape[:channel_dims] + (1,) * (x.ndim - channel_dims)
    else:
        shape = x.shape
    if x.dtype.kind not in "fV":
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           + input.dtype.scalar_name)
    kept = draws.bernoulli(default_generator, math.prod(shape), 1 - p).astype(x.dtype)
    return kept.reshape(shape) if channel_dims else from_memory_order(kept, x)


def _dropout(input, p, training, inplace, channel_dims, alpha):
    """The common body (torch's ``_dropout_impl``): ``input * noise``, or for alpha dropout
    ``input * a * noise + b(noise)``."""
    if p == 0 or not training or input._array.size == 0:
        return input
    if p == 1:
        zero = Tensor._make(np.zeros((), dtype=input._array.dtype))
        return input.mul_(zero) if inplace else input * zero
    noise = _noise(input, p, channel_dims)
    dtype = noise.dtype.type
    if alpha:
        a = 1.0 / math.sqrt((_SELU_SATURATION ** 2 * p + 1) * (1 - p))
        shift = Tensor._make((noise - 1) * dtype(_SELU_SATURATION * a)
                             + dtype(_SELU_SATURATION * a * p))
        scale = Tensor._make(noise * dtype(a))
        return input.mul_(scale).add_(shift) if inplace else input * scale + shift
    scale = Tensor._make(noise / dtype(1 - p))
    return input.mul_(scale) if inplace else input * scale


@export("F")
def dropout(input, p=0.5, training=True, inplace=False):
    """During training, zeroes each element with probability ``p`` and scales the rest by
    ``1 / (1 - p)``; the identity when ``training`` is False."""
    _check_p(p)
    return _dropout(input, p, training, inplace, 0, False)


@export("F")
def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: keeps the input's mean and variance (see module docstring)."""
    _check_p(p)
    return _dropout(input, p, training, inplace, 0, True)


@export("F")
def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (dim 1)."""
    _check_p(p)
    return _dropout(input, p, training, inplace, 2, True)


def _unbatched(input, p, training, inplace):
    """Feature dropout of one sample without a batch dimension: as a batch of one (in place,
    where torch briefly reshapes the input itself, the channel mask applies directly)."""
    if inplace:
        return _dropout(input, p, training, True, 1, False)
    return _dropout(input.unsqueeze(0), p, training, False, 2, False).squeeze(0)


@export("F")
def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zeroes whole channels of a (N, C, L) or (C, L) input, each with probability ``p``."""
    _check_p(p)
    dim = input._array.ndim
    if dim not in (2, 3):
        raise RuntimeError(
            "dropout1d: Expected 2D or 3D input, but received a {}D input. Note that dropout1d "
            "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
            "channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).".format(dim))
    if dim == 2:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, 2, False)


@export("F")
def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zeroes whole channels of a (N, C, H, W) input, each with probability ``p``.

    As in torch, a 3-d input is taken as (N, C, L) -- with a warning -- not as one image."""
    _check_p(p)
    dim = input._array.ndim
    if dim not in (3, 4):
        warnings.warn(
            "dropout2d: Received a {}-D input to dropout2d, which is deprecated and will result "
            "in an error in a future release. To retain the behavior and silence this warning, "
            "please use dropout instead. Note that dropout2d exists to provide channel-wise "
            "dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional "
            "batch dimension (i.e. 3D or 4D inputs).".format(dim), stacklevel=2)
    if dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _dropout(input, p, training, inplace, 2, False)


@export("F")
def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zeroes whole channels of a (N, C, D, H, W) or (C, D, H, W) input, each with
    probability ``p``."""
    _check_p(p)
    dim = input._array.ndim
    if dim not in (4, 5):
        warnings.warn(
            "dropout3d: Received a {}-D input to dropout3d, which is deprecated and will result "
            "in an error in a future release. To retain the behavior and silence this warning, "
            "please use dropout instead. Note that dropout3d exists to provide channel-wise "
            "dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional "
            "batch dimension (i.e. 4D or 5D inputs).".format(dim), stacklevel=2)
    if dim != 5:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, 2, False)
