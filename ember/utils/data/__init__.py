"""``ember.utils.data``: datasets, samplers and the DataLoader, as in ``torch.utils.data``.

Where to start reading: ``dataset.py`` (what a dataset is), ``sampler.py`` (in which order it is
read), ``_collate.py`` (how samples become a batch) and ``dataloader.py`` (how it all fits
together); ``_worker.py`` and ``_multiprocessing.py`` load batches in worker processes.
"""
from ._collate import default_collate, default_convert
from ._worker import get_worker_info
from .dataloader import DataLoader, _DatasetKind
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset,
                      TensorDataset, random_split)
from .distributed import DistributedSampler
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
                      WeightedRandomSampler)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset",
           "DistributedSampler", "IterableDataset", "RandomSampler", "Sampler",
           "SequentialSampler", "StackDataset", "Subset", "SubsetRandomSampler", "TensorDataset",
           "WeightedRandomSampler", "default_collate", "default_convert", "get_worker_info",
           "random_split", "_DatasetKind"]
