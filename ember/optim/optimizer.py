"""``Optimizer``: the base class of every optimizer (SGD, Adam, ...).

An optimizer holds the parameters it updates in *parameter groups* -- lists of parameters that
share hyper-parameters (``lr``, ``momentum`` ...) -- and, per parameter, whatever *state* its
update rule carries from one step to the next (a momentum buffer, running averages).

``step()`` reads each parameter's gradient and changes the parameter in place.  ember's
optimizers do that arithmetic directly on the NumPy arrays inside the tensors, outside
autograd: an update is not part of any graph.  Each in-place update still bumps the
parameter's version counter, as torch's does, so a graph that saved the old value notices.
"""
from __future__ import annotations

import copy
import functools
from collections import OrderedDict, defaultdict
from itertools import chain
from typing import Any, Callable, Dict, List, Optional, Set

from .. import _dtype
from .._tensor import Tensor
from .._ops.core.inplace import fill, writable
from ..autograd.grad_mode import enable_grad
from ._common import scalar, step_state

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Marks a hyper-parameter that every parameter group must give."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_optimizer_pre_hooks: Dict[int, Any] = OrderedDict()
_global_optimizer_post_hooks: Dict[int, Any] = OrderedDict()


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods: ``handle.remove()`` takes the hook away."""

    _next_id = 0

    def __init__(self, hooks: Dict[int, Any]) -> None:
        self._hooks = hooks
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_optimizer_step_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` runs before the ``step`` of every optimizer."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """``hook(optimizer, args, kwargs)`` runs after the ``step`` of every optimizer."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _with_step_hooks(step):
    """Wraps an optimizer's ``step`` so that its pre- and post-hooks run around it (a single
    truth test when there are none)."""

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if not (self._optimizer_step_pre_hooks or self._optimizer_step_post_hooks
                or _global_optimizer_pre_hooks or _global_optimizer_post_hooks):
            return step(self, *args, **kwargs)
        for hook in chain(_global_optimizer_pre_hooks.values(),
                          self._optimizer_step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError("{} must return None or a tuple of (new_args, "
                                       "new_kwargs), but got {}.".format(step, result))
        out = step(self, *args, **kwargs)
        for hook in chain(self._optimizer_step_post_hooks.values(),
                          _global_optimizer_post_hooks.values()):
            hook(self, args, kwargs)
        return out

    wrapper.hooked = True
    return wrapper


def typename(obj: object) -> str:
    """torch.typename: 'torch.FloatTensor' for a tensor, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    if module in ("", "builtins"):
        return qualname
    return module + "." + qualname


class Optimizer:
    """Base class for all optimizers.

    Args:
        params (iterable): the tensors to optimize, or dicts that define parameter groups
            (each with a ``'params'`` entry and any hyper-parameters that differ from the
            defaults).
        defaults (dict): the default hyper-parameters of every group.

    A subclass implements ``step(closure=None)``: for every parameter with a gradient, update
    the parameter from its gradient and its state.  ``_updates(group)`` walks a group's
    parameters for it, doing what every rule starts with (the state on first use, the step
    count, ``maximize``, weight decay); ``_init_state`` says what state a parameter starts with.
    """

    #: group entries that checkpoints of older versions may lack, with the values they meant;
    #: ``__setstate__`` (and so ``load_state_dict``) fills them in
    _missing_group_defaults: Dict[str, Any] = {}
    #: state entries that torch keeps as 0-d float tensors (older checkpoints hold numbers)
    _scalar_state = ()

    def __init__(self, params: Any, defaults: Dict[str, Any]) -> None:
        self.defaults = defaults
        Hooks = Dict[int, Callable[..., Any]]
        self._optimizer_step_pre_hooks: Hooks = OrderedDict()
        self._optimizer_step_post_hooks: Hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks: Hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks: Hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: Hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: Hooks = OrderedDict()
        if defaults.get("differentiable"):
            raise NotImplementedError("ember's optimizers update the parameters' arrays outside "
                                      "autograd; differentiable=True is not supported")
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + typename(params))
        self.state: Dict[Any, Dict[str, Any]] = defaultdict(dict)
        self.param_groups: List[Dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)
        self._warned_capturable_if_run_uncaptured = True
        if defaults.get("fused") and defaults.get("foreach"):
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "hooked", False):
            cls.step = _with_step_hooks(step)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            self.__dict__.setdefault(name, OrderedDict())
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for key, value in self._missing_group_defaults.items():
                group.setdefault(key, value)
        for param_state in self.state.values():
            for key in self._scalar_state:
                if key in param_state and not isinstance(param_state[key], Tensor):
                    param_state[key] = step_state(float(param_state[key]))

    def __repr__(self):
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += "\nParameter Group {}\n".format(i)
            for key in sorted(group.keys()):
                if key != "params":
                    text += "    {}: {}\n".format(key, group[key])
        return text + ")"

    # ------------------------------------------------------------------ groups

    def add_param_group(self, param_group: Dict[str, Any]) -> None:
        """Adds a group of parameters (a dict with ``'params'`` and optional hyper-parameters;
        the rest come from ``defaults``), e.g. to start training a layer that was frozen."""
        if not isinstance(param_group, dict):
            raise TypeError("param_group must be a dict, but got {}".format(type(param_group)))
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)

        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            param_group["param_names"] = names

        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + typename(param))
            if not self.defaults.get("differentiable", None) and not (
                    param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 "optimization parameter " + name)
            param_group.setdefault(name, default)

        if len(tensors) != len({id(p) for p in tensors}):
            import warnings
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)

        seen: Set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 "cannot add param group {} to the optimizer".format(which))
        if not seen.isdisjoint(id(p) for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ gradients

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forgets the gradients, before the next ``backward()`` accumulates new ones.

        By default each ``.grad`` becomes None (cheaper, and an optimizer skips a parameter
        whose grad is None); ``set_to_none=False`` fills the existing gradients with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                if grad.grad_fn is not None:
                    grad.detach_()
                else:
                    grad._requires_grad = False
                if grad._array.flags.writeable:
                    fill(grad, 0)
                else:
                    grad.zero_()

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Performs one optimization step (``closure`` re-evaluates the model and returns the
        loss, for the optimizers that need it)."""
        raise NotImplementedError

    def _init_state(self, group, p, state):
        """Fills the empty ``state`` of parameter ``p`` before its first update (the buffers
        of the rule, ``state['step']`` for a rule that counts steps)."""

    def _updates(self, group, keeps_state=True):
        """The parameters of ``group`` that have a gradient, made ready for the update rule.

        Yields ``(param, grad, state, step)`` for each:

        * ``param``: the parameter's NumPy array, to update in place (its version counter is
          bumped, as torch's in-place update bumps it);
        * ``grad``: the gradient's array, negated when ``maximize``, plus ``weight_decay *
          param`` (an L2 penalty) when there is weight decay -- unless the group decouples it
          (``decoupled_weight_decay``, as AdamW), which shrinks ``param`` by
          ``1 - lr * weight_decay`` instead;
        * ``state``: the parameter's state (filled by ``_init_state`` the first time), or None
          when ``keeps_state`` is false;
        * ``step``: the step number t, 1 at the first update, counted in ``state['step']``
          (None for a rule that keeps no count).
        """
        maximize = group["maximize"]
        weight_decay = scalar(group["weight_decay"])
        decoupled = weight_decay != 0 and group.get("decoupled_weight_decay", False)
        if decoupled:
            shrink = 1 - scalar(group["lr"]) * weight_decay
        all_states = self.state
        state = step = None
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            if keeps_state:
                state = all_states[p]
                if not state:
                    self._init_state(group, p, state)
                count = state.get("step")
                if count is not None:
                    count = writable(count)
                    count += 1
                    step = float(count)
            param, g = writable(p), grad._array
            if maximize:
                g = -g
            if decoupled:
                param *= shrink
            elif weight_decay != 0:
                g = g + weight_decay * param
            yield param, g, state, step

    @staticmethod
    def _closure_loss(closure):
        if closure is None:
            return None
        with enable_grad():
            return closure()

    # ------------------------------------------------------------------ hooks

    def _register(self, hooks, hook, prepend=False):
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs before each ``step``; it may return new
        ``(args, kwargs)``."""
        return self._register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs after each ``step``."""
        return self._register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable[..., Any],
                                     prepend: bool = False) -> RemovableHandle:
        return self._register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable[..., Any],
                                      prepend: bool = False) -> RemovableHandle:
        return self._register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable[..., Any],
                                          prepend: bool = False) -> RemovableHandle:
        return self._register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable[..., Any],
                                           prepend: bool = False) -> RemovableHandle:
        return self._register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ saving and loading

    def state_dict(self) -> Dict[str, Any]:
        """The optimizer's state as a dict, with parameters replaced by their positions:

        * ``'state'``: {position: {'momentum_buffer': tensor, ...}} for parameters with state;
        * ``'param_groups'``: the groups' hyper-parameters, each with ``'params'``: [positions].

        Positions count through all groups in order, so the dict can be loaded into a new
        optimizer over the same parameters (``load_state_dict``)."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index: Dict[int, int] = {}
        start = 0
        param_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index.setdefault(id(p), i)
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            param_groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": param_groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Loads a dict made by ``state_dict()``: the groups must have as many parameters as
        this optimizer's; state tensors are cast to their parameter's dtype."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def owner(param_id):
            for group in state_dict["param_groups"]:
                if param_id in group["params"]:
                    return group
            return {}

        def cast(param, value, group, key=None):
            if isinstance(value, Tensor):
                if key == "step":
                    if group.get("capturable") or group.get("fused"):
                        return value.to(_dtype.float32)
                    return value
                if param.is_floating_point():
                    return value.to(param.dtype)
                return value
            if isinstance(value, dict):
                return {k: cast(param, v, group, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v, group) for v in value)
            return value

        state: Dict[Any, Dict[str, Any]] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v, owner(k))
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)
