"""``DataParallel`` and ``data_parallel`` as torch has them on a machine without accelerators.

torch's ``DataParallel`` splits each batch over several GPUs, runs a replica of the module on
each and gathers the outputs.  Without GPUs -- always the case for ember, whose arrays live in
host memory -- torch keeps only the wrapped module and calls it directly (``device_ids`` is
then ``[]`` and the other settings are ignored); ember does the same, so code written for GPUs
runs unchanged, and its ``state_dict`` keys carry the ``module.`` prefix as torch's do.
"""
from ..modules.module import Module

__all__ = ["DataParallel", "data_parallel"]


class DataParallel(Module):
    """Wraps ``module``; calling the wrapper calls the module (there are no devices to split
    the batch over).  The module is ``self.module``."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = []

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """The functional form of ``DataParallel``: without GPUs torch refuses it."""
    raise RuntimeError("device type could not be determined")
