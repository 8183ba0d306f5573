"""Samplers: the order in which a DataLoader reads a map-style dataset.

A sampler is any iterable of indices.  The DataLoader asks it for the next index (or, through a
:class:`BatchSampler`, for the next list of indices) and then reads ``dataset[index]``.

Randomness comes from ember's generators (``ember/_ops/random.py``): without an explicit
``generator`` a sampler draws a fresh seed from the default generator at the start of every
epoch, so ``ember.manual_seed(s)`` makes the whole sequence of epochs reproducible, and every
epoch still differs from the one before.
"""
import itertools
from typing import Generic, TypeVar

from ... import _errors
from ... import Generator, as_tensor, empty, float64, int64, multinomial, randint, randperm

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]


def _draw_seed(generator=None):
    """A random 63-bit seed from ``generator`` (the default generator if None), as torch does."""
    return int(empty((), dtype=int64).random_(generator=generator).item())


T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class of samplers: subclasses implement ``__iter__`` (and, if they can, ``__len__``).

    ``len(DataLoader)`` uses the sampler's ``__len__``.  ``Sampler[int]`` (indices) and
    ``Sampler[list[int]]`` (batches of indices) work in type hints.
    """

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """Indices ``0, 1, ..., len(data_source) - 1``, in order (``shuffle=False``)."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Indices in random order (``shuffle=True``).

    Without replacement each epoch is a random permutation, so every sample is seen exactly once
    (with ``num_samples`` larger than the dataset, whole permutations follow one another).  With
    ``replacement=True`` indices are drawn independently, and repeats happen.

    Args:
        data_source: the dataset (only its length is used).
        replacement (bool): draw with replacement. Default: False.
        num_samples (int): how many indices per epoch. Default: ``len(data_source)``.
        generator (Generator): source of randomness; a fresh seed is drawn from the default
            generator each epoch when None.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got replacement={}"
                            .format(self.replacement))
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise _errors.num_samples_positive(self.num_samples)

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            generator = Generator().manual_seed(_draw_seed())
        if self.replacement:
            # Drawn in chunks of 32 so that a huge num_samples does not make one huge tensor.
            for _ in range(self.num_samples // 32):
                yield from randint(0, n, (32,), generator=generator).tolist()
            yield from randint(0, n, (self.num_samples % 32,), generator=generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=generator).tolist()
            yield from randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices in random order, each once (e.g. a validation subset)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """Indices ``0 .. len(weights) - 1`` drawn with probability proportional to ``weights``.

    The usual cure for an imbalanced dataset: give each sample the weight
    ``1 / count(its class)`` and every class is drawn about equally often.

    Args:
        weights (sequence): one non-negative weight per sample (they need not sum to 1).
        num_samples (int): how many indices per epoch.
        replacement (bool): draw with replacement (default); without it an index appears at
            most once.
        generator (Generator): source of randomness.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise _errors.num_samples_positive(num_samples)
        if not isinstance(replacement, bool):
            raise ValueError("replacement should be a boolean value, but got replacement={}"
                             .format(replacement))
        weights_tensor = as_tensor(weights, dtype=float64)
        if len(weights_tensor.shape) != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape {}"
                             .format(tuple(weights_tensor.shape)))
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        drawn = multinomial(self.weights, self.num_samples, self.replacement,
                            generator=self.generator)
        yield from iter(drawn.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Groups the indices of ``sampler`` into lists of ``batch_size``.

    The last list is shorter when the length does not divide evenly, unless ``drop_last``.

    Example::

        >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
        [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             "batch_size={}".format(batch_size))
        if not isinstance(drop_last, bool):
            raise ValueError("drop_last should be a boolean value, but got drop_last={}"
                             .format(drop_last))
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        batch = list(itertools.islice(indices, self.batch_size))
        while batch:
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch
            batch = list(itertools.islice(indices, self.batch_size))

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
