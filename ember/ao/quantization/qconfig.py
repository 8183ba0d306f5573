"""``QConfig``: which observers (or fake quantizers) watch a layer's activations and weights."""
from collections import namedtuple

from .fake_quantize import (FakeQuantize, default_fake_quant, default_per_channel_weight_fake_quant,
                            default_weight_fake_quant)
from .observer import (HistogramObserver, MovingAverageMinMaxObserver,
                       default_dynamic_quant_observer, default_observer,
                       default_per_channel_weight_observer, default_weight_observer)

__all__ = ["QConfig", "default_qconfig", "default_dynamic_qconfig", "default_per_channel_qconfig",
           "default_qat_qconfig", "get_default_qconfig", "get_default_qat_qconfig"]


class QConfig(namedtuple("QConfig", ["activation", "weight"])):
    """A pair of factories (``Observer.with_args(...)``): ``activation`` for what a layer
    outputs, ``weight`` for its weight.  Factories, not observers, so each layer gets its own."""

    __slots__ = ()

    def __new__(cls, activation, weight):
        from ...nn.modules.module import Module
        if isinstance(activation, Module) or isinstance(weight, Module):
            raise ValueError(
                "QConfig received observer instance, please pass observer class instead. "
                "Use MyObserver.with_args(x=1) to override arguments to constructor if needed")
        return super().__new__(cls, activation, weight)


default_qconfig = QConfig(activation=default_observer, weight=default_weight_observer)
default_per_channel_qconfig = QConfig(activation=default_observer,
                                      weight=default_per_channel_weight_observer)
default_dynamic_qconfig = QConfig(activation=default_dynamic_quant_observer,
                                  weight=default_weight_observer)
default_qat_qconfig = QConfig(activation=default_fake_quant, weight=default_weight_fake_quant)


def get_default_qconfig(backend="x86", version=0):
    """The recommended post-training qconfig of a backend: for x86 (and fbgemm) a histogram
    observer with ``reduce_range`` for activations and per-channel symmetric weights."""
    if backend not in ("x86", "fbgemm", "qnnpack", "onednn"):
        raise AssertionError("backend: {} not supported. backend must be one of ['x86', "
                             "'fbgemm', 'qnnpack', 'onednn']".format(backend))
    if version != 0:
        raise AssertionError("Version number: {} in get_default_qconfig is not supported. "
                             "Version number must be 0".format(version))
    if backend in ("x86", "fbgemm"):
        return QConfig(activation=HistogramObserver.with_args(reduce_range=True),
                       weight=default_per_channel_weight_observer)
    if backend == "qnnpack":
        return QConfig(activation=HistogramObserver.with_args(reduce_range=False),
                       weight=default_weight_observer)
    return QConfig(activation=HistogramObserver.with_args(reduce_range=False),
                   weight=default_per_channel_weight_observer)


def get_default_qat_qconfig(backend="x86", version=1):
    """The recommended quantization-aware-training qconfig of a backend: moving-average fake
    quantizers, activations in 0..255 (0..127 with x86's ``reduce_range``), int8 weights per
    channel (per tensor for qnnpack).  torch uses its fused ``FusedMovingAvgObsFakeQuantize``,
    which computes the same as ``FakeQuantize`` with that observer."""
    if backend not in ("x86", "fbgemm", "qnnpack", "onednn"):
        raise AssertionError("backend: {} not supported. backend must be one of ['x86', "
                             "'fbgemm', 'qnnpack', 'onednn']".format(backend))
    activation = FakeQuantize.with_args(observer=MovingAverageMinMaxObserver, quant_min=0,
                                        quant_max=255, reduce_range=backend in ("x86", "fbgemm"))
    if backend == "qnnpack":
        return QConfig(activation=activation, weight=default_weight_fake_quant)
    return QConfig(activation=activation, weight=default_per_channel_weight_fake_quant)
