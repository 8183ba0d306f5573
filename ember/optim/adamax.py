"""Adamax: Adam with the infinity norm in place of the RMS."""
import numpy as np

from .._ops.core.inplace import writable
from ._common import check_hyperparameters, lerp_, scalar, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    r"""Adamax, the infinity-norm variant of Adam (Kingma and Ba).

    For each parameter p with gradient g, at step t::

        g = -g                                  if maximize
        g = g + lambda * p                      if weight_decay != 0
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)           (an exponentially weighted maximum)
        p = p - lr / (1 - beta1^t) * m / u

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 2e-3).
        betas (tuple[float, float], optional): decay rates of m and u (default: (0.9, 0.999)).
        eps (float, optional): added to |g| for stability (default: 1e-8).
        weight_decay (float, optional): weight decay (default: 0).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, differentiable, capturable: accepted for compatibility with torch.

    State per parameter: ``step``, ``exp_avg`` (m) and ``exp_inf`` (u).
    """

    _missing_group_defaults = dict(foreach=None, maximize=False, differentiable=False,
                                   capturable=False)
    _scalar_state = ("step",)

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["exp_avg"] = zeros_state(p)
        state["exp_inf"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, eps = scalar(group["lr"]), group["eps"]
            for param, g, state, t in self._updates(group):
                exp_avg, exp_inf = writable(state["exp_avg"]), writable(state["exp_inf"])
                lerp_(exp_avg, g, 1 - beta1)
                exp_inf *= beta2
                np.maximum(exp_inf, np.abs(g) + eps, out=exp_inf)
                clr = lr / (1 - beta1 ** t)
                param += -clr * exp_avg / exp_inf
        return loss
