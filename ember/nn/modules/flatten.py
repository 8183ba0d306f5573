"""``Flatten`` and ``Unflatten``: reshaping as layers (between convolutions and linear layers)."""
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    r"""Flattens the dimensions ``start_dim`` .. ``end_dim`` into one: ``input.flatten(1, -1)``.

    The default keeps the batch dimension: ``(N, C, H, W) -> (N, C*H*W)``.

    Args:
        start_dim: first dim to flatten (default = 1).
        end_dim: last dim to flatten (default = -1).

    Example::

        >>> nn.Flatten()(torch.randn(32, 1, 5, 5)).size()
        torch.Size([32, 25])
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return "start_dim={}, end_dim={}".format(self.start_dim, self.end_dim)


class Unflatten(Module):
    r"""Splits dimension ``dim`` into the shape ``unflattened_size``:
    ``input.unflatten(dim, unflattened_size)``.

    Args:
        dim: the dimension to split
        unflattened_size: its new shape (a tuple or list of ints; one may be -1)

    Example::

        >>> nn.Unflatten(1, (2, 5, 5))(torch.randn(2, 50)).size()
        torch.Size([2, 2, 5, 5])
    """

    def __init__(self, dim, unflattened_size):
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError("unflattened_size must be a tuple of ints, but found type {}".format(
                type(unflattened_size).__name__))
        for pos, size in enumerate(unflattened_size):
            if not isinstance(size, int):
                raise TypeError("unflattened_size must be tuple of ints, but found element of "
                                "type {} at pos {}".format(type(size).__name__, pos))
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self):
        return "dim={}, unflattened_size={}".format(self.dim, self.unflattened_size)
