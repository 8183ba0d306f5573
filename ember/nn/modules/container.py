"""Containers: modules that hold other modules (``Sequential``, ``ModuleList``, ``ModuleDict``)
or parameters (``ParameterList``, ``ParameterDict``).

A Python list of layers would hide them from the model: ``parameters()``, ``to()`` and
``state_dict()`` only see what is registered.  These containers register every entry, under the
names ``'0'``, ``'1'``, ... (or the dictionary's keys), which is why a state_dict reads
``'layers.0.weight'``.
"""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from itertools import chain, islice

from ..._tensor import Tensor
from ..parameter import Parameter
from .module import Module, _addindent

__all__ = ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"]


def _renumbered(modules):
    """The modules under the keys '0', '1', ... in their order (after a deletion)."""
    return {str(i): module for i, module in enumerate(modules.values())}


def _position(index, size):
    """``index`` (negative counts from the end) as a position in ``range(size)``."""
    index = operator.index(index)
    if not -size <= index < size:
        raise IndexError("index {} is out of range".format(index))
    return index % size


def _dir_without_positions(self):
    """dir() without the entries '0', '1', ... (they are reached by indexing)."""
    return [key for key in Module.__dir__(self) if not key.isdigit()]


def _pop(self, key):
    """Removes and returns the entry at ``key``."""
    value = self[key]
    del self[key]
    return value


def _update_pairs(entries, owner):
    """The ``(key, value)`` pairs of an iterable given to ``owner.update`` (checked as torch
    checks them)."""
    pairs = []
    for j, pair in enumerate(entries):
        if not isinstance(pair, Iterable):
            raise TypeError("{} update sequence element #{} should be Iterable; is{}".format(
                owner, j, type(pair).__name__))
        if len(pair) != 2:
            raise ValueError("{} update sequence element #{} has length {}; 2 is required"
                             .format(owner, j, len(pair)))
        pairs.append(pair)
    return pairs


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: modules in order, registered under '0', '1', ...
    and reached by position (negative positions count from the end)."""

    def _key_at(self, index):
        """The key of the entry at position ``index``."""
        return str(_position(index, len(self)))

    def __setitem__(self, index, module):
        setattr(self, self._key_at(index), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules.keys())[index]:
                delattr(self, key)
        else:
            delattr(self, self._key_at(index))
        self._modules = _renumbered(self._modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    __dir__ = _dir_without_positions
    pop = _pop

    def append(self, module):
        """Adds ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        """Inserts ``module`` before position ``index``."""
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module


class Sequential(_ModuleSequence):
    r"""A chain of modules: the output of each is the input of the next.

    Build it from modules, ``Sequential(nn.Linear(2, 3), nn.ReLU())`` (named '0', '1'), or from
    an ``OrderedDict`` of named modules.  It supports indexing (a slice is a new Sequential),
    ``len``, iteration, ``append``, ``insert``, ``extend``, ``pop``, ``del``, ``+`` and ``*``.

    Example::

        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        >>> model
        Sequential(
          (0): Linear(in_features=2, out_features=3, bias=True)
          (1): ReLU()
        )
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def _key_at(self, index):
        # the modules may have names of their own (built from an OrderedDict)
        return next(islice(self._modules.keys(), _position(index, len(self)), None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key_at(index)]

    def __add__(self, other):
        result = Sequential(*self)
        result += other
        return result

    def __iadd__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError("add operator supports only objects of Sequential class, but {} is "
                             "given.".format(type(other)))
        offset = len(self)
        for i, module in enumerate(other):
            self.add_module(str(i + offset), module)
        return self

    def _check_factor(self, other):
        if not isinstance(other, int):
            raise TypeError("unsupported operand type(s) for *: {} and {}".format(
                type(self), type(other)))
        if other <= 0:
            raise ValueError("Non-positive multiplication factor {} for {}".format(
                other, type(self)))

    def __mul__(self, other):
        """``seq * n``: a Sequential with the same modules (not copies) repeated n times."""
        self._check_factor(other)
        return Sequential(*(list(self) * other))

    __rmul__ = __mul__

    def __imul__(self, other):
        self._check_factor(other)
        modules = list(self)
        for offset, module in enumerate(modules * (other - 1), len(modules)):
            self.add_module(str(offset), module)
        return self

    def insert(self, index, module):
        """Inserts ``module`` before position ``index``."""
        if not isinstance(module, Module):
            raise AssertionError("module should be of type: {}".format(Module))
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError("Index out of range: {}".format(index))
        super().insert(index + n if index < 0 else index, module)
        return self

    def extend(self, sequential):
        """Appends every module of ``sequential`` (any iterable of modules)."""
        for layer in sequential:
            self.append(layer)
        return self

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    r"""Holds sub-modules in a list, registered so that the model sees their parameters.

    Indexes like a list (a slice is a new ModuleList); it has no ``forward`` of its own: you
    write the loop over it.  Repeated identical modules print once (``(0-2): 3 x Linear(...)``).

    Example::

        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])
        ...
        for layer in self.layers:
            x = layer(x)
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self += modules

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._key_at(index)]

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList(chain(self, other))

    def __repr__(self):
        # Runs of consecutive modules that print the same are shown once: "(0-2): 3 x Linear(...)".
        reprs = [repr(module) for module in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []                                   # [first index, last index, text]
        for i, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = []
        for first, last, text in runs:
            if first == last:
                line = "({}): {}".format(first, text)
            else:
                line = "({}-{}): {} x {}".format(first, last, last - first + 1, text)
            lines.append(_addindent(line, 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def extend(self, modules):
        """Appends the modules of an iterable."""
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


class ModuleDict(Module):
    r"""Holds sub-modules in a dictionary (insertion order kept), registered under their keys.

    Example::

        self.heads = nn.ModuleDict({"age": nn.Linear(8, 1), "class": nn.Linear(8, 10)})
        out = self.heads[task](features)
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        """Removes every entry."""
        self._modules.clear()

    pop = _pop

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        """Adds (or replaces) entries from a mapping or an iterable of ``(key, module)`` pairs."""
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleDict.update should be called with an iterable of key/value "
                            "pairs, but got " + type(modules).__name__)
        if isinstance(modules, (Mapping, ModuleDict)):
            pairs = modules.items()
        else:
            pairs = _update_pairs(modules, "ModuleDict")
        for key, module in pairs:
            self[key] = module


def _entry_repr(key, value, type_text):
    """One line of a ParameterList/ParameterDict printout: '  (0): Parameter containing: [...]'.
    ``type_text(tensor)`` names the type (the list shows the dtype, the dict the tensor type)."""
    if not isinstance(value, Tensor):
        return "  ({}): Object of type: {}".format(key, type(value).__name__)
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    size = "x".join(str(n) for n in value.shape)
    return "  ({}): {} containing: [{} of size {}]".format(key, kind, type_text(value), size)


class ParameterList(Module):
    r"""Holds parameters in a list, registered under '0', '1', ...

    Plain tensors put in are turned into Parameters (``requires_grad=True``).

    Example::

        self.weights = nn.ParameterList([nn.Parameter(torch.randn(4, 4)) for _ in range(3)])
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _key_at(self, index):
        return str(_position(index, len(self)))

    def __getitem__(self, index):
        if isinstance(index, slice):
            result = type(self)()
            for i in range(*index.indices(len(self))):
                result.append(self[i])
            return result
        return getattr(self, self._key_at(index))

    def __setitem__(self, index, param):
        key = self._key_at(index)
        if isinstance(param, Tensor) and not isinstance(param, Parameter):
            param = Parameter(param)
        setattr(self, key, param)

    def __len__(self):
        return self._size

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __iadd__(self, parameters):
        return self.extend(parameters)

    __dir__ = _dir_without_positions

    def append(self, value):
        """Adds ``value`` at the end."""
        index = len(self)
        self._size += 1
        self[index] = value
        return self

    def extend(self, values):
        """Appends the values of an iterable."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError("ParameterList.extend should be called with an iterable, but got "
                            + type(values).__name__)
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return "\n".join(_entry_repr(k, p, lambda t: t.dtype) for k, p in enumerate(self))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    r"""Holds parameters in a dictionary (insertion order kept), registered under their keys.

    Plain tensors put in are turned into Parameters.  Updating from a plain ``dict`` adds the
    entries sorted by key (as torch does); an ``OrderedDict`` or pairs keep their order.
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _key_to_attr(key):
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a "
                            "string (type is '{}'). Open an issue on github if you need "
                            "non-string keys.".format(type(key).__name__))
        return key

    def __getitem__(self, key):
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key, value):
        self._keys[key] = None
        attr = self._key_to_attr(key)
        if isinstance(value, Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        setattr(self, attr, value)

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(self._keys)

    def __contains__(self, key):
        return key in self._keys

    def copy(self):
        """A new ParameterDict holding the same parameters."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self):
        for k in list(self._keys):
            del self[k]

    pop = _pop

    def popitem(self):
        """Removes and returns the last inserted ``(key, parameter)``."""
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def fromkeys(self, keys, default=None):
        return ParameterDict((k, default) for k in keys)

    def keys(self):
        return self._keys.keys()

    def items(self):
        return ((k, self[k]) for k in self._keys)

    def values(self):
        return (self[k] for k in self._keys)

    def update(self, parameters):
        """Adds (or replaces) entries from a mapping or an iterable of ``(key, value)`` pairs."""
        if not isinstance(parameters, Iterable):
            raise TypeError("ParametersDict.update should be called with an iterable of "
                            "key/value pairs, but got " + type(parameters).__name__)
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = _update_pairs(parameters, "ParameterDict")
        for key, value in pairs:
            self[key] = value

    def extra_repr(self):
        return "\n".join(_entry_repr(k, p, lambda t: t.type()) for k, p in self.items())

    def __call__(self, input):
        raise RuntimeError("ParameterDict should not be called.")

    def __or__(self, other):
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        result = other.copy()
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self
