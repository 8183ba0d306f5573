"""``nn.utils.parametrizations``: ``orthogonal``, ``weight_norm`` and ``spectral_norm`` written as
parametrizations (``nn.utils.parametrize``): the module's weight is recomputed from trained
originals at every access, and ``state_dict`` holds ``parametrizations.weight.original...``.

* ``weight_norm``: w = g * v / ||v|| (norms over every dimension but ``dim``); originals
  ``original0`` = g and ``original1`` = v.
* ``spectral_norm``: w = W / sigma(W), sigma the largest singular value, estimated by power
  iteration in the buffers ``_u`` and ``_v`` of the parametrization (refined at each access in
  training mode).
* ``orthogonal``: w = an orthogonal matrix (or one with orthonormal columns or rows) made from an
  unconstrained one: ``matrix_exp`` or ``cayley`` of a skew-symmetric matrix, or a product of
  Householder reflections; by default relative to a fixed orthogonal ``base`` (the
  "trivialization"), which assigning ``module.weight = Q`` resets.
"""
import numpy as np

from ..._info import finfo
from ..._ops.core import dual
from ..._ops.creation.filling import eye, zeros_like
from ..._ops.creation.from_data import tensor as _tensor
from ..._ops.linalg.products import matmul
from ..._ops.shape.joining import cat
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...autograd.op import Op
from .. import functional as F
from ..modules.module import Module
from . import parametrize

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


# ---------------------------------------------------------------- weight_norm


def _other_dims(ndim, dim):
    return tuple(d for d in range(ndim) if d != dim % ndim) if dim != -1 else tuple(range(ndim))


class WeightNormInterface(Op):
    """w = v * g / ||v|| (norms over every dimension but ``dim``).
    Gradient: dg = sum(grad * v) / ||v||;  dv = (g / ||v||) (grad - v sum(grad * v) / ||v||^2)."""

    @staticmethod
    def forward(ctx, v, g, dim):
        dims = _other_dims(v.ndim, dim)
        norm = np.sqrt(np.add.reduce(v * v, axis=dims, keepdims=True))
        ctx.dims, ctx.shape = dims, norm.shape
        ctx.save_for_backward(v, g)
        return v * (g.reshape(norm.shape) / norm)

    @staticmethod
    def backward(ctx, grad):
        v, g = ctx.saved_tensors
        norm = dual.sqrt(dual.sum_dims(v * v, ctx.dims).reshape(ctx.shape))
        along = dual.sum_dims(grad * v, ctx.dims).reshape(ctx.shape)
        g = g.reshape(ctx.shape)
        grad_v = (g / norm) * (grad - v * (along / (norm * norm)))
        return grad_v, (along / norm).reshape(tuple(ctx.saved_tensors[1].shape)), None


def _norm_except_dim(v, dim):
    dims = _other_dims(v.dim(), dim)
    norm = (v * v).sum(dims, keepdim=True).sqrt()
    return norm if dim != -1 else norm.reshape(())


class _WeightNorm(Module):
    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        if self.dim in (0, weight_v.dim() - 1) and weight_v.dtype.itemsize > 2:
            return WeightNormInterface.apply(weight_v, weight_g, self.dim)
        return weight_v * (weight_g / _norm_except_dim(weight_v, self.dim))   # as torch does

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Writes ``module.<name>`` as g * v / ||v||: originals ``parametrizations.<name>.original0``
    (g, the norms along ``dim``; one norm over everything when ``dim=None``) and ``original1``
    (v).  Returns the module."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


# ---------------------------------------------------------------- spectral_norm


class _SpectralNorm(Module):
    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of [-{}, {}] but "
                             "got {})".format(ndim, ndim - 1, dim))
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             "n_power_iterations={}".format(n_power_iterations))
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.size()
            u = weight_mat.new_empty(h).normal_(0, 1)
            v = weight_mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        """The weight as a matrix whose rows run along ``dim``."""
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        """Refines the singular-vector estimates in place: u = W v / |W v|, v = W^T u / |W^T u|."""
        with no_grad():
            for _ in range(n_power_iterations):
                self._u.copy_(F.normalize(weight_mat.mv(self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(weight_mat.mH.mv(self._u), dim=0, eps=self.eps))

    def forward(self, weight):
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = u.dot(weight_mat.mv(v))
        return weight / sigma

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Divides ``module.<name>`` by its spectral norm (its largest singular value), estimated
    with ``n_power_iterations`` power-iteration steps per access in training mode.  ``dim``:
    the dimension of the output rows (default 1 for transposed convolutions, else 0)."""
    from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError("Module '{}' has no parameter or buffer with name '{}'".format(
            module, name))
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) else 0
    parametrize.register_parametrization(module, name,
                                         _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


# ---------------------------------------------------------------- orthogonal

_MAPS = ("matrix_exp", "cayley", "householder")


def _householder_product(a, tau):
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H, v_i the i-th column of
    ``a`` below the diagonal with a 1 on it (LAPACK's orgqr), in differentiable operations."""
    n, k = a.size(-2), a.size(-1)
    v = a.tril(-1) + eye(n, k, dtype=a.dtype)
    q = eye(n, dtype=a.dtype).expand(*a.shape[:-2], n, n)
    for i in range(k):
        column = v[..., :, i:i + 1]
        q = q - matmul(matmul(q, column) * tau[..., i:i + 1].unsqueeze(-1), column.mH)
    return q[..., :, :k]


def _make_orthogonal(a):
    """The Q of A's QR decomposition with the signs of R's diagonal, as torch makes it."""
    x = a.detach().numpy()
    q, r = np.linalg.qr(x)
    sign = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
    return _tensor(q * np.expand_dims(np.where(sign == 0, 1, sign), -2), dtype=a.dtype)


def _is_orthogonal(q):
    n, k = q.size(-2), q.size(-1)
    identity = eye(k, dtype=q.dtype)
    return bool(((q.mH @ q) - identity).abs().max() <= 10.0 * n * finfo(q.dtype).eps)


class _Orthogonal(Module):
    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        if weight.is_complex() and orthogonal_map == "householder":
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, x):
        n, k = x.size(-2), x.size(-1)
        transposed = n < k
        if transposed:
            x = x.mT
            n, k = k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            x = x.tril()
            if n != k:
                x = cat([x, x.new_zeros(n, n - k).expand(*x.shape[:-2], -1, -1)], dim=-1)
            a = x - x.mH
            if self.orthogonal_map == "matrix_exp":
                from ...linalg import matrix_exp
                q = matrix_exp(a)
            else:
                from ...linalg import solve
                identity = eye(n, dtype=a.dtype)
                q = solve(identity - 0.5 * a, identity + 0.5 * a)
            if n != k:
                q = q[..., :k]
        else:
            a = x.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (a * a).sum(dim=-2))
            q = _householder_product(a, tau)
            q = q * x.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if getattr(self, "base", None) is not None:
            q = self.base @ q
        if transposed:
            q = q.mT
        return q

    def right_inverse(self, q):
        if q.shape != self.shape:
            raise ValueError("Expected a matrix or batch of matrices of shape {}. Got a tensor of "
                             "shape {}.".format(self.shape, q.shape))
        q_init = q
        n, k = q.size(-2), q.size(-1)
        transpose = n < k
        if transpose:
            q = q.mT
            n, k = k, n
        if "base" not in self._buffers:
            if self.orthogonal_map in ("cayley", "matrix_exp"):
                raise NotImplementedError("It is not possible to assign to the matrix "
                                          "exponential or the Cayley parametrizations when "
                                          "use_trivialization=False.")
            a, tau = _householder_vectors(q)
            return a.mT if transpose else a
        if n == k:
            q = q.clone() if _is_orthogonal(q) else _make_orthogonal(q)
        else:
            from ..._ops.creation.random import randn
            q = _make_orthogonal(cat([q, randn(*(q.shape[:-2] + (n, n - k)), dtype=q.dtype)],
                                     dim=-1))
        self.base = q
        neg_identity = zeros_like(q_init)
        neg_identity.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        return neg_identity


def _householder_vectors(q):
    """LAPACK's geqrf of ``q`` with the reflections' signs chosen as torch does for a matrix
    that is already orthogonal: the Householder vectors below the diagonal and the sign of each
    column on it, and the scalars tau."""
    x = q.detach().numpy()
    raw, tau = np.linalg.qr(x, mode="raw")
    h = np.swapaxes(raw, -1, -2).copy()                 # NumPy returns it transposed
    diag = np.sign(np.diagonal(h, axis1=-2, axis2=-1)).copy()
    diag[tau == 0] *= -1
    idx = np.arange(min(h.shape[-2:]))
    h[..., idx, idx] = diag
    return _tensor(h, dtype=q.dtype), _tensor(tau, dtype=q.dtype)


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Makes ``module.<name>`` orthogonal (orthonormal columns or rows when it is not square)
    through ``orthogonal_map`` ("matrix_exp", "cayley" or "householder"; default: matrix_exp
    for square or complex matrices, householder otherwise).  Returns the module."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError("Module '{}' has no parameter or buffer with name '{}'".format(
            module, name))
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. Got a tensor of {} "
                         "dimensions.".format(weight.ndim))
    if orthogonal_map is None:
        orthogonal_map = ("matrix_exp" if weight.size(-2) == weight.size(-1)
                          or weight.is_complex() else "householder")
    if orthogonal_map not in _MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         "Got: {}".format(orthogonal_map))
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
