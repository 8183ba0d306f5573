"""Convolution layers: ``Conv1d``, ``Conv2d``, ``Conv3d`` and the transposed ``ConvTranspose1d``,
``ConvTranspose2d``, ``ConvTranspose3d``.  Each holds a weight and a bias and calls its function
of ``F`` (the mathematics is in ``ember/_ops/conv.py``)."""
import math

from ... import _errors
from ..._ops.creation.filling import empty
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]


def _ntuple(n):
    """An int repeated ``n`` times, or a sequence as a tuple (torch's ``_pair`` and friends)."""
    def expand(value):
        if isinstance(value, (tuple, list)):
            return tuple(value)
        return (value,) * n
    return expand


_single, _pair, _triple = _ntuple(1), _ntuple(2), _ntuple(3)


class _ConvNd(Module):
    """What every convolution layer shares: the arguments, the parameters and their
    initialisation, and the printed form."""

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 transposed, output_padding, groups, bias, padding_mode, device=None,
                 dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError("Invalid padding string {!r}, should be one of {}".format(
                    padding, {"same", "valid"}))
            if padding == "same" and any(s != 1 for s in stride):
                raise _errors.padding_same_strided(ValueError)
        modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in modes:
            raise ValueError("padding_mode must be one of {}, but got padding_mode='{}'".format(
                modes, padding_mode))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's form of the padding (last dimension first, each amount twice), for the
        # padding modes other than zeros; 'same' puts the odd zero after the input
        if isinstance(padding, str):
            pads = [0, 0] * len(kernel_size)
            if padding == "same":
                for i, (d, k) in enumerate(zip(reversed(dilation), reversed(kernel_size))):
                    total = d * (k - 1)
                    pads[2 * i], pads[2 * i + 1] = total // 2, total - total // 2
            self._reversed_padding_repeated_twice = pads
        else:
            self._reversed_padding_repeated_twice = tuple(
                p for p in reversed(padding) for _ in (0, 1))
        shape = ((in_channels, out_channels // groups) if transposed else
                 (out_channels, in_channels // groups)) + tuple(kernel_size)
        self.weight = Parameter(empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Draws new weights and bias, uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)], where
        fan_in = weight.size(1) * prod(kernel_size) (``kaiming_uniform_`` with ``a=sqrt(5)``
        is that bound for the weight)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)


class _Conv(_ConvNd):
    """A convolution layer of ``_nd`` spatial dimensions."""

    _nd, _expand, _functional = 2, staticmethod(_pair), staticmethod(F.conv2d)

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        n = self._expand
        super().__init__(in_channels, out_channels, n(kernel_size), n(stride),
                         padding if isinstance(padding, str) else n(padding), n(dilation),
                         False, n(0), groups, bias, padding_mode, device, dtype)

    def _conv_forward(self, input, weight, bias):
        if self.padding_mode != "zeros":
            return self._functional(F.pad(input, self._reversed_padding_repeated_twice,
                                          mode=self.padding_mode),
                                    weight, bias, self.stride, self._expand(0), self.dilation,
                                    self.groups)
        return self._functional(input, weight, bias, self.stride, self.padding, self.dilation,
                                self.groups)

    def forward(self, input):
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    r"""Applies a 1-d convolution over an input of several channels:

    .. math:: \text{out}(N_i, C_{out_j}) = \text{bias}(C_{out_j}) +
              \sum_{k = 0}^{C_{in} - 1} \text{weight}(C_{out_j}, k) \star \text{input}(N_i, k)

    where :math:`\star` is the cross-correlation (a sliding dot product).

    Args:
        in_channels, out_channels: channels of the input and of the output
        kernel_size: the length of the kernel
        stride: the step between windows.  Default: 1
        padding: zeros added to both ends (an int), or 'valid' (none) or 'same' (as long an
            output as the input).  Default: 0
        dilation: the spacing between kernel elements.  Default: 1
        groups: split the channels into this many independent convolutions.  Default: 1
        bias: learn an additive bias.  Default: ``True``
        padding_mode: 'zeros', 'reflect', 'replicate' or 'circular'.  Default: 'zeros'

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})` or :math:`(C_{in}, L_{in})`
        - Output: :math:`(N, C_{out}, L_{out})` with
          :math:`L_{out} = \lfloor (L_{in} + 2 \cdot \text{padding} - \text{dilation} \cdot
          (\text{kernel\_size} - 1) - 1) / \text{stride} + 1 \rfloor`

    Attributes:
        weight: (out_channels, in_channels / groups, kernel_size), and bias: (out_channels),
            both from :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`,
            :math:`k = \text{groups} / (C_{in} \cdot \text{kernel\_size})`
    """

    _nd, _expand, _functional = 1, staticmethod(_single), staticmethod(F.conv1d)


class Conv2d(_Conv):
    r"""Applies a 2-d convolution over an image batch of several channels: every output channel
    is the sum, over the input channels, of the input cross-correlated with that channel's
    kernel, plus a bias.

    Args:
        in_channels: channels of the input image
        out_channels: channels produced by the convolution
        kernel_size: the size of the kernel (an int or a pair)
        stride: the step between windows.  Default: 1
        padding: zeros added to all four sides (an int or a pair), or 'valid' (none) or
            'same' (output as large as the input; stride 1 only).  Default: 0
        dilation: the spacing between kernel elements.  Default: 1
        groups: split the channels into this many independent convolutions.  Default: 1
        bias: learn an additive bias.  Default: ``True``
        padding_mode: 'zeros', 'reflect', 'replicate' or 'circular'.  Default: 'zeros'

    Shape:
        - Input: :math:`(N, C_{in}, H_{in}, W_{in})` or :math:`(C_{in}, H_{in}, W_{in})`
        - Output: :math:`(N, C_{out}, H_{out}, W_{out})` with
          :math:`H_{out} = \lfloor (H_{in} + 2 \cdot \text{padding}[0] - \text{dilation}[0]
          \cdot (\text{kernel\_size}[0] - 1) - 1) / \text{stride}[0] + 1 \rfloor`, and the
          same for :math:`W_{out}`

    Attributes:
        weight: (out_channels, in_channels / groups, kernel_size[0], kernel_size[1]), and
            bias: (out_channels), both from :math:`\mathcal{U}(-\sqrt{k}, \sqrt{k})`,
            :math:`k = \text{groups} / (C_{in} \cdot \prod \text{kernel\_size})`

    Example::

        >>> conv = nn.Conv2d(1, 6, 5, padding=2)
        >>> conv(torch.randn(64, 1, 28, 28)).shape
        torch.Size([64, 6, 28, 28])
    """


class Conv3d(_Conv):
    r"""Applies a 3-d convolution over a batch of volumes of several channels (see
    :class:`Conv2d`; kernel_size, stride, padding and dilation are ints or triples).

    Shape:
        - Input: :math:`(N, C_{in}, D_{in}, H_{in}, W_{in})` or :math:`(C_{in}, D_{in}, H_{in},
          W_{in})`
        - Output: :math:`(N, C_{out}, D_{out}, H_{out}, W_{out})`
    """

    _nd, _expand, _functional = 3, staticmethod(_triple), staticmethod(F.conv3d)


class _ConvTransposeNd(_ConvNd):
    """A transposed convolution layer of ``_nd`` spatial dimensions: the gradient of a
    convolution with respect to its input, used as a layer (it enlarges its input)."""

    _nd, _expand, _functional = 2, staticmethod(_pair), staticmethod(F.conv_transpose2d)

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for {}'.format(
                type(self).__name__))
        n = self._expand
        super().__init__(in_channels, out_channels, n(kernel_size), n(stride), n(padding),
                         n(dilation), True, n(output_padding), groups, bias, padding_mode,
                         device, dtype)

    def _output_padding(self, input, output_size, stride, padding, kernel_size, num_spatial_dims,
                        dilation=None):
        """The ``output_padding`` that gives ``output_size`` (a convolution with stride s maps
        s input sizes to one output size; this picks which), or the layer's own."""
        if output_size is None:
            return _single(self.output_padding)
        has_batch_dim = input.dim() == num_spatial_dims + 2
        non_spatial = 2 if has_batch_dim else 1
        output_size = list(output_size)
        if len(output_size) == non_spatial + num_spatial_dims:
            output_size = output_size[non_spatial:]
        if len(output_size) != num_spatial_dims:
            raise ValueError("ConvTranspose{}D: for {}D input, output_size must have {} or {} "
                             "elements (got {})".format(num_spatial_dims, input.dim(),
                                                        num_spatial_dims,
                                                        non_spatial + num_spatial_dims,
                                                        len(output_size)))
        min_sizes, max_sizes = [], []
        for d in range(num_spatial_dims):
            size = ((input.size(d + non_spatial) - 1) * stride[d] - 2 * padding[d]
                    + (dilation[d] if dilation is not None else 1) * (kernel_size[d] - 1) + 1)
            min_sizes.append(size)
            max_sizes.append(size + stride[d] - 1)
        for size, low, high in zip(output_size, min_sizes, max_sizes):
            if size < low or size > high:
                raise ValueError("requested an output size of {}, but valid sizes range from {} "
                                 "to {} (for an input of {})".format(
                                     output_size, min_sizes, max_sizes, input.size()[2:]))
        return [size - low for size, low in zip(output_size, min_sizes)]

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size, self.stride, self.padding,
                                              self.kernel_size, self._nd, self.dilation)
        return self._functional(input, self.weight, self.bias, self.stride, self.padding,
                                output_padding, self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    r"""Applies a 1-d transposed convolution: every input element adds the kernel, scaled by
    itself, onto a window of the output, windows ``stride`` apart.  With the same arguments
    it maps :class:`Conv1d`'s output shape back to its input shape; ``output_padding`` picks
    among the input lengths a strided convolution maps to the same output length.

    Shape:
        - Input: :math:`(N, C_{in}, L_{in})` or :math:`(C_{in}, L_{in})`
        - Output: :math:`(N, C_{out}, L_{out})`, :math:`L_{out} = (L_{in} - 1) \cdot
          \text{stride} - 2 \cdot \text{padding} + \text{dilation} \cdot
          (\text{kernel\_size} - 1) + \text{output\_padding} + 1`

    Attributes:
        weight: (in_channels, out_channels / groups, kernel_size), bias: (out_channels)
    """

    _nd, _expand, _functional = 1, staticmethod(_single), staticmethod(F.conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    r"""Applies a 2-d transposed convolution (sometimes called a deconvolution), the usual
    learned upsampling of decoders and GANs (see :class:`ConvTranspose1d`).

    Attributes:
        weight: (in_channels, out_channels / groups, kernel_size[0], kernel_size[1]),
        bias: (out_channels)

    Example::

        >>> up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        >>> up(torch.randn(1, 16, 7, 7)).shape
        torch.Size([1, 8, 14, 14])
    """


class ConvTranspose3d(_ConvTransposeNd):
    r"""Applies a 3-d transposed convolution (see :class:`ConvTranspose1d`)."""

    _nd, _expand, _functional = 3, staticmethod(_triple), staticmethod(F.conv_transpose3d)
