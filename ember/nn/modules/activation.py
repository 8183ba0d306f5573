r"""Activation layers: the elementwise non-linearities (``ReLU``, ``Sigmoid``, ``GELU`` ...) and
the softmax family, as modules.

Each one only stores its settings and calls the function of the same name in
``ember.nn.functional`` (where the mathematics and the gradients are); ``PReLU`` is the one
with a learned parameter.  Those with ``inplace=True`` overwrite their input instead of
allocating a new tensor -- fine for an intermediate result that nothing else needs.
"""
import warnings

from ..._ops.creation.filling import empty
from ..._ops.elementwise.exponential import sigmoid
from ..._ops.elementwise.trigonometric import tanh
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Threshold", "ReLU", "RReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
           "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU", "Hardshrink",
           "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink", "PReLU", "Softsign",
           "Tanhshrink", "Softmin", "Softmax", "Softmax2d", "LogSoftmax"]


class _Inplace(Module):
    """An activation whose only setting is ``inplace``; its repr shows ``inplace=True`` only."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


def _inplace_suffix(module):
    return ", inplace=True" if module.inplace else ""


class Threshold(Module):
    r"""``value`` where :math:`x \le` ``threshold``, else :math:`x`."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return "threshold={}, value={}{}".format(self.threshold, self.value,
                                                 _inplace_suffix(self))


class ReLU(_Inplace):
    r""":math:`\max(0, x)`, elementwise.

    Example::

        >>> nn.ReLU()(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)


class RReLU(Module):
    r"""Randomised leaky ReLU: :math:`x` for :math:`x \ge 0`, else :math:`a x` with the slope
    :math:`a` drawn from U(``lower``, ``upper``) per element while training and fixed at
    :math:`(lower + upper) / 2` in ``eval()`` mode."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return "lower={}, upper={}{}".format(self.lower, self.upper, _inplace_suffix(self))


class Hardtanh(Module):
    r""":math:`x` clipped to [``min_val``, ``max_val``]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None,
                 max_value=None):
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError("max_val ({}) must be greater than min_val ({})".format(
                self.max_val, self.min_val))

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return "min_val={}, max_val={}{}".format(self.min_val, self.max_val,
                                                 _inplace_suffix(self))


class ReLU6(Hardtanh):
    r""":math:`\min(\max(0, x), 6)`."""

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    r""":math:`\sigma(x) = 1 / (1 + e^{-x})`, squashing into (0, 1)."""

    def forward(self, input):
        return sigmoid(input)


class Hardsigmoid(Module):
    r"""A piecewise-linear sigmoid: 0 below -3, 1 above 3, :math:`x / 6 + 1/2` between."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.hardsigmoid(input, self.inplace)


class Tanh(Module):
    r""":math:`\tanh(x)`, squashing into (-1, 1)."""

    def forward(self, input):
        return tanh(input)


class SiLU(_Inplace):
    r""":math:`x \sigma(x)` (also called swish)."""

    def forward(self, input):
        return F.silu(input, inplace=self.inplace)


class Mish(_Inplace):
    r""":math:`x \tanh(\mathrm{softplus}(x))`."""

    def forward(self, input):
        return F.mish(input, inplace=self.inplace)


class Hardswish(Module):
    r""":math:`x \cdot \mathrm{hardsigmoid}(x)`: 0 below -3, :math:`x` above 3."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.hardswish(input, self.inplace)


class ELU(Module):
    r""":math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)`."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return "alpha={}{}".format(self.alpha, _inplace_suffix(self))


class CELU(Module):
    r""":math:`\max(0, x) + \min(0, \alpha (e^{x/\alpha} - 1))`."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return "alpha={}{}".format(self.alpha, _inplace_suffix(self))


class SELU(_Inplace):
    r"""Scaled ELU, :math:`\lambda\,\mathrm{ELU}_\alpha(x)` with the constants
    (:math:`\alpha \approx 1.6733`, :math:`\lambda \approx 1.0507`) that make deep networks
    self-normalising."""

    def forward(self, input):
        return F.selu(input, self.inplace)


class GLU(Module):
    r"""Gated linear unit: the input split in two halves :math:`a, b` along ``dim``, gives
    :math:`a \otimes \sigma(b)` (half the size)."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return "dim={}".format(self.dim)


class GELU(Module):
    r""":math:`x \Phi(x)`, with :math:`\Phi` the standard normal CDF (``approximate='tanh'``
    uses the tanh approximation)."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return "approximate={!r}".format(self.approximate)


class Hardshrink(Module):
    r""":math:`x` where :math:`|x| >` ``lambd``, else 0."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.hardshrink(input, self.lambd)

    def extra_repr(self):
        return "{}".format(self.lambd)


class LeakyReLU(Module):
    r""":math:`x` for :math:`x \ge 0`, else ``negative_slope`` :math:`\cdot x`."""

    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return "negative_slope={}{}".format(self.negative_slope, _inplace_suffix(self))


class LogSigmoid(Module):
    r""":math:`\log \sigma(x) = -\mathrm{softplus}(-x)`."""

    def forward(self, input):
        return F.logsigmoid(input)


class Softplus(Module):
    r""":math:`\frac{1}{\beta} \log(1 + e^{\beta x})`, a smooth ReLU (linear where
    :math:`\beta x >` ``threshold``, for stability)."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return "beta={}, threshold={}".format(self.beta, self.threshold)


class Softshrink(Module):
    r""":math:`x - \lambda` above ``lambd``, :math:`x + \lambda` below ``-lambd``, else 0."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.softshrink(input, self.lambd)

    def extra_repr(self):
        return str(self.lambd)


class PReLU(Module):
    r"""Leaky ReLU with a learned slope: :math:`x` for :math:`x \ge 0`, else :math:`a x`.

    Args:
        num_parameters: 1 (one slope for all) or the number of channels (dim 1 of the input).
        init: the initial slope.  Default: 0.25
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        """Every slope back to ``init``."""
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return "num_parameters={}".format(self.num_parameters)


class Softsign(Module):
    r""":math:`x / (1 + |x|)`."""

    def forward(self, input):
        return F.softsign(input)


class Tanhshrink(Module):
    r""":math:`x - \tanh(x)`."""

    def forward(self, input):
        return F.tanhshrink(input)


class _SoftmaxBase(Module):
    """A softmax-family layer over dimension ``dim`` (``None``: chosen from the input's number
    of dimensions, with a deprecation warning, as in torch)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return "dim={}".format(self.dim)


class Softmin(_SoftmaxBase):
    r""":math:`\mathrm{softmax}(-x)`: probabilities favouring the smallest entries."""

    def forward(self, input):
        return F.softmin(input, self.dim, _stacklevel=5)


class Softmax(_SoftmaxBase):
    r""":math:`e^{x_i} / \sum_j e^{x_j}` along ``dim``: non-negative entries that sum to 1.

    Example::

        >>> nn.Softmax(dim=1)(torch.tensor([[1.0, 1.0]]))
        tensor([[0.5000, 0.5000]])
    """

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)


class Softmax2d(Module):
    """Softmax over the channels (dim -3) of a (N, C, H, W) or (C, H, W) input, at every
    pixel."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError("Softmax2d: expected input to be 3D or 4D, got {}D "
                             "instead".format(input.dim()))
        return F.softmax(input, -3, _stacklevel=5)


class LogSoftmax(_SoftmaxBase):
    r""":math:`\log \mathrm{softmax}(x)` along ``dim``, computed stably (pair it with
    ``NLLLoss``)."""

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)
