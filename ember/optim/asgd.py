"""ASGD: stochastic gradient descent with iterate averaging (Polyak-Ruppert)."""
import numpy as np

from .._ops.core.inplace import fill, writable
from ._common import check_hyperparameters, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["ASGD"]


class ASGD(Optimizer):
    r"""Averaged stochastic gradient descent (Polyak and Juditsky).

    For each parameter p with gradient g, at step t::

        g = -g                                  if maximize
        g = g + weight_decay * p                if weight_decay != 0
        p = p * (1 - lambd * eta) - eta * g
        ax = ax + mu * (p - ax)                 (the running average of the iterates)
        eta = lr / (1 + lambd * lr * t) ** alpha
        mu = 1 / max(1, t - t0)                 (averaging starts after t0 steps)

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 1e-2).
        lambd (float, optional): decay term (default: 1e-4).
        alpha (float, optional): power for the eta update (default: 0.75).
        t0 (float, optional): the step at which averaging starts (default: 1e6).
        weight_decay (float, optional): weight decay (default: 0).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, differentiable, capturable: accepted for compatibility with torch.

    State per parameter: ``step``, ``eta``, ``mu`` and ``ax`` (the averaged parameter).
    """

    _missing_group_defaults = dict(foreach=None, maximize=False, differentiable=False,
                                   capturable=False)
    _scalar_state = ("step", "eta", "mu")

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_hyperparameters(lr=lr, weight_decay=weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["eta"] = step_state(group["lr"])
        state["mu"] = step_state(1.0)
        state["ax"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
            for param, g, state, t in self._updates(group):
                eta = float(state["eta"]._array)
                mu = float(state["mu"]._array)
                param *= np.array(1 - lambd * eta, param.dtype)
                param -= np.array(eta, param.dtype) * g
                ax = writable(state["ax"])
                if mu != 1:
                    ax += (param - ax) * np.array(mu, param.dtype)
                else:
                    ax[...] = param
                fill(state["eta"], lr / ((1 + lambd * lr * t) ** alpha))
                fill(state["mu"], 1 / max(1, t - t0))
        return loss
