"""Fetchers: read the samples for one batch and collate them.

The same fetcher runs in the main process (``num_workers=0``) and inside each worker process,
which is what makes the batches identical in both cases.
"""

__all__ = ["MapDatasetFetcher", "IterableDatasetFetcher", "make_fetcher"]


class MapDatasetFetcher:
    """Reads ``dataset[i]`` for the indices of a batch (or one index without batching)."""

    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn

    def fetch(self, index):
        if self.auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            if getitems:                       # a dataset that reads a whole batch at once
                data = getitems(index)
            else:
                data = [self.dataset[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


class IterableDatasetFetcher:
    """Takes the next ``len(index)`` samples from the dataset's iterator.

    Raises StopIteration when the stream is exhausted (or, with ``drop_last``, when too few
    samples are left for a full batch).
    """

    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset_iter = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if not data or (self.drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


def make_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last):
    cls = IterableDatasetFetcher if iterable else MapDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)
