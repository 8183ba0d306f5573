"""Datasets: where the samples a :class:`~ember.utils.data.DataLoader` reads come from.

There are two kinds, as in torch:

* a **map-style** dataset (:class:`Dataset`) answers ``dataset[i]`` and ``len(dataset)``; the
  loader decides which indices to read and in what order (that is the sampler's job);
* an **iterable-style** dataset (:class:`IterableDataset`) is a stream: the loader just iterates
  it.  Useful when samples arrive one after another (a file read line by line, a generator).

The rest of the file combines datasets: :class:`TensorDataset` (rows of tensors),
:class:`Subset`, :class:`ConcatDataset`, :class:`ChainDataset`, :class:`StackDataset`, and
:func:`random_split` (a random train/validation split).
"""
import bisect
import itertools
import math
import warnings
from typing import Generic, TypeVar

from ... import _errors
from ..._ops.creation.random import default_generator, randperm

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
           "ChainDataset", "Subset", "random_split"]

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class Dataset(Generic[T_co]):
    """A map-style dataset: subclasses implement ``__getitem__`` (and usually ``__len__``).

    Example::

        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 10
        ...     def __getitem__(self, i):
        ...         return i, i * i
        >>> Squares()[3]
        (3, 9)
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        """``a + b`` is the two datasets one after the other (a :class:`ConcatDataset`)."""
        return ConcatDataset([self, other])

    # No default __len__: len() of a dataset without one raises TypeError, which is what Python
    # (and code that checks ``hasattr(ds, '__len__')``) expects.


class IterableDataset(Dataset[T_co]):
    """An iterable-style dataset: subclasses implement ``__iter__``.

    With ``num_workers > 0`` every worker process iterates its own copy of the dataset, so each
    sample would arrive ``num_workers`` times; split the stream inside ``__iter__`` using
    :func:`~ember.utils.data.get_worker_info` (its ``id`` and ``num_workers``).
    """

    def __iter__(self):
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other):
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Rows of tensors: sample ``i`` is ``tuple(t[i] for t in tensors)``.

    All tensors must have the same first dimension (the number of samples).

    Example::

        >>> X, y = ember.randn(100, 3), ember.randint(0, 2, (100,))
        >>> ds = TensorDataset(X, y)
        >>> x0, y0 = ds[0]          # a row of X and its label
    """

    def __init__(self, *tensors):
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


class StackDataset(Dataset):
    """Several datasets of equal length side by side: sample ``i`` takes item ``i`` of each.

    ``StackDataset(images, labels)`` gives tuples ``(images[i], labels[i])``;
    ``StackDataset(x=images, y=labels)`` gives dicts ``{'x': images[i], 'y': labels[i]}``.
    """

    def __init__(self, *args, **kwargs):
        if args:
            if kwargs:
                raise ValueError("Supported either ``tuple``- (via ``args``) or"
                                 "``dict``- (via ``kwargs``) like input/output, but both types are "
                                 "given.")
            self._length = len(args[0])
            if any(self._length != len(dataset) for dataset in args):
                raise _errors.dataset_size_mismatch()
            self.datasets = args
        elif kwargs:
            values = list(kwargs.values())
            self._length = len(values[0])
            if any(self._length != len(dataset) for dataset in values):
                raise _errors.dataset_size_mismatch()
            self.datasets = kwargs
        else:
            raise ValueError("At least one dataset should be passed")

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: dataset[index] for key, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices):
        """A whole batch at once (the DataLoader calls this when it exists)."""
        if isinstance(self.datasets, dict):
            columns = {key: _fetch_many(dataset, indices) for key, dataset in self.datasets.items()}
            return [{key: column[i] for key, column in columns.items()}
                    for i in range(len(indices))]
        columns = [_fetch_many(dataset, indices) for dataset in self.datasets]
        return [tuple(column[i] for column in columns) for i in range(len(indices))]

    def __len__(self):
        return self._length


def _fetch_many(dataset, indices):
    """``[dataset[i] for i in indices]``, through ``__getitems__`` when the dataset has one."""
    getitems = getattr(dataset, "__getitems__", None)
    if callable(getitems):
        items = getitems(indices)
        if len(items) != len(indices):
            raise ValueError("Nested dataset's output size mismatch. Expected {}, got {}"
                             .format(len(indices), len(items)))
        return items
    return [dataset[i] for i in indices]


class ConcatDataset(Dataset):
    """Map-style datasets one after another: index ``len(a)`` is the first item of ``b``.

    ``cumulative_sizes[k]`` is the total length of the first ``k + 1`` datasets; a binary search
    in it finds which dataset an index falls in.
    """

    @staticmethod
    def cumsum(sequence):
        total, sizes = 0, []
        for dataset in sequence:
            total += len(dataset)
            sizes.append(total)
        return sizes

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        start = 0 if which == 0 else self.cumulative_sizes[which - 1]
        return self.datasets[which][idx - start]


class ChainDataset(IterableDataset):
    """Iterable datasets one after another (the streaming counterpart of ConcatDataset)."""

    def __init__(self, datasets):
        self.datasets = datasets

    def __iter__(self):
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise _errors.chain_needs_iterable()
            yield from dataset

    def __len__(self):
        total = 0
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise _errors.chain_needs_iterable()
            total += len(dataset)
        return total


class Subset(Dataset):
    """The items of ``dataset`` at ``indices``, renumbered from 0.

    Subclasses that override ``__getitem__`` must override ``__getitems__`` as well, because
    the DataLoader reads whole batches through ``__getitems__``.
    """

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices
        if (type(self).__getitem__ is not Subset.__getitem__
                and type(self).__getitems__ is Subset.__getitems__):
            raise NotImplementedError(
                "{} overrides __getitem__ but not __getitems__. When subclassing Subset and "
                "overriding __getitem__, you must also override __getitems__ to ensure DataLoader "
                "works correctly with your custom logic. A simple implementation:\n\n"
                "def __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]".format(type(self).__name__))

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):
            return getitems([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=default_generator):
    """Splits ``dataset`` at random into non-overlapping :class:`Subset` s of the given lengths.

    ``lengths`` are either counts that add up to ``len(dataset)`` or fractions that add up to 1;
    fractions become ``floor(fraction * len(dataset))`` items each, and the items left over are
    handed out one at a time, round-robin from the first split.

    Args:
        dataset: the dataset to split.
        lengths (sequence): counts or fractions, one per split.
        generator (Generator): the source of the random permutation (ember's default generator
            unless given), so ``ember.manual_seed`` or ``Generator().manual_seed(s)`` make the
            split reproducible.

    Example::

        >>> train, val = random_split(range(10), [0.8, 0.2])
        >>> len(train), len(val)
        (8, 2)
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = []
        for i, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise ValueError("Fraction at index {} is not between 0 and 1".format(i))
            counts.append(math.floor(len(dataset) * fraction))
        for i in range(len(dataset) - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn("Length of split at index {} is 0. This might result in an empty "
                              "dataset.".format(i), stacklevel=2)
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = randperm(sum(lengths), generator=generator).tolist()
    return [Subset(dataset, indices[end - length:end])
            for end, length in zip(itertools.accumulate(lengths), lengths)]
