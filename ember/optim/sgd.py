"""Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay."""
from .._tensor import Tensor
from .optimizer import Optimizer, check_lr, scalar

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

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
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
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = scalar(group["lr"])
            momentum = group["momentum"]
            weight_decay = scalar(group["weight_decay"])
            maximize = group["maximize"]
            if momentum == 0 and weight_decay == 0 and not maximize:
                for p in group["params"]:          # the plain rule, kept short: p -= lr * g
                    grad = p._grad
                    if grad is not None:
                        p._array -= lr * grad._array
                        p._bump_version()
                continue
            dampening, nesterov = group["dampening"], group["nesterov"]
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                g = grad._array
                if maximize:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * p._array
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = Tensor._make(g.copy())
                    else:
                        b = buf._array
                        b *= momentum
                        if dampening == 0:
                            b += g
                        else:
                            b += (1 - dampening) * g
                    if nesterov:
                        g = g + momentum * buf._array
                    else:
                        g = buf._array
                p._array -= lr * g
                p._bump_version()
        return loss
