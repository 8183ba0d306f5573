"""Adagrad: per-parameter learning rates that shrink with the sum of squared gradients."""
import numpy as np

from .._ops.core.inplace import writable
from .._tensor import Tensor
from ._common import check_hyperparameters, scalar, step_state
from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al.).

    For each parameter p with gradient g, at step t::

        g = -g                                  if maximize
        g = g + lambda * p                      if weight_decay != 0
        lr_t = lr / (1 + (t - 1) * lr_decay)
        s = s + g^2                             (sum of all squared gradients so far)
        p = p - lr_t * g / (sqrt(s) + eps)

    Parameters with large past gradients take ever smaller steps.

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 1e-2).
        lr_decay (float, optional): learning rate decay (default: 0).
        weight_decay (float, optional): weight decay (default: 0).
        initial_accumulator_value (float, optional): starting value of s (default: 0).
        eps (float, optional): added to the denominator for stability (default: 1e-10).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, differentiable, fused: accepted for compatibility with torch.

    State per parameter (made at construction, as in torch): ``step`` and ``sum``.
    """

    _missing_group_defaults = dict(foreach=None, maximize=False, differentiable=False,
                                   fused=None)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_hyperparameters(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                              initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(group, p, self.state[p])

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["sum"] = Tensor._make(np.full_like(p._array, self.defaults[
            "initial_accumulator_value"]))

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lr_decay, eps = scalar(group["lr"]), group["lr_decay"], group["eps"]
            for param, g, state, t in self._updates(group):
                clr = lr / (1 + (t - 1) * lr_decay)
                total = writable(state["sum"])
                total += g * g
                std = np.sqrt(total)
                std += eps
                param += -clr * g / std
        return loss
