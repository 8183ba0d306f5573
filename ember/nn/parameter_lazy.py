"""``UninitializedParameter`` and ``UninitializedBuffer``: placeholders whose shape is not known
yet, used by the lazy layers (``nn.LazyLinear`` ...).

A lazy layer learns its input size from the first batch it sees; until then its parameters
hold no data.  ``materialize(shape)`` gives a placeholder its data and turns it, in place, into
an ordinary ``Parameter`` (or tensor), so an optimizer built before the first forward pass
already holds the parameters it will train.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from .parameter import Parameter

__all__ = ["UninitializedParameter", "UninitializedBuffer", "is_lazy"]

_SHAPE_ERROR = ("Can't access the shape of an uninitialized parameter or buffer. This error "
                "usually happens in `load_state_dict` when trying to load an uninitialized "
                "parameter into an initialized one. Call `forward` to initialize the parameters "
                "before accessing their attributes.")


class UninitializedTensorMixin:
    """What both placeholders share: no shape until :meth:`materialize`."""

    __slots__ = ()

    def materialize(self, shape, device=None, dtype=None):
        """Gives the placeholder uninitialised data of ``shape`` and makes it a
        ``cls_to_become``."""
        if isinstance(shape, int):
            shape = (shape,)
        np_dtype = self._array.dtype if dtype is None else dtype.numpy
        self._array = np.empty(tuple(shape), np_dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_SHAPE_ERROR)

    def size(self, dim=None):
        raise RuntimeError(_SHAPE_ERROR)

    def numel(self):
        raise RuntimeError(_SHAPE_ERROR)

    def dim(self):
        raise RuntimeError(_SHAPE_ERROR)

    def __repr__(self):
        return "<{}>".format(type(self).__name__)


def _empty(dtype):
    return Tensor._make(np.empty(0, (dtype or _dtype.get_default_dtype()).numpy))


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is decided later (by a lazy layer's first forward pass)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return Parameter.__new__(cls, _empty(dtype), requires_grad)

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self._requires_grad, dtype=self.dtype)
        return memo[id(self)]


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is decided later (BatchNorm's running statistics, lazily)."""

    __slots__ = ()
    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None, persistent=True):
        buffer = _empty(dtype)
        buffer.__class__ = cls
        buffer._requires_grad = requires_grad
        return buffer

    def __init__(self, *args, **kwargs):
        pass


def is_lazy(param):
    """Whether ``param`` is a placeholder not materialized yet."""
    return isinstance(param, UninitializedTensorMixin)
