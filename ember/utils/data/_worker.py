"""What runs inside a DataLoader worker process.

Each worker is a separate process that owns a copy of the dataset.  It waits on its own *index
queue* for a task ``(task_number, indices)``, reads and collates that batch with the same
fetcher the main process would use, and puts ``(task_number, batch)`` on the *result queue*
that all workers share.  The main process (``_multiprocessing.py``) puts batches back in task
order, so the result is the same as with ``num_workers=0``.

A worker stops when it receives ``None``, or when it notices that its parent process has gone
away.  An exception while loading is caught, turned into an :class:`ExceptionWrapper` (type
and formatted traceback: exception objects and tracebacks do not always survive pickling) and
sent back like a batch, so that the main process raises it at the right moment.
"""
import dataclasses
import os
import pickle
import queue
import random
import sys
import traceback
from multiprocessing.reduction import ForkingPickler

import numpy as np

__all__ = ["WorkerInfo", "get_worker_info", "ExceptionWrapper"]

# How often (seconds) a waiting worker checks that its parent is still alive, and a waiting
# main process checks that its workers are.
STATUS_CHECK_INTERVAL = 0.5

_worker_info = None


class WorkerInfo:
    """Facts about the current worker process (see :func:`get_worker_info`).

    Attributes:
        id (int): this worker's number, ``0 .. num_workers - 1``.
        num_workers (int): how many workers the DataLoader started.
        seed (int): the seed this worker's generators were given (``base_seed + id``).
        dataset: this process's copy of the dataset.
    """

    __slots__ = ("id", "num_workers", "seed", "dataset", "rng", "worker_method")

    def __init__(self, id, num_workers, seed, dataset, rng=None,
                 worker_method="multiprocessing"):
        for name, value in (("id", id), ("num_workers", num_workers), ("seed", seed),
                            ("dataset", dataset), ("rng", rng), ("worker_method", worker_method)):
            object.__setattr__(self, name, value)

    def __setattr__(self, key, value):
        raise dataclasses.FrozenInstanceError("cannot assign to field '{}'".format(key))

    def __repr__(self):
        return ("WorkerInfo(id={!r}, num_workers={!r}, seed={!r}, dataset={!r}, rng={!r}, "
                "worker_method={!r})".format(self.id, self.num_workers, self.seed, self.dataset,
                                             self.rng, self.worker_method))


def get_worker_info():
    """In a DataLoader worker process, its :class:`WorkerInfo`; in the main process, ``None``.

    An :class:`~ember.utils.data.IterableDataset` uses it to give each worker a different part
    of the stream, e.g. ``itertools.islice(stream, info.id, None, info.num_workers)``.
    """
    return _worker_info


class _KeyErrorMessage(str):
    """A message whose repr is itself, so that a re-raised KeyError shows its line breaks."""

    __slots__ = ()

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process and raised there."""

    def __init__(self, exc_info=None, where="in background"):
        exc_info = exc_info or sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        """Raises the exception again, with the worker's traceback in the message."""
        msg = "Caught {} {}.\nOriginal {}".format(self.exc_type.__name__, self.where, self.exc_msg)
        if self.exc_type is KeyError:
            msg = _KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            # An exception type that needs other constructor arguments.
            raise RuntimeError(msg) from None
        raise exception


class _IterableDatasetStopIteration:
    """Sent by a worker whose copy of an IterableDataset has run out."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch: restart the dataset."""


def _parent_alive(parent_pid):
    return os.getppid() == parent_pid


def _seed_everything(base_seed, worker_id):
    """Seeds Python's, NumPy's and ember's generators differently in every worker.

    Without this, forked workers would inherit the same generator states and produce the same
    "random" augmentations.  As in torch: Python's ``random`` and ember get ``base_seed +
    worker_id``; NumPy's legacy global generator gets a hash of both.
    """
    from ... import manual_seed
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, base_seed]).generate_state(4))
    return seed


def _send(data_queue, task, data, worker_id):
    """Pickles ``(task, data)`` here, so that an unpicklable batch becomes an error message.

    (``multiprocessing.Queue`` would pickle in a background thread, where a failure is only
    printed and the main process would wait for the batch forever.)
    """
    try:
        payload = bytes(ForkingPickler.dumps((task, data)))
    except Exception:
        error = ExceptionWrapper(where="in DataLoader worker process {}".format(worker_id))
        try:
            payload = bytes(ForkingPickler.dumps((task, error)))
        except Exception:                       # the exception type itself cannot be pickled
            error.exc_type = RuntimeError
            payload = bytes(ForkingPickler.dumps((task, error)))
    data_queue.put(payload)


def worker_loop(iterable, dataset, index_queue, data_queue, done_event, auto_collation,
                collate_fn, drop_last, base_seed, init_fn, worker_id, num_workers):
    """The body of a worker process (see the module docstring)."""
    from ._fetch import make_fetcher
    global _worker_info
    try:
        seed = _seed_everything(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        parent = os.getppid()
        where = "in DataLoader worker process {}".format(worker_id)
        init_error = fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = make_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_error = ExceptionWrapper(where=where)   # the answer to every task from now on

        iteration_end = False
        while _parent_alive(parent):
            try:
                task = index_queue.get(timeout=STATUS_CHECK_INTERVAL)
            except queue.Empty:
                continue
            if isinstance(task, _ResumeIteration):
                _send(data_queue, task, None, worker_id)
                iteration_end = False
                if init_error is None:
                    try:
                        fetcher = make_fetcher(iterable, dataset, auto_collation, collate_fn,
                                               drop_last)
                    except Exception:
                        init_error = ExceptionWrapper(where=where)
                continue
            if task is None:                     # the main process says: stop
                break
            if done_event.is_set() or iteration_end:
                continue
            number, indices = task
            if init_error is not None:
                data = init_error
            else:
                try:
                    data = fetcher.fetch(indices)
                except StopIteration:
                    if not iterable:
                        data = ExceptionWrapper(where=where)
                    else:
                        data = _IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                except Exception:
                    data = ExceptionWrapper(where=where)
            _send(data_queue, number, data, worker_id)
            del data, indices, task
    except KeyboardInterrupt:
        pass        # Ctrl+C reaches the whole process group; the main process reports it
    if done_event.is_set():
        # The main process no longer reads results: do not wait at exit for them to be flushed.
        data_queue.cancel_join_thread()
        data_queue.close()


def loads(payload):
    """Unpickles what :func:`_send` sent (it comes from our own child process)."""
    return pickle.loads(payload)
