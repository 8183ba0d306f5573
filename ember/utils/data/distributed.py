"""``DistributedSampler``: each of ``num_replicas`` processes reads its own share of a dataset.

In data-parallel training every process (a "replica", numbered by its ``rank``) trains on a
different part of each epoch.  The sampler makes one index list for the epoch -- shuffled with
the seed ``seed + epoch``, so that all replicas agree on it without talking to each other -- pads
it by wrapping around until it divides evenly (or, with ``drop_last``, cuts the tail), and gives
replica ``rank`` every ``num_replicas``-th index starting at ``rank``.

``num_replicas`` and ``rank`` default to the world size and rank of ``ember.distributed``'s
default process group.
"""
import math

from ... import Generator, randperm
from .sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """Restricts loading to the share of the dataset that belongs to replica ``rank``.

    Args:
        dataset: the (map-style) dataset.
        num_replicas (int): how many processes share the work (default: the world size).
        rank (int): this process's number, ``0 <= rank < num_replicas`` (default: its rank).
        shuffle (bool): shuffle the indices each epoch. Default: True.
        seed (int): the shuffle's seed; must be the same on every replica. Default: 0.
        drop_last (bool): cut the tail so that it divides evenly instead of padding by
            repeating the first indices. Default: False.

    Call ``sampler.set_epoch(epoch)`` at the start of each epoch, before iterating the
    DataLoader; otherwise every epoch has the same order.

    Example::

        >>> [list(DistributedSampler(range(5), num_replicas=2, rank=r, shuffle=False))
        ...  for r in (0, 1)]
        [[0, 2, 4], [1, 3, 0]]
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        if num_replicas is None or rank is None:       # asked of the default process group
            from ... import distributed as dist
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError("Invalid rank {}, rank should be in the interval [0, {}]"
                             .format(rank, num_replicas - 1))
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(self.dataset)
        if self.drop_last and n % self.num_replicas != 0:
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            generator = Generator().manual_seed(self.seed + self.epoch)
            indices = randperm(n, generator=generator).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[:self.total_size]
        else:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Sets the epoch, which changes the shuffle (all replicas must use the same value)."""
        self.epoch = epoch
