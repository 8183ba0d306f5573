"""``nn.utils.parametrize``: a parameter computed from others by a module, on every access.

``register_parametrization(module, "weight", P)`` moves the tensor ``module.weight`` to
``module.parametrizations.weight.original`` and makes ``module.weight`` a property that returns
``P(original)`` each time it is read -- so the gradient flows through P to ``original``, which
is what the optimizer trains.  Several parametrizations on one tensor are applied in order
(a ``ParametrizationList``).  A parametrization may define ``right_inverse(X)``: then assigning
``module.weight = X`` stores ``right_inverse(X)`` as the original (and it is how the original
starts); returning a tuple of tensors makes the originals ``original0``, ``original1`` ...

To do this, the module's class is swapped for a subclass ``Parametrized<Class>`` holding the
properties; ``remove_parametrizations`` undoes all of it.  Inside ``with cached():`` each
parametrized tensor is computed once and reused.
"""
from contextlib import contextmanager

from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..modules.container import ModuleDict, ModuleList
from ..parameter import Parameter

__all__ = ["cached", "ParametrizationList", "register_parametrization", "is_parametrized",
           "remove_parametrizations", "type_before_parametrizations",
           "transfer_parametrizations_and_params"]

_cache_enabled = 0
_cache = {}


@contextmanager
def cached():
    """Within this block a parametrized tensor is computed on first access and then reused
    (one computation of an expensive parametrization per forward pass)."""
    global _cache_enabled
    _cache_enabled += 1
    try:
        yield
    finally:
        _cache_enabled -= 1
        if not _cache_enabled:
            _cache.clear()


def _register_parameter_or_buffer(module, name, value):
    if isinstance(value, Parameter):
        module.register_parameter(name, value)
    else:
        module.register_buffer(name, value)


def _maybe_set(dest, src):
    """``dest`` takes ``src``'s values and shape, keeping its identity (torch's ``set_``)."""
    dest.data = src


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, in order, and the original tensor(s) they start from
    (``original``, or ``original0``, ``original1`` ... when ``right_inverse`` gives several).

    Calling it computes the parametrized tensor: ``self[-1](... self[0](original))``.
    """

    def __init__(self, modules, original, unsafe=False):
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        original_shape, original_dtype = original.shape, original.dtype
        with no_grad():
            new = original
            for module in reversed(self):
                if hasattr(module, "right_inverse"):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:
                        pass
        if not isinstance(new, Tensor) and not isinstance(new, (list, tuple)):
            raise ValueError("'right_inverse' must return a Tensor or a Sequence of tensors "
                             "(list, tuple...). Got {}".format(type(new).__name__))
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if original.dtype != new.dtype:
                raise ValueError("When `right_inverse` outputs one tensor, it may not change the "
                                 "dtype.\noriginal.dtype: {}\nright_inverse(original).dtype: {}"
                                 .format(original.dtype, new.dtype))
            with no_grad():
                _maybe_set(original, new)
            _register_parameter_or_buffer(self, "original", original)
        else:
            for i, part in enumerate(new):
                if not isinstance(part, Tensor):
                    raise ValueError("'right_inverse' must return a Tensor or a Sequence of "
                                     "tensors (list, tuple...). Got element {} of the sequence "
                                     "with type {}.".format(i, type(part).__name__))
                if isinstance(original, Parameter):
                    part = Parameter(part, original.requires_grad)
                part.requires_grad_(original.requires_grad)
                _register_parameter_or_buffer(self, "original{}".format(i), part)
        if not self.unsafe:
            value = self()
            if not isinstance(value, Tensor):
                raise ValueError("A parametrization must return a tensor. Got {}.".format(
                    type(value).__name__))
            if value.dtype != original_dtype:
                raise ValueError("Registering a parametrization may not change the dtype of the "
                                 "tensor, unless `unsafe` flag is enabled.\nunparametrized dtype: "
                                 "{}\nparametrized dtype: {}".format(original_dtype, value.dtype))
            if value.shape != original_shape:
                raise ValueError("Registering a parametrization may not change the shape of the "
                                 "tensor, unless `unsafe` flag is enabled.\nunparametrized shape: "
                                 "{}\nparametrized shape: {}".format(original_shape, value.shape))

    def right_inverse(self, value):
        """Stores ``value`` as the parametrized tensor: the originals become the right inverses
        of the parametrizations applied to it, last first."""
        with no_grad():
            for module in reversed(self):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError("parametrization {} does not implement right_inverse."
                                       .format(type(module).__name__))
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError("`right_inverse` should return a tensor. Got {}".format(
                        type(value).__name__))
                if value.dtype != self.original.dtype:
                    raise ValueError("The tensor returned by `right_inverse` has dtype {} while "
                                     "`original` has dtype {}".format(value.dtype,
                                                                      self.original.dtype))
                _maybe_set(self.original, value)
            else:
                if not isinstance(value, (list, tuple)):
                    raise ValueError("'right_inverse' must return a sequence of tensors. Got {}."
                                     .format(type(value).__name__))
                if len(value) != self.ntensors:
                    raise ValueError("'right_inverse' must return a sequence of tensors of length "
                                     "{}. Got a sequence of length {}.".format(self.ntensors,
                                                                               len(value)))
                for i, part in enumerate(value):
                    original_i = getattr(self, "original{}".format(i))
                    if not isinstance(part, Tensor):
                        raise ValueError("'right_inverse' must return a sequence of tensors or "
                                         "reference-type opaques. Got element {} of type {}."
                                         .format(i, type(part).__name__))
                    if original_i.dtype != part.dtype:
                        raise ValueError("Tensor {} returned by `right_inverse` has dtype {} "
                                         "while `original{}` has dtype {}".format(
                                             i, part.dtype, i, original_i.dtype))
                    _maybe_set(original_i, part)

    def forward(self):
        if self.is_tensor:
            x = self[0](self.original)
        else:
            x = self[0](*(getattr(self, "original{}".format(i)) for i in range(self.ntensors)))
        for module in list(self)[1:]:
            x = module(x)
        return x


def _inject_new_class(module):
    """Gives ``module`` the class ``Parametrized<Class>``, a subclass that holds the
    properties (so that other instances of the class are not touched)."""
    cls = module.__class__

    def default_deepcopy(self, memo):
        from copy import deepcopy
        obj = memo.get(id(self), None)
        if obj is not None:
            return obj
        replica = self.__new__(self.__class__)
        memo[id(self)] = replica
        replica.__dict__ = deepcopy(self.__dict__, memo)
        return replica

    def getstate(self):
        raise RuntimeError(
            "Serialization of parametrized modules is only supported through state_dict(). "
            "See:\nhttps://pytorch.org/tutorials/beginner/saving_loading_models.html"
            "#saving-loading-a-general-checkpoint-for-inference-and-or-resuming-training")

    namespace = {"__getstate__": getstate}
    if not hasattr(cls, "__deepcopy__"):
        namespace["__deepcopy__"] = default_deepcopy
    module.__class__ = type("Parametrized" + cls.__name__, (cls,), namespace)


def _inject_property(module, tensor_name):
    """``module.<tensor_name>``: reading computes the parametrization (once per ``cached()``
    block), assigning stores the right inverse."""

    def get_parametrized(self):
        parametrization = self.parametrizations[tensor_name]
        if not _cache_enabled:
            return parametrization()
        key = (id(self), tensor_name)
        if key not in _cache:
            _cache[key] = parametrization()
        return _cache[key]

    def set_original(self, value):
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(module.__class__, tensor_name, property(get_parametrized, set_original))


def register_parametrization(module, tensor_name, parametrization, *, unsafe=False):
    """Makes ``module.<tensor_name>`` the output of ``parametrization`` applied to the original
    tensor (see the module docstring); a second call on the same name chains another one.
    ``unsafe=True`` skips the checks that shape and dtype are kept.  Returns ``module``."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        if not unsafe:
            y = getattr(module, tensor_name)
            x = parametrization(y)
            if not isinstance(x, Tensor):
                raise ValueError("A parametrization must return a tensor. Got {}.".format(
                    type(x).__name__))
            if x.dtype != y.dtype:
                raise ValueError("Registering a parametrization may not change the dtype of the "
                                 "tensor, unless the `unsafe` flag is enabled.\nmodule.{}.dtype: "
                                 "{}\nparametrization(module.{}).dtype: {}".format(
                                     tensor_name, y.dtype, tensor_name, x.dtype))
            if x.shape != y.shape:
                raise ValueError("Registering a parametrization may not change the shape of the "
                                 "tensor, unless the `unsafe` flag is enabled.\nmodule.{}.shape: "
                                 "{}\nparametrization(module.{}).shape: {}".format(
                                     tensor_name, y.shape, tensor_name, x.shape))
            if hasattr(parametrization, "right_inverse"):
                try:
                    z = parametrization.right_inverse(x)
                except NotImplementedError:
                    pass
                else:
                    if not isinstance(z, Tensor):
                        raise ValueError("parametrization.right_inverse must return a tensor. "
                                         "Got: {}".format(type(z).__name__))
                    if z.dtype != y.dtype:
                        raise ValueError("The tensor returned by parametrization.right_inverse "
                                         "must have the same dtype as module.{}, unless the "
                                         "`unsafe` flag is enabled.\nmodule.{}.dtype: {}\n"
                                         "returned dtype: {}".format(tensor_name, tensor_name,
                                                                     y.dtype, z.dtype))
                    if z.shape != y.shape:
                        raise ValueError("The tensor returned by parametrization.right_inverse "
                                         "must have the same shape as module.{}, unless the "
                                         "`unsafe` flag is enabled.\nmodule.{}.shape: {}\n"
                                         "returned shape: {}".format(tensor_name, tensor_name,
                                                                     y.shape, z.shape))
        module.parametrizations[tensor_name].append(parametrization)
        module.parametrizations[tensor_name].unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        parametrizations = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = parametrizations
    else:
        raise ValueError("Module '{}' does not have a parameter, a buffer, or a parametrized "
                         "element with name '{}'".format(module, tensor_name))
    return module


def is_parametrized(module, tensor_name=None):
    """Whether ``module`` has any parametrization (or one on ``tensor_name``)."""
    parametrizations = getattr(module, "parametrizations", None)
    if parametrizations is None or not isinstance(parametrizations, ModuleDict):
        return False
    if tensor_name is None:
        return len(parametrizations) > 0
    return tensor_name in parametrizations


def remove_parametrizations(module, tensor_name, leave_parametrized=True):
    """Removes the parametrizations of ``module.<tensor_name>``: it becomes a plain parameter
    (or buffer) again, holding the parametrized value (``leave_parametrized=True``) or the
    original.  The module gets its own class back when nothing is parametrized any more."""
    if not is_parametrized(module, tensor_name):
        raise ValueError("Module {} does not have a parametrization on {}".format(
            module, tensor_name))
    parametrizations = module.parametrizations[tensor_name]
    if parametrizations.is_tensor:
        original = parametrizations.original
        if leave_parametrized:
            with no_grad():
                value = getattr(module, tensor_name)
                _maybe_set(original, value.detach())
    else:
        if not leave_parametrized:
            raise ValueError("Cannot leave unparametrized (`leave_parametrized=False`) a tensor "
                             "that is parametrized in terms of a sequence of tensors.")
        value = getattr(module, tensor_name)
        original = Parameter(value.detach(), value.requires_grad) if value.requires_grad \
            else value.detach()
    delattr(module.__class__, tensor_name)
    del module.parametrizations[tensor_name]
    _register_parameter_or_buffer(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = module.__class__.__bases__[0]
    return module


def type_before_parametrizations(module):
    """The module's class as it was before any parametrization was registered."""
    return module.__class__.__bases__[0] if is_parametrized(module) else type(module)


def transfer_parametrizations_and_params(from_module, to_module, tensor_name=None):
    """Copies the parametrizations (and their originals) of ``from_module`` -- all of them, or
    that of ``tensor_name`` -- onto ``to_module``.  Returns ``to_module``."""
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name)))
        for parametrization in from_module.parametrizations[name]:
            register_parametrization(to_module, name, parametrization)
        with no_grad():
            source, target = from_module.parametrizations[name], to_module.parametrizations[name]
            if source.is_tensor:
                target.original = source.original
            else:
                for i in range(source.ntensors):
                    key = "original{}".format(i)
                    setattr(target, key, getattr(source, key))
    return to_module
