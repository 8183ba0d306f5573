"""Observers: modules that watch the tensors flowing through a model and choose the scale and
zero point that will quantize them (``calculate_qparams``).

For a range ``[min, max]`` (widened to include 0, so that 0 is exactly representable) and an
integer range ``[qmin, qmax]``:

* affine: ``scale = (max - min) / (qmax - qmin)``, ``zero_point = qmin - round(min / scale)``;
* symmetric: ``scale = max(|min|, max) / ((qmax - qmin) / 2)``, ``zero_point = 0`` (128 for
  quint8).

All of it in float32, as torch computes it, so the parameters equal torch's bit for bit.
"""
import math
from functools import partial

import numpy as np

from ... import _dtype, _quantized as _q
from ..._tensor import Tensor
from ...nn.modules.module import Module

__all__ = ["ObserverBase", "MinMaxObserver", "MovingAverageMinMaxObserver",
           "PerChannelMinMaxObserver", "MovingAveragePerChannelMinMaxObserver",
           "HistogramObserver", "PlaceholderObserver", "default_observer",
           "default_weight_observer", "default_per_channel_weight_observer",
           "default_dynamic_quant_observer", "default_histogram_observer",
           "default_placeholder_observer"]

_F32 = np.float32
_EPS = float(np.finfo(np.float32).eps)


class _PartialWrapper:
    """A factory made by ``Observer.with_args(...)``: calling it makes the observer."""

    def __init__(self, p):
        self.p = p

    def __call__(self, *args, **keywords):
        return self.p(*args, **keywords)

    def __repr__(self):
        return repr(self.p) + "{}"

    def with_args(self, **kwargs):
        return _PartialWrapper(partial(self.p, **kwargs))


def _with_args(cls_or_self, **kwargs):
    """A factory that makes this class with these arguments (``MinMaxObserver.with_args(
    dtype=torch.qint8)``): a qconfig holds factories, so that each layer gets its own."""
    return _PartialWrapper(partial(cls_or_self, **kwargs))


def _tensor(value, dtype):
    return Tensor._make(np.array(value, dtype))


def _qrange(dtype, reduce_range, quant_min, quant_max):
    """torch's ``calculate_qmin_qmax``: the dtype's range, halved by ``reduce_range``, unless
    a custom range is given."""
    if quant_min is not None and quant_max is not None:
        if reduce_range:
            return quant_min // 2, quant_max // 2
        return quant_min, quant_max
    if dtype is _q.qint8:
        return (-64, 63) if reduce_range else (-128, 127)
    if dtype is _q.quint8:
        return (0, 127) if reduce_range else (0, 255)
    if dtype is _q.qint32:
        return -2 ** 31, 2 ** 31 - 1
    return (0, 7) if reduce_range else (0, 15)          # quint4x2


class ObserverBase(Module):
    """The base of observers: ``forward`` records statistics and returns its input unchanged;
    ``calculate_qparams`` turns them into (scale, zero_point)."""

    with_args = classmethod(_with_args)

    def __init__(self, dtype, is_dynamic=False):
        super().__init__()
        self.dtype = dtype
        self.is_dynamic = is_dynamic


class _UniformObserver(ObserverBase):
    """What the min/max observers share: the scheme, the integer range and the qparams
    formula."""

    def __init__(self, dtype=_q.quint8, qscheme=_q.per_tensor_affine, reduce_range=False,
                 quant_min=None, quant_max=None, factory_kwargs=None, eps=_EPS,
                 is_dynamic=False, **kwargs):
        super().__init__(dtype, is_dynamic)
        self.qscheme = qscheme
        self.reduce_range = reduce_range
        self.register_buffer("eps", _tensor([eps], _F32))
        if dtype not in _q.dtypes.QUANTIZED.values():
            raise AssertionError("Default Observer only works for qint8, quint8, quint4x2 and "
                                 "qint32 data types in ember")
        self.has_customized_qrange = quant_min is not None and quant_max is not None
        self.quant_min, self.quant_max = _qrange(dtype, reduce_range, quant_min, quant_max)

    def _calculate_qparams(self, min_val, max_val):
        """(scale float32 tensor, zero_point int64 tensor) from float32 arrays of minima and
        maxima (0-d for per-tensor observers, whose results still have one element)."""
        if not _valid(min_val, max_val):
            return _tensor([1.0], _F32), _tensor([0], np.int64)
        qmin, qmax = self.quant_min, self.quant_max
        min_neg = np.minimum(min_val, _F32(0))
        max_pos = np.maximum(max_val, _F32(0))
        eps = self.eps._array
        if self.qscheme.symmetric:
            max_pos = np.maximum(-min_neg, max_pos)
            scale = np.maximum(max_pos / _F32((qmax - qmin) / 2), eps)
            if self.dtype is _q.quint8:
                middle = (qmin + qmax) // 2 if self.has_customized_qrange else 128
            else:
                middle = 0
            zero_point = np.full(np.shape(scale), middle, np.int64)
        elif self.qscheme is _q.per_channel_affine_float_qparams:
            scale = (max_val - min_val) / _F32(qmax - qmin)
            scale = np.where(scale > eps, scale, _F32(1.0))
            zero_point = -1 * min_val / scale
        else:
            scale = np.maximum((max_pos - min_neg) / _F32(qmax - qmin), eps)
            zero_point = qmin - np.rint(min_neg / scale).astype(np.int32)
            zero_point = np.clip(zero_point, qmin, qmax).astype(np.int32)    # torch's: int
        scale = np.asarray(scale, _F32).reshape(-1)
        return Tensor._make(scale), Tensor._make(np.asarray(zero_point).reshape(-1))


def _valid(min_val, max_val):
    """False (and a warning in torch) while nothing has been observed yet."""
    if np.size(min_val) == 0 or np.size(max_val) == 0:
        return False
    return not (np.all(np.isinf(min_val)) and np.all(np.isinf(max_val)))


def _check_per_tensor(qscheme, name):
    if qscheme.per_channel:
        raise NotImplementedError(
            "{}'s qscheme only support torch.per_tensor_symmetric and "
            "torch.per_tensor_affine.".format(name))


class MinMaxObserver(_UniformObserver):
    """Records the smallest and largest value it has seen (``min_val``, ``max_val``) and
    quantizes that whole range.

    Example::

        >>> obs = MinMaxObserver()
        >>> obs(torch.tensor([-1.0, 3.0]))
        >>> obs.calculate_qparams()
        (tensor([0.0157]), tensor([64]))
    """

    def __init__(self, dtype=_q.quint8, qscheme=_q.per_tensor_affine, reduce_range=False,
                 quant_min=None, quant_max=None, factory_kwargs=None, eps=_EPS,
                 is_dynamic=False, **kwargs):
        _check_per_tensor(qscheme, "MinMaxObserver")
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, factory_kwargs,
                         eps, is_dynamic)
        self.register_buffer("min_val", _tensor(math.inf, _F32))
        self.register_buffer("max_val", _tensor(-math.inf, _F32))
        if qscheme is _q.per_tensor_symmetric and reduce_range and dtype is _q.quint8:
            raise NotImplementedError("Cannot reduce range for symmetric quantization for quint8")

    def forward(self, x_orig):
        """Widens the recorded range to include ``x_orig``; returns ``x_orig``."""
        x = x_orig._array
        if x.size == 0:
            return x_orig
        x = x.astype(_F32, copy=False)
        self.min_val._array[...] = min(x.min(), self.min_val._array)
        self.max_val._array[...] = max(x.max(), self.max_val._array)
        return x_orig

    def calculate_qparams(self):
        """(scale, zero_point) for the range seen so far."""
        return self._calculate_qparams(self.min_val._array, self.max_val._array)

    def extra_repr(self):
        return "min_val={}, max_val={}".format(self.min_val, self.max_val)

    def reset_min_max_vals(self):
        self.min_val._array[...] = math.inf
        self.max_val._array[...] = -math.inf


class MovingAverageMinMaxObserver(MinMaxObserver):
    """Like ``MinMaxObserver``, but the range follows a moving average of each batch's minimum
    and maximum: ``min += averaging_constant * (batch_min - min)``."""

    def __init__(self, averaging_constant=0.01, dtype=_q.quint8,
                 qscheme=_q.per_tensor_affine, reduce_range=False, quant_min=None,
                 quant_max=None, eps=_EPS, is_dynamic=False, **kwargs):
        if qscheme.per_channel:
            raise NotImplementedError(
                "MovingAverageMinMaxObserver's qscheme only support                 "
                "torch.per_tensor_symmetric and torch.per_tensor_affine.                 "
                "but got: {}".format(qscheme))
        self.averaging_constant = averaging_constant
        if is_dynamic and averaging_constant != 1:
            raise NotImplementedError(
                "MovingAverageMinMaxObserver doesn't support dynamic quantization for "
                "averaging constant of {}".format(averaging_constant))
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, None, eps,
                         is_dynamic)

    def forward(self, x_orig):
        x = x_orig._array
        if x.size == 0:
            return x_orig
        x = x.astype(_F32, copy=False)
        lo, hi = self.min_val._array, self.max_val._array
        if lo == math.inf and hi == -math.inf:
            lo[...], hi[...] = x.min(), x.max()
        else:
            c = _F32(self.averaging_constant)
            lo[...] = lo + c * (x.min() - lo)
            hi[...] = hi + c * (x.max() - hi)
        return x_orig


class PerChannelMinMaxObserver(_UniformObserver):
    """Records the minimum and maximum of each slice along ``ch_axis`` (each output channel of
    a weight), so that each gets its own scale and zero point."""

    def __init__(self, ch_axis=0, dtype=_q.quint8, qscheme=_q.per_channel_affine,
                 reduce_range=False, quant_min=None, quant_max=None, factory_kwargs=None,
                 eps=_EPS, is_dynamic=False, **kwargs):
        if not qscheme.per_channel:
            raise NotImplementedError(
                "PerChannelMinMaxObserver's qscheme only support                     "
                "torch.per_channel_symmetric, torch.per_channel_affine and "
                "torch.per_channel_affine_float_qparams.")
        if is_dynamic:
            raise NotImplementedError(
                "PerChannelMinMaxObserver doesn't support dynamic quantization")
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, factory_kwargs,
                         eps, is_dynamic)
        self.ch_axis = ch_axis
        self.register_buffer("min_val", _tensor([], _F32))
        self.register_buffer("max_val", _tensor([], _F32))
        if qscheme is _q.per_channel_symmetric and reduce_range and dtype is _q.quint8:
            raise NotImplementedError("Cannot reduce range for symmetric quantization for quint8")

    def _channel_min_max(self, x_orig):
        x = np.moveaxis(x_orig._array.astype(_F32, copy=False), self.ch_axis, 0)
        x = x.reshape(x.shape[0], -1)
        return x.min(axis=1), x.max(axis=1)

    def forward(self, x_orig):
        if x_orig._array.size == 0:
            return x_orig
        lo, hi = self._channel_min_max(x_orig)
        if self.min_val._array.size:
            lo = np.minimum(lo, self.min_val._array)
            hi = np.maximum(hi, self.max_val._array)
        self.min_val._array = lo
        self.max_val._array = hi
        return x_orig

    def calculate_qparams(self):
        return self._calculate_qparams(self.min_val._array, self.max_val._array)

    def extra_repr(self):
        return "min_val={}, max_val={}".format(self.min_val, self.max_val)


class MovingAveragePerChannelMinMaxObserver(PerChannelMinMaxObserver):
    """``PerChannelMinMaxObserver`` with the moving average of ``MovingAverageMinMaxObserver``."""

    def __init__(self, averaging_constant=0.01, ch_axis=0, dtype=_q.quint8,
                 qscheme=_q.per_channel_affine, reduce_range=False, quant_min=None,
                 quant_max=None, eps=_EPS, is_dynamic=False, **kwargs):
        super().__init__(ch_axis, dtype, qscheme, reduce_range, quant_min, quant_max, None, eps,
                         is_dynamic)
        self.averaging_constant = averaging_constant

    def forward(self, x_orig):
        if x_orig._array.size == 0:
            return x_orig
        lo, hi = self._channel_min_max(x_orig)
        if self.min_val._array.size:
            c = _F32(self.averaging_constant)
            lo = self.min_val._array + c * (lo - self.min_val._array)
            hi = self.max_val._array + c * (hi - self.max_val._array)
        self.min_val._array = lo
        self.max_val._array = hi
        return x_orig


class PlaceholderObserver(ObserverBase):
    """Observes nothing: it only carries the dtype (dynamic quantization chooses the
    activations' parameters at run time)."""

    def __init__(self, dtype=_dtype.float32, custom_op_name="", compute_dtype=None,
                 quant_min=None, quant_max=None, qscheme=None, eps=None, is_dynamic=False):
        super().__init__(dtype, is_dynamic)
        if qscheme is None:
            qscheme = _q.per_tensor_affine
        self.qscheme = qscheme
        self.quant_min = quant_min
        self.quant_max = quant_max
        self.eps = eps
        self.custom_op = custom_op_name

    def forward(self, x):
        return x

    def extra_repr(self):
        return "dtype={}, is_dynamic={}".format(self.dtype, self.is_dynamic)

    def calculate_qparams(self):
        raise Exception(  # noqa: TRY002  (torch's type)
            "calculate_qparams should not be called for PlaceholderObserver")


from .histogram import HistogramObserver  # noqa: E402  (it builds on the classes above)

default_observer = MinMaxObserver.with_args(quant_min=0, quant_max=127)
default_weight_observer = MinMaxObserver.with_args(dtype=_q.qint8,
                                                   qscheme=_q.per_tensor_symmetric)
default_per_channel_weight_observer = PerChannelMinMaxObserver.with_args(
    dtype=_q.qint8, qscheme=_q.per_channel_symmetric)
default_dynamic_quant_observer = PlaceholderObserver.with_args(
    dtype=_q.quint8, quant_min=0, quant_max=255, is_dynamic=True)
default_placeholder_observer = PlaceholderObserver
default_histogram_observer = HistogramObserver.with_args(quant_min=0, quant_max=127)
