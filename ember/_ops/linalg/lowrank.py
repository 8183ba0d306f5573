"""Randomized low-rank SVD and PCA (``torch.svd_lowrank``, ``torch.pca_lowrank``), after Halko,
Martinsson and Tropp (2009): an orthonormal basis Q of the range of A is found by multiplying A
with a random Gaussian matrix and refining it by ``niter`` subspace iterations (their
algorithm 4.4); the SVD of the small matrix Q^T A then gives A's (algorithm 5.1).  The random
matrix is drawn from the global generator as torch draws it, so a seeded run gives torch's
numbers.  Made of differentiable operations: the gradient is their chain rule.
"""
from ..core.registry import export


def _range_basis(A, q, niter, M):
    """Q with q orthonormal columns such that Q Q^T (A - M) approximates A - M."""
    from ..creation.random import randn
    from .qr import qr

    def times(x):
        return A @ x if M is None else A @ x - M @ x

    def times_t(x):
        return A.mT @ x if M is None else A.mT @ x - M.mT @ x

    omega = randn(A.shape[-1], q, dtype=A.dtype if A.is_floating_point() else None)
    basis = qr(times(omega)).Q
    for _ in range(niter):
        basis = qr(times_t(basis)).Q
        basis = qr(times(basis)).Q
    return basis


def _svd_lowrank(A, q, niter, M):
    from .svd import svd
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape)
    wide = m < n
    if wide:                         # work with the tall transpose
        A = A.mT
        M = None if M is None else M.mT
    basis = _range_basis(A, q, niter, M)
    small = basis.mT @ A if M is None else basis.mT @ A - basis.mT @ M
    u, s, vh = svd(small, full_matrices=False)
    u, v = basis @ u, vh.mT
    return (v, s, u) if wide else (u, s, v)


@export("torch")
def svd_lowrank(A, q=6, niter=2, M=None):
    """U, S, V with A ~ U diag(S) V^T of rank q (of A - M when M is given), by a randomized
    range finder: for large matrices of low rank."""
    return _svd_lowrank(A, 6 if q is None else q, 2 if niter is None else niter, M)


@export("torch")
def pca_lowrank(A, q=None, center=True, niter=2):
    """The principal components of the rows of A: U, S, V of the low-rank SVD of A with its
    column means subtracted (``center``); V's columns are the principal directions."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError("q(={}) must be non-negative integer and not greater than min(m, n)={}"
                         .format(q, min(m, n)))
    if not niter >= 0:
        raise ValueError("niter(={}) must be non-negative integer".format(niter))
    if center:
        A = A - A.mean(dim=(-2,), keepdim=True)
    return _svd_lowrank(A, q, niter, None)
