"""Pooling layers: max, average, adaptive, power-average pooling and max unpooling, each in 1, 2
and 3 dimensions.  They hold no parameters; each calls its function of ``F`` (the mathematics
is in ``ember/_ops/pooling.py``)."""
from .. import functional as F
from .conv import _pair, _single, _triple
from .module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "LPPool1d", "LPPool2d", "LPPool3d",
           "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"]


class _MaxPoolNd(Module):
    """The arguments of max pooling; ``stride`` defaults to ``kernel_size`` (windows side by
    side)."""

    _functional = staticmethod(F.max_pool2d)

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return self._functional(input, self.kernel_size, self.stride, self.padding,
                                self.dilation, ceil_mode=self.ceil_mode,
                                return_indices=self.return_indices)

    def extra_repr(self):
        return ("kernel_size={kernel_size}, stride={stride}, padding={padding}, "
                "dilation={dilation}, ceil_mode={ceil_mode}".format(**self.__dict__))


class MaxPool1d(_MaxPoolNd):
    r"""The maximum of each window of ``kernel_size`` elements of an input (N, C, L) or
    (C, L), windows ``stride`` apart (default: ``kernel_size``).

    Args:
        kernel_size: the window length
        stride: the step between windows.  Default: ``kernel_size``
        padding: -inf added at both ends (at most half the kernel).  Default: 0
        dilation: the spacing between a window's elements.  Default: 1
        return_indices: also return each maximum's position (for :class:`MaxUnpool1d`)
        ceil_mode: keep a last, partial window (ceil instead of floor in the output length)

    Shape:
        :math:`L_{out} = \lfloor (L_{in} + 2 \cdot \text{padding} - \text{dilation} \cdot
        (\text{kernel\_size} - 1) - 1) / \text{stride} + 1 \rfloor`
    """

    _functional = staticmethod(F.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    r"""The maximum of each ``kernel_size`` window of an image batch (N, C, H, W) or (C, H, W),
    channel by channel; the usual down-sampling between convolutions.

    Args:
        kernel_size: the window size (an int or a pair)
        stride: the step between windows.  Default: ``kernel_size``
        padding: -inf added on every side (at most half the kernel).  Default: 0
        dilation: the spacing between a window's elements.  Default: 1
        return_indices: also return each maximum's position (for :class:`MaxUnpool2d`)
        ceil_mode: keep last, partial windows (ceil instead of floor in the output size)

    Shape:
        :math:`H_{out} = \lfloor (H_{in} + 2 \cdot \text{padding}[0] - \text{dilation}[0]
        \cdot (\text{kernel\_size}[0] - 1) - 1) / \text{stride}[0] + 1 \rfloor`, and so
        for :math:`W_{out}`

    Example::

        >>> nn.MaxPool2d(2)(torch.randn(64, 6, 28, 28)).shape
        torch.Size([64, 6, 14, 14])
    """


class MaxPool3d(_MaxPoolNd):
    r"""Max pooling over 3-d windows of an input (N, C, D, H, W) or (C, D, H, W) (see
    :class:`MaxPool2d`)."""

    _functional = staticmethod(F.max_pool3d)


class _AvgPoolNd(Module):
    def extra_repr(self):
        return "kernel_size={}, stride={}, padding={}".format(self.kernel_size, self.stride,
                                                              self.padding)


class AvgPool1d(_AvgPoolNd):
    r"""The mean of each window of ``kernel_size`` elements of an input (N, C, L) or (C, L).

    Args:
        kernel_size: the window length
        stride: the step between windows.  Default: ``kernel_size``
        padding: zeros added at both ends (at most half the kernel).  Default: 0
        ceil_mode: keep a last, partial window
        count_include_pad: count the padding zeros in the divisor.  Default: ``True``
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class AvgPool2d(_AvgPoolNd):
    r"""The mean of each ``kernel_size`` window of an input (N, C, H, W) or (C, H, W).

    Args:
        kernel_size: the window size (an int or a pair)
        stride: the step between windows.  Default: ``kernel_size``
        padding: zeros added on every side (at most half the kernel).  Default: 0
        ceil_mode: keep last, partial windows
        count_include_pad: count the padding zeros in the divisor.  Default: ``True``
        divisor_override: divide every window's sum by this instead of its size
    """

    _functional = staticmethod(F.avg_pool2d)

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return self._functional(input, self.kernel_size, self.stride, self.padding,
                                self.ceil_mode, self.count_include_pad, self.divisor_override)


class AvgPool3d(AvgPool2d):
    r"""Average pooling over 3-d windows of an input (N, C, D, H, W) or (C, D, H, W) (see
    :class:`AvgPool2d`)."""

    _functional = staticmethod(F.avg_pool3d)


class _AdaptivePoolNd(Module):
    def extra_repr(self):
        return "output_size={}".format(self.output_size)


class _AdaptiveAvgPoolNd(_AdaptivePoolNd):
    """Pools to a fixed ``output_size``, whatever the input's size."""

    _functional = staticmethod(F.adaptive_avg_pool2d)

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return self._functional(input, self.output_size)


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    r"""Averages an input (N, C, L) or (C, L) down to ``output_size`` values per channel, over
    windows chosen to cover the input evenly."""

    _functional = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    r"""Averages an input (N, C, H, W) or (C, H, W) down to ``output_size`` (an int, or a pair
    in which None keeps that dimension), whatever its size; ``AdaptiveAvgPool2d(1)`` is global
    average pooling.

    Example::

        >>> nn.AdaptiveAvgPool2d((5, 7))(torch.randn(1, 64, 8, 9)).shape
        torch.Size([1, 64, 5, 7])
    """


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    r"""Adaptive average pooling of an input (N, C, D, H, W) or (C, D, H, W)."""

    _functional = staticmethod(F.adaptive_avg_pool3d)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    """Max pooling to a fixed ``output_size``, whatever the input's size."""

    _functional = staticmethod(F.adaptive_max_pool2d)

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input):
        return self._functional(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    r"""The maximum over ``output_size`` windows covering an input (N, C, L) or (C, L)
    evenly."""

    _functional = staticmethod(F.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    r"""The maximum over windows covering an input (N, C, H, W) or (C, H, W) evenly, to
    ``output_size`` (an int, or a pair in which None keeps that dimension)."""


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    r"""Adaptive max pooling of an input (N, C, D, H, W) or (C, D, H, W)."""

    _functional = staticmethod(F.adaptive_max_pool3d)


class _LPPoolNd(Module):
    """Power-average pooling: ``(sum of x ** norm_type over each window) ** (1 / norm_type)``
    (norm_type 1: sum pooling; infinity: max pooling)."""

    _functional = staticmethod(F.lp_pool2d)

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return self._functional(input, float(self.norm_type), self.kernel_size, self.stride,
                                self.ceil_mode)

    def extra_repr(self):
        return ("norm_type={norm_type}, kernel_size={kernel_size}, stride={stride}, "
                "ceil_mode={ceil_mode}".format(**self.__dict__))


class LPPool1d(_LPPoolNd):
    r"""Power-average pooling over windows of an input (N, C, L) or (C, L)."""

    _functional = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPoolNd):
    r"""Power-average pooling over 2-d windows of an input (N, C, H, W) or (C, H, W)."""


class LPPool3d(_LPPoolNd):
    r"""Power-average pooling over 3-d windows of an input (N, C, D, H, W) or (C, D, H, W)."""

    _functional = staticmethod(F.lp_pool3d)


class _MaxUnpoolNd(Module):
    """Puts the maxima of a max pooling (with ``return_indices=True``) back where they came
    from, zeros elsewhere: a partial inverse of max pooling."""

    _expand, _functional = staticmethod(_pair), staticmethod(F.max_unpool2d)

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = self._expand(kernel_size)
        self.stride = self._expand(stride if stride is not None else kernel_size)
        self.padding = self._expand(padding)

    def forward(self, input, indices, output_size=None):
        return self._functional(input, indices, self.kernel_size, self.stride, self.padding,
                                output_size)

    def extra_repr(self):
        return "kernel_size={}, stride={}, padding={}".format(self.kernel_size, self.stride,
                                                              self.padding)


class MaxUnpool1d(_MaxUnpoolNd):
    r"""The partial inverse of :class:`MaxPool1d` (see :class:`MaxUnpool2d`)."""

    _expand, _functional = staticmethod(_single), staticmethod(F.max_unpool1d)


class MaxUnpool2d(_MaxUnpoolNd):
    r"""The partial inverse of :class:`MaxPool2d`: each value goes to the position its index
    names in a zero image of the unpooled size.

    Example::

        >>> pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
        >>> out, indices = pool(torch.randn(1, 1, 4, 4))
        >>> unpool(out, indices).shape
        torch.Size([1, 1, 4, 4])
    """


class MaxUnpool3d(_MaxUnpoolNd):
    r"""The partial inverse of :class:`MaxPool3d` (see :class:`MaxUnpool2d`)."""

    _expand, _functional = staticmethod(_triple), staticmethod(F.max_unpool3d)
