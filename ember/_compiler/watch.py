"""What a compiled function can reach, and the guards that say a recording still applies.

A recording is only valid while everything its Python code looked at is unchanged: the
tensors it read (the same objects, holding the same arrays, with the same ``requires_grad``
and the same gradient present or absent), the modules' ``training`` flags and their hooks,
the optimizers' hyperparameters and state, grad mode and anomaly mode, and the names through
which the function found them (a global or a closure variable bound to another object).
:func:`reachable` finds those objects from the function's globals, closure and arguments;
:class:`Guards` writes their state down and checks it again before each replay.
"""
import types

from .._tensor import Tensor
from ..autograd import anomaly_mode
from ..autograd.grad_mode import state as grad_state

_HOOK_DICTS = ("_forward_pre_hooks", "_forward_hooks", "_backward_hooks", "_backward_pre_hooks")


class Reachable:
    """The tensors, modules and optimizers a function can reach, and the names it reaches
    them through."""

    def __init__(self):
        self.tensors = {}        # id -> tensor (parameters, buffers, optimizer state, closures)
        self.modules = {}
        self.optimizers = {}
        self.bindings = []       # (namespace dict or cell, name or None, object)
        self._seen = set()

    def add(self, value, depth=0):
        if id(value) in self._seen or depth > 3:
            return
        from ..nn import Module
        from ..optim import Optimizer
        if isinstance(value, Tensor):
            self.tensors[id(value)] = value
            if value._grad is not None:
                self.tensors[id(value._grad)] = value._grad
            return
        self._seen.add(id(value))
        if isinstance(value, Module):
            for m in value.modules():
                self.modules[id(m)] = m
                for t in list(m._parameters.values()) + list(m._buffers.values()):
                    if t is not None:
                        self.add(t)
        elif isinstance(value, Optimizer):
            self.optimizers[id(value)] = value
            for group in value.param_groups:
                for p in group["params"]:
                    self.add(p)
            for state in value.state.values():
                for v in state.values():
                    if isinstance(v, Tensor):
                        self.add(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                self.add(v, depth + 1)
        elif isinstance(value, dict):
            for v in value.values():
                self.add(v, depth + 1)
        elif isinstance(value, types.FunctionType):
            self.add_function(value, depth + 1)
        elif isinstance(value, types.MethodType):
            self.add(value.__self__, depth + 1)
            self.add_function(value.__func__, depth + 1)

    def add_function(self, fn, depth=0):
        """The objects ``fn`` reaches through its global names and its closure."""
        code = fn.__code__
        namespace = fn.__globals__
        for name in _names(code):
            if name in namespace:
                value = namespace[name]
                if _interesting(value):
                    self.bindings.append((namespace, name, value))
                    self.add(value, depth)
        for cell in fn.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:                 # a closure variable not yet assigned
                continue
            if _interesting(value):
                self.bindings.append((cell, None, value))
                self.add(value, depth)


def _names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _interesting(value):
    return not isinstance(value, (types.ModuleType, type, int, float, str, bool, type(None)))


class Guards:
    """The state a recording depends on, written down before the call and checked before
    each replay (``check`` is the whole cost of a replay's guards)."""

    def __init__(self, reach):
        tensors = list(reach.tensors.values())
        self.tensors = [(t, t._array, t._requires_grad, t._grad is None) for t in tensors]
        self.hooked = [t for t in tensors if t._hooks]
        self.modules = [(m, m.training) for m in reach.modules.values()]
        self.hook_dicts = [getattr(m, name) for m in reach.modules.values() for name in _HOOK_DICTS]
        self.bindings = list(reach.bindings)
        self.groups = [(group, [(k, v) for k, v in group.items() if k != "params"],
                        list(group["params"]))
                       for opt in reach.optimizers.values() for group in opt.param_groups]
        self.states = [(opt.state, _state_items(opt.state)) for opt in reach.optimizers.values()]

    def hooks_present(self):
        return bool(self.hooked) or any(self.hook_dicts)

    def check(self):
        """Whether everything the recording saw is as it was."""
        if anomaly_mode.state.enabled:
            return False
        for t, array, requires_grad, no_grad in self.tensors:
            if t._array is not array or t._requires_grad is not requires_grad or (
                    t._grad is None) is not no_grad or t._hooks:
                return False
        for m, training in self.modules:
            if m.training is not training:
                return False
        for d in self.hook_dicts:
            if d:
                return False
        for where, name, value in self.bindings:
            if (where.get(name) if name is not None else where.cell_contents) is not value:
                return False
        for group, items, params in self.groups:
            for k, v in items:
                now = group.get(k)
                if now is not v and now != v:
                    return False
            if group["params"] != params:
                return False
        for state, items in self.states:
            if len(state) != len(items):
                return False
            for param_state, entries in items:
                if len(param_state) != len(entries):
                    return False
                for k, v in entries:
                    if param_state.get(k) is not v:
                        return False
        return True


def _state_items(state):
    return [(s, list(s.items())) for s in state.values()]


def grad_enabled():
    return grad_state().enabled
