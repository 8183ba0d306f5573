"""Padding layers: add values around the borders of the last 1, 2 or 3 dimensions.

``padding`` is an int (the same on every side) or a tuple ``(left, right, top, bottom, front,
back)`` read from the last dimension backwards, as ``F.pad`` reads it.  The modes:

* constant -- a fixed value (``ZeroPad`` pads with 0);
* reflection -- the input mirrored at its border, without repeating the border element;
* replication -- the border element repeated;
* circular -- the input wrapped around, as if it were periodic.

They hold no parameters; the gradient of padding passes back the part that came from the input.
"""
from ... import _errors
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


def _padding(padding, dims):
    """An int becomes the same amount on both sides of each padded dimension."""
    if isinstance(padding, int):
        return (padding,) * (2 * dims)
    return tuple(padding)


class _PadNd(Module):
    mode = "constant"
    dims = 1

    def __init__(self, padding):
        super().__init__()
        self.padding = _padding(padding, self.dims)

    def forward(self, input):
        self._check_dims(input)
        return F.pad(input, self.padding, self.mode)

    def _check_dims(self, input):
        """Only circular padding checks the input's dimensions itself (F.pad does the rest)."""

    def extra_repr(self):
        return "{}".format(self.padding)


class _NonConstantPadNd(_PadNd):
    pass


class _CircularPadNd(_PadNd):
    mode = "circular"

    def _check_dims(self, input):
        if input.dim() not in (self.dims + 1, self.dims + 2):
            raise _errors.expected_nd_input(self.dims + 1, self.dims + 2, input.dim())


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return "padding={}, value={}".format(self.padding, self.value)


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dimension with ``value``."""
    dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dimensions with ``value``."""
    dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dimensions with ``value``."""
    dims = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last dimension with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return "{}".format(self.padding)


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dimensions with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return "{}".format(self.padding)


class ZeroPad3d(ConstantPad3d):
    """Pads the last three dimensions with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return "{}".format(self.padding)


class ReflectionPad1d(_NonConstantPadNd):
    """Pads the last dimension with its mirror image."""
    mode, dims = "reflect", 1


class ReflectionPad2d(_NonConstantPadNd):
    """Pads the last two dimensions with their mirror image."""
    mode, dims = "reflect", 2


class ReflectionPad3d(_NonConstantPadNd):
    """Pads the last three dimensions with their mirror image."""
    mode, dims = "reflect", 3


class ReplicationPad1d(_NonConstantPadNd):
    """Pads the last dimension by repeating its border values."""
    mode, dims = "replicate", 1


class ReplicationPad2d(_NonConstantPadNd):
    """Pads the last two dimensions by repeating their border values."""
    mode, dims = "replicate", 2


class ReplicationPad3d(_NonConstantPadNd):
    """Pads the last three dimensions by repeating their border values."""
    mode, dims = "replicate", 3


class CircularPad1d(_CircularPadNd):
    """Pads the last dimension by wrapping it around."""
    dims = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last two dimensions by wrapping them around."""
    dims = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last three dimensions by wrapping them around."""
    dims = 3
