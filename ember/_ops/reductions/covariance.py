"""How variables vary together: ``cov`` (the covariance matrix of the rows of a matrix, one
variable per row, one observation per column) and ``corrcoef`` (Pearson's correlation
coefficients).  Built from means, a product with the transpose and square roots, which record
their own gradients."""
from ... import _dtype
from ..core.common import Tensor
from ..core.registry import export


@export("torch", "Tensor")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """``sum_k w_k (x_ik - m_i)(x_jk - m_j) / (sum_k w_k - correction)`` with ``m`` the weighted
    means (weights: frequency ``fweights`` times ``aweights``; 1 without them)."""
    if input._array.ndim > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an "
                           "input with {} dimensions".format(input._array.ndim))
    x = input.reshape(1, -1) if input._array.ndim < 2 else input
    if not input.is_floating_point():
        x = x.to(_dtype.get_default_dtype())
    observations = x._array.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        w_sum = observations
        mean = x.mean(1, keepdim=True)
        norm = w_sum - correction
    else:
        w = w.to(x.dtype)
        w_sum = w.sum()
        mean = (x * w).sum(1, keepdim=True) / w_sum
        if aweights is None or correction == 0:
            norm = w_sum - correction
        else:
            norm = w_sum - correction * (w * aweights).sum() / w_sum
    centred = x - mean
    weighted = centred if w is None else centred * w
    if not isinstance(norm, Tensor):
        norm = max(norm, 0)
    else:
        norm = norm.clamp(min=0)
    c = centred @ weighted.T / norm
    return c.squeeze() if input._array.ndim < 2 or x._array.shape[0] == 1 else c  # one variable


@export("torch", "Tensor")
def corrcoef(input):
    """Pearson's correlation coefficients: the covariance divided by both standard deviations,
    clipped to [-1, 1]."""
    if input._array.ndim > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but got "
                           "an input with {} dimensions".format(input._array.ndim))
    c = cov(input)
    if c._array.ndim == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.reshape(-1, 1) / std.reshape(1, -1)
    return c.clamp(-1, 1)
