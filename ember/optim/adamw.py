"""AdamW: Adam with decoupled weight decay."""
from .adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov and Hutter).

    The same rule as :class:`Adam` with ``decoupled_weight_decay=True``: instead of adding
    ``lambda * p`` to the gradient (where Adam's scaling would shrink it), each step first
    shrinks the weights directly::

        p = p * (1 - lr * lambda)
        ... then the Adam update.

    Args are Adam's, except ``weight_decay`` defaults to 1e-2 and the decay is always decoupled.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused, decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
