"""Adafactor: Adam-like steps with a factored second moment (a row and a column average for a
matrix instead of one value per element), so its memory grows with rows + columns."""
from .._info import finfo
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ._common import scalar, step_state
from .optimizer import Optimizer

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    r"""Adafactor (Shazeer and Stern, 2018), as torch's.

    At step t, for a parameter p with gradient g (``-g`` if maximize)::

        beta2_t = 1 - t ** beta2_decay           (so 1 - beta2_t = t ** beta2_decay)
        rho_t   = min(lr, 1 / sqrt(t))
        alpha   = max(eps2, RMS(p)) * rho_t      (the step is relative to the parameter's size)
        p       = p * (1 - lr * weight_decay)
        matrix g:  R = lerp(R, mean of g^2 over the last dim, 1 - beta2_t)   (rows)
                   C = lerp(C, mean of g^2 over the second-last dim, ...)    (columns)
                   v = R @ C / max(mean of R, eps1)
        vector g:  v = lerp(v, g^2, 1 - beta2_t)
        u = g / sqrt(max(v, eps1^2));   p = p - alpha / max(1, RMS(u) / d) * u

    Args:
        params (iterable): parameters to optimize, or dicts defining parameter groups.
        lr (float, optional): the most relative step (default: 1e-2).
        beta2_decay (float, optional): the decay exponent of beta2 (default: -0.8).
        eps (tuple, optional): (eps1, eps2): eps1 bounds the second moment from below (None:
            the machine epsilon of the parameter's dtype), eps2 the parameter's RMS
            (default: (None, 1e-3)).
        d (float, optional): the clipping threshold of the update's RMS (default: 1.0).
        weight_decay (float, optional): decoupled weight decay (default: 0).
        foreach (bool, optional): accepted for compatibility with torch.
        maximize (bool, optional): maximize the objective instead (default: False).

    State per parameter: ``step``, and ``row_var`` and ``col_var`` (matrices and higher) or
    ``variance`` (vectors and scalars).
    """

    _missing_group_defaults = dict(foreach=None)
    _scalar_state = ("step",)

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError("Learning rate should be >= 0 but is: {}".format(lr))
        if not 0.0 >= beta2_decay:
            raise ValueError("beta2_decay should be <= 0 but is: {}".format(beta2_decay))
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError("epsilon1 should be >= 0 but is: {}".format(eps[0]))
        if not 0.0 <= eps[1]:
            raise ValueError("epsilon2 should be >= 0 but is: {}".format(eps[1]))
        if not 1.0 <= d:
            raise ValueError("Clipping threshold d should be >= 1 but is: {}".format(d))
        if not 0.0 <= weight_decay:
            raise ValueError("weight_decay should be >= 0 but is: {}".format(weight_decay))
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    def _init_state(self, group, p, state):
        state["step"] = step_state()
        if p.grad.dim() > 1:
            state["row_var"] = p.grad.new_zeros(list(p.grad.shape[:-1]) + [1])
            state["col_var"] = p.grad.new_zeros(list(p.grad.shape[:-2]) + [1, p.grad.shape[-1]])
        else:
            state["variance"] = p.grad.new_zeros(p.grad.shape)

    def step(self, closure=None):
        """Performs a single optimization step (see the class docstring for the rule)."""
        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group):
        lr, d, decay = scalar(group["lr"]), group["d"], group["weight_decay"]
        eps1, eps2 = group["eps"]
        for p in group["params"]:
            if p.grad is None:
                continue
            if p.is_complex():
                raise RuntimeError("Adafactor does not support complex parameters")
            state = self.state[p]
            if not state:
                self._init_state(group, p, state)
            grad = -p.grad if group["maximize"] else p.grad
            floor = eps1 if eps1 is not None else finfo(p.dtype).eps
            state["step"] += 1
            t = state["step"].item()
            one_minus_beta2 = t ** group["beta2_decay"]
            alpha = max(eps2, p.norm(2).item() / (p.numel() ** 0.5)) * min(lr, 1 / (t ** 0.5))
            if decay != 0:
                p.mul_(1 - lr * decay)
            if grad.dim() > 1:
                row, col = state["row_var"], state["col_var"]
                row.lerp_(grad.norm(dim=-1, keepdim=True).square_().div_(grad.size(-1)),
                          one_minus_beta2)
                col.lerp_(grad.norm(dim=-2, keepdim=True).square_().div_(grad.size(-2)),
                          one_minus_beta2)
                estimate = row @ col
                estimate.div_(row.mean(dim=-2, keepdim=True).clamp_(min=floor))
            else:
                state["variance"].lerp_(grad * grad, one_minus_beta2)
                estimate = state["variance"].clone()
            update = estimate.clamp_(min=floor * floor).rsqrt_().mul_(grad)
            denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
            p.add_(update, alpha=-alpha / denom)
