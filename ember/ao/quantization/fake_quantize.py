"""``FakeQuantize``: an observer followed by fake quantization, the building block of
quantization-aware training (see ``ember._quantized.fake_quantize`` for the gradient)."""
import numpy as np

from ... import _quantized as _q
from ..._tensor import Tensor
from ...nn.modules.module import Module
from .observer import (MovingAverageMinMaxObserver, MovingAveragePerChannelMinMaxObserver,
                       _with_args)

__all__ = ["FakeQuantize", "default_fake_quant", "default_weight_fake_quant",
           "default_per_channel_weight_fake_quant", "disable_observer", "enable_observer",
           "disable_fake_quant", "enable_fake_quant"]


class FakeQuantize(Module):
    """Observes its input (``activation_post_process``), keeps the resulting ``scale`` and
    ``zero_point``, and returns the input fake-quantized with them.

    ``observer_enabled`` and ``fake_quant_enabled`` (uint8 flags) switch either step off: a
    QAT run usually freezes the observers after a few epochs.
    """

    with_args = classmethod(_with_args)

    def __init__(self, observer=MovingAverageMinMaxObserver, quant_min=None, quant_max=None,
                 is_dynamic=False, **observer_kwargs):
        super().__init__()
        if quant_min is not None and quant_max is not None:
            if quant_min > quant_max:
                raise AssertionError("quant_min must be less than or equal to quant_max")
            observer_kwargs.update({"quant_min": quant_min, "quant_max": quant_max})
        observer_kwargs["is_dynamic"] = is_dynamic
        self.activation_post_process = observer(**observer_kwargs)
        post = self.activation_post_process
        self.quant_min = post.quant_min
        self.quant_max = post.quant_max
        self.is_dynamic = post.is_dynamic
        self.register_buffer("fake_quant_enabled", Tensor._make(np.array([1], np.uint8)))
        self.register_buffer("observer_enabled", Tensor._make(np.array([1], np.uint8)))
        self.register_buffer("scale", Tensor._make(np.array([1.0], np.float32)))
        self.register_buffer("zero_point", Tensor._make(np.array([0], np.int32)))
        self.dtype = post.dtype
        self.qscheme = post.qscheme
        self.ch_axis = getattr(post, "ch_axis", -1)
        self.is_per_channel = self.qscheme.per_channel

    def calculate_qparams(self):
        return self.activation_post_process.calculate_qparams()

    def enable_fake_quant(self, enabled=True):
        self.fake_quant_enabled._array[0] = 1 if enabled else 0
        return self

    def disable_fake_quant(self):
        return self.enable_fake_quant(False)

    def enable_observer(self, enabled=True):
        self.observer_enabled._array[0] = 1 if enabled else 0
        return self

    def disable_observer(self):
        return self.enable_observer(False)

    def forward(self, X):
        if self.observer_enabled._array[0] == 1:
            self.activation_post_process(X.detach())
            scale, zero_point = self.calculate_qparams()
            self.scale._array = scale._array.astype(np.float32)
            self.zero_point._array = zero_point._array.astype(np.int32)
        if self.fake_quant_enabled._array[0] == 1:
            post = self.activation_post_process
            if self.is_per_channel:
                return _q.fake_quantize_per_channel_affine(
                    X, self.scale, self.zero_point, self.ch_axis, post.quant_min, post.quant_max)
            return _q.fake_quantize_per_tensor_affine(X, self.scale, self.zero_point,
                                                      post.quant_min, post.quant_max)
        return X

    def extra_repr(self):
        post = self.activation_post_process
        return ("fake_quant_enabled={}, observer_enabled={}, quant_min={}, quant_max={}, "
                "dtype={}, qscheme={}, ch_axis={}, scale={}, zero_point={}".format(
                    self.fake_quant_enabled, self.observer_enabled, post.quant_min,
                    post.quant_max, self.dtype, self.qscheme, self.ch_axis, self.scale,
                    self.zero_point))


default_fake_quant = FakeQuantize.with_args(
    observer=MovingAverageMinMaxObserver, quant_min=0, quant_max=255, dtype=_q.quint8,
    qscheme=_q.per_tensor_affine, reduce_range=True)
default_weight_fake_quant = FakeQuantize.with_args(
    observer=MovingAverageMinMaxObserver, quant_min=-128, quant_max=127, dtype=_q.qint8,
    qscheme=_q.per_tensor_symmetric, reduce_range=False)
default_per_channel_weight_fake_quant = FakeQuantize.with_args(
    observer=MovingAveragePerChannelMinMaxObserver, quant_min=-128, quant_max=127,
    dtype=_q.qint8, qscheme=_q.per_channel_symmetric, reduce_range=False, ch_axis=0)


def _switch(method):
    def apply(module):
        if isinstance(module, FakeQuantize):
            getattr(module, method)()
    apply.__name__ = method
    apply.__doc__ = "For ``model.apply(...)``: calls ``{}()`` on each FakeQuantize.".format(method)
    return apply


disable_observer = _switch("disable_observer")
enable_observer = _switch("enable_observer")
disable_fake_quant = _switch("disable_fake_quant")
enable_fake_quant = _switch("enable_fake_quant")
