"""Normalisation layers that need no running statistics: ``LayerNorm``, ``GroupNorm``,
``RMSNorm`` and ``LocalResponseNorm``.  Each normalises every sample on its own, so they behave
the same in training and in ``eval()`` mode (the mathematics is in
``ember/_ops/normalization.py``)."""
import numbers

from ..._ops.creation.filling import empty
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm"]


def _shape_tuple(normalized_shape):
    if isinstance(normalized_shape, numbers.Integral):
        return (normalized_shape,)
    return tuple(normalized_shape)


def _affine_parameters(module, affine, bias, shape, device, dtype):
    """Registers the learned scale ``weight`` and shift ``bias`` of a normalisation layer, each
    of ``shape``: None when not ``affine`` (and the bias None when not ``bias``)."""
    if affine:
        module.weight = Parameter(empty(shape, device=device, dtype=dtype))
        if bias:
            module.bias = Parameter(empty(shape, device=device, dtype=dtype))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)


def _reset_affine(module):
    """The affine map back to the identity: weight 1, bias 0."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    r"""Layer normalisation: standardises each sample over its last dimensions
    (``normalized_shape``), then scales and shifts elementwise.

    .. math:: y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta

    Args:
        normalized_shape: the shape of the trailing dimensions to normalise over (an int for
            the last dimension only)
        eps: added to the variance for numerical stability.  Default: 1e-5
        elementwise_affine: learn ``weight`` (ones) and ``bias`` (zeros) of
            ``normalized_shape``.  Default: ``True``
        bias: learn the bias (with ``elementwise_affine``).  Default: ``True``

    Example::

        >>> ln = nn.LayerNorm(10)
        >>> ln(torch.randn(4, 7, 10)).shape
        torch.Size([4, 7, 10])
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, elementwise_affine, bias, self.normalized_shape, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """The affine map back to the identity: weight 1, bias 0."""
        _reset_affine(self)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return "{}, eps={}, elementwise_affine={}, bias={}".format(
            self.normalized_shape, self.eps, self.elementwise_affine, self.bias is not None)


class GroupNorm(Module):
    r"""Group normalisation: splits the C channels of a (N, C, *) input into ``num_groups``
    groups and standardises each group of each sample, then scales and shifts per channel.

    Args:
        num_groups: the number of groups (it must divide ``num_channels``)
        num_channels: the number of channels C
        eps: added to the variance for numerical stability.  Default: 1e-5
        affine: learn a per-channel ``weight`` (ones) and ``bias`` (zeros).  Default: ``True``
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
                 *, bias=True):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError("num_channels ({}) must be divisible by num_groups ({})".format(
                num_channels, num_groups))
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, affine, bias, num_channels, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """The affine map back to the identity: weight 1, bias 0."""
        _reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return "{}, {}, eps={}, affine={}, bias={}".format(
            self.num_groups, self.num_channels, self.eps, self.affine, self.bias is not None)


class RMSNorm(Module):
    r"""Root-mean-square normalisation over the last dimensions (``normalized_shape``):

    .. math:: y = \frac{x}{\sqrt{\mathrm{mean}(x^2) + \epsilon}} * \gamma

    Unlike :class:`LayerNorm` it does not subtract the mean.  ``eps=None`` means the machine
    epsilon of the input's dtype.
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        self.normalized_shape = _shape_tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self):
        """The scale back to ones."""
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return "{}, eps={}, elementwise_affine={}".format(self.normalized_shape, self.eps,
                                                          self.elementwise_affine)


class LocalResponseNorm(Module):
    r"""Local response normalisation (AlexNet): each element divided by a power of the
    summed squares of ``size`` neighbouring channels,

    .. math:: b_c = a_c \left(k + \frac{\alpha}{n} \sum_{c'} a_{c'}^2\right)^{-\beta}
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return "{}, alpha={}, beta={}, k={}".format(self.size, self.alpha, self.beta, self.k)
