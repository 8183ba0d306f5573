"""RMSprop: divide each gradient by the running RMS of that parameter's gradients."""
import numpy as np

from .._ops.core.inplace import writable
from ._common import check_hyperparameters, lerp_, scalar, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture 6e).

    For each parameter p with gradient g::

        g = -g                                   if maximize
        g = g + lambda * p                       if weight_decay != 0
        v = alpha * v + (1 - alpha) * g^2        (running mean of the squared gradient)
        avg = sqrt(v - mean_g^2) + eps           if centered, with
              mean_g = alpha * mean_g + (1 - alpha) * g   (an estimate of the variance)
        avg = sqrt(v) + eps                      otherwise
        b = mu * b + g / avg;  p = p - lr * b    if momentum > 0
        p = p - lr * g / avg                     otherwise

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 1e-2).
        alpha (float, optional): smoothing constant (default: 0.99).
        eps (float, optional): added to the denominator for stability (default: 1e-8).
        weight_decay (float, optional): weight decay (default: 0).
        momentum (float, optional): momentum factor (default: 0).
        centered (bool, optional): normalise by the estimated variance (default: False).
        maximize (bool, optional): maximize the objective instead (default: False).
        capturable, foreach, differentiable: accepted for compatibility with torch.

    State per parameter: ``step``, ``square_avg``, and ``momentum_buffer`` / ``grad_avg`` when
    momentum / centered are on.
    """

    _missing_group_defaults = dict(momentum=0, centered=False, foreach=None, maximize=False,
                                   differentiable=False, capturable=False)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_hyperparameters(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                              alpha=alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["square_avg"] = zeros_state(p)
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_state(p)
        if group["centered"]:
            state["grad_avg"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, alpha, eps = scalar(group["lr"]), group["alpha"], group["eps"]
            momentum, centered = group["momentum"], group["centered"]
            for param, g, state, _ in self._updates(group):
                square_avg = writable(state["square_avg"])
                square_avg *= alpha
                square_avg += (1 - alpha) * g * g
                if centered:
                    grad_avg = writable(state["grad_avg"])
                    lerp_(grad_avg, g, 1 - alpha)
                    avg = np.sqrt(square_avg - grad_avg * grad_avg)
                else:
                    avg = np.sqrt(square_avg)
                avg += eps
                if momentum > 0:
                    buf = writable(state["momentum_buffer"])
                    buf *= momentum
                    buf += g / avg
                    param -= lr * buf
                else:
                    param += -lr * g / avg
        return loss
