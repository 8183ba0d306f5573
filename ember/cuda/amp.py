"""``ember.cuda.amp``: mixed precision on the GPU.  Without a GPU torch disables both tools with
a warning: ``autocast`` changes nothing, and ``GradScaler`` leaves losses and gradients as they
are, so a training loop written with them runs unchanged in float32."""
import contextlib
import warnings


class autocast(contextlib.ContextDecorator):
    """``with autocast():`` -- disabled: operations keep their dtypes."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        if enabled:
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                          UserWarning, stacklevel=2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class GradScaler:
    """Scales the loss against float16 underflow; disabled here: ``scale(loss)`` is ``loss``,
    ``step(optimizer)`` is ``optimizer.step()``."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cuda', args...)` instead.", FutureWarning,
                      stacklevel=2)
        if enabled:
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.", UserWarning, stacklevel=2)

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer):
        """Nothing was scaled: does nothing."""

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        """Nothing to update."""

    def get_scale(self):
        return 1.0

    def is_enabled(self):
        return False

    def state_dict(self):
        return {}

    def load_state_dict(self, state_dict):
        """A disabled scaler has no state."""
