"""The gradient reducer of DistributedDataParallel: gradients averaged over the processes in
buckets, each bucket all-reduced as soon as its gradients are ready, while backward goes on.

The parameters are packed, in reverse order (the order backward produces their gradients),
into buckets: flat arrays of about ``bucket_cap`` bytes (the first one at most 1 MiB, so that
communication starts early).  When a parameter's gradient for this backward is final it is
copied into its bucket; when a bucket is full it is divided by the world size and handed to
``MPI_Iallreduce`` (non-blocking), and backward goes on.  MPI needs the buckets started in the
same order on every process, so a bucket waits for those before it.  Each later gradient calls
``MPI_Testall`` to move the transfers along (Open MPI progresses them only inside MPI calls).

When is a gradient final?  torch's engine counts every node's inputs, so a hook on the
parameter's ``AccumulateGrad`` node fires as soon as its gradient is complete.  ember's engine
runs the common ``loss.backward()`` as a tree walk that accumulates the leaves only at the end.
So at each forward the reducer walks the new graph from the outputs (which also finds the
unused parameters): a parameter used by exactly one node gets its gradient from that node, and
a hook on that node (``Node.register_hook``) marks it ready the moment the node has run.  The
parameters used several times are marked ready by the hook on their ``AccumulateGrad``, which
also counts the accumulated gradients: after the last one, the reducer waits for every bucket
and copies the averaged gradients into ``.grad``.
"""
import time

import numpy as np

from ...distributed._mpi import mpi

__all__ = ["Reducer"]

FIRST_BUCKET_BYTES = 1024 * 1024


class Bucket:
    """A flat array holding the gradients of some parameters of one dtype, end to end."""

    def __init__(self, params, indices):
        self.indices = indices
        sizes = [p.numel() for p in params]
        self.offsets = np.cumsum([0] + sizes).tolist()
        self.flat = np.zeros(self.offsets[-1], params[0].detach().numpy().dtype)
        self.pending = len(indices)

    def view(self, k, shape):
        """The slice of the k-th parameter of the bucket, shaped like it."""
        return self.flat[self.offsets[k]:self.offsets[k + 1]].reshape(shape)


def assign_buckets(params, cap_bytes):
    """Packs parameter indices, last parameter first, into buckets of one dtype each; a bucket
    is closed once it holds ``cap_bytes`` (the first one: at most 1 MiB)."""
    first_bytes = min(FIRST_BUCKET_BYTES, cap_bytes)
    open_buckets = {}          # dtype -> (indices, bytes)
    closed = []
    for i in reversed(range(len(params))):
        array = params[i].detach().numpy()
        indices, size = open_buckets.get(array.dtype, ([], 0))
        indices.append(i)
        size += array.nbytes
        limit = first_bytes if not closed else cap_bytes
        if size >= limit:
            closed.append(indices)
            open_buckets.pop(array.dtype, None)
        else:
            open_buckets[array.dtype] = (indices, size)
    closed.extend(indices for indices, _ in open_buckets.values())
    return closed


class Reducer:
    """Averages the gradients of ``params`` over ``group`` during backward."""

    def __init__(self, params, group, cap_bytes, find_unused, gradient_as_bucket_view):
        import ember
        self.params = params
        self.comm = group.comm.Dup()     # its own communicator: never mixed with user calls
        self.size = group.size()
        self.find_unused = find_unused
        self.as_view = gradient_as_bucket_view
        self.buckets = [Bucket([params[i] for i in indices], indices)
                        for indices in assign_buckets(params, cap_bytes)]
        self.place = {}                 # parameter index -> (bucket, position in the bucket)
        for bucket in self.buckets:
            for k, i in enumerate(bucket.indices):
                self.place[i] = (bucket, k)
        self.index = {id(p): i for i, p in enumerate(params)}
        self.armed = False
        self.ready = [False] * len(params)
        self.expected = self.accumulated = 0
        self.requests = []
        self.next_bucket = 0
        self.used = np.ones(len(params), np.int32)
        # A leaf refers to its gradient accumulator weakly (as torch's): the reducer keeps them
        # alive, so that the hooks on them stay for every backward.
        self.accumulators = []
        with ember.enable_grad():
            for i, p in enumerate(params):
                accumulator = p.view_as(p).grad_fn.next_functions[0][0]
                accumulator.register_hook(self._accumulated_hook(i))
                self.accumulators.append(accumulator)

    def _accumulated_hook(self, i):
        def hook(grad_inputs, grad_outputs):
            if self.armed:
                if not self.ready[i]:
                    self.mark_ready(i, None)
                self.accumulated += 1
                if self.accumulated == self.expected:
                    self.finish()
        return hook

    def _node_hook(self, positions):
        """A hook on a graph node that computes the whole gradient of some parameters:
        ``positions`` lists (input position, parameter index)."""
        def hook(grad_inputs, grad_outputs):
            if self.armed:
                for k, i in positions:
                    if k < len(grad_inputs) and grad_inputs[k] is not None:
                        self.mark_ready(i, grad_inputs[k])
        return hook

    # ----------------------------------------------------------------- one iteration

    def prepare(self, outputs):
        """Called by forward: the next backward reduces.  Hooks the nodes that compute whole
        gradients; with ``find_unused``, parameters the outputs do not depend on are ready at
        once (their share is zero)."""
        if self.armed and any(self.ready):
            missing = [i for i, r in enumerate(self.ready) if not r]
            raise RuntimeError(UNFINISHED.format(self.comm.Get_rank(),
                                                 " ".join(map(str, missing))))
        self.armed = True
        self.ready = [False] * len(self.params)
        self.requests = []
        self.next_bucket = 0
        self.accumulated = 0
        for bucket in self.buckets:
            bucket.pending = len(bucket.indices)
        consumers = consumers_of_leaves(outputs)
        hooked = {}
        for leaf, uses in consumers.items():
            i = self.index.get(leaf)
            if i is not None and len(uses) == 1:
                node, k = uses[0]
                hooked.setdefault(node, []).append((k, i))
        for node, positions in hooked.items():
            node.register_hook(self._node_hook(positions))
        self.expected = len(self.params)
        if self.find_unused:
            self.used[:] = [id(p) in consumers for p in self.params]
            self.expected = int(self.used.sum())
            for i in np.flatnonzero(self.used == 0):
                bucket, k = self.place[i]
                bucket.view(k, -1)[:] = 0
                self.mark_ready(i, None)

    def mark_ready(self, i, grad):
        """Parameter i's gradient for this backward is ``grad`` (None: it is in ``.grad``):
        into its bucket, added to what ``.grad`` holds; start the buckets now full."""
        if self.ready[i]:
            raise RuntimeError(
                "Expected to mark a variable ready only once. This error is caused by one of "
                "the following reasons: 1) Use of a module parameter outside the `forward` "
                "function. 2) Reused parameters in multiple reentrant backward passes. Parameter "
                "at index {} has been marked as ready twice.".format(i))
        self.ready[i] = True
        bucket, k = self.place[i]
        held = self.params[i].grad
        if self.used[i] and (held is not None or grad is not None):
            dst = bucket.view(k, tuple(self.params[i].shape))
            if grad is None:
                src = held.detach().numpy()
                if not np.shares_memory(src, dst):
                    dst[...] = src
            elif held is None:
                dst[...] = grad.detach().numpy()
            else:                        # gradients kept from earlier backwards (no_sync)
                np.add(held.detach().numpy(), grad.detach().numpy(), out=dst)
        bucket.pending -= 1
        MPI = mpi()
        while self.next_bucket < len(self.buckets) and self.buckets[self.next_bucket].pending == 0:
            flat = self.buckets[self.next_bucket].flat
            np.divide(flat, self.size, out=flat, casting="unsafe")
            self.requests.append(self.comm.Iallreduce(MPI.IN_PLACE, flat, MPI.SUM))
            self.next_bucket += 1
        if self.requests:
            MPI.Request.Testall(self.requests)      # lets MPI progress the transfers

    def finish(self):
        """Waits for every bucket and writes the averaged gradients into ``.grad``."""
        import ember
        MPI = mpi()
        wait_politely(self.requests)
        self.requests = []
        self.armed = False
        self.ready = [False] * len(self.params)
        used = self.used
        if self.find_unused:        # used anywhere: its (averaged) gradient goes to .grad
            used = self.used.copy()
            self.comm.Allreduce(MPI.IN_PLACE, used, MPI.MAX)
        for i, p in enumerate(self.params):
            if not used[i]:
                continue
            bucket, k = self.place[i]
            averaged = bucket.view(k, tuple(p.shape))
            if p.grad is None or self.as_view:
                p.grad = ember.from_numpy(averaged if self.as_view else averaged.copy())
            else:
                own = p.grad.detach().numpy()
                if not np.shares_memory(own, averaged):
                    own[...] = averaged


def wait_politely(requests, spin=0.002):
    """``MPI_Waitall``, spinning only for ``spin`` seconds.  MPI's own wait polls at full speed
    for as long as it takes; when there are more processes than free cores, that takes the
    core of the very process it waits for.  So after ``spin`` seconds of polling
    (``MPI_Testall``) this sleeps between polls, longer the longer it waits (at most 0.5 ms).
    (Sleeping from the start would not do: Open MPI moves a transfer one step per poll.)"""
    MPI = mpi()
    deadline = time.perf_counter() + spin
    pause = 0.00005
    while not MPI.Request.Testall(requests):
        if time.perf_counter() > deadline:
            time.sleep(pause)
            pause = min(2 * pause, 0.0005)


def consumers_of_leaves(outputs):
    """For each leaf tensor (by id) that the tensors in ``outputs`` (nested in lists, tuples
    and dicts) were computed from: the graph edges into it, as (node, input position) pairs;
    found by a walk of the graph from the outputs' ``grad_fn``."""
    import ember
    consumers, seen, nodes, items = {}, set(), [], [outputs]
    while items:
        item = items.pop()
        if isinstance(item, ember.Tensor):
            if item.grad_fn is not None:
                nodes.append(item.grad_fn)
            else:
                consumers.setdefault(id(item), [])
        elif isinstance(item, dict):
            items.extend(item.values())
        elif isinstance(item, (list, tuple)):
            items.extend(item)
    while nodes:
        node = nodes.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for k, (child, _) in enumerate(node.next_functions):
            if child is None:
                continue
            variable = getattr(child, "variable", None)     # an AccumulateGrad: a leaf
            if variable is not None:
                consumers.setdefault(id(variable), []).append((node, k))
            else:
                nodes.append(child)
    return consumers


UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. This "
    "error indicates that your module has parameters that were not used in producing loss. You "
    "can enable unused parameter detection by passing the keyword argument "
    "`find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by \n"
    "making sure all `forward` function outputs participate in calculating loss. \n"
    "If you already have done the above, then the distributed data parallel module wasn't able "
    "to locate the output tensors in the return value of your module's `forward` function. "
    "Please include the loss function and the structure of the return value of `forward` of "
    "your module when reporting this issue (e.g. list, dict, iterable).\n"
    "Parameter indices which did not receive grad for rank {}: {}")
