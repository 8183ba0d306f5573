"""``ember.nn.parallel``: data-parallel training over several processes
(:class:`DistributedDataParallel`, on ``ember.distributed``)."""
from .data_parallel import DataParallel, data_parallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]
