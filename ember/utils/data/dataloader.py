"""``DataLoader``: iterate a dataset in (shuffled) mini-batches.

The pieces, in the order data flows through them::

    sampler  ->  batch_sampler  ->  fetcher (dataset[i] for each index)  ->  collate_fn  ->  batch
    (order)      (groups of          (_fetch.py)                            (_collate.py)
                  batch_size)

With ``num_workers=0`` all of this runs in the main process (:class:`_SingleProcessDataLoaderIter`);
with ``num_workers > 0`` the fetch-and-collate step runs in worker processes
(``_multiprocessing.py`` and ``_worker.py``) while the main process keeps handing out index
lists, and the batches come back in the same order.
"""
import math
import multiprocessing
import os
import sys
import warnings
from typing import Generic, TypeVar

from ._collate import default_collate, default_convert
from ._worker import ExceptionWrapper, get_worker_info
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _draw_seed

__all__ = ["DataLoader", "default_collate", "default_convert", "get_worker_info"]

T_co = TypeVar("T_co", covariant=True)


class _DatasetKind:
    Map = 0
    Iterable = 1


class _InfiniteConstantSampler(Sampler):
    """The sampler of an IterableDataset: ``None`` forever (the dataset itself decides the end)."""

    def __iter__(self):
        while True:
            yield None


def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def _default_context():
    """The multiprocessing context for workers when the user chose none.

    On Linux ember starts workers with ``fork`` (unless a start method was set explicitly with
    ``multiprocessing.set_start_method``): a forked worker inherits the dataset, the collate
    function and everything else without pickling, so lambdas and classes defined in a notebook
    work, and starting is fast.  Elsewhere the platform's default is used (``spawn`` on macOS
    and Windows, where the script needs an ``if __name__ == '__main__':`` guard).
    """
    if multiprocessing.get_start_method(allow_none=True) is None and \
            sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class DataLoader(Generic[T_co]):
    """Combines a dataset and a sampler, and iterates over mini-batches of the dataset.

    Args:
        dataset (Dataset): where the samples come from (map-style or iterable-style).
        batch_size (int, optional): samples per batch (default: 1); ``None`` turns batching off
            and yields single samples.
        shuffle (bool, optional): a new random order every epoch (default: False).
        sampler (Sampler or Iterable, optional): the order of the indices; excludes ``shuffle``.
        batch_sampler (Sampler or Iterable, optional): yields whole lists of indices; excludes
            ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
        num_workers (int, optional): worker processes loading batches in parallel; 0 loads in
            the main process (default: 0).
        collate_fn (Callable, optional): turns a list of samples into a batch
            (default: :func:`default_collate`).
        pin_memory (bool, optional): accepted for compatibility; there is no GPU to pin for.
        drop_last (bool, optional): drop the last batch if it is smaller than ``batch_size``.
        timeout (numeric, optional): seconds to wait for a batch from the workers (0: forever).
        worker_init_fn (Callable, optional): called as ``worker_init_fn(worker_id)`` in each
            worker after seeding and before loading.
        multiprocessing_context (str or context, optional): how workers are started
            (default: ``fork`` on Linux, see ``_default_context``).
        generator (Generator, optional): the source of the shuffle order and the workers' base
            seed (default: ember's default generator).
        prefetch_factor (int, optional): batches loaded in advance by each worker (default: 2
            with workers, must be None without).
        persistent_workers (bool, optional): keep the workers between epochs.
        pin_memory_device (str, optional): accepted for compatibility.
        in_order (bool, optional): with workers, return batches in sampler order (default) or
            as soon as they are ready.

    Example::

        >>> loader = DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True)
        >>> for xb, yb in loader:
        ...     loss = loss_fn(model(xb), yb)
    """

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        # Dataset checks come first: an IterableDataset cannot take a sampler at all.
        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 "option, but got shuffle={}".format(shuffle))
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 "option, but got sampler={}".format(sampler))
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "batch_sampler option, but got batch_sampler={}"
                                 .format(batch_sampler))
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    # ------------------------------------------------------------ options

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers == 0:
                raise ValueError("multiprocessing_context can only be used with multi-process "
                                 "loading (num_workers > 0), but got num_workers={}"
                                 .format(self.num_workers))
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError("multiprocessing_context option should specify a valid start "
                                     "method in {!r}, but got multiprocessing_context={!r}"
                                     .format(methods, context))
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context object "
                                "or a string specifying the start method, but got "
                                "multiprocessing_context={}".format(context))
        self.__multiprocessing_context = context

    def __setattr__(self, attr, value):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last",
                                           "dataset", "persistent_workers"):
            raise ValueError("{} attribute should not be set after {} is initialized"
                             .format(attr, type(self).__name__))
        super().__setattr__(attr, value)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        """What the iterator draws from: lists of indices with batching, single ones without."""
        return self.batch_sampler if self._auto_collation else self.sampler

    # ------------------------------------------------------------ iteration

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        from ._multiprocessing import _MultiProcessingDataLoaderIter
        return _MultiProcessingDataLoaderIter(self)

    def __iter__(self):
        """A new pass over the data (an epoch).  Persistent workers are reused across epochs."""
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    def __len__(self):
        """The number of batches: ``ceil(N / batch_size)``, or ``floor`` with ``drop_last``."""
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = (length // self.batch_size if self.drop_last
                          else math.ceil(length / self.batch_size))
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self):
        """Warns when there are more workers than CPUs this process may use."""
        if not self.num_workers:
            return
        suggested = _cpu_count()
        if suggested is None or self.num_workers > suggested:
            if suggested is None:
                advice = ("DataLoader is not able to compute a suggested max number of worker in "
                          "current system.")
            else:
                advice = ("Our suggested max number of worker in current system is {}{}, which "
                          "is smaller than what this DataLoader is going to create.".format(
                              suggested, "" if hasattr(os, "sched_getaffinity")
                              else " (`cpuset` is not taken into account)"))
            warnings.warn("This DataLoader will create {} worker processes in total. {} Please "
                          "be aware that excessive worker creation might get DataLoader running "
                          "slow or even freeze, lower the worker number to avoid potential "
                          "slowness/freeze if necessary.".format(self.num_workers, advice),
                          stacklevel=2)


class _BaseDataLoaderIter:
    """What ``iter(loader)`` returns: one pass over the data."""

    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn("pin_memory_device is deprecated, the current accelerator will be used "
                          "as the device,ignore pin_memory_device='{}'."
                          .format(loader.pin_memory_device), stacklevel=2)
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then "
                          "device pinned memory won't be used.", stacklevel=2)
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # Drawn even without workers, so that the random stream -- and with it the shuffle
        # order -- is the same for every num_workers.
        self._base_seed = _draw_seed(loader.generator)
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        """Starts a new epoch on the same iterator (persistent workers)."""
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        if not first_iter:
            # The workers keep their seeds, but a seed is drawn as a new iterator would: the
            # shuffle order then does not depend on persistent_workers (torch skips this draw).
            self._base_seed = _draw_seed(loader.generator)

    def _next_index(self):
        return next(self._sampler_iter)         # StopIteration ends the epoch

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        if isinstance(data, ExceptionWrapper):
            # The traceback of the exception keeps this frame alive; without `self` in it the
            # iterator (and its worker processes) can still be cleaned up as soon as it is
            # unreachable.
            del self
            data.reraise()
        self._num_yielded += 1
        if (self._dataset_kind == _DatasetKind.Iterable
                and self._IterableDataset_len_called is not None
                and self._num_yielded > self._IterableDataset_len_called):
            message = ("Length of IterableDataset {} was reported to be {}(when accessing "
                       "len(dataloader)), but {} samples have been fetched. ".format(
                           self._dataset, self._IterableDataset_len_called, self._num_yielded))
            if self._num_workers > 0:
                message += ("For multiprocessing data-loading, this could be caused by not "
                            "properly configuring the IterableDataset replica at each worker. "
                            "Please see https://pytorch.org/docs/stable/data.html#torch.utils."
                            "data.IterableDataset for examples.")
            warnings.warn(message, stacklevel=2)
        return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled".format(type(self).__name__))


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    """Loads every batch in the main process, when it is asked for."""

    def __init__(self, loader):
        super().__init__(loader)
        from ._fetch import make_fetcher
        self._dataset_fetcher = make_fetcher(self._dataset_kind == _DatasetKind.Iterable,
                                             self._dataset, self._auto_collation,
                                             self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._dataset_fetcher.fetch(index)
