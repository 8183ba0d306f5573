"""``nn.init``: filling weights with their initial values, in place.

Why the scale matters: a layer with fan_in inputs sums fan_in products, so if the weights have
variance v the output's variance is about fan_in * v times the input's.  Choosing
v = gain^2 / fan_in keeps the signal's size steady from layer to layer (Kaiming/He); averaging
fan_in and fan_out balances the forward and the backward pass (Xavier/Glorot).  ``gain``
compensates for what the nonlinearity does to the variance (``calculate_gain``).

Every function writes into the tensor's memory, outside autograd (as under ``no_grad``), and
returns the tensor, so ``init.zeros_(layer.bias)`` works on parameters that require grad.
``generator`` draws from that generator instead of the default one.
"""
import math
import warnings

import numpy as np

from .. import _errors
from .._ops.core.inplace import assign
from .._ops.creation.random import rng

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_",
           "zeros_", "eye_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "sparse_", "uniform", "normal", "constant", "eye",
           "dirac", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
           "orthogonal", "sparse"]

_LINEAR_FNS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
               "conv_transpose3d")


def calculate_gain(nonlinearity, param=None):
    r"""The recommended gain for a nonlinearity: the factor by which to scale the standard
    deviation so that the variance of the signal survives the nonlinearity.

    ================= ====================================================
    nonlinearity      gain
    ================= ====================================================
    Linear / Identity :math:`1`
    Conv{1,2,3}D      :math:`1`
    Sigmoid           :math:`1`
    Tanh              :math:`\frac{5}{3}`
    ReLU              :math:`\sqrt{2}`
    Leaky Relu        :math:`\sqrt{\frac{2}{1 + \text{negative\_slope}^2}}`
    SELU              :math:`\frac{3}{4}`
    ================= ====================================================

    Args:
        nonlinearity: the name of the non-linear function (``'relu'``, ``'tanh'``, ...)
        param: the negative slope for ``'leaky_relu'`` (default 0.01)

    Example::

        >>> nn.init.calculate_gain('leaky_relu', 0.2)
        1.3867504905630728
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            negative_slope = param
        else:
            raise ValueError("negative_slope {} not a valid number".format(param))
        return math.sqrt(2.0 / (1 + negative_slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError("Unsupported nonlinearity {}".format(nonlinearity))


# ---------------------------------------------------------------------- writing into the tensor


def _write(tensor, values):
    """Copies ``values`` into the tensor's memory (converted to its dtype) and returns it."""
    return assign(tensor, values)


def _check_floating(tensor, kernel):
    if not tensor.is_floating_point():
        raise _errors.not_implemented(kernel, tensor.dtype.scalar_name)


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out): how many inputs feed one output, and how many outputs one input feeds.

    For a Linear weight (out, in) that is (in, out); for a convolution weight
    (out, in, k1, k2, ...) each is multiplied by the kernel size k1*k2*..."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    shape = tensor.shape
    receptive_field_size = math.prod(shape[2:])
    return shape[1] * receptive_field_size, shape[0] * receptive_field_size


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError("Mode {} not supported, please use one of {}".format(mode, valid_modes))
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _zero_elements(tensor):
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


# ---------------------------------------------------------------------- simple distributions


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    r"""Fills the tensor with values drawn from the uniform distribution
    :math:`\mathcal{U}(a, b)`."""
    _check_floating(tensor, "check_uniform_bounds")
    if a > b:
        raise RuntimeError("uniform_ expects to return a [from, to) range, but found from={:g} > "
                           "to={:g}".format(a, b))
    return _write(tensor, rng(generator).uniform(a, b, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    r"""Fills the tensor with values drawn from the normal distribution
    :math:`\mathcal{N}(\text{mean}, \text{std}^2)`."""
    _check_floating(tensor, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std {:g}".format(std))
    return _write(tensor, mean + std * rng(generator).standard_normal(tensor.shape))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    r"""Fills the tensor with values from a normal distribution :math:`\mathcal{N}(\text{mean},
    \text{std}^2)` truncated to :math:`[a, b]` (``a`` and ``b`` are absolute bounds, not
    multiples of std).

    Method: draw u uniformly between :math:`\Phi(a)` and :math:`\Phi(b)` (the normal CDF at the
    bounds) and map it back through :math:`\Phi^{-1}`: every value lands in [a, b] with the
    right density, and no draw is thrown away.
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)
    low = _normal_cdf((a - mean) / std)
    high = _normal_cdf((b - mean) / std)
    u = rng(generator).uniform(low, high, tensor.shape)
    return _write(tensor, np.clip(mean + std * _normal_quantile(u), a, b))


def _normal_cdf(x):
    """:math:`\\Phi(x)`, the standard normal CDF."""
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


# Peter Acklam's rational approximation of the normal quantile function (relative error below
# 1.2e-9, far below float32 resolution): one rational function for the central region and one
# in sqrt(-2 log p) for each tail.
_Q_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
_Q_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01, 1.0)
_Q_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
_Q_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00, 1.0)
_Q_TAIL = 0.02425


def _normal_quantile(p):
    """:math:`\\Phi^{-1}(p)` elementwise for an array of probabilities."""
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    central = (p >= _Q_TAIL) & (p <= 1 - _Q_TAIL)
    q = p[central] - 0.5
    r = q * q
    out[central] = q * np.polyval(_Q_A, r) / np.polyval(_Q_B, r)
    with np.errstate(divide="ignore"):
        lower = p < _Q_TAIL
        q = np.sqrt(-2 * np.log(p[lower]))
        out[lower] = np.polyval(_Q_C, q) / np.polyval(_Q_D, q)
        upper = p > 1 - _Q_TAIL
        q = np.sqrt(-2 * np.log1p(-p[upper]))
        out[upper] = -np.polyval(_Q_C, q) / np.polyval(_Q_D, q)
    return out


def constant_(tensor, val):
    """Fills the tensor with the value ``val``."""
    return _write(tensor, val)


def ones_(tensor):
    """Fills the tensor with 1."""
    return _write(tensor, 1)


def zeros_(tensor):
    """Fills the tensor with 0."""
    return _write(tensor, 0)


def eye_(tensor):
    """Fills a 2-d tensor with the identity matrix (ones on the diagonal): a Linear layer that
    passes as many inputs through unchanged as it can."""
    if tensor.dim() != 2:
        raise _errors.only_2d_tensors()
    return _write(tensor, np.eye(*tensor.shape))


def dirac_(tensor, groups=1):
    """Fills a 3, 4 or 5-d convolution weight with the Dirac delta: the convolution passes its
    input channels through unchanged (as many as it has outputs per group)."""
    if tensor.dim() not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    shape = tensor.shape
    if shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = shape[0] // groups
    values = np.zeros(shape)
    center = tuple(k // 2 for k in shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, shape[1])):
            values[(g * out_per_group + d, d) + center] = 1
    return _write(tensor, values)


# ---------------------------------------------------------------------- scaled by fan in / out


def xavier_uniform_(tensor, gain=1.0, generator=None):
    r"""Xavier (Glorot) uniform initialisation: :math:`\mathcal{U}(-a, a)` with
    :math:`a = \text{gain} \times \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}`."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std                       # a uniform on [-a, a] has std a / sqrt(3)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    r"""Xavier (Glorot) normal initialisation: :math:`\mathcal{N}(0, \text{std}^2)` with
    :math:`\text{std} = \text{gain} \times \sqrt{2 / (\text{fan\_in} + \text{fan\_out})}`."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    r"""Kaiming (He) uniform initialisation: :math:`\mathcal{U}(-\text{bound}, \text{bound})`
    with :math:`\text{bound} = \text{gain} \times \sqrt{3 / \text{fan\_mode}}`.

    Args:
        a: the negative slope of the rectifier after this layer (for ``'leaky_relu'``)
        mode: ``'fan_in'`` (default) keeps the forward signal's variance, ``'fan_out'`` the
            backward gradient's
        nonlinearity: the function after this layer, ``'relu'`` or ``'leaky_relu'`` (default)
    """
    if _zero_elements(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    r"""Kaiming (He) normal initialisation: :math:`\mathcal{N}(0, \text{std}^2)` with
    :math:`\text{std} = \text{gain} / \sqrt{\text{fan\_mode}}` (arguments as
    :func:`kaiming_uniform_`)."""
    if _zero_elements(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor, gain=1, generator=None):
    """Fills the tensor with a (semi-)orthogonal matrix, times ``gain`` (dimensions after the
    first are flattened).  It is the Q of the QR decomposition of a Gaussian matrix, with the
    signs fixed so that Q is uniformly distributed."""
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = rng(generator).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _write(tensor, gain * q.reshape(tensor.shape))


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Fills a 2-d tensor with N(0, std^2) values and then sets a fraction ``sparsity`` of each
    column (rounded up) to zero, at random rows."""
    if tensor.dim() != 2:
        raise _errors.only_2d_tensors()
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    g = rng(generator)
    values = std * g.standard_normal((rows, cols))
    zero_rows = g.random((rows, cols)).argsort(axis=0)[:num_zeros]   # a random order per column
    values[zero_rows, np.arange(cols)] = 0
    return _write(tensor, values)


def _deprecated(new):
    old_name = new.__name__[:-1]

    def old(*args, **kwargs):
        warnings.warn("`nn.init.{}` is now deprecated in favor of `nn.init.{}`.".format(
            old_name, new.__name__), FutureWarning, stacklevel=2)
        return new(*args, **kwargs)
    old.__name__ = old.__qualname__ = old_name
    old.__doc__ = "Deprecated: use :func:`{}`.".format(new.__name__)
    return old


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
