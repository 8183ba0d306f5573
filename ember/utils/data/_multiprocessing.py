"""The main-process side of loading with ``num_workers > 0``.

Bookkeeping, in task numbers (one task = one batch):

* ``_send_idx``: the next task to hand out.  Tasks go to the workers round-robin, and at most
  ``prefetch_factor * num_workers`` are outstanding at a time.
* ``_rcvd_idx``: the next task to return to the user.  Results arrive in whatever order the
  workers finish; one that arrives early waits in ``_task_info`` until its turn, so batches come
  out in sampler order, exactly as with ``num_workers=0``.
* ``_task_info[task]``: ``(worker_id,)`` while the task is being worked on,
  ``(worker_id, batch)`` once it has arrived early.

Cleaning up matters as much as loading: the workers are told to stop (``None`` on their index
queue) when the epoch ends, when the iterator is garbage-collected, or when a worker error is
raised and the iterator is dropped; a worker that does not stop in time is terminated, and every
worker is joined, so no process is left running or unreaped.
"""
import itertools
import os
import queue

from ._worker import (STATUS_CHECK_INTERVAL, _IterableDatasetStopIteration, _ResumeIteration,
                      loads, worker_loop)
from .dataloader import _BaseDataLoaderIter, _DatasetKind, _default_context

__all__ = []


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Hands index lists to worker processes and returns their batches in order."""

    def __init__(self, loader):
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        context = loader.multiprocessing_context or _default_context()
        self._owner = os.getpid()
        self._shutdown = False
        self._workers = []
        self._index_queues = []
        self._worker_result_queue = context.Queue()
        self._workers_done_event = context.Event()
        self._workers_status = []
        try:
            for worker_id in range(self._num_workers):
                index_queue = context.Queue()
                index_queue.cancel_join_thread()     # never block our exit on unsent indices
                worker = context.Process(
                    target=worker_loop,
                    args=(self._dataset_kind == _DatasetKind.Iterable, self._dataset,
                          index_queue, self._worker_result_queue, self._workers_done_event,
                          self._auto_collation, self._collate_fn, self._drop_last,
                          self._base_seed, loader.worker_init_fn, worker_id, self._num_workers),
                    daemon=True)                         # dies with the main process
                worker.start()
                self._index_queues.append(index_queue)
                self._workers.append(worker)
                self._workers_status.append(True)
            self._reset(loader, first_iter=True)
        except BaseException:
            self._shutdown_workers()
            raise

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            # Persistent workers: restart each worker's dataset, and throw away whatever is
            # still on its way from an epoch that was left early.  A worker answers the resume
            # request after all of its older results, so once every worker has answered nothing
            # stale is left.
            for index_queue in self._index_queues:
                index_queue.put(_ResumeIteration())
            waiting = self._num_workers
            while waiting > 0:
                task, _ = self._get_data()
                if isinstance(task, _ResumeIteration):
                    waiting -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    # ------------------------------------------------------------ receiving

    def _try_get_data(self, timeout=STATUS_CHECK_INTERVAL):
        """``(True, (task, data))``, or ``(False, None)`` if nothing arrived within ``timeout``."""
        try:
            return True, loads(self._worker_result_queue.get(timeout=timeout))
        except queue.Empty:
            dead = [w for i, w in enumerate(self._workers)
                    if self._workers_status[i] and not w.is_alive()]
            if dead:
                for i, w in enumerate(self._workers):
                    if w in dead:
                        self._mark_worker_as_unavailable(i)
                raise RuntimeError("DataLoader worker (pid(s) {}) exited unexpectedly".format(
                    ", ".join(str(w.pid) for w in dead))) from None
            return False, None

    def _get_data(self):
        if self._timeout > 0:
            ok, data = self._try_get_data(self._timeout)
            if ok:
                return data
            raise RuntimeError("DataLoader timed out after {} seconds".format(self._timeout))
        while True:
            ok, data = self._try_get_data()
            if ok:
                return data

    def _next_data(self):
        while True:
            # Skip tasks whose worker ran out of data (iterable datasets) before answering.
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info is not None:
                    if len(info) == 2 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration

            if len(self._task_info[self._rcvd_idx]) == 2:      # it arrived earlier
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

            task, data = self._get_data()
            self._tasks_outstanding -= 1
            if isinstance(data, _IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if task != self._rcvd_idx:
                if not self._in_order:
                    worker_id = self._task_info.pop(task)[0]
                    return self._process_data(data, worker_id)
                self._task_info[task] += (data,)                 # early: keep it for later
            else:
                worker_id = self._task_info.pop(task)[0]
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

    def _process_data(self, data, worker_id):
        """Refills the pipeline by one task; returns the batch (or an ExceptionWrapper)."""
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        return data

    # ------------------------------------------------------------ sending

    def _try_put_index(self):
        """Hands the next index list to the next worker that is still active."""
        max_tasks = self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_id]:
                if self._in_order:
                    break
                if self._workers_num_tasks[worker_id] < max_tasks // sum(self._workers_status):
                    break
        else:
            return                                    # no worker is active any more
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._workers_num_tasks[worker_id] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    # ------------------------------------------------------------ stopping

    def _mark_worker_as_unavailable(self, worker_id, shutdown=False):
        """Tells a worker to stop (it has run out of data, or we are shutting down)."""
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False

    def _shutdown_workers(self):
        """Stops, and reaps, every worker.  Safe to call more than once."""
        if self._shutdown or os.getpid() != self._owner:
            return                  # (a forked child holds a copy of this object: not its job)
        self._shutdown = True
        try:
            self._workers_done_event.set()
            for worker_id in range(len(self._workers)):
                if self._persistent_workers or self._workers_status[worker_id]:
                    self._mark_worker_as_unavailable(worker_id, shutdown=True)
            for worker in self._workers:
                worker.join(timeout=STATUS_CHECK_INTERVAL)
            for index_queue in self._index_queues:
                index_queue.cancel_join_thread()
                index_queue.close()
        finally:
            for worker in self._workers:
                if worker.is_alive():                 # stuck in the dataset: stop it
                    worker.terminate()
                    worker.join(timeout=STATUS_CHECK_INTERVAL)
                if worker.is_alive():
                    worker.kill()
                    worker.join()
            self._worker_result_queue.cancel_join_thread()
            self._worker_result_queue.close()

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:
            pass          # at interpreter exit the modules this needs may already be gone
