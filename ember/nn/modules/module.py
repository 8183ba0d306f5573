"""``nn.Module``: the base class of every layer and every model.

A module is a Python object that owns three kinds of state, each in its own dictionary:

* ``_parameters`` -- the :class:`~ember.nn.Parameter` s it trains (a Linear layer's weight, bias);
* ``_buffers`` -- tensors that are state but not trained (BatchNorm's running mean);
* ``_modules`` -- its sub-modules (the layers of a model).

Nobody fills these dictionaries by hand: ``__setattr__`` does it.  ``self.fc = nn.Linear(2, 3)``
lands in ``_modules``, ``self.w = nn.Parameter(...)`` in ``_parameters``, anything else is an
ordinary attribute.  Reading ``self.fc`` back finds nothing in the instance's ``__dict__``, so
Python calls ``__getattr__``, which looks in the three dictionaries.  With that registry the
module can walk its tree: ``parameters()`` for the optimizer, ``state_dict()`` for saving,
``train()``/``eval()``, ``to(dtype)``, ``zero_grad()``, and the printed summary.

Calling the module (``model(x)``) runs ``forward(x)`` -- with the hooks, if any were registered
(see ``_hooks.py``, which also holds the ``register_*_hook`` methods).  ``state_dict()`` and
``load_state_dict()`` are in ``state_dict.py``; ``Module`` inherits both groups of methods.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Iterator, Optional, Set, Tuple, TypeVar

from ... import _errors
from ... import _dtype
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Buffer, Parameter
from . import _hooks
from .state_dict import StateDict

M = TypeVar("M", bound="Module")

__all__ = ["Module"]


def _typename(obj):
    """The type name torch puts in its messages: 'torch.FloatTensor', 'int', 'torch.nn...ReLU'."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = cls.__module__
    if module in ("builtins", None):
        return cls.__qualname__
    return module + "." + cls.__qualname__


def _addindent(text, spaces):
    """Indents every line but the first (how nested modules are printed)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return lines[0] + "\n" + "\n".join(pad + line for line in lines[1:])


class Module(StateDict, _hooks.HookRegistration):
    r"""Base class for all neural network modules.

    Your models should subclass this class, create their layers in ``__init__`` (after calling
    ``super().__init__()``) and compute the output in ``forward``::

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(4, 8)       # registered as a sub-module
                self.fc2 = nn.Linear(8, 1)

            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x)))

    Call the model, ``model(x)``, rather than ``model.forward(x)``: the call also runs the hooks.

    Attributes:
        training (bool): whether the module is in training mode (see :meth:`train`).
    """

    # The version of this class's state_dict layout, saved in ``state_dict()._metadata`` so that
    # a subclass whose layout changes can convert old checkpoints in ``_load_from_state_dict``.
    _version = 1
    training: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Initializes the module's registries (call it before assigning any attribute)."""
        if kwargs:
            raise TypeError("{}.__init__() got an unexpected keyword argument '{}'".format(
                type(self).__name__, next(iter(kwargs))))
        if args:
            raise TypeError("{}.__init__() takes 1 positional argument but {} were given".format(
                type(self).__name__, len(args) + 1))
        # Written into __dict__ directly: our own __setattr__ would look for the registries that
        # are being created here.
        self.__dict__.update(
            training=True,
            _parameters={},
            _buffers={},
            _non_persistent_buffers_set=set(),
            _modules={},
            _forward_pre_hooks=OrderedDict(),
            _forward_pre_hooks_with_kwargs={},
            _forward_hooks=OrderedDict(),
            _forward_hooks_with_kwargs={},
            _forward_hooks_always_called={},
            _backward_pre_hooks=OrderedDict(),
            _backward_hooks=OrderedDict(),
        )

    def forward(self, *input: Any) -> Any:
        """Computes the output of the module.  Every subclass must override it."""
        raise NotImplementedError('Module [{}] is missing the required "forward" function'.format(
            type(self).__name__))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The fast path: most modules have no hooks, and a training step calls many modules.
        if (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks):
            return _hooks.call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ registration

    def register_parameter(self, name: str, param: Optional[Parameter]) -> None:
        """Adds a parameter (or ``None``, a declared but absent parameter) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_new_name(name, "parameter", self._parameters)
        if param is None:
            self._parameters[name] = None
        elif not isinstance(param, Parameter):
            raise TypeError("cannot assign '{}' object to parameter '{}' (torch.nn.Parameter or "
                            "None required)".format(_typename(param), name))
        elif param.grad_fn is not None:
            raise ValueError(
                "Cannot assign non-leaf Tensor to parameter '{0}'. Model parameters must be "
                "created explicitly. To express '{0}' as a function of another Tensor, compute "
                "the value in the forward() method.".format(name))
        else:
            self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Optional[Tensor], persistent: bool = True) -> None:
        """Adds a buffer: a tensor that is state but not a parameter (``running_mean``).

        Buffers are moved by ``to()`` and, if ``persistent``, saved in the ``state_dict``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_new_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError("cannot assign '{}' object to buffer '{}' (torch Tensor or None "
                            "required)".format(_typename(tensor), name))
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def _check_new_name(self, name, kind, registry):
        """torch's checks on the name of a new parameter or buffer."""
        if not isinstance(name, str):
            raise TypeError("{} name should be a string. Got {}".format(kind, _typename(name)))
        if "." in name:
            raise KeyError("{} name can't contain \".\"".format(kind))
        if name == "":
            raise KeyError("{} name can't be empty string \"\"".format(kind))
        if hasattr(self, name) and name not in registry:
            raise _errors.attribute_exists(name)

    def add_module(self, name: str, module: Optional[Module]) -> None:
        """Adds a child module, reachable as the attribute ``name``."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError("{} is not a Module subclass".format(_typename(module)))
        if not isinstance(name, str):
            raise TypeError("module name should be a string. Got {}".format(_typename(name)))
        if hasattr(self, name) and name not in self._modules:
            raise _errors.attribute_exists(name)
        if "." in name:
            raise KeyError("module name can't contain \".\", got: {}".format(name))
        if name == "":
            raise KeyError("module name can't be empty string \"\"")
        self._modules[name] = module

    register_module = add_module

    # ------------------------------------------------------------------ attribute protocol

    def __getattr__(self, name):
        # Only called when normal lookup failed: parameters, buffers and sub-modules live in the
        # registries, not in the instance __dict__.
        d = self.__dict__
        if "_parameters" in d:
            params = d["_parameters"]
            if name in params:
                return params[name]
        if "_buffers" in d:
            buffers = d["_buffers"]
            if name in buffers:
                return buffers[name]
        if "_modules" in d:
            modules = d["_modules"]
            if name in modules:
                return modules[name]
        raise AttributeError("'{}' object has no attribute '{}'".format(type(self).__name__,
                                                                        name))

    def __setattr__(self, name, value):
        """``self.name = value``, sorted into the right registry:

        * a Parameter goes to ``_parameters``, a Module to ``_modules``, an ``nn.Buffer`` to
          ``_buffers`` (the name is first removed from wherever else it was);
        * a name that is already a parameter / child / buffer stays one: it accepts only a
          value of that kind, or ``None``;
        * anything else (numbers, plain tensors, lists) is an ordinary attribute."""
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, d, self._buffers, self._modules)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError("cannot assign '{}' as parameter '{}' (torch.nn.Parameter or None "
                                "expected)".format(_typename(value), name))
            params[name] = None
        else:
            modules = d.get("_modules")
            if isinstance(value, Module):
                if modules is None:
                    raise AttributeError("cannot assign module before Module.__init__() call")
                self._forget(name, d, params, self._buffers)
                modules[name] = value
            elif modules is not None and name in modules:
                if value is not None:
                    raise TypeError("cannot assign '{}' as child module '{}' (torch.nn.Module or "
                                    "None expected)".format(_typename(value), name))
                modules[name] = None
            else:
                buffers = d.get("_buffers")
                if isinstance(value, Buffer) or (buffers is not None and name in buffers):
                    if value is not None and not isinstance(value, Tensor):
                        raise TypeError("cannot assign '{}' as buffer '{}' (torch.nn.Buffer, "
                                        "torch.Tensor or None expected)".format(
                                            _typename(value), name))
                    if isinstance(value, Buffer):
                        persistent = value.persistent
                    else:
                        persistent = name not in self._non_persistent_buffers_set
                    self.register_buffer(name, value, persistent)
                else:
                    object.__setattr__(self, name, value)

    def _forget(self, name, *registries):
        """Removes ``name`` from the given dictionaries (before it is registered elsewhere)."""
        for registry in registries:
            if name in registry:
                del registry[name]
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = (dir(type(self)) + list(self.__dict__) + list(self._parameters)
                + list(self._modules) + list(self._buffers))
        # Names that are not identifiers (the '0', '1' of a Sequential) are left out.
        return sorted(key for key in set(keys) if not key[0].isdigit())

    # ------------------------------------------------------------------ walking the tree

    def named_modules(self, memo: Optional[Set[Module]] = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[Tuple[str, Module]]:
        """Yields ``(name, module)`` for this module and every module below it, depth first.

        The names are dotted paths (``'encoder.0'``); this module itself comes first, named
        ``prefix``.  A module reachable along two paths is yielded once unless
        ``remove_duplicate=False``."""
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub_prefix = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub_prefix, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """Yields this module and every module below it."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[Tuple[str, Module]]:
        """Yields ``(name, module)`` for the direct children."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        """Yields the direct children."""
        for _, module in self.named_children():
            yield module

    def _members(self, registry, recurse):
        """The tensors of one registry ('_parameters' or '_buffers') of this module and, with
        ``recurse``, of every module below it; each tensor once, ``None`` entries skipped."""
        seen = set()
        for module in (self.modules() if recurse else (self,)):
            for value in getattr(module, registry).values():
                if value is not None and id(value) not in seen:
                    seen.add(id(value))
                    yield value

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        """``(dotted name, tensor)`` pairs from one registry, as :meth:`_members`; with
        ``remove_duplicate=False`` a shared tensor comes once per name."""
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = ((prefix, self),)
        seen = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Yields the parameters (of this module and, with ``recurse``, of all below it), each
        shared parameter once.  This is what an optimizer takes: ``SGD(model.parameters())``."""
        return self._members("_parameters", recurse)

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[Tuple[str, Parameter]]:
        """Yields ``(name, parameter)``, e.g. ``('fc1.weight', Parameter ...)``."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yields the buffers (tensors registered with ``register_buffer``)."""
        return self._members("_buffers", recurse)

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[Tuple[str, Tensor]]:
        """Yields ``(name, buffer)``, e.g. ``('bn.running_mean', tensor(...))``."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path ``target`` (``''`` is this module)."""
        if target == "":
            return self
        module = self
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(module._get_name() + " has no attribute `" + item + "`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``'fc1.weight'``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(module._get_name() + " has no attribute `" + name + "`")
        param = getattr(module, name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target`` (``'bn.running_mean'``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(module._get_name() + " has no attribute `" + name + "`")
        if name not in module._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return getattr(module, name)

    def apply(self: M, fn: Callable[[Module], None]) -> M:
        """Calls ``fn(module)`` on every child (recursively), then on this module; returns self.

        The usual use is custom initialisation: ``model.apply(init_weights)``."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and gradients

    def train(self: M, mode: bool = True) -> M:
        """Sets training mode (``mode=True``) or evaluation mode, here and in all children.

        Only some layers behave differently (Dropout, BatchNorm).  Returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self: M) -> M:
        """Sets evaluation mode: ``self.train(False)``.  It does not turn off gradients; use
        ``torch.no_grad()`` for that."""
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        """Sets ``requires_grad`` on every parameter (``False`` freezes the module)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets the gradients of all parameters: to ``None`` (default), or to zeros."""
        for param in self.parameters():
            grad = param._grad
            if grad is None:
                continue
            if set_to_none:
                param._grad = None
            else:
                if grad.grad_fn is not None:
                    grad.detach_()
                else:
                    grad.requires_grad_(False)
                grad.zero_()

    def share_memory(self: M) -> M:
        """A no-op in ember (no separate processes share tensors); returns self."""
        return self

    # ------------------------------------------------------------------ conversion

    def _apply(self, fn, recurse=True):
        """Replaces every parameter's and buffer's values by ``fn(tensor)``.

        Parameters keep their identity (their ``.data`` is replaced), so an optimizer built
        before ``model.double()`` still holds the model's parameters."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        with no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                param.data = fn(param)
                if param._grad is not None:
                    param._grad.data = fn(param._grad)
            for name, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[name] = fn(buf)
        return self

    def to(self: M, *args: Any, **kwargs: Any) -> M:
        """Converts the floating point parameters and buffers to a dtype:
        ``model.to(torch.float64)``, ``model.to(tensor)`` (its dtype), ``model.to('cpu')``
        (ember computes on the CPU only)."""
        device = dtype = None
        for arg in args + tuple(kwargs.values()):
            if arg is None or isinstance(arg, bool):       # non_blocking
                continue
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, _dtype.dtype):
                dtype = arg
            else:
                device = arg
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            "desired dtype={}".format(dtype))
        # Integer buffers (BatchNorm's num_batches_tracked) keep their dtype.
        return self._apply(lambda t: t.to(device, dtype if t.is_floating_point() else None))

    def float(self: M) -> M:
        """Converts floating point parameters and buffers to float32."""
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self: M) -> M:
        """Converts floating point parameters and buffers to float64."""
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self: M) -> M:
        """Converts floating point parameters and buffers to float16."""
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def type(self: M, dst_type: Any) -> M:
        """Converts all parameters and buffers (integer ones too) to ``dst_type``."""
        return self._apply(lambda t: t.type(dst_type))

    def cpu(self: M) -> M:
        """ember's tensors always live on the CPU: returns self."""
        return self

    def cuda(self: M, device: Any = None) -> M:
        """Moves to a GPU: ember has none, so this raises for a module with tensors."""
        return self._apply(lambda t: t.cuda(device))

    # ------------------------------------------------------------------ printing

    def _get_name(self):
        return type(self).__name__

    def extra_repr(self) -> str:
        """The text inside the parentheses of the printed module (``in_features=2, ...``).
        Override it in layers with settings worth showing."""
        return ""

    def __repr__(self):
        # Name(extra) on one line, or the extra lines and one "(name): child" line per child,
        # each child's own lines indented by two more spaces.
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = ["(" + name + "): " + _addindent(repr(module), 2)
                       for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
