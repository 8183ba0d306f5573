"""Adam: momentum plus a per-parameter learning rate scaled by the gradient's running RMS."""
import numpy as np

from .._ops.core.inplace import writable
from .._tensor import Tensor
from ._common import check_hyperparameters, lerp_, scalar, step_state, zeros_state
from .optimizer import Optimizer

__all__ = ["Adam"]


def _to_scalar(x):
    """A one-element tensor hyper-parameter as a 0-d tensor (torch's ``_to_scalar``)."""
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.reshape(())
    return x


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

    _missing_group_defaults = dict(amsgrad=False, maximize=False, foreach=None,
                                   capturable=False, differentiable=False,
                                   decoupled_weight_decay=False, fused=None)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_hyperparameters(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
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

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_state(p)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = (scalar(b) for b in group["betas"])
            lr, eps, amsgrad = scalar(group["lr"]), group["eps"], group["amsgrad"]
            for param, g, state, t in self._updates(group):
                exp_avg, exp_avg_sq = writable(state["exp_avg"]), writable(state["exp_avg_sq"])
                lerp_(exp_avg, g, 1 - beta1)
                exp_avg_sq *= beta2
                exp_avg_sq += (1 - beta2) * g * g
                step_size = lr / (1 - beta1 ** t)
                bias_correction2_sqrt = (1 - beta2 ** t) ** 0.5
                if amsgrad:
                    max_sq = writable(state["max_exp_avg_sq"])
                    np.maximum(max_sq, exp_avg_sq, out=max_sq)
                    denom = np.sqrt(max_sq) / bias_correction2_sqrt + eps
                else:
                    denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
                param += -step_size * exp_avg / denom
        return loss
