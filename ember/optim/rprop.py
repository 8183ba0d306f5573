"""Rprop: resilient backpropagation, which uses only the sign of the gradient."""
import numpy as np

from .._ops.core.inplace import fill, writable
from ._common import check_lr, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Resilient backpropagation (Riedmiller and Braun).

    Each parameter element keeps its own step size.  At every step::

        g = -g                                   if maximize
        s = g * g_prev
        step_size *= eta_plus  where s > 0       (same sign: speed up)
        step_size *= eta_minus where s < 0       (sign flipped: slow down, skip this update)
        step_size = clamp(step_size, min_step, max_step)
        g = 0 where s < 0
        p = p - sign(g) * step_size;  g_prev = g

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): the initial step size (default: 1e-2).
        etas (tuple[float, float], optional): (eta_minus, eta_plus) (default: (0.5, 1.2)).
        step_sizes (tuple[float, float], optional): the smallest and largest step sizes
            (default: (1e-6, 50)).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, differentiable, capturable: accepted for compatibility with torch.

    State per parameter: ``step``, ``prev`` (the last gradient used) and ``step_size``.
    """

    _missing_group_defaults = dict(foreach=None, maximize=False, differentiable=False,
                                   capturable=False)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError("Invalid eta values: {}, {}".format(etas[0], etas[1]))
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["prev"] = zeros_state(p)
        state["step_size"] = zeros_state(p)
        fill(state["step_size"], group["lr"])

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            eta_minus, eta_plus = group["etas"]
            low, high = group["step_sizes"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if not state:
                    self._init_state(group, p, state)
                count = writable(state["step"])
                count += 1
                g = p._grad._array
                g = -g if group["maximize"] else g.copy()
                prev, step_size = writable(state["prev"]), writable(state["step_size"])
                sign = np.sign(g * prev)
                step_size *= np.where(sign > 0, eta_plus, np.where(sign < 0, eta_minus, 1)
                                      ).astype(step_size.dtype)
                np.clip(step_size, low, high, out=step_size)
                g[sign < 0] = 0
                param = writable(p)
                param -= np.sign(g) * step_size
                prev[...] = g
        return loss
