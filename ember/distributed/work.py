"""``Work``: what an ``async_op=True`` collective returns -- MPI requests still in flight.

``wait()`` completes them (``MPI_Waitall``) and then runs what must follow the transfer (the
division of an AVG, the copy into a list of tensors).  Open MPI moves a non-blocking
collective forward only while the program is inside an MPI call, so ``is_completed()``
(``MPI_Testall``) also helps it along.
"""
import time

from ._mpi import mpi

__all__ = ["Work"]


class Work:
    """A collective or point-to-point transfer started with ``async_op=True``."""

    def __init__(self, requests, finish=None, tensors=(), status=None, to_global=None):
        self._requests = list(requests)
        self._to_global = to_global
        self._finish = finish
        self._tensors = list(tensors)
        self._status = status
        self._done = False

    def _complete(self):
        self._done = True
        self._requests = []
        if self._finish is not None:
            self._finish()
            self._finish = None

    def wait(self, timeout=None):
        """Blocks until the transfer is complete; returns True.  With ``timeout`` (a
        ``datetime.timedelta``) raises RuntimeError when it takes longer."""
        if self._done:
            return True
        MPI = mpi()
        if timeout is None:
            MPI.Request.Waitall(self._requests, self._statuses())
        else:
            deadline = time.monotonic() + timeout.total_seconds()
            while not MPI.Request.Testall(self._requests, self._statuses()):
                if time.monotonic() > deadline:
                    raise RuntimeError("Work timed out after {}".format(timeout))
                time.sleep(0.0005)
        self._complete()
        return True

    def _statuses(self):
        return None if self._status is None else [self._status]

    def is_completed(self):
        if not self._done and mpi().Request.Testall(self._requests, self._statuses()):
            self._complete()
        return self._done

    def is_success(self):
        return self.is_completed()

    def exception(self):
        return None

    def result(self):
        """The tensors the transfer wrote (after ``wait()``)."""
        return self._tensors

    def source_rank(self):
        """For ``irecv`` from any source: the rank that sent (after ``wait()``)."""
        if self._status is None or not self._done:
            raise RuntimeError("source_rank() is only available on a completed irecv")
        return self._to_global(self._status.Get_source())
