"""The QR decomposition A = Q R (``linalg.qr``, the older ``torch.qr``) and the Householder
reflectors LAPACK stores it as (``geqrf``, ``linalg.householder_product``/``orgqr``,
``ormqr``).  LAPACK computes through NumPy; batches work throughout.

Gradient of A = Q R (G_Q, G_R the incoming gradients, ^T the transpose of the last two
dimensions), for m >= n: with M = R G_R^T - G_Q^T Q and copyltu(M) the symmetric matrix with
M's lower triangle on both sides, dA = (G_Q + Q copyltu(M)) R^-T.  For m < n, A = Q [X | Y] with X square: Y = Q^T A_2 gives
dA_2 = Q G_Y, and the square formula gives dA_1 with G_Q + A_2 G_Y^T in place of G_Q.

The Householder product Q = H_1 ... H_k, H_i = I - tau_i v_i v_i^T, is made of differentiable
operations (its gradient is their chain rule).
"""
import numpy as np

from ... import _errors, return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.registry import export
from .deprecation import warn_once
from .solve import _check_float, _mT
from .tuples import finish_tuple


def _copyltu(m):
    """The symmetric matrix with m's lower triangle (and diagonal) on both sides."""
    if isinstance(m, Tensor):
        return m.tril() + m.tril(-1).mT
    return np.tril(m) + _mT(np.tril(m, -1))


def _solve_right_upper(g, r):
    """g R^-T for an upper triangular R (each of a batch)."""
    if isinstance(g, Tensor):            # (a general solve: differentiable again in R)
        from .solve import solve
        return solve(_mT(r), g, left=False)
    return _mT(np.linalg.solve(r, _mT(g)))


def _square_backward(q, r, grad_q, grad_r):
    """dA of A = Q R for m >= n (see the module's docstring)."""
    m = r @ _mT(grad_r) - _mT(grad_q) @ q
    return _solve_right_upper(q @ _copyltu(m) + grad_q, r)


class LinalgQr(Op):
    """Q, R = the QR decomposition of A; see the module's docstring for dA."""

    @staticmethod
    def forward(ctx, a, mode):
        if a.dtype == np.float16:
            raise _errors.not_implemented("geqrf_cpu", "Half")
        m, n = a.shape[-2:]
        k = min(m, n)
        if a.size == 0:
            cols = m if mode == "complete" else k
            q = np.broadcast_to(np.eye(m, cols, dtype=a.dtype), a.shape[:-2] + (m, cols)).copy()
            r = np.zeros(a.shape[:-2] + (cols, n), a.dtype)
        else:
            q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        q, r = q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)
        ctx.save_for_backward(q, r)             # (the outputs themselves: differentiable again)
        ctx.mode = mode
        if mode == "r":
            q = np.zeros((0,), a.dtype)
        return q, r

    @staticmethod
    def backward(ctx, grad_q, grad_r):
        q, r = ctx.saved_tensors
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                               "when mode='r'. Please use linalg.qr(A, mode='reduced') if you "
                               "are going to differentiate through linalg.qr.")
        m, n = q.shape[-2], r.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                               "and nrows > ncols.")
        if m >= n:
            return _square_backward(q, r, grad_q, grad_r), None
        x, grad_x, grad_y = r[..., :m], grad_r[..., :m], grad_r[..., m:]
        a2 = q @ r[..., m:]
        grad_a1 = _square_backward(q, x, grad_q + a2 @ _mT(grad_y), grad_x)
        grad_a2 = q @ grad_y
        if isinstance(grad_a1, Tensor):
            from ..shape.joining import cat
            return cat([grad_a1, grad_a2], -1), None
        return np.concatenate([grad_a1, grad_a2], -1), None


_MODES = ("reduced", "complete", "r")


@export("linalg")
def qr(A, mode="reduced", *, out=None):
    """A = Q R with orthonormal columns in Q and an upper triangular R: ``mode='reduced'``
    (Q m x k, R k x n, k = min(m, n)), ``'complete'`` (Q m x m) or ``'r'`` (R only, Q empty)."""
    if mode not in _MODES:
        raise RuntimeError("qr received unrecognized mode '{}' but expected one of 'reduced' "
                           "(default), 'r', or 'complete'".format(mode))
    if A._array.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    _check_float("linalg.qr", A)
    return finish_tuple(return_types.linalg_qr(*LinalgQr.apply(A, mode)), out, "linalg_qr")


@export("torch", "Tensor", name="qr")
def qr_top(input, some=True, *, out=None):
    """The older ``torch.qr``: ``linalg.qr`` with ``some`` for the reduced decomposition."""
    warn_once("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a "
              "future PyTorch release.\nThe boolean parameter 'some' has been replaced with a "
              "string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\n"
              "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")
    q, r = qr(input, "reduced" if some else "complete")
    return finish_tuple(return_types.qr(q, r), out, "qr")


# ---------------------------------------------------------------- Householder reflectors


class Geqrf(Op):
    """LAPACK's QR in its compact form: R on and above the diagonal, the Householder vectors
    below it, and their scales tau.  Not differentiable (as in torch)."""

    @staticmethod
    def forward(ctx, a):
        if a.dtype == np.float16:
            raise _errors.not_implemented("geqrf_cpu", "Half")
        m, n = a.shape[-2:]
        if a.size == 0:
            return a.copy(), np.zeros(a.shape[:-2] + (min(m, n),), a.dtype)
        h, tau = np.linalg.qr(a, mode="raw")
        return _mT(h).astype(a.dtype), tau.astype(a.dtype)

    @staticmethod
    def backward(ctx, grad_a, grad_tau):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


@export("torch", "Tensor")
def geqrf(input, *, out=None):
    """The QR decomposition as LAPACK stores it: ``(a, tau)`` for
    ``linalg.householder_product``."""
    if input._array.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    _check_float("torch.geqrf", input)
    return finish_tuple(return_types.geqrf(*Geqrf.apply(input)), out, "geqrf")


def _check_reflectors(name, A, tau):
    a, t = A._array, tau._array
    if a.ndim < 2:
        raise RuntimeError("{}: input must have at least 2 dimensions.".format(name))
    if t.ndim != a.ndim - 1:
        raise RuntimeError("{}: Expected tau to have one dimension less than input, but got "
                           "tau.ndim equal to {} and input.ndim is equal to {}".format(
                               name, t.ndim, a.ndim))
    if a.dtype != t.dtype:
        raise RuntimeError("{}: tau dtype {} does not match input dtype {}".format(
            name, tau.dtype.scalar_name, A.dtype.scalar_name))
    _check_float(name, A)


def _reflect(A, tau, cols):
    """H_1 ... H_k (its first ``cols`` columns), H_i = I - tau_i v_i v_i^T with v_i the i-th
    column of A below the diagonal and 1 on it."""
    a = A._array
    m = a.shape[-2]
    k = tau._array.shape[-1]
    eye = np.eye(m, dtype=a.dtype)
    lower = Tensor._make(np.tril(np.ones((m, a.shape[-1]), a.dtype), -1))
    vectors = A * lower + Tensor._make(np.eye(m, a.shape[-1], dtype=a.dtype))
    q = Tensor._make(np.broadcast_to(eye, a.shape[:-2] + (m, m)).copy())
    for i in range(k):
        v = vectors[..., :, i:i + 1]
        q = q - (q @ v) * tau[..., i, None, None] @ _mT(v)
    return q[..., :cols]


@export("linalg")
def householder_product(A, tau, *, out=None):
    """The first n columns of the product of Householder reflectors H_1 ... H_k stored in A
    and tau (as ``geqrf`` returns them): Q of the QR decomposition."""
    name = "torch.linalg.householder_product"
    _check_reflectors(name, A, tau)
    m, n = A._array.shape[-2:]
    if m < n:
        raise RuntimeError(name + ": input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if n < tau._array.shape[-1]:
        raise RuntimeError(name + ": input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if A._array.dtype == np.float16:
        raise _errors.not_implemented("orgqr_cpu", "Half")
    result = _reflect(A, tau, n)
    return result if out is None else finish_tuple((result,), (out,), "householder_product")[0]


@export("torch", "Tensor")
def orgqr(input, tau, *, out=None):
    """``torch.orgqr``: ``linalg.householder_product``."""
    return householder_product(input, tau, out=out)


@export("torch", "Tensor")
def ormqr(input, input2, input3, left=True, transpose=False, *, out=None):
    """The product of Q = H_1 ... H_k (stored in input and tau = input2 as ``geqrf`` returns
    them) with other = input3: Q C, Q^T C, C Q or C Q^T, without forming Q (in torch)."""
    name = "torch.ormqr"
    _check_reflectors(name, input, input2)
    other = input3
    rows = input._array.shape[-2]
    along = other._array.shape[-2] if left else other._array.shape[-1]
    if along != rows:
        raise RuntimeError("{}: other.shape[{}] must be equal to input.shape[-2]".format(
            name, -2 if left else -1))
    q = _reflect(input, input2, rows)
    if transpose:
        q = q.mT
    result = q @ other if left else other @ q
    return result if out is None else finish_tuple((result,), (out,), "ormqr")[0]
