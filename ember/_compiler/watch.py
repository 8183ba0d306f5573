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
        self.groups = [(group, tuple(group.values()))
                       for opt in reach.optimizers.values() for group in opt.param_groups]
        self.optimizers = list(reach.optimizers.values())
        self.states = [(opt.state, [tuple(d.values()) for d in opt.state.values()])
                       for opt in reach.optimizers.values()]
        self.compile()

    def hooks_present(self):
        return bool(self.hooked) or any(self.hook_dicts)

    def compile(self):
        """Writes the guards as one Python function of straight-line comparisons (as torch's
        dynamo does), ``self.check``, and keeps its text in ``self.source``."""
        ns = {"anomaly": anomaly_mode.state}
        lines = ["def check():", "    if anomaly.enabled:", "        return False"]

        def fail_if(condition):
            lines.extend(("    if " + condition + ":", "        return False"))
        for i, (t, array, requires_grad, no_grad) in enumerate(self.tensors):
            ns["t%d" % i], ns["a%d" % i] = t, array
            fail_if("t{0}._array is not a{0} or t{0}._requires_grad is not {1} or (t{0}._grad "
                    "is None) is not {2} or t{0}._hooks".format(i, requires_grad, no_grad))
        for i, (m, training) in enumerate(self.modules):
            ns["m%d" % i] = m
            fail_if("m{}.training is not {}".format(i, training))
        if self.hook_dicts:
            for i, d in enumerate(self.hook_dicts):
                ns["h%d" % i] = d
            fail_if(" or ".join("h%d" % i for i in range(len(self.hook_dicts))))
        for i, (where, name, value) in enumerate(self.bindings):
            ns["b%d" % i], ns["v%d" % i] = where, value
            fail_if("b{}.get({!r}) is not v{}".format(i, name, i) if name is not None
                    else "b{0}.cell_contents is not v{0}".format(i))
        for i, (group, values) in enumerate(self.groups):
            ns["g%d" % i], ns["gv%d" % i] = group, values
            fail_if("tuple(g{0}.values()) != gv{0} or len(g{0}['params']) != {1}".format(
                i, len(group["params"])))
        for i, opt in enumerate(self.optimizers):
            ns["o%d" % i] = opt
            fail_if("len(o{}.param_groups) != {}".format(i, len(opt.param_groups)))
        for i, (state, values) in enumerate(self.states):
            ns["s%d" % i], ns["sv%d" % i] = state, values
            fail_if("len(s{0}) != {1} or [tuple(d.values()) for d in s{0}.values()] != sv{0}"
                    .format(i, len(values)))
        lines.append("    return True")
        self.source = "\n".join(lines)
        exec(self.source, ns)
        check = ns["check"]

        def guarded():
            try:
                return check()
            except Exception:                  # (a comparison that cannot be made fails)
                return False
        self.check = guarded


def grad_enabled():
    return grad_state().enabled
