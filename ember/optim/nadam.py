"""NAdam: Adam with Nesterov momentum."""
import numpy as np

from .._ops.core.inplace import writable
from ._common import check_hyperparameters, lerp_, scalar, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["NAdam"]


class NAdam(Optimizer):
    r"""NAdam: Adam with Nesterov momentum (Dozat), with torch's momentum schedule.

    For each parameter p with gradient g, at step t::

        g = -g                                           if maximize
        p = p * (1 - lr * lambda)   (decoupled)  or  g = g + lambda * p     if weight_decay
        mu_t = beta1 * (1 - 0.5 * 0.96^(t * psi))        (psi: momentum_decay)
        m = beta1 * m + (1 - beta1) * g,   v = beta2 * v + (1 - beta2) * g^2
        denom = sqrt(v / (1 - beta2^t)) + eps
        p = p - lr * (1 - mu_t) / (1 - prod(mu_1..mu_t)) * g / denom
              - lr * mu_{t+1} / (1 - prod(mu_1..mu_{t+1})) * m / denom

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 2e-3).
        betas (tuple[float, float], optional): decay rates (default: (0.9, 0.999)).
        eps (float, optional): added to the denominator for stability (default: 1e-8).
        weight_decay (float, optional): weight decay (default: 0).
        momentum_decay (float, optional): psi (default: 4e-3).
        decoupled_weight_decay (bool, optional): decay the weights directly, as AdamW
            (default: False).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, capturable, differentiable: accepted for compatibility with torch.

    State per parameter: ``step``, ``mu_product`` (a 0-d tensor), ``exp_avg`` and
    ``exp_avg_sq``.
    """

    _missing_group_defaults = dict(maximize=False, foreach=None, capturable=False,
                                   differentiable=False, decoupled_weight_decay=False)
    _scalar_state = ("step", "mu_product")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay,
                              momentum_decay=momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["mu_product"] = step_state(1.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, eps, momentum_decay = scalar(group["lr"]), group["eps"], group["momentum_decay"]
            for param, g, state, t in self._updates(group):
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
                mu_product = writable(state["mu_product"])
                mu_product *= mu                  # kept in float32, as torch keeps it
                exp_avg, exp_avg_sq = writable(state["exp_avg"]), writable(state["exp_avg_sq"])
                lerp_(exp_avg, g, 1 - beta1)
                exp_avg_sq *= beta2
                exp_avg_sq += (1 - beta2) * g * g
                denom = np.sqrt(exp_avg_sq / (1 - beta2 ** t))
                denom += eps
                product = float(mu_product)
                param += -lr * (1.0 - mu) / (1.0 - product) * g / denom
                param += -lr * mu_next / (1.0 - product * mu_next) * exp_avg / denom
        return loss
