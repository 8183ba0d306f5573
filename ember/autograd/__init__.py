"""``ember.autograd``: automatic differentiation.

* :mod:`.graph` -- graph nodes (``grad_fn``), ``AccumulateGrad`` at the leaves, saved tensors;
* :mod:`.function` -- ``Function``, the protocol every differentiable operation follows;
* :mod:`.engine` -- ``backward`` and ``grad``, the chain rule over the graph;
* :mod:`.grad_mode` -- ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``;
* :mod:`.anomaly_mode` -- finding the operation that produced NaN;
* :mod:`.gradcheck` -- checking a backward formula against finite differences;
* :mod:`.chain_rule` -- ``explain``, the chain rule of a backward pass written out as text;
* :mod:`.functional` -- ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.
"""
from .. import _errors
from .anomaly_mode import detect_anomaly, set_detect_anomaly, is_anomaly_enabled
from .engine import backward, grad
from .function import Function, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled,
                        no_grad, set_grad_enabled)
from .gradcheck import gradcheck, gradgradcheck
from .graph import Node

__all__ = ["Function", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled",
           "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "detect_anomaly",
           "set_detect_anomaly", "is_anomaly_enabled", "once_differentiable", "Node", "Variable",
           "gradcheck", "gradgradcheck", "functional", "explain", "forward_ad"]


class _VariableMeta(type):
    def __instancecheck__(cls, obj):
        from .._tensor import Tensor
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """The pre-0.4 wrapper of a tensor; today every tensor is a Variable.  ``Variable(t,
    requires_grad=True)`` returns a new leaf sharing ``t``'s memory and leaves ``t`` as it is."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        from .._tensor import Tensor
        if volatile:
            import warnings
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():`"
                          " instead.", UserWarning, stacklevel=2)
        if data is None:
            data = Tensor()
        elif not isinstance(data, Tensor):
            raise TypeError("Variable data has to be a tensor, but got " + type(data).__name__)
        if requires_grad and not data.is_floating_point():
            raise _errors.floating_to_require_grad()
        result = Tensor._make(data._array)
        result._requires_grad = bool(requires_grad)
        return result


# Tools used in teaching, not in training: loaded on first use, so that ``import ember`` stays
# fast.  No submodule has the name of a public function (``gradcheck`` is imported above, as
# torch does): importing a submodule sets its name in this package, over the function.
_LAZY = {"explain": ("chain_rule", "explain"), "functional": ("functional", None),
         "forward_ad": ("forward_ad", None)}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError("module 'ember.autograd' has no attribute '{}'".format(name))
    import importlib
    module_name, attribute = _LAZY[name]
    module = importlib.import_module("." + module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value
