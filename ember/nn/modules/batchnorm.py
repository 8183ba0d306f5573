"""Batch and instance normalisation layers: ``BatchNorm1d/2d/3d`` and ``InstanceNorm1d/2d/3d``.

Both standardise each channel -- batch norm over the batch and all positions, instance norm
over the positions of each sample -- and then scale and shift it by a learned ``weight`` and
``bias`` (see ``ember/_ops/normalization.py`` for the mathematics).

Batch norm keeps running estimates of each channel's mean and variance (the buffers
``running_mean`` and ``running_var``, updated in every training step) and uses them instead of
the batch's statistics in ``eval()`` mode, so that a prediction does not depend on the rest of
its batch.  ``num_batches_tracked`` counts the updates.
"""
import warnings

from ... import _errors
from ..._ops.creation.filling import ones, zeros
from ..._ops.creation.from_data import tensor
from ... import _dtype
from .. import functional as F
from .module import Module
from .normalization import _affine_parameters, _reset_affine

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
           "InstanceNorm3d"]


class _NormBase(Module):
    """What batch and instance norm share: the per-channel ``weight`` and ``bias`` (when
    ``affine``) and the running statistics (when ``track_running_stats``)."""

    _version = 2            # version 2 added num_batches_tracked

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _affine_parameters(self, affine, bias, num_features, device, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=_dtype.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        """Resets the running statistics, and the affine map to the identity (weight 1, bias 0)."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input_dim(self, input):
        raise NotImplementedError

    def extra_repr(self):
        return ("{}, eps={}, momentum={}, affine={}, bias={}, track_running_stats={}".format(
            self.num_features, self.eps, self.momentum, self.affine, self.bias is not None,
            self.track_running_stats))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        version = local_metadata.get("version", None)
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and \
                key not in state_dict:
            # checkpoints from before num_batches_tracked existed: start counting at 0
            state_dict[key] = (self.num_batches_tracked if self.num_batches_tracked is not None
                               else tensor(0, dtype=_dtype.int64))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


class _BatchNorm(_NormBase):
    """Batch normalisation (see the module docstring).

    In training, the batch's mean and variance normalise it and update the running statistics:
    ``running = (1 - momentum) * running + momentum * batch_statistic`` (the variance unbiased);
    with ``momentum=None`` the running statistics are plain averages over all batches seen.
    In ``eval()`` mode the running statistics are used -- unless they are not tracked."""

    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:            # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch_stats = self.training or (self.running_mean is None and
                                            self.running_var is None)
        # Running statistics are updated only when they are tracked.
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None,
                            self.running_var if track else None, self.weight, self.bias,
                            use_batch_stats, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation of a (N, C) or (N, C, L) input, per channel C.

    .. math:: y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta

    Args:
        num_features: the number of channels C
        eps: added to the variance for numerical stability.  Default: 1e-5
        momentum: the weight of the newest batch in the running statistics (``None``: a
            cumulative average).  Default: 0.1
        affine: learn ``weight`` (gamma) and ``bias`` (beta).  Default: ``True``
        track_running_stats: keep running statistics for ``eval()`` mode.  Default: ``True``

    Example::

        >>> bn = nn.BatchNorm1d(3)
        >>> bn(torch.randn(8, 3)).shape
        torch.Size([8, 3])
    """

    def _check_input_dim(self, input):
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError("expected 2D or 3D input (got {}D input)".format(input.dim()))


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of a (N, C, H, W) input (a batch of images), per channel C.
    Arguments as :class:`BatchNorm1d`."""

    def _check_input_dim(self, input):
        if input.dim() != 4:
            raise ValueError("expected 4D input (got {}D input)".format(input.dim()))


class BatchNorm3d(_BatchNorm):
    r"""Batch normalisation of a (N, C, D, H, W) input (a batch of volumes), per channel C.
    Arguments as :class:`BatchNorm1d`."""

    def _check_input_dim(self, input):
        if input.dim() != 5:
            raise ValueError("expected 5D input (got {}D input)".format(input.dim()))


class _InstanceNorm(_NormBase):
    """Instance normalisation: each sample's channels standardised over their own positions.
    By default it learns no affine map and keeps no running statistics."""

    _no_batch_dim = None        # the number of dimensions of an input without a batch

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)

    def _check_input_dim(self, input):
        dims = (self._no_batch_dim, self._no_batch_dim + 1)
        if input.dim() not in dims:
            raise _errors.expected_nd_input(dims[0], dims[1], input.dim())

    def _apply_instance_norm(self, input):
        return F.instance_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                               self.training or not self.track_running_stats,
                               self.momentum if self.momentum is not None else 0.0, self.eps)

    def forward(self, input):
        self._check_input_dim(input)
        feature_dim = input.dim() - self._no_batch_dim
        if input.size(feature_dim) != self.num_features:
            if self.affine:
                raise ValueError("expected input's size at dim={} to match num_features ({}), "
                                 "but got: {}.".format(feature_dim, self.num_features,
                                                       input.size(feature_dim)))
            warnings.warn("input's size at dim={} does not match num_features. You can silence "
                          "this warning by not passing in num_features, which is not used "
                          "because affine=False".format(feature_dim), stacklevel=2)
        if input.dim() == self._no_batch_dim:           # one sample: as a batch of one
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    r"""Instance normalisation of a (N, C, L) or (C, L) input: each sample's channel
    standardised over its L positions.

    Args:
        num_features: the number of channels C
        eps: added to the variance for numerical stability.  Default: 1e-5
        momentum: the weight of the newest batch in the running statistics.  Default: 0.1
        affine: learn a per-channel ``weight`` and ``bias``.  Default: ``False``
        track_running_stats: keep running statistics for ``eval()`` mode.  Default: ``False``
    """

    _no_batch_dim = 2


class InstanceNorm2d(_InstanceNorm):
    r"""Instance normalisation of a (N, C, H, W) or (C, H, W) input (used in style transfer).
    Arguments as :class:`InstanceNorm1d`."""

    _no_batch_dim = 3


class InstanceNorm3d(_InstanceNorm):
    r"""Instance normalisation of a (N, C, D, H, W) or (C, D, H, W) input.
    Arguments as :class:`InstanceNorm1d`."""

    _no_batch_dim = 4
