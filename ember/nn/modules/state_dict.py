"""Saving and loading a module's tensors: ``state_dict()`` and ``load_state_dict()``.

``state_dict()`` walks the module tree and collects every parameter and persistent buffer under
its dotted name (``"fc.weight"``); ``load_state_dict()`` walks it again and copies each saved
tensor into the tensor of that name (in place, so optimizers that hold the parameters keep
working), reporting missing and unexpected keys.  ``Module`` inherits these methods from
``StateDict``; the names and the order of the keys are torch's, so files move between the two.
"""
from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import Any, Dict, List

from ...autograd.grad_mode import no_grad
from ..._tensor import Tensor
from ..parameter import Parameter


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it missed and the keys it did not expect."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return "_IncompatibleKeys(missing_keys={!r}, unexpected_keys={!r})".format(
            self.missing_keys, self.unexpected_keys)

    __str__ = __repr__


class StateDict:
    """The ``state_dict`` methods of :class:`~ember.nn.Module` (a base class of it)."""

    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "",
                   keep_vars: bool = False) -> Dict[str, Any]:
        """The module's state as an ``OrderedDict`` from dotted names to tensors.

        Each module contributes its parameters, then its persistent buffers, then its children's
        entries, so keys read ``'fc1.weight', 'fc1.bias', 'fc2.weight', ...``.  The tensors are
        detached (they share memory with the module, without history) unless ``keep_vars``.
        ``result._metadata`` records each module's ``_version`` for ``load_state_dict``."""
        if args:
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module."
                "state_dict for details.", FutureWarning, stacklevel=2)
            if destination is None:
                destination = args[0]
            if len(args) > 1 and prefix == "":
                prefix = args[1]
            if len(args) > 2 and keep_vars is False:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        metadata = getattr(destination, "_metadata", None)
        if metadata is not None:
            metadata[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        return destination

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """Puts this module's own parameters and persistent buffers (not its children's) into
        ``destination``.  Override it to save more, or differently."""
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> Any:
        """Copies parameters and buffers from ``state_dict`` into this module and its children.

        With ``strict`` the keys must match ``self.state_dict()`` exactly; in any case shapes
        must match.  Values are copied into the existing tensors (so optimizers keep working)
        unless ``assign=True``, which puts the given tensors in their place.  Returns the missing
        and unexpected keys (``<All keys matched successfully>`` when there are none)."""
        if not isinstance(state_dict, Mapping):
            raise TypeError("Expected state_dict to be dict-like, got {}.".format(
                type(state_dict)))
        metadata = getattr(state_dict, "_metadata", None)
        missing_keys: List[str] = []
        unexpected_keys: List[str] = []
        error_msgs: List[str] = []

        def load(module, local_state_dict, prefix):
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = True
            module._load_from_state_dict(local_state_dict, prefix, local_metadata, True,
                                         missing_keys, unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    child_state_dict = {k: v for k, v in local_state_dict.items()
                                        if k.startswith(child_prefix)}
                    load(child, child_state_dict, child_prefix)

        load(self, state_dict, "")
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join('"{}"'.format(k) for k in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join('"{}"'.format(k) for k in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Loads this module's own parameters and persistent buffers from ``state_dict``.

        Appends to ``missing_keys``, ``unexpected_keys`` and ``error_msgs`` instead of raising, so
        that ``load_state_dict`` can report every problem at once.  A subclass whose layout
        changed between versions overrides it (``local_metadata['version']`` is the saved
        ``_version``)."""
        assign = local_metadata.get("assign_to_params_buffers", False)
        local_state = {name: p for name, p in self._parameters.items() if p is not None}
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                local_state[name] = buf
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                error_msgs.append('While copying the parameter named "{}", expected torch.Tensor '
                                  'or Tensor-like object from checkpoint but received {}'.format(
                                      key, type(value)))
                continue
            if param.dim() == 0 and value.dim() == 1:     # old checkpoints saved scalars as [x]
                value = value[0]
            if value.shape != param.shape:
                error_msgs.append("size mismatch for {}: copying a param with shape {} from "
                                  "checkpoint, the shape in current model is {}.".format(
                                      key, value.shape, param.shape))
                continue
            try:
                with no_grad():
                    if assign:
                        self._assign_loaded(name, param, value)
                    else:
                        param.copy_(value)
            except Exception as ex:
                error_msgs.append('While copying the parameter named "{}", whose dimensions in '
                                  'the model are {} and whose dimensions in the checkpoint are {}, '
                                  'an exception occurred : {}.'.format(
                                      key, param.size(), value.size(), ex.args))
        if strict:
            for key in state_dict:
                if not key.startswith(prefix):
                    continue
                head, dot, _ = key[len(prefix):].partition(".")
                if (dot and head not in self._modules) or (not dot and head not in local_state):
                    unexpected_keys.append(key)

    def _assign_loaded(self, name, param, value):
        """``load_state_dict(assign=True)``: the loaded tensor takes the place of ``param``."""
        if isinstance(param, Parameter):
            if isinstance(value, Parameter):
                value.requires_grad_(param.requires_grad)
            else:
                value = Parameter(value, requires_grad=param.requires_grad)
        setattr(self, name, value)
