"""Adadelta: step sizes from the ratio of running RMS of updates and of gradients."""
import numpy as np

from .._ops.core.inplace import writable
from ._common import check_hyperparameters, scalar, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler).

    For each parameter p with gradient g::

        g = -g                                        if maximize
        g = g + lambda * p                            if weight_decay != 0
        v = rho * v + (1 - rho) * g^2                 (running mean of squared gradients)
        delta = sqrt(u + eps) / sqrt(v + eps) * g     (u: running mean of squared updates)
        u = rho * u + (1 - rho) * delta^2
        p = p - lr * delta

    The units work out: the update has the units of the parameter, so lr can stay 1.

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): scales delta (default: 1.0).
        rho (float, optional): decay rate of the running means (default: 0.9).
        eps (float, optional): added inside the square roots (default: 1e-6).
        weight_decay (float, optional): weight decay (default: 0).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, capturable, differentiable: accepted for compatibility with torch.

    State per parameter: ``step``, ``square_avg`` (v) and ``acc_delta`` (u).
    """

    _missing_group_defaults = dict(foreach=None, maximize=False, differentiable=False,
                                   capturable=False)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_hyperparameters(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["square_avg"] = zeros_state(p)
        state["acc_delta"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, rho, eps = scalar(group["lr"]), group["rho"], group["eps"]
            for param, g, state, _ in self._updates(group):
                square_avg, acc_delta = writable(state["square_avg"]), writable(state["acc_delta"])
                square_avg *= rho
                square_avg += (1 - rho) * g * g
                std = np.sqrt(square_avg + eps)
                delta = np.sqrt(acc_delta + eps) / std * g
                acc_delta *= rho
                acc_delta += (1 - rho) * delta * delta
                param -= lr * delta
        return loss
