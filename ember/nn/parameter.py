"""``nn.Parameter`` and ``nn.Buffer``: tensors that a Module registers when they are assigned to it.

A :class:`Parameter` is an ordinary tensor (``isinstance(p, Tensor)`` is True) with one extra
meaning: assigning it as an attribute of a :class:`~ember.nn.Module` (``self.w = Parameter(...)``)
adds it to the module's ``parameters()`` -- the tensors an optimizer trains.  A plain tensor
assigned the same way stays a plain attribute; that is how a model keeps a cache without
training it.

A :class:`Buffer` marks state that belongs to the model but is not trained (BatchNorm's running
mean): assigned to a module it lands in ``buffers()`` and in the ``state_dict()``.
"""
from __future__ import annotations

from typing import Optional

from collections import OrderedDict

import numpy as np

from .. import _errors
from .. import _dtype
from .._tensor import Tensor

__all__ = ["Parameter", "Buffer"]


class Parameter(Tensor):
    r"""A kind of Tensor that is to be considered a module parameter.

    Parameters are :class:`~ember.Tensor` subclasses that have a special property when used with
    :class:`Module` s: when they are assigned as Module attributes they are added to the list of
    its parameters, and appear e.g. in :meth:`~Module.parameters`.  The parameter shares the
    memory of ``data``; it is always a leaf of the autograd graph.

    Args:
        data (Tensor): parameter tensor (an empty one if omitted).
        requires_grad (bool, optional): if the parameter requires gradient.  ``no_grad()`` does not
            change this default.  Default: ``True``

    Example::

        >>> p = nn.Parameter(torch.tensor([1.0, 2.0]))
        >>> p
        Parameter containing:
        tensor([1., 2.], requires_grad=True)
    """

    __slots__ = ()

    def __new__(cls, data: Optional[Tensor] = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = Tensor._make(np.empty(0, dtype=_dtype.get_default_dtype().numpy))
        elif not isinstance(data, Tensor):
            raise AttributeError("'{}' object has no attribute 'detach'".format(
                type(data).__name__))
        if requires_grad and data._array.dtype.kind not in "fV":
            raise _errors.floating_to_require_grad()
        return cls._make_subclass(data, requires_grad)

    def __deepcopy__(self, memo):
        # A fresh parameter with a copy of the values; like torch, the gradient is not copied.
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(Tensor._make(self._array.copy()), self._requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self):
        return "Parameter containing:\n" + Tensor.__repr__(self)

    def __reduce_ex__(self, protocol):
        return _rebuild_parameter, (self.data, self._requires_grad, OrderedDict())


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """Unpickles a Parameter (the hooks are never saved, as in torch)."""
    return Parameter(data, requires_grad)


class _BufferMeta(type):
    """``isinstance(t, Buffer)`` is True for tensors that ``Buffer(...)`` marked."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(Tensor, metaclass=_BufferMeta):
    r"""A kind of Tensor that should not be considered a model parameter, but is part of the
    module's state (for example BatchNorm's ``running_mean``).

    Assigned as a Module attribute, a buffer is added to the module's :meth:`~Module.buffers`
    (and, unless ``persistent=False``, to its :meth:`~Module.state_dict`).  ``Buffer(t)`` returns
    a plain tensor sharing ``t``'s memory, marked so that the module recognises it.

    Args:
        data (Tensor): buffer tensor.
        persistent (bool, optional): whether the buffer is part of the module's ``state_dict``.
            Default: ``True``
    """

    def __new__(cls, data: Optional[Tensor] = None, *, persistent: bool = True) -> Buffer:
        if data is None:
            data = Tensor._make(np.empty(0, dtype=_dtype.get_default_dtype().numpy))
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


from .parameter_lazy import UninitializedBuffer, UninitializedParameter, is_lazy  # noqa: E402,F401,I001
