"""Helpers of the distributions: broadcasting parameters together, and converting between
probabilities and logits."""
import numbers

import numpy as np

import ember


def broadcast_all(*values):
    """The values as tensors of one broadcast shape (numbers become tensors of the default
    dtype, or of the dtype of the tensors among them)."""
    tensors = [v for v in values if isinstance(v, ember.Tensor)]
    for v in values:
        if not isinstance(v, (ember.Tensor, numbers.Number)):
            raise ValueError("Input arguments must all be instances of numbers.Number, "
                             "torch.Tensor or objects implementing __torch_function__.")
    dtype = tensors[0].dtype if tensors else ember.get_default_dtype()
    as_tensors = [v if isinstance(v, ember.Tensor) else ember.tensor(v, dtype=dtype)
                  for v in values]
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in as_tensors))
    return [t if tuple(t.shape) == shape else t.expand(shape) for t in as_tensors]


def logits_to_probs(logits, is_binary=False):
    """Probabilities from logits: the sigmoid (binary) or the softmax of the last dimension."""
    return logits.sigmoid() if is_binary else logits.softmax(-1)


def clamp_probs(probs):
    """Probabilities kept a machine epsilon away from 0 and 1."""
    eps = float(np.finfo(probs.dtype.numpy).eps)
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    """Logits from probabilities: log(p / (1 - p)) (binary) or log p."""
    ps = clamp_probs(probs)
    return ps.log() - (-ps).log1p() if is_binary else ps.log()


class lazy_property:
    """A property computed on first use and then kept (``probs`` from ``logits``)."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, instance, owner):
        if instance is None:
            return self
        with ember.enable_grad():
            value = self.fn(instance)
        setattr(instance, self.fn.__name__, value)
        return value


def _tril_mask(n, diag):
    arange = ember.arange(n)
    return arange < arange.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat, diag=0):
    """The entries of ``mat`` on and below its ``diag``-th diagonal, row by row, as a vector."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError("diag ({}) provided is outside [{}, {}].".format(diag, -n, n - 1))
    return mat[..., _tril_mask(n, diag)]


def vec_to_tril_matrix(vec, diag=0):
    """The inverse of ``tril_matrix_to_vec``: a D x D matrix (zeros above the diagonal)."""
    c = 1 + 2 * diag
    n = (-c + (c ** 2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > float(np.finfo(vec.dtype.numpy).eps):
        raise ValueError("The size of last dimension is {} which cannot be expressed as the "
                         "lower triangular part of a square D x D matrix.".format(vec.shape[-1]))
    n = round(n)
    mask = _tril_mask(n, diag)
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    index = mask.reshape(-1).nonzero().reshape(-1)
    flat = mat.reshape(tuple(vec.shape[:-1]) + (n * n,))
    return flat.index_copy(-1, index, vec).reshape(tuple(vec.shape[:-1]) + (n, n))
