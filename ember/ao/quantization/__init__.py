"""``ember.ao.quantization`` (also ``ember.quantization``): turning a float model into an int8
one, as torch 2.13's eager-mode quantization does.

* observers (``observer.py``, ``histogram.py``) watch tensors and choose scale and zero point;
* ``FakeQuantize`` (``fake_quantize.py``) rounds during training (QAT);
* ``QConfig`` (``qconfig.py``) says which observers a layer gets;
* ``QuantStub``/``DeQuantStub`` (``stubs.py``) mark where quantization starts and ends;
* ``quantize.py`` holds the workflows: ``quantize_dynamic``, ``prepare``/``convert``,
  ``prepare_qat``.

Quantized tensors themselves live in ``ember/_quantized``; quantized layers in
``ember/ao/nn/quantized``.
"""
from .fake_quantize import (FakeQuantize, default_fake_quant, default_per_channel_weight_fake_quant,
                            default_weight_fake_quant, disable_fake_quant, disable_observer,
                            enable_fake_quant, enable_observer)
from .observer import (HistogramObserver, MinMaxObserver, MovingAverageMinMaxObserver,
                       MovingAveragePerChannelMinMaxObserver, ObserverBase,
                       PerChannelMinMaxObserver, PlaceholderObserver,
                       default_dynamic_quant_observer, default_histogram_observer, default_observer,
                       default_per_channel_weight_observer, default_placeholder_observer,
                       default_weight_observer)
from .qconfig import (QConfig, default_dynamic_qconfig, default_per_channel_qconfig,
                      default_qat_qconfig, default_qconfig, get_default_qat_qconfig,
                      get_default_qconfig)
from .quantize import (add_quant_dequant, convert, prepare, prepare_qat, propagate_qconfig_,
                       quantize, quantize_dynamic, quantize_qat, swap_module)
from .stubs import DeQuantStub, QuantStub, QuantWrapper
from .mappings import (get_default_dynamic_quant_module_mappings,
                       get_default_qat_module_mappings, get_default_static_quant_module_mappings)

__all__ = [
    "MinMaxObserver", "MovingAverageMinMaxObserver", "PerChannelMinMaxObserver",
    "MovingAveragePerChannelMinMaxObserver", "HistogramObserver", "PlaceholderObserver",
    "ObserverBase", "FakeQuantize", "QConfig", "QuantStub", "DeQuantStub", "QuantWrapper",
    "default_observer", "default_weight_observer", "default_per_channel_weight_observer",
    "default_dynamic_quant_observer", "default_histogram_observer",
    "default_placeholder_observer", "default_fake_quant", "default_weight_fake_quant",
    "default_per_channel_weight_fake_quant", "default_qconfig", "default_per_channel_qconfig",
    "default_dynamic_qconfig", "default_qat_qconfig", "get_default_qconfig",
    "get_default_qat_qconfig", "disable_observer", "enable_observer", "disable_fake_quant",
    "enable_fake_quant", "propagate_qconfig_", "prepare", "convert", "quantize",
    "quantize_dynamic", "prepare_qat", "quantize_qat", "swap_module", "add_quant_dequant",
    "get_default_static_quant_module_mappings", "get_default_qat_module_mappings",
    "get_default_dynamic_quant_module_mappings"]
