"""Module hooks: code that runs around ``forward`` and during the backward pass of a module.

``Module.__call__`` comes here only when a hook is registered; without hooks a call is just
``forward``.  The order is that of torch:

1. forward pre-hooks, which may replace the arguments;
2. with backward hooks, the tensor arguments pass through :class:`BackwardHookFunction`;
3. ``forward``;
4. forward hooks, which may replace the output;
5. with backward hooks, the output tensors pass through :class:`BackwardHookFunction` too.

How backward hooks work: ``BackwardHookFunction`` is the identity, so it changes no value, but
its node in the graph marks a boundary of the module.  The backward pass reaches the node after
the module's outputs first (their gradients are ``grad_output``), and the node before its inputs
last, once everything inside the module is done (its incoming gradients are ``grad_input``).
A pre-hook on each of those two nodes calls the module's hooks.
"""
import itertools
import warnings
from typing import Any, Callable

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Function
from ...autograd.grad_mode import state as _grad_state

__all__ = ["RemovableHandle", "BackwardHookFunction", "call_with_hooks", "HookRegistration"]


class RemovableHandle:
    """What ``register_*_hook`` returns: ``handle.remove()`` unregisters the hook (also usable
    as ``with module.register_forward_hook(...):``)."""

    _ids = itertools.count()

    def __init__(self, hooks_dict, extra_dicts=()):
        self.hooks_dict = hooks_dict
        self.extra_dicts = extra_dicts
        self.id = next(RemovableHandle._ids)

    def remove(self):
        for d in (self.hooks_dict,) + tuple(self.extra_dicts):
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def call_with_hooks(module, args, kwargs):
    """``module(*args, **kwargs)`` with the module's hooks (see the module docstring)."""
    for hook_id, hook in tuple(module._forward_pre_hooks.items()):
        if hook_id in module._forward_pre_hooks_with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("forward pre-hook must return None or a tuple of "
                                       "(new_args, new_kwargs), but got {}.".format(result))
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)

    backward_hook = None
    if module._backward_hooks or module._backward_pre_hooks:
        backward_hook = _BackwardHook(module, args)
        args = backward_hook.wrap_inputs()

    called = set()
    output = None
    try:
        output = module.forward(*args, **kwargs)
        for hook_id, hook in tuple(module._forward_hooks.items()):
            called.add(hook_id)
            new = _run_forward_hook(module, hook_id, hook, args, kwargs, output)
            if new is not None:
                output = new
    except Exception:
        # Hooks registered with always_call=True run even when forward (or a hook) failed.
        for hook_id, hook in tuple(module._forward_hooks.items()):
            if hook_id in module._forward_hooks_always_called and hook_id not in called:
                try:
                    _run_forward_hook(module, hook_id, hook, args, kwargs, output)
                except Exception as e:
                    warnings.warn("module forward hook with ``always_call=True`` raised an "
                                  "exception that was silenced as another error was raised in "
                                  "forward: {}".format(e))
        raise

    if backward_hook is not None:
        output = backward_hook.wrap_outputs(output)
    return output


def _run_forward_hook(module, hook_id, hook, args, kwargs, output):
    if hook_id in module._forward_hooks_with_kwargs:
        return hook(module, args, kwargs, output)
    return hook(module, args, output)


class BackwardHookFunction(Function):
    """The identity on its tensor arguments; its node marks a module's boundary in the graph."""

    @staticmethod
    def forward(ctx, *tensors):
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return grads


class _BackwardHook:
    """The backward hooks of one call of a module: it wraps the inputs and the outputs, and
    hands ``grad_output`` from the output boundary to the input boundary."""

    def __init__(self, module, args):
        self.module = module
        self.args = args
        self.input_positions = None     # which arguments went through the input boundary
        self.grad_output = None

    def wrap_inputs(self):
        """The arguments, with those that require grad passed through the input boundary."""
        args = self.args
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not positions or not _grad_state().enabled:
            return args
        wrapped = BackwardHookFunction.apply(*(args[i] for i in positions))
        wrapped[0].grad_fn.register_prehook(self._on_grad_input)
        self.input_positions = positions
        args = list(args)
        for i, t in zip(positions, wrapped):
            args[i] = t
        return tuple(args)

    def wrap_outputs(self, output):
        """The output, with its tensors that require grad passed through the output boundary."""
        single = isinstance(output, Tensor)
        items = (output,) if single else output
        if not isinstance(items, (tuple, list)) or not _grad_state().enabled:
            return output
        positions = [i for i, o in enumerate(items) if isinstance(o, Tensor) and o.requires_grad]
        if not positions:
            return output
        wrapped = BackwardHookFunction.apply(*(items[i] for i in positions))
        node = wrapped[0].grad_fn
        n_outputs = len(items)

        def on_grad_output(grads):
            grad_output = [None] * n_outputs
            for i, g in zip(positions, grads):
                grad_output[i] = g
            grad_output = self._run_pre_hooks(tuple(grad_output))
            self.grad_output = grad_output
            if self.input_positions is None and self.module._backward_hooks:
                # No input requires grad: the input boundary never runs, so the hooks run here
                # with grad_input all None.
                warnings.warn(
                    "Full backward hook is firing when gradients are computed with respect to "
                    "module outputs since no inputs require gradients. See "
                    "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn."
                    "Module.register_full_backward_hook for more details.", stacklevel=5)
                self._run_hooks((None,) * len(self.args))
            return tuple(grad_output[i] for i in positions)

        node.register_prehook(on_grad_output)
        if single:
            return wrapped[0]
        items = list(items)
        for i, t in zip(positions, wrapped):
            items[i] = t
        if hasattr(output, "_fields"):                  # a named tuple
            return type(output)(*items)
        return type(output)(items)

    def _run_pre_hooks(self, grad_output):
        for hook in tuple(self.module._backward_pre_hooks.values()):
            result = hook(self.module, grad_output)
            if result is not None:
                result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
                if len(result) != len(grad_output):
                    raise RuntimeError("Backward pre hook returned an invalid number of "
                                       "grad_output, got {}, but expected {}".format(
                                           len(result), len(grad_output)))
                grad_output = result
        return grad_output

    def _on_grad_input(self, grads):
        """The input boundary's pre-hook: ``grads`` are the gradients of the wrapped inputs."""
        if not self.module._backward_hooks:
            return None
        # One entry per positional argument, as torch gives it: None for non-tensors, zeros for
        # tensors that do not require grad (or that received no gradient).
        grad_input = [None if not isinstance(a, Tensor) else Tensor._make(np.zeros_like(a._array))
                      for a in self.args]
        for i, g in zip(self.input_positions, grads):
            if g is not None:
                grad_input[i] = g
        grad_input = self._run_hooks(tuple(grad_input))
        return tuple(grad_input[i] for i in self.input_positions)

    def _run_hooks(self, grad_input):
        for hook in tuple(self.module._backward_hooks.values()):
            result = hook(self.module, grad_input, self.grad_output)
            if result is not None:
                result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                       "got {}, but expected {}".format(len(result),
                                                                        len(grad_input)))
                grad_input = result
        return grad_input


class HookRegistration:
    """The ``register_*_hook`` methods of :class:`~ember.nn.Module` (a base class of it)."""

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args)`` runs before ``forward``; it may return new ``args`` (a single
        value is wrapped in a tuple).  With ``with_kwargs=True`` it is
        ``hook(module, args, kwargs)`` and may return ``(args, kwargs)``.  Returns a handle
        whose ``remove()`` unregisters the hook."""
        extra = (self._forward_pre_hooks_with_kwargs,)
        handle = RemovableHandle(self._forward_pre_hooks, extra)
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                              with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output)`` runs after ``forward``; it may return a new output.
        With ``with_kwargs=True`` it is ``hook(module, args, kwargs, output)``; with
        ``always_call=True`` it runs even when ``forward`` raised."""
        extra = (self._forward_hooks_with_kwargs, self._forward_hooks_always_called)
        handle = RemovableHandle(self._forward_hooks, extra)
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_pre_hook(self, hook: Callable[..., Any],
                                        prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_output)`` runs when the gradients of the module's outputs are
        known; it may return a new ``grad_output``."""
        handle = RemovableHandle(self._backward_pre_hooks)
        self._backward_pre_hooks[handle.id] = hook
        if prepend:
            self._backward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_hook(self, hook: Callable[..., Any],
                                    prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs when the gradients of the module's
        positional inputs are known; it may return a new ``grad_input``."""
        handle = RemovableHandle(self._backward_hooks)
        self._backward_hooks[handle.id] = hook
        if prepend:
            self._backward_hooks.move_to_end(handle.id, last=False)
        return handle
