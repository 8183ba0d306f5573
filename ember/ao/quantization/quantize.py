"""The eager-mode workflows: ``quantize_dynamic``; ``prepare`` -> calibrate -> ``convert``
(post-training static quantization); ``prepare_qat`` -> train -> ``convert``.

1. ``propagate_qconfig_`` gives every layer its ``qconfig`` (inherited from the parent unless
   set);
2. ``prepare`` attaches an observer (``activation_post_process``) to each layer that will be
   quantized, called on the layer's output by a forward hook;
3. running data through the model (calibration, or QAT's training) fills the observers;
4. ``convert`` replaces each layer by its quantized twin (``from_float``), which reads the
   observers' ranges.
"""
import copy

from ... import nn
from ..nn.quantized.modules.functional_modules import FloatFunctional
from ..nn.quantized.modules.passthrough import keeps_quantized
from .mappings import (get_default_dynamic_quant_module_mappings, get_default_qat_module_mappings,
                       get_default_qconfig_propagation_list,
                       get_default_static_quant_module_mappings)
from .qconfig import default_dynamic_qconfig
from .stubs import DeQuantStub

__all__ = ["propagate_qconfig_", "prepare", "convert", "quantize", "quantize_dynamic",
           "prepare_qat", "quantize_qat", "swap_module", "add_quant_dequant"]


def propagate_qconfig_(module, qconfig_dict=None, prepare_custom_config_dict=None):
    """Sets ``qconfig`` on every submodule: its own entry in ``qconfig_dict`` (by type or by
    dotted name), else its own attribute, else its parent's."""
    _propagate(module, qconfig_dict or {}, getattr(module, "qconfig", None), "")


def _propagate(module, qconfig_dict, parent_qconfig, prefix):
    qconfig = qconfig_dict.get(type(module), qconfig_dict.get(prefix, getattr(
        module, "qconfig", parent_qconfig)))
    module.qconfig = qconfig
    for name, child in module.named_children():
        _propagate(child, qconfig_dict, qconfig, prefix + "." + name if prefix else name)


def _observer_hook(module, input, output):
    return module.activation_post_process(output)


def _add_observers(module, allowed):
    for child in module.children():
        if isinstance(child, FloatFunctional):
            if getattr(child, "qconfig", None) is not None:
                child.activation_post_process = child.qconfig.activation()
        else:
            _add_observers(child, allowed)
    has_children = any(True for _ in module.children())
    qconfig = getattr(module, "qconfig", None)
    if (qconfig is not None and type(module) in allowed and not isinstance(
            module, (DeQuantStub, FloatFunctional))
            and (not has_children or hasattr(module, "weight_fake_quant"))):
        module.add_module("activation_post_process", qconfig.activation())
        module.register_forward_hook(_observer_hook)


def prepare(model, inplace=False, allow_list=None, observer_non_leaf_module_list=None,
            prepare_custom_config_dict=None):
    """The model with observers attached to the layers its qconfig covers (a copy unless
    ``inplace``).  Run representative data through it, then ``convert`` it."""
    if not inplace:
        model = copy.deepcopy(model)
    propagate_qconfig_(model)
    _add_observers(model, allow_list or get_default_qconfig_propagation_list())
    return model


def prepare_qat(model, mapping=None, inplace=False):
    """The model made ready for quantization-aware training: Linear and Conv2d swapped for
    their QAT twins (fake-quantized weights) and fake quantizers attached to the outputs."""
    if not model.training:
        raise AssertionError("prepare_qat only works on models in training mode")
    if not inplace:
        model = copy.deepcopy(model)
    propagate_qconfig_(model)
    _swap(model, mapping or get_default_qat_module_mappings(), keep_float_layers=True)
    return prepare(model, inplace=True)


def convert(module, mapping=None, inplace=False, remove_qconfig=True,
            is_reference=False, convert_custom_config_dict=None,
            use_precomputed_fake_quant=False):
    """The quantized model: each observed layer replaced by its quantized twin, built from
    the ranges its observers saw (a copy unless ``inplace``)."""
    if not inplace:
        module = copy.deepcopy(module)
    _swap(module, mapping or get_default_static_quant_module_mappings())
    if remove_qconfig:
        _remove_qconfig(module)
    return module


def _swap(module, mapping, keep_float_layers=False):
    for name, child in list(module.named_children()):
        if type(child) not in mapping:
            _swap(child, mapping, keep_float_layers)
        module._modules[name] = swap_module(child, mapping, keep_float_layers)


def swap_module(mod, mapping, keep_float_layers=False):
    """``mapping[type(mod)].from_float(mod)`` when ``mod`` has a qconfig, else ``mod``."""
    new_class = mapping.get(type(mod))
    if new_class is not None and getattr(mod, "qconfig", None) is not None:
        return new_class.from_float(mod)
    if not keep_float_layers:
        keeps_quantized(mod)
    return mod


def _remove_qconfig(module):
    for child in module.children():
        _remove_qconfig(child)
    if "qconfig" in module.__dict__:
        del module.qconfig


def quantize(model, run_fn, run_args, mapping=None, inplace=False):
    """``prepare``, ``run_fn(model, *run_args)`` to calibrate, then ``convert``."""
    if not inplace:
        model = copy.deepcopy(model)
    model.eval()
    prepare(model, inplace=True)
    run_fn(model, *run_args)
    return convert(model, mapping, inplace=True)


def quantize_qat(model, run_fn, run_args, inplace=False):
    """``prepare_qat``, ``run_fn(model, *run_args)`` to train, then ``convert``."""
    if not inplace:
        model = copy.deepcopy(model)
    model.train()
    prepare_qat(model, inplace=True)
    run_fn(model, *run_args)
    return convert(model.eval(), inplace=True)


def quantize_dynamic(model, qconfig_spec=None, dtype=None, mapping=None, inplace=False):
    """The model with its Linear layers (or those named in ``qconfig_spec``: a set of types, or
    a dict from types or dotted names to qconfigs) replaced by dynamically quantized ones:
    int8 weights, activations quantized at run time.  No calibration needed.

    Example::

        >>> qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear},
        ...                                                  dtype=torch.qint8)
    """
    from ... import _quantized as _q
    if dtype is None:
        dtype = _q.qint8
    if dtype is not _q.qint8:
        raise ValueError("ember's quantize_dynamic supports dtype=torch.qint8 only, got "
                         "{}".format(dtype))
    if qconfig_spec is None:
        qconfig_spec = {nn.Linear: default_dynamic_qconfig, nn.LSTM: default_dynamic_qconfig}
    elif isinstance(qconfig_spec, set):
        qconfig_spec = dict.fromkeys(qconfig_spec, default_dynamic_qconfig)
    if not inplace:
        model = copy.deepcopy(model)
    model.eval()
    propagate_qconfig_(model, qconfig_spec)
    _swap(model, mapping or get_default_dynamic_quant_module_mappings(), keep_float_layers=True)
    _remove_qconfig(model)
    return model


def add_quant_dequant(module):
    """Wraps every leaf with a qconfig in a ``QuantWrapper`` (stubs before and after)."""
    from .stubs import QuantWrapper
    if not any(True for _ in module.children()) and getattr(module, "qconfig", None):
        return QuantWrapper(module)
    for name, child in module.named_children():
        module._modules[name] = add_quant_dequant(child)
    return module
