"""The eigendecomposition of a general square matrix, A = V diag(L) V^-1 (``linalg.eig``,
``linalg.eigvals``).  LAPACK's geev computes it through NumPy; the results are complex
(complex64 for float32 and complex64 input, complex128 for float64 and complex128), each
eigenvector of norm 1 with its largest component real, as LAPACK gives them.  Batches work.

Gradient (torch's, for the conjugate Wirtinger convention of complex gradients; ^H the conjugate
transpose of the last two dimensions, G_L and G_V the incoming gradients):

  E_ij = conj(L_j) - conj(L_i) off the diagonal (1 on it),
  inner = (V^H G_V - V^H V Re(diag(V^H G_V))) / E, with its diagonal replaced by G_L,
  dA = V^-H inner V^H  (a real A takes the real part).

An eigenvector is defined only up to a phase e^{i phi}: a loss that depends on that phase (for
example ``V.real.sum()``) has no gradient, and torch refuses it when Im(diag(V^H G_V)) is not
zero (within 1e-2).  Only G_L (``eigvals``): dA = V^-H diag(G_L) V^H.

Forward mode (``eig_jvp``): dP = V^-1 dA V, dL = diag(dP), dV = V (dP / (L_j - L_i), 0 on the
diagonal), less V Re(diag(V^H dV)).
"""
import numpy as np

from ... import return_types
from ..._dtype import can_cast
from ...autograd.grad_mode import is_grad_enabled
from ...autograd import op as _op
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.operands import write_out
from ..core.registry import export
from .deprecation import warn_once
from .solve import _check_square
from .svd import _diag_embed

_COMPLEX = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128,
            np.dtype(np.complex64): np.complex64, np.dtype(np.complex128): np.complex128}


def _check(name, A):
    """torch's checks of the input: a (batch of) square matrices of float or complex numbers."""
    if not isinstance(A, Tensor):
        raise TypeError("linalg_{}(): argument 'input' (position 1) must be Tensor, not {}"
                        .format(name, type(A).__name__))
    a = A._array
    _check_square("linalg." + name, a)
    if a.dtype == np.float16 or A.dtype.scalar_name == "BFloat16":
        if a.dtype == np.float16:        # torch makes a complex32 result first, and warns
            warn_once("ComplexHalf support is experimental and many operators don't support it "
                      "yet.")
        raise NotImplementedError('"linalg_eig_out_cpu" not implemented for \'{}\''.format(
            A.dtype.scalar_name))
    if a.dtype not in _COMPLEX:
        raise RuntimeError("Unknown Complex ScalarType for {}".format(A.dtype.scalar_name))


def _check_finite(A):
    """torch computes eigenvectors only of finite matrices."""
    if not np.isfinite(A._array).all():
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")


def _eig_arrays(a, vectors):
    """The eigenvalues (and eigenvectors, or None) of a batch of matrices, in the complex dtype
    that belongs to ``a``'s."""
    kind = _COMPLEX[a.dtype]
    if a.size == 0:
        return (np.zeros(a.shape[:-1], kind),
                np.zeros(a.shape, kind) if vectors else None)
    if vectors:
        w, v = np.linalg.eig(a)
        return w.astype(kind), v.astype(kind)
    finite = np.isfinite(a).all(axis=(-2, -1))
    if finite.all():
        return np.linalg.eigvals(a).astype(kind), None
    # geev's result for a matrix with inf or nan: nan (ember does not run LAPACK on it)
    w = np.full(a.shape[:-1], np.nan * (1 + 1j), kind)
    if finite.any():
        w[finite] = np.linalg.eigvals(a[finite])
    return w, None


class LinalgEig(Op):
    """L, V = the eigenvalues and eigenvectors of a square matrix; see the module's docstring
    for dA."""

    holomorphic = False          # the backward formula below is written for complex gradients

    @staticmethod
    def forward(ctx, a):
        w, v = _eig_arrays(a, True)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, grad_w, grad_v):
        w, v = ctx.saved_tensors
        v_h = _mH(v)
        if not np.any(dual.data(grad_v)):        # only the eigenvalues are used: eigvals' formula
            return _solve(v_h, grad_w[..., :, None] * v_h)
        vh_gv = v_h @ grad_v
        diag = vh_gv.diagonal(0, -2, -1)
        if np.any(np.abs(np.imag(dual.data(diag))) > 1e-2):
            raise RuntimeError("linalg_eig_backward: The eigenvectors in the complex case are "
                               "specified up to multiplication by e^{i phi}. The specified loss "
                               "function depends on this quantity, so it is ill-defined.")
        inner = vh_gv - v_h @ (v * diag.real[..., None, :])
        w_conj = w.conj()
        eye = np.eye(w.shape[-1], dtype=bool)
        inner = inner / dual.where(eye, 1.0, w_conj[..., None, :] - w_conj[..., :, None])
        if np.any(dual.data(grad_w)):
            inner = dual.where(eye, _diag_embed(grad_w), inner)
        return _solve(v_h, inner @ v_h)


def eig_jvp(cls, args, tangents, out):
    """Forward mode (the JVP rule of ``LinalgEig``): with dP = V^-1 dA V, dL = diag(dP) and
    dV = V (dP_ij / (L_j - L_i) off the diagonal, 0 on it), less each vector's change along
    itself, V Re(diag(V^H dV)), so that the vectors keep norm 1."""
    w, v = out
    dp = _solve(v, tangents[0].to(v.dtype) @ v)
    eye = np.eye(w.shape[-1], dtype=bool)
    dv = v @ dual.where(eye, 0.0, dp / dual.where(eye, 1.0, w[..., None, :] - w[..., :, None]))
    dv = dv - v * (_mH(v) @ dv).diagonal(0, -2, -1).real[..., None, :]
    return dp.diagonal(0, -2, -1), dv


def _mH(x):
    """The conjugate transpose of the last two dimensions."""
    return x.swapaxes(-2, -1).conj()


class _ComplexSolve(Op):
    """X = A^-1 B for the backward pass of eig (complex matrices).  dB = A^-T G, dA = -dB X^T
    (the real formula; complex gradients conjugate it, as for any holomorphic op)."""

    node_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x = np.linalg.solve(a, b)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        grad_b = _solve(a.swapaxes(-2, -1), grad)
        return -(grad_b @ x.swapaxes(-2, -1)), grad_b


def _solve(a, b):
    """A^-1 B on arrays, or recorded (for higher derivatives) on tensors."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return _ComplexSolve.apply(a, b)
    return np.linalg.solve(a, b)


def _finish(name, result, out):
    """``result`` (eig's named tuple, or eigvals' tensor), or with ``out=`` written into the
    given tensors, after torch's check that each can hold the complex result."""
    if out is None:
        return result
    single = isinstance(result, Tensor)
    results, outs = ((result,), (out,)) if single else (result, tuple(out))
    for field, r, o in zip(("eigenvalues", "eigenvectors"), results, outs):
        if isinstance(o, Tensor) and not can_cast(r.dtype, o.dtype):
            raise RuntimeError("torch.{}: Expected {} to be safely castable from {} dtype, but "
                               "got {} with dtype {}".format(name, field, r.dtype.scalar_name,
                                                             field, o.dtype.scalar_name))
    written = [write_out(r, o, name.replace(".", "_")) for r, o in zip(results, outs)]
    return written[0] if single else return_types.linalg_eig_out(*written)


@export("linalg")
def eig(input, *, out=None):
    """The eigenvalues L and eigenvectors V (the columns, of norm 1) of a square matrix,
    A V = V diag(L), as complex tensors (the eigenvalues of a real matrix may be complex)."""
    _check("eig", input)
    _check_finite(input)
    result = return_types.linalg_eig(*LinalgEig.apply(input))
    return _finish("linalg.eig", result, out)


@export("linalg")
def eigvals(input, *, out=None):
    """The eigenvalues of a square matrix, complex (those of ``eig``, without computing the
    eigenvectors unless a gradient -- or a transform of ``ember.func`` -- needs them)."""
    _check("eigvals", input)
    if input.requires_grad and is_grad_enabled() or _op._transform is not None:
        _check_finite(input)
        values = LinalgEig.apply(input)[0]
    else:
        values = Tensor._make(_eig_arrays(input._array, False)[0])
    return _finish("linalg.eigvals", values, out)
