"""Gradient clipping: keeping one bad batch from throwing the parameters far away.

``clip_grad_norm_`` rescales all gradients together when their combined norm exceeds
``max_norm`` (the direction of the step is kept, only its length shrinks);
``clip_grad_value_`` clamps every gradient element into ``[-clip_value, clip_value]``.
Call either between ``loss.backward()`` and ``optimizer.step()``.
"""
import math
import warnings

import numpy as np

from ... import _dtype
from ..._ops.core.inplace import writable
from ..._tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _as_list(parameters):
    """A single tensor or an iterable (a generator is consumed once) as a list."""
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _vector_norm(array, norm_type):
    """The p-norm of all the elements of ``array``, as a 0-d array of its dtype."""
    a = array.ravel()
    if norm_type == 2.0:
        return np.sqrt(np.dot(a, a))
    if norm_type == math.inf:
        return np.max(np.abs(a))
    if norm_type == -math.inf:
        return np.min(np.abs(a))
    if norm_type == 0.0:
        return np.asarray(np.count_nonzero(a), dtype=a.dtype)
    return np.sum(np.abs(a) ** norm_type) ** (1.0 / norm_type)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of all the ``tensors`` together, as if concatenated into one vector.

    It is computed as the norm of the tensors' norms (the same number, without a copy)."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor._make(np.array(0.0, dtype=_dtype.get_default_dtype().numpy))
    norms = [_vector_norm(t._array, norm_type) for t in tensors]
    total = _vector_norm(np.array(norms, dtype=np.result_type(*norms)), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            "The total norm of order {} for gradients from `parameters` is non-finite, so it "
            "cannot be clipped. To disable this error and scale the gradients by the non-finite "
            "norm anyway, set `error_if_nonfinite=False`".format(norm_type))
    return Tensor._make(np.asarray(total))


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scales the gradients by ``max_norm / total_norm`` when that is below 1."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    total = total_norm._array
    # Computed in the norm's dtype, as torch does, so the scaled gradients match bit for bit.
    coef = np.minimum(np.asarray(float(max_norm), total.dtype) / (total + total.dtype.type(1e-6)),
                      total.dtype.type(1.0))
    for g in grads:
        array = writable(g)
        np.multiply(array, coef, out=array, casting="unsafe")


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    r"""Clips the gradient norm of an iterable of parameters, in place.

    The norm is computed over all gradients together, as if they were concatenated into a single
    vector; if it exceeds ``max_norm`` every gradient is multiplied by
    ``max_norm / (total_norm + 1e-6)``.

    Args:
        parameters: a Tensor or an iterable of Tensors whose gradients are clipped
        max_norm: the largest norm the gradients may have
        norm_type: the p of the p-norm (``float('inf')`` for the largest absolute value)
        error_if_nonfinite: raise if the total norm is nan or inf
        foreach: accepted for compatibility (ember has a single implementation)

    Returns:
        The total norm of the gradients before clipping (a 0-d tensor).

    Example::

        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
    """
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Deprecated: use :func:`clip_grad_norm_`."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamps every gradient element into ``[-clip_value, clip_value]``, in place."""
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        g = p.grad
        if g is not None:
            array = writable(g)
            np.clip(array, -clip_value, clip_value, out=array)


_get_total_norm = get_total_norm
_clip_grads_with_norm_ = clip_grads_with_norm_
