"""``ember.Size``: the shape of a tensor, a tuple that prints as ``torch.Size([2, 3])``."""
from functools import reduce
import operator


class Size(tuple):
    """A tensor's shape: a tuple of ints, with ``numel()`` and torch's repr."""

    __slots__ = ()

    def __repr__(self):
        return "torch.Size([" + ", ".join(map(str, self)) + "])"

    __str__ = __repr__

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        return reduce(operator.mul, self, 1)

    def __getitem__(self, item):
        result = tuple.__getitem__(self, item)
        return Size(result) if isinstance(item, slice) else result

    def __add__(self, other):
        return Size(tuple.__add__(self, other))

    def __reduce__(self):
        return Size, (tuple(self),)
