"""``ember.nn.parallel``: data-parallel training over several processes
(:class:`DistributedDataParallel`, on ``ember.distributed``)."""
from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
