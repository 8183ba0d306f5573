"""Adam: momentum plus a per-parameter learning rate scaled by the gradient's running RMS."""
import numpy as np

from .._tensor import Tensor
from .optimizer import Optimizer, check_betas, check_lr, lerp_, scalar, step_state, zeros_state

__all__ = ["Adam"]


def _to_scalar(x):
    """A one-element tensor hyper-parameter as a 0-d tensor (torch's ``_to_scalar``)."""
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.reshape(())
    return x


def tensor_steps(optimizer):
    """Turns plain-number ``step`` entries (from old checkpoints) into 0-d tensors."""
    for group in optimizer.param_groups:
        for p in group["params"]:
            state = optimizer.state.get(p, {})
            if state and "step" in state and not isinstance(state["step"], Tensor):
                state["step"] = step_state(float(state["step"]))


class Adam(Optimizer):
    r"""Adam (adaptive moment estimation).

    For each parameter p with gradient g, at step t (counting from 1)::

        g = -g                              if maximize
        p = p * (1 - lr * lambda)           if weight_decay and decoupled_weight_decay (AdamW)
        g = g + lambda * p                  if weight_decay and not decoupled
        m = beta1 * m + (1 - beta1) * g     (running mean of the gradient)
        v = beta2 * v + (1 - beta2) * g^2   (running mean of its square)
        v_max = max(v_max, v)               if amsgrad, and v_max replaces v below
        m_hat = m / (1 - beta1^t),   v_hat = v / (1 - beta2^t)    (bias corrections)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)

    Each parameter moves by about ``lr`` per step whatever the scale of its gradient.

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): learning rate (default: 1e-3).
        betas (tuple[float, float], optional): decay rates of the two running means
            (default: (0.9, 0.999)).
        eps (float, optional): added to the denominator for stability (default: 1e-8).
        weight_decay (float, optional): weight decay (default: 0).
        amsgrad (bool, optional): use the running maximum of v (default: False).
        maximize (bool, optional): maximize the objective instead (default: False).
        decoupled_weight_decay (bool, optional): decay the weights directly, as AdamW
            (default: False).
        foreach, capturable, differentiable, fused: accepted for compatibility with torch.

    State per parameter: ``step`` (a 0-d float tensor), ``exp_avg`` (m), ``exp_avg_sq`` (v),
    and ``max_exp_avg_sq`` with amsgrad.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError("Invalid epsilon value: {}".format(eps))
        check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError("Invalid weight_decay value: {}".format(weight_decay))
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)
                or isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor) and beta.numel() != 1:
                raise ValueError("Tensor betas[{}] must be 1-element".format(i))
        betas = tuple(map(_to_scalar, betas))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)
        tensor_steps(self)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = (scalar(b) for b in group["betas"])
            lr, eps = scalar(group["lr"]), group["eps"]
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            maximize, decoupled = group["maximize"], group["decoupled_weight_decay"]
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = step_state()
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_state(p)
                param, g = p._array, grad._array
                if maximize:
                    g = -g
                step_count = state["step"]._array
                step_count += 1
                if weight_decay != 0:
                    if decoupled:
                        param *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * param
                exp_avg, exp_avg_sq = state["exp_avg"]._array, state["exp_avg_sq"]._array
                lerp_(exp_avg, g, 1 - beta1)
                exp_avg_sq *= beta2
                exp_avg_sq += (1 - beta2) * g * g
                step = float(step_count)
                step_size = lr / (1 - beta1 ** step)
                bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
                if amsgrad:
                    max_sq = state["max_exp_avg_sq"]._array
                    np.maximum(max_sq, exp_avg_sq, out=max_sq)
                    denom = np.sqrt(max_sq) / bias_correction2_sqrt + eps
                else:
                    denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
                param += -step_size * exp_avg / denom
                p._bump_version()
        return loss
