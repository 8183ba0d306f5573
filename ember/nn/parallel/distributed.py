"""``DistributedDataParallel``: the same model on every process, each training on its own
part of the data, kept identical by averaging the gradients.

At construction the parameters and buffers of rank 0 are copied to every process (so all
start alike).  Each ``forward`` (with ``broadcast_buffers``) copies rank 0's buffers again
and arms the reducer; the ``backward`` that follows averages the gradients over the
processes while it runs (``reducer.py``), so that ``optimizer.step()`` makes the same update
everywhere.  The average of the processes' mean losses' gradients is the gradient of the mean
loss over the combined batch: training on N processes with batch b each is training on one
with batch N*b.
"""
import contextlib

from ... import distributed as dist
from ..modules.module import Module
from .reducer import Reducer

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Wraps ``module`` for data-parallel training over the processes of ``process_group``
    (default: all).  CPU only: ``device_ids`` and ``output_device`` must be None.

    Args:
        module: the model; ``ddp.module`` is it, and ``ddp.state_dict()`` has its keys with
            the prefix ``module.``.
        broadcast_buffers (bool): copy rank 0's buffers (BatchNorm's running statistics) to
            all processes at every forward. Default: True.
        bucket_cap_mb (float): the size of a gradient bucket, in MiB. Default: 25.
        find_unused_parameters (bool): find, after each forward, the parameters its outputs do
            not depend on, so that backward does not wait for their gradients. Default: False.
        gradient_as_bucket_view (bool): leave ``.grad`` as a view into the bucket, saving a
            copy. Default: False.
        init_sync (bool): copy rank 0's parameters and buffers at construction. Default: True.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True,
                 init_sync=True, process_group=None, bucket_cap_mb=None,
                 find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False):
        super().__init__()
        params = [p for p in module.parameters() if p.requires_grad]
        if not params:
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have "
                               "any parameter that requires a gradient.")
        if device_ids or output_device is not None:
            raise ValueError(
                "DistributedDataParallel device_ids and output_device arguments only work with "
                "single-device/multiple-device GPU modules or CPU modules, but got device_ids {}, "
                "output_device {}, and module parameters {}.".format(
                    device_ids, output_device, {p.device for p in module.parameters()}))
        self.module = module
        self.process_group = dist.group.WORLD if process_group is None else process_group
        group = dist.process_group.resolve(self.process_group)
        self.device_ids = None
        self.output_device = None
        self.dim = dim
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.static_graph = static_graph
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * 1024 * 1024)
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        self._root = dist.get_global_rank(self.process_group, 0)
        self._check_same_model(module)
        if init_sync:
            for t in list(module.parameters()) + list(module.buffers()):
                dist.broadcast(t.detach(), src=self._root, group=self.process_group)
        self.reducer = Reducer(params, group, self.bucket_bytes_cap, find_unused_parameters,
                               gradient_as_bucket_view)

    def _check_same_model(self, module):
        """Every process must wrap the same architecture, or the buckets would not match."""
        mine = [(tuple(p.shape), str(p.dtype)) for p in module.parameters()]
        shapes = [None] * dist.get_world_size(self.process_group)
        dist.all_gather_object(shapes, mine, group=self.process_group)
        for r, theirs in enumerate(shapes):
            if theirs != shapes[0]:
                raise RuntimeError(
                    "DDP expects same model across all ranks, but rank {} of the process group "
                    "has parameters {} while rank 0 has {}.".format(r, theirs, shapes[0]))

    def forward(self, *inputs, **kwargs):
        import ember
        sync = ember.is_grad_enabled() and self.require_backward_grad_sync
        if self.broadcast_buffers and self.require_forward_param_sync:
            for b in self.module.buffers():
                dist.broadcast(b.detach(), src=self._root, group=self.process_group)
        output = self.module(*inputs, **kwargs)
        if sync:
            self.reducer.prepare(output)
        return output

    @contextlib.contextmanager
    def no_sync(self):
        """Backward passes of forwards run inside this block accumulate gradients locally,
        without communication; the first synchronised backward after it averages the sum."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous
