"""Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay."""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

import numpy as np

from .._ops.core.inplace import writable
from .._tensor import Tensor
from ._common import check_lr, scalar
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum).

    The update, for each parameter p with gradient g, learning rate lr, momentum mu, dampening
    tau and weight decay lambda::

        g = -g                       if maximize
        g = g + lambda * p           if weight_decay != 0
        b = g                        at the first step, then
        b = mu * b + (1 - tau) * g   (the momentum buffer)       if momentum != 0
        g = g + mu * b  (nesterov)   or   g = b
        p = p - lr * g

    Plain SGD (``momentum=0``) is just ``p -= lr * grad``.  The momentum buffer starts as the
    first gradient itself, so dampening only applies from the second step on (as in torch).

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 1e-3).
        momentum (float, optional): momentum factor (default: 0).
        dampening (float, optional): dampening for momentum (default: 0).
        weight_decay (float, optional): weight decay, an L2 penalty (default: 0).
        nesterov (bool, optional): Nesterov momentum (default: False).
        maximize (bool, optional): maximize the objective instead (default: False).
        foreach, differentiable, fused: accepted for compatibility with torch; ember always
            runs the same NumPy update (``differentiable=True`` is not supported).

    Example::

        >>> optimizer = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> optimizer.zero_grad()
        >>> loss_fn(model(input), target).backward()
        >>> optimizer.step()
    """

    _missing_group_defaults = dict(nesterov=False, maximize=False, foreach=None,
                                   differentiable=False, fused=False)

    def __init__(self, params: Any, lr: Union[float, Tensor] = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: Optional[bool] = None,
                 differentiable: bool = False, fused: Optional[bool] = None) -> None:
        check_lr(lr)
        if momentum < 0.0:
            raise ValueError("Invalid momentum value: {}".format(momentum))
        if weight_decay < 0.0:
            raise ValueError("Invalid weight_decay value: {}".format(weight_decay))
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = scalar(group["lr"])
            momentum = group["momentum"]
            if momentum == 0 and group["weight_decay"] == 0 and not group["maximize"]:
                for p in group["params"]:          # the plain rule, kept short: p -= lr * g
                    grad = p._grad
                    if grad is not None:
                        g = grad._array
                        # (lr as a 0-d array: NumPy multiplies by it faster than by a float)
                        param = writable(p)
                        param -= np.array(lr, g.dtype) * g
                continue
            dampening, nesterov = group["dampening"], group["nesterov"]
            for param, g, state, _ in self._updates(group, keeps_state=momentum != 0):
                if momentum != 0:
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = Tensor._make(g.copy())
                    else:
                        b = writable(buf)
                        b *= momentum
                        b += g if dampening == 0 else (1 - dampening) * g
                    g = g + momentum * buf._array if nesterov else buf._array
                param -= lr * g
        return loss
