"""Normalisation layers as functions: batch_norm, instance_norm, layer_norm, group_norm and
rms_norm (``F.<name>``); local_response_norm and normalize are in ``normalize.py``.

Batch, instance, group and layer norm compute the same thing over different sets S of elements:
each element is standardised by the mean and variance of its set, then scaled and shifted by
learned per-feature parameters::

    xhat = (x - mean_S(x)) * rstd,   rstd = 1 / sqrt(var_S(x) + eps),   out = weight * xhat + bias

(``var_S`` is the biased variance, dividing by |S|).  Only the sets differ:

* batch norm, input (N, C, *): one set per channel, over the batch and all positions;
* instance norm, input (N, C, *): one set per sample and channel, over the positions;
* group norm, input (N, C, *): one set per sample and group of C / G channels;
* layer norm, input (*, D1, ..., Dk): one set per leading index, over the last k dims.

A set is described here by a *stat shape*: the shape of ``mean_S(x)``, the input's shape with 1
on the reduced dimensions ((1, C, 1, 1) for batch norm of an image batch).

The gradient, derived once for all of them.  Every ``xhat_i`` depends on every ``x_j`` of its set,
through the mean and the variance: with M = |S|,
``d xhat_i / d x_j = rstd * (delta_ij - 1/M - xhat_i * xhat_j / M)``.  Summing against the
incoming gradient ``g = dL/dxhat`` gives::

    dL/dx = rstd * (g - mean_S(g) - xhat * mean_S(g * xhat))

and for the parameters ``dL/dweight = sum(dL/dout * xhat)``, ``dL/dbias = sum(dL/dout)``, summed
over everything but the feature.  Each function is one fused node, named as torch names it
(NativeBatchNormBackward0, NativeLayerNormBackward0, NativeGroupNormBackward0).
"""
import functools
import math

import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import wrap_dim
from ..._ops.core.registry import export
from .loss import check_tensor
from ..._ops.core.half import HALF, computing, rounded, widen


# ---------------------------------------------------------------- the shared mathematics


@functools.lru_cache(maxsize=256)
def _sets(shape, stat_shape):
    """How the elements of ``shape`` group into sets: (a summation over the reduced axes, the
    stat shape, the set size)."""
    axes = tuple(i for i, (n, s) in enumerate(zip(shape, stat_shape)) if s == 1 and n != 1)
    return (_summation(len(shape), axes), stat_shape,
            math.prod(shape) // max(math.prod(stat_shape), 1))


@functools.lru_cache(maxsize=256)
def _summation(ndim, axes):
    """The ``np.einsum`` subscripts that sum an array over ``axes`` ('abcd->b' sums all but
    axis 1): for several axes, or the last one, einsum is a few times faster than
    ``np.add.reduce`` and as accurate."""
    letters = "abcdefghijklmnopqrstuvwxyz"[:ndim]
    return letters + "->" + "".join(c for i, c in enumerate(letters) if i not in axes)


def _set_mean(x, sets):
    """The mean of each set, kept with size-1 dimensions (arrays or tensors)."""
    summation, stat_shape, count = sets
    if dual.is_array(x):
        return np.einsum(summation, x).reshape(stat_shape) / count
    return dual.sum_to(x, stat_shape) / count


def _standardize(x, sets, eps):
    """``xhat``, ``rstd``, mean and biased variance of ``x`` over its sets.  Works on arrays
    (forward) and on tensors (a recorded backward recomputes it from ``x``)."""
    mean = _set_mean(x, sets)
    centered = x - mean
    var = _set_mean(centered * centered, sets)
    rstd = (var + eps) ** -0.5
    return centered * rstd, rstd, mean, var


def _standardize_grad(g, xhat, rstd, sets):
    """dL/dx from g = dL/dxhat:  rstd * (g - mean_S(g) - xhat * mean_S(g * xhat))."""
    return (g - _set_mean(g, sets) - xhat * _set_mean(g * xhat, sets)) * rstd


class _Normalization(Op):
    """The backward shared by batch, instance, group and layer norm.

    ``forward(ctx, x, weight, bias, ...)`` stores on ``ctx``: ``view`` (the shape in which the
    sets are laid out: the input's own shape, or (N, G, -1) for group norm), ``sets`` (see
    ``_sets``), ``batch_stats`` (False when fixed running statistics were used instead), the
    forward's ``xhat`` and ``rstd``, and the parameters' shapes (see ``_affine``).
    """

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        if dual.is_array(grad):
            xhat, rstd = ctx.xhat, ctx.rstd
        elif ctx.batch_stats:           # recorded backward: xhat as a function of x, again
            xhat, rstd, _, _ = _standardize(x.reshape(ctx.view), ctx.sets, ctx.eps)
        else:                           # running statistics are constants
            xhat, rstd = (x - ctx.mean) * ctx.rstd, ctx.rstd
        grad_x = grad_w = grad_b = None
        if needs[0]:
            g = grad if weight is None else grad * weight.reshape(ctx.param_shape)
            if ctx.batch_stats:
                g = _standardize_grad(g.reshape(ctx.view), xhat, rstd, ctx.sets)
                grad_x = g.reshape(ctx.shape)
            else:
                grad_x = g * rstd
        if needs[1]:
            grad_w = _parameter_sum(grad * xhat.reshape(ctx.shape), ctx)
        if needs[2]:
            grad_b = _parameter_sum(grad, ctx)
        return grad_x, grad_w, grad_b


def _parameter_sum(z, ctx):
    """``z`` summed over everything but the parameters' dimensions, in the parameters' shape."""
    if dual.is_array(z):
        return np.einsum(ctx.param_summation, z).reshape(ctx.affine_shape)
    return dual.sum_to(z, ctx.param_shape).reshape(ctx.affine_shape)


def _affine(ctx, x, xhat, weight, bias, param_shape, affine_shape):
    """out = xhat * weight + bias (either may be None), remembering what backward needs:
    ``param_shape`` broadcasts the parameters against x, ``affine_shape`` is their own."""
    ctx.save_for_backward(x, weight)
    ctx.xhat, ctx.shape = xhat, x.shape
    ctx.param_shape, ctx.affine_shape = param_shape, affine_shape
    lead = x.ndim - len(param_shape)
    ctx.param_summation = _summation(x.ndim, tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(param_shape) if n == 1))
    out = xhat.reshape(x.shape)
    if weight is not None:
        out = out * weight.reshape(param_shape)
    if bias is not None:
        out = out + bias.reshape(param_shape)
    return rounded(out, x.dtype)


class NativeBatchNorm(_Normalization):
    """Batch normalisation of (N, C, *) -- or, with ``per_instance``, instance normalisation --
    with the batch's statistics or fixed running ones (``batch_stats=False``).  With the
    batch's statistics it also updates the running ones, in place."""

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, batch_stats, momentum, eps,
                per_instance):
        channels = x.shape[1]
        param_shape = (1, channels) + (1,) * (x.ndim - 2)
        ctx.view, ctx.eps, ctx.batch_stats = x.shape, eps, batch_stats
        if batch_stats:
            sets = _sets(x.shape, x.shape[:2] + param_shape[2:] if per_instance else param_shape)
            xhat, rstd, mean, var = _standardize(widen(x), sets, eps)
            if x.dtype is HALF:         # torch keeps float16 statistics, then computes in float32
                mean, rstd = widen(rounded(mean, HALF)), widen(rounded(rstd, HALF))
                xhat = (widen(x) - mean) * rstd
            ctx.sets = sets
            if running_mean is not None:
                count = sets[2]
                unbiased = var * (count / (count - 1))
                if per_instance:                 # the running statistics are per channel
                    mean, unbiased = mean.mean(axis=0), unbiased.mean(axis=0)
                running_mean *= 1 - momentum
                running_mean += momentum * mean.reshape(channels)
                running_var *= 1 - momentum
                running_var += momentum * unbiased.reshape(channels)
        else:
            mean = running_mean.reshape(param_shape)
            rstd = (running_var.reshape(param_shape) + eps) ** -0.5
            xhat = (widen(x) - mean) * rstd
            ctx.mean = mean
        ctx.rstd = rstd
        return _affine(ctx, x, xhat, weight, bias, param_shape, (channels,))


class NativeLayerNorm(_Normalization):
    """Layer normalisation over the last ``len(normalized_shape)`` dimensions."""

    @staticmethod
    def forward(ctx, x, weight, bias, normalized_shape, eps):
        k = len(normalized_shape)
        sets = _sets(x.shape, x.shape[:x.ndim - k] + (1,) * k)
        xhat, rstd, _, _ = _standardize(widen(x), sets, eps)
        ctx.view, ctx.sets, ctx.eps = x.shape, sets, eps
        ctx.batch_stats, ctx.rstd = True, rstd
        return _affine(ctx, x, xhat, weight, bias, normalized_shape, normalized_shape)


class NativeGroupNorm(_Normalization):
    """Group normalisation: the channels split into ``num_groups`` groups, each normalised
    per sample (the sets are laid out as a (N, G, C / G * positions) view)."""

    @staticmethod
    def forward(ctx, x, weight, bias, num_groups, eps):
        n, channels = x.shape[:2]
        view = (n, num_groups, -1)
        grouped = widen(x).reshape(view)
        sets = _sets(grouped.shape, (n, num_groups, 1))
        xhat, rstd, _, _ = _standardize(grouped, sets, eps)
        ctx.view, ctx.sets, ctx.eps = view, sets, eps
        ctx.batch_stats, ctx.rstd = True, rstd
        return _affine(ctx, x, xhat, weight, bias, (1, channels) + (1,) * (x.ndim - 2),
                       (channels,))


# ---------------------------------------------------------------- checks


def _check_float(input, name):
    if input._array.dtype.kind not in "fV":
        raise _errors.not_implemented(name, input.dtype.scalar_name)


def _check_same_dtype(input, *others):
    dtype = input._array.dtype
    if any(t is not None and t._array.dtype != dtype for t in others):
        if dtype == np.float32:
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _verify_batch_size(size):
    if size[0] * math.prod(size[2:]) == 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         "{}".format(size))


def _check_momentum(momentum, fn):
    if momentum is None:        # only the modules accept None (a cumulative average)
        raise TypeError("{}(): argument 'momentum' (position 7) must be float, not "
                        "NoneType".format(fn))


def _array(t):
    return None if t is None else t._array


# ---------------------------------------------------------------- batch and instance norm


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps,
                per_instance):
    x = input._array
    channels = x.shape[wrap_dim(1, x.ndim)]
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be "
                         "None")
    if not training and running_mean is None:
        raise RuntimeError("running_mean must be defined in evaluation mode")
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t._array.size != channels:
            raise RuntimeError("{} should contain {} elements not {}".format(
                name, channels, t._array.size))
    _check_float(input, "batch_norm")
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    out = NativeBatchNorm.apply(input, weight, bias, _array(running_mean), _array(running_var),
                                training, momentum, eps, per_instance)
    if training and running_mean is not None:
        running_mean._bump_version()
        running_var._bump_version()
    return out


@export("F")
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Batch normalisation of ``input`` (N, C, *): each channel standardised over the batch and
    all positions, then ``* weight + bias``.

    ``training=True`` uses the batch's own mean and variance and, when ``running_mean`` and
    ``running_var`` are given, updates them in place:
    ``running = (1 - momentum) * running + momentum * batch_statistic`` (the variance unbiased,
    divided by n - 1).  ``training=False`` uses the running statistics instead.
    """
    _check_momentum(momentum, "batch_norm")
    if training:
        _verify_batch_size(input.shape)
        if eps <= 0.0:
            raise ValueError("batch_norm eps must be positive during training, but got "
                             "{}".format(eps))
    elif eps < 0.0:
        raise ValueError("batch_norm eps must be non-negative, but got {}".format(eps))
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps,
                       False)


@export("F")
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Instance normalisation of ``input`` (N, C, *): each sample's channel standardised over its
    positions.  Running statistics, when given, are per channel (averaged over the batch)."""
    _check_momentum(momentum, "instance_norm")
    size = input.shape
    if use_input_stats and math.prod(size[2:]) == 1:
        raise ValueError("Expected more than 1 spatial element when training, got input size "
                         "{}".format(size))
    for position, name, value in ((2, "weight", weight), (3, "bias", bias),
                                  (4, "running_mean", running_mean),
                                  (5, "running_var", running_var)):
        if value is not None:
            check_tensor(value, name, position, "instance_norm")
    out = _batch_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum,
                      eps, True)
    # torch normalises a (1, N * C, *) view and views the result back: its node is a view.
    return out.view(size)


# ---------------------------------------------------------------- layer and group norm


def _normalized_shape(normalized_shape, fn):
    if isinstance(normalized_shape, (int, np.integer)):
        raise TypeError("{}(): argument 'normalized_shape' (position 2) must be tuple of ints, "
                        "not int".format(fn))
    return tuple(int(s) for s in normalized_shape)


def _check_normalized_shape(input, shape, weight, star):
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    if weight is not None and tuple(weight._array.shape) != shape:
        raise RuntimeError("Expected weight to be of same shape as normalized_shape, but got "
                           "weight of shape {} and normalized_shape = {}".format(
                               list(weight._array.shape), list(shape)))
    x_shape = input._array.shape
    if len(x_shape) < len(shape) or x_shape[len(x_shape) - len(shape):] != shape:
        raise RuntimeError("Given normalized_shape={}, expected input with shape {}, but got "
                           "input of size{}".format(list(shape), star(shape), list(x_shape)))


@export("F")
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation: standardises over the last ``len(normalized_shape)`` dimensions
    (one set per leading index), then ``* weight + bias`` (both of ``normalized_shape``)."""
    shape = _normalized_shape(normalized_shape, "layer_norm")
    _check_normalized_shape(input, shape, weight,
                            lambda s: "[*, " + ", ".join(map(str, s)) + "]")
    _check_float(input, "LayerNormKernelImpl")
    _check_same_dtype(input, weight, bias)
    return NativeLayerNorm.apply(input, weight, bias, shape, eps)


@export("F")
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalisation of ``input`` (N, C, *): the C channels split into ``num_groups``
    groups, each standardised per sample, then ``* weight + bias`` (per channel)."""
    x = input._array
    if x.ndim < 2:
        raise RuntimeError("Expected at least 2 dimensions for input tensor but received "
                           "{}".format(x.ndim))
    n, channels = x.shape[:2]
    _verify_batch_size([n * channels // num_groups, num_groups] + list(x.shape[2:]))
    if channels % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           "but got input of shape {} and num_groups={}".format(
                               list(x.shape), num_groups))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t._array.ndim != 1 or t._array.size != channels):
            raise RuntimeError("Expected {0} to be a vector of size equal to the number of "
                               "channels in input, but got {0} of shape {1} and input of shape "
                               "{2}".format(name, list(t._array.shape), list(x.shape)))
    _check_float(input, "GroupNormKernelImpl")
    _check_same_dtype(input, weight, bias)
    return NativeGroupNorm.apply(input, weight, bias, num_groups, eps)


# ---------------------------------------------------------------- RMS norm


class RmsNorm(Op):
    """out = x * rrms * weight,  rrms = 1 / sqrt(mean(x ** 2) + eps) over the last dims.

    With xhat = x * rrms and g = dL/dxhat (= dL/dout * weight): since
    d rrms / d x_j = -rrms ** 3 * x_j / M,  dL/dx = rrms * (g - xhat * mean(g * xhat)).
    torch computes it as a chain of elementwise operations ending in a product, hence the name.
    """

    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, x, weight, normalized_shape, eps):
        k = len(normalized_shape)
        sets = _sets(x.shape, x.shape[:x.ndim - k] + (1,) * k)
        w = widen(x)
        rrms = (_set_mean(w * w, sets) + eps) ** -0.5
        xhat = w * rrms
        ctx.save_for_backward(x, weight)
        ctx.sets, ctx.eps, ctx.xhat, ctx.rrms = sets, eps, xhat, rrms
        # (a weight of another float dtype is applied in the input's dtype, as torch does)
        return rounded(xhat if weight is None else xhat * weight.astype(w.dtype, copy=False),
                       x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        if dual.is_array(grad):
            xhat, rrms = ctx.xhat, ctx.rrms
        else:
            rrms = (_set_mean(x * x, ctx.sets) + ctx.eps) ** -0.5
            xhat = x * rrms
        grad_x = grad_w = None
        if ctx.needs_input_grad[0]:
            g = grad if weight is None else grad * weight
            grad_x = (g - xhat * _set_mean(g * xhat, ctx.sets)) * rrms
        if ctx.needs_input_grad[1]:
            grad_w = dual.sum_to(grad * xhat, weight.shape)
        return grad_x, grad_w


@export("F")
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Root-mean-square normalisation over the last ``len(normalized_shape)`` dimensions:
    ``x / sqrt(mean(x ** 2) + eps) * weight``.  ``eps=None`` means the dtype's machine epsilon."""
    shape = _normalized_shape(normalized_shape, "rms_norm")
    _check_normalized_shape(input, shape, weight,
                            lambda s: "[*" + ", ".join(map(str, s)) + "]")
    _check_float(input, "rms_norm")
    if eps is None:                 # the machine epsilon of the dtype it computes in
        eps = float(np.finfo(computing(input._array.dtype)).eps)
    return RmsNorm.apply(input, weight, shape, eps)
