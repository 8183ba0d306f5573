"""Matrix decompositions and the functions built on them (``torch.linalg``): ``cholesky``,
``eigh``/``eigvalsh``, ``svdvals``, ``slogdet``/``logdet``, ``solve_triangular``, and
``matrix_power``, ``matrix_exp``, ``multi_dot``, ``matrix_rank``, ``cond``, ``vander``.
LAPACK computes through NumPy; batches of matrices work throughout.

Gradients (G the incoming gradient, ^T the transpose of the last two dimensions):

* cholesky, A = L L^T:  P = L^T G_L with its upper triangle dropped and its diagonal halved;
  dA = L^-T P L^-1, symmetrised.
* eigh, A = V diag(w) V^T:  dA = V (diag(G_w) + F * (V^T G_V)) V^T with F_ij = 1 / (w_j - w_i)
  off the diagonal (0 on it).
* svdvals, A = U diag(s) V^T:  dA = U diag(G_s) V^T.
* slogdet:  d logabsdet / dA = A^-T.
* solve_triangular, X = A^-1 B:  dB = A^-T G,  dA = -dB X^T, kept to A's triangle.
* matrix_exp:  dA = exp of the block matrix [[A^T, G], [0, A^T]], its upper right block.

The rest are made of differentiable operations (products, inverses, norms).
"""
import numpy as np

from ... import return_types
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.registry import export
from .solve import LinAlgError, _check_float, _check_square, _mT, inverse
from .svd import LinalgSvd, check_driver


def _check(name, t, label="A"):
    _check_square(name, t._array, label)
    _check_float(name, t)


# ---------------------------------------------------------------- Cholesky


def _not_positive_definite(a, name):
    """torch's error: the first leading minor (of the first matrix of the batch that fails)
    that is not positive-definite."""
    flat = a.reshape((-1,) + a.shape[-2:])
    for i, matrix in enumerate(flat):
        for k in range(1, matrix.shape[0] + 1):
            try:
                np.linalg.cholesky(matrix[:k, :k])
            except np.linalg.LinAlgError:
                prefix = "(Batch element {}): ".format(i) if a.ndim > 2 else ""
                return i, k, LinAlgError(
                    "{}: {}The factorization could not be completed because the input is not "
                    "positive-definite (the leading minor of order {} is not "
                    "positive-definite).".format(name, prefix, k))
    return None


class LinalgCholeskyEx(Op):
    """L = the lower Cholesky factor of A (A = L L^T); see the module's docstring for dA."""

    @staticmethod
    def forward(ctx, a, upper, check, name):
        lower = np.tril(a)
        sym = lower + _mT(np.tril(a, -1))          # LAPACK reads the lower triangle only
        info = np.zeros(a.shape[:-2], np.int32)
        try:
            out = np.linalg.cholesky(sym)
        except np.linalg.LinAlgError:
            failure = _not_positive_definite(sym, name)
            if check:
                raise failure[2] from None
            out = np.zeros_like(a)
            info.reshape(-1)[failure[0]] = failure[1]
        ctx.save_for_backward(out)
        ctx.upper = upper
        return (_mT(out).copy() if upper else out), info

    @staticmethod
    def backward(ctx, grad, _):
        L, = ctx.saved_tensors
        if ctx.upper:
            grad = _mT(grad)
        phi = _tril_half_diagonal(_mT(L) @ grad)
        L_inv = _inverse(L)
        g = _mT(L_inv) @ phi @ L_inv
        return (g + _mT(g)) * 0.5, None, None, None


def _tril_half_diagonal(m):
    """The lower triangle of m with its diagonal halved."""
    if isinstance(m, Tensor):
        return m.tril() - m.diagonal(0, -2, -1).diag_embed() * 0.5
    out = np.tril(m)
    idx = np.arange(m.shape[-1])
    out[..., idx, idx] *= 0.5
    return out


def _inverse(m):
    return inverse(m) if isinstance(m, Tensor) else np.linalg.inv(m)


@export("linalg")
def cholesky(A, *, upper=False, out=None):
    """The Cholesky factor L of a symmetric positive-definite A = L L^T (U = L^T with
    ``upper=True``)."""
    _check("linalg.cholesky", A)
    return LinalgCholeskyEx.apply(A, upper, True, "linalg.cholesky")[0]


@export("linalg")
def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """``cholesky`` and ``info``: 0, or the order of the first leading minor that is not
    positive-definite (the factor is then not valid)."""
    _check("linalg.cholesky_ex", A)
    L, info = LinalgCholeskyEx.apply(A, upper, check_errors, "linalg.cholesky_ex")
    return return_types.linalg_cholesky_ex(L, info)


class Cholesky(LinalgCholeskyEx):
    """The deprecated ``torch.cholesky``."""

    node_name = "CholeskyBackward0"


@export("torch", "Tensor", name="cholesky")
def cholesky_deprecated(input, upper=False, *, out=None):
    """The deprecated ``torch.cholesky(input, upper)``: use ``ember.linalg.cholesky``."""
    import warnings
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be "
                  "removed in a future PyTorch release.\nL = torch.cholesky(A)\nshould be "
                  "replaced with\nL = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, "
                  "upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis "
                  "transform will produce equivalent results for all valid (symmetric positive "
                  "definite) inputs.", UserWarning, stacklevel=2)
    _check("linalg.cholesky", input)
    return Cholesky.apply(input, upper, True, "linalg.cholesky")[0]


# ---------------------------------------------------------------- symmetric eigenproblems


class LinalgEigh(Op):
    """w, V = the eigenvalues (ascending) and eigenvectors of a symmetric A."""

    @staticmethod
    def forward(ctx, a, uplo, vectors):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        w, v = w.astype(a.dtype), v.astype(a.dtype)
        ctx.save_for_backward(w, v)
        ctx.vectors = vectors
        return w, v

    @staticmethod
    def backward(ctx, grad_w, grad_v):
        w, v = ctx.saved_tensors
        inner = 0
        if grad_w is not None:
            inner = grad_w.diag_embed() if isinstance(grad_w, Tensor) else _diag_embed(grad_w)
        if grad_v is not None and ctx.vectors:
            gap = w[..., None, :] - w[..., :, None]                 # w_j - w_i
            eye = np.eye(gap.shape[-1], dtype=bool)
            F = dual.where(eye, 0.0, 1 / dual.where(eye, 1.0, gap))
            inner = inner + F * (_mT(v) @ grad_v)
        return v @ inner @ _mT(v), None, None


def _diag_embed(d):
    out = np.zeros(d.shape + d.shape[-1:], d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


@export("linalg")
def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, read from
    its lower (``UPLO="L"``) or upper triangle."""
    _check("linalg.eigh", A)
    w, v = LinalgEigh.apply(A, UPLO, True)
    return return_types.linalg_eigh(w, v)


@export("linalg")
def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues (ascending) of a symmetric matrix."""
    _check("linalg.eigvalsh", A)
    return LinalgEigh.apply(A, UPLO, False)[0]


# ---------------------------------------------------------------- singular values


@export("linalg")
def svdvals(A, *, driver=None, out=None):
    """The singular values of a matrix, largest first."""
    if A._array.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    _check_float("linalg.svd", A)
    check_driver(driver)
    return LinalgSvd.apply(A, False)[1]


# ---------------------------------------------------------------- determinants


class LinalgSlogdet(Op):
    """sign, log|det A|.   d log|det A| / dA = A^-T; the sign has no gradient."""

    @staticmethod
    def forward(ctx, a):
        sign, logabs = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return np.asanyarray(sign, a.dtype), np.asanyarray(logabs, a.dtype)

    @staticmethod
    def backward(ctx, grad_sign, grad_logabs):
        a, = ctx.saved_tensors
        return grad_logabs[..., None, None] * _mT(_inverse(a))


@export("linalg")
def slogdet(A, *, out=None):
    """The sign and the log of the absolute value of the determinant (no overflow)."""
    _check("linalg.slogdet", A)
    sign, logabs = LinalgSlogdet.apply(A)
    return return_types.linalg_slogdet(sign, logabs)


@export("torch", "Tensor", name="slogdet")
def slogdet_top(input):
    """``torch.slogdet``: as ``linalg.slogdet``."""
    return return_types.slogdet(*slogdet(input))


@export("torch", "Tensor")
def logdet(input):
    """log det A: nan where the determinant is negative, -inf where it is 0."""
    sign, logabs = slogdet(input)
    nan = np.array(np.nan, input._array.dtype)
    return logabs.where(sign >= 0, Tensor._make(nan)).where(sign != 0, Tensor._make(
        np.array(-np.inf, input._array.dtype)))


# ---------------------------------------------------------------- triangular solves


class LinalgSolveTriangular(Op):
    """X = A^-1 B (``left``) or X = B A^-1, for a triangular A.
    Left: dB = A^-T G,  dA = -dB X^T.   Right: dB = G A^-T,  dA = -X^T dB.  (dA is kept to A's
    triangle.)"""

    @staticmethod
    def forward(ctx, a, b, upper, left, unitriangular):
        t = np.triu(a) if upper else np.tril(a)
        if unitriangular:
            idx = np.arange(a.shape[-1])
            t = t.copy()
            t[..., idx, idx] = 1
        x = np.linalg.solve(t, b) if left else _mT(np.linalg.solve(_mT(t), _mT(b)))
        x = x.astype(np.result_type(a, b), copy=False)
        ctx.save_for_backward(a, x)         # (input and output: differentiable again)
        ctx.t, ctx.upper, ctx.left, ctx.unit = t, upper, left, unitriangular
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        t = ctx.t
        if isinstance(grad, Tensor):        # the triangle of A as a function of A
            k = 1 if ctx.unit else 0
            t = a.triu(k) if ctx.upper else a.tril(-k)
            if ctx.unit:
                t = t + Tensor._make(np.eye(t.shape[-1], dtype=ctx.t.dtype))
        inv_t = _mT(_inverse(t))
        grad_b = inv_t @ grad if ctx.left else grad @ inv_t
        grad_a = None
        if ctx.needs_input_grad[0]:
            full = -(grad_b @ _mT(x)) if ctx.left else -(_mT(x) @ grad_b)
            k = 1 if ctx.unit else 0
            grad_a = (full.triu(k) if ctx.upper else full.tril(-k)) if isinstance(full, Tensor) \
                else (np.triu(full, k) if ctx.upper else np.tril(full, -k))
        return grad_a, grad_b, None, None, None


@export("linalg")
def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (``left``) or X A = B, for an upper or lower triangular A."""
    for t, label in ((A, "A"), (B, "B")):
        if t._array.ndim < 2:
            raise RuntimeError("linalg.solve_triangular: The input tensor {} must have at least "
                               "2 dimensions.".format(label))
    _check("linalg.solve_triangular", A)
    return LinalgSolveTriangular.apply(A, B, upper, left, unitriangular)


# ---------------------------------------------------------------- built from the above


@export("linalg")
def matrix_power(A, n, *, out=None):
    """A multiplied by itself n times (A^-1 for negative n, the identity for 0), by repeated
    squaring."""
    _check_square("linalg.matrix_power", A._array)
    if n == 0:                  # the identity, copied over A (its gradient is 0: CopyBackwards)
        eye = np.broadcast_to(np.eye(A._array.shape[-1], dtype=A._array.dtype), A._array.shape)
        return A.clone().copy_(Tensor._make(eye))
    if n < 0:
        A, n = inverse(A), -n
    result, square = None, A
    while n:
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


@export("linalg")
def multi_dot(tensors, *, out=None):
    """The product of a list of matrices (the first may be a vector, as may the last)."""
    if len(tensors) < 2:
        raise RuntimeError("multi_dot(): expected at least 2 tensors but got {}".format(
            len(tensors)))
    first, last = tensors[0], tensors[-1]
    matrices = list(tensors)
    if first._array.ndim == 1:
        matrices[0] = first.unsqueeze(0)
    if last._array.ndim == 1:
        matrices[-1] = last.unsqueeze(-1)
    result = matrices[0]
    for t in matrices[1:]:
        result = result.mm(t)
    if first._array.ndim == 1 or last._array.ndim == 1:     # back to vectors (a view)
        shape = result._array.shape
        return result.view([n for n, keep in zip(shape, (first._array.ndim == 2,
                                                         last._array.ndim == 2)) if keep])
    return result


@export("linalg")
def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The number of singular values above the tolerance max(atol, rtol * largest)."""
    s = np.linalg.svd(A._array, compute_uv=False)
    eps = np.finfo(A._array.dtype).eps * max(A._array.shape[-2:])
    top = s[..., :1] if s.shape[-1] else np.zeros(s.shape[:-1] + (1,))
    limit = np.maximum(0.0 if atol is None else atol,
                       (eps if rtol is None and atol is None else (rtol or 0.0)) * top)
    return Tensor._make(np.asanyarray((s > limit).sum(-1), np.int64))


@export("linalg")
def cond(A, p=None, *, out=None):
    """The condition number: the largest singular value over the smallest (``p=None`` or 2),
    or ``norm(A, p) * norm(A^-1, p)``."""
    if p is None or p in (2, -2):
        s = svdvals(A)
        largest, smallest = s[..., :1], s[..., -1:]
        ratio = largest / smallest if p != -2 else smallest / largest
        return ratio.squeeze(-1)
    from ..reductions.norms import matrix_norm
    return matrix_norm(A, p) * matrix_norm(inverse(A), p)


class LinalgMatrixExp(Op):
    """E = exp(A) = sum of A^k / k!.   dA = the upper right block of exp([[A^T, G], [0, A^T]])."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _expm(a)

    @staticmethod
    def backward(ctx, grad):
        a, = ctx.saved_tensors
        if isinstance(grad, Tensor):
            raise NotImplementedError("ember: the second derivative of matrix_exp is not "
                                      "implemented")
        n = a.shape[-1]
        block = np.zeros(a.shape[:-2] + (2 * n, 2 * n), a.dtype)
        block[..., :n, :n] = _mT(a)
        block[..., n:, n:] = _mT(a)
        block[..., :n, n:] = grad
        return _expm(block)[..., :n, n:]


def _expm(a):
    """exp of (a batch of) matrices: scaling and squaring with a Taylor series of degree 18,
    in float64."""
    x = a.astype(np.float64)
    norm = np.abs(x).sum(-2).max(-1) if x.size else np.zeros(x.shape[:-2])
    s = int(max(0, np.ceil(np.log2(max(float(np.max(norm, initial=0.0)), 1e-300))) + 1))
    x = x / 2.0 ** s
    term = np.broadcast_to(np.eye(x.shape[-1]), x.shape).copy()
    total = term.copy()
    for k in range(1, 19):
        term = term @ x / k
        total += term
    for _ in range(s):
        total = total @ total
    return total.astype(a.dtype)


@export("linalg")
def matrix_exp(A):
    """The matrix exponential exp(A) = I + A + A^2/2! + ..."""
    _check("linalg.matrix_exp", A)
    return LinalgMatrixExp.apply(A)


@export("linalg")
def vander(x, *, N=None):
    """The Vandermonde matrix of x: columns x^0, x^1, ..., x^(N-1)."""
    n = x._array.shape[-1] if N is None else N
    if n <= 1 and N is not None and N < 1:
        raise RuntimeError("N must be greater than 1.")
    from ..reductions.cumulative import cumprod
    from ..shape.joining import cat
    ones = (x * 0 + 1).unsqueeze(-1)
    if n <= 1:
        return ones[..., :n]
    powers = cumprod(x.unsqueeze(-1).expand(*x._array.shape, n - 1), -1)
    return cat([ones, powers], -1)


@export("linalg")
def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal of (each matrix of) A: ``A.diagonal(offset, dim1, dim2)``."""
    return A.diagonal(offset, dim1, dim2)
