"""The ``torch.*`` (and tensor-method) forms of ``torch.linalg`` functions -- ``matrix_power``,
``matrix_exp``, ``chain_matmul``, ``nuclear_norm``, ``frobenius_norm`` -- and the functions torch
1.9 deprecated and torch 2 removed (``torch.lstsq``, ``eig``, ``symeig``, ``solve``,
``matrix_rank``), which raise torch's RuntimeError naming their replacement.  Gradients are
those of the functions they call."""
from ..core.operands import finish
from ..core.registry import export
from .deprecation import warn_once
from .decompositions import matrix_exp as _matrix_exp, matrix_power as _matrix_power, multi_dot


@export("torch", "Tensor")
def matrix_power(input, n, *, out=None):
    """``linalg.matrix_power``: A multiplied by itself n times."""
    return _matrix_power(input, n, out=out)


@export("torch", "Tensor")
def matrix_exp(input):
    """``linalg.matrix_exp``: the matrix exponential."""
    return _matrix_exp(input)


@export("torch")
def chain_matmul(*matrices, out=None):
    """The deprecated product of matrices ``chain_matmul(A, B, C)``: ``linalg.multi_dot``."""
    warn_once("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
              "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
              "rather than multiple parameters.")
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(list(matrices))


@export("torch")
def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    """The sum of the singular values of each matrix (over ``dim``, the last two by
    default)."""
    from ..reductions.norms import matrix_norm
    warn_once("at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will "
              "be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', "
              "dim, keepdim)` instead")
    result = matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim)
    return finish(result, out, "nuclear_norm")


@export("torch")
def frobenius_norm(input, dim, keepdim=False, *, out=None):
    """The square root of the sum of the squares of the entries over ``dim``."""
    from ..reductions.norms import vector_norm
    warn_once("at::frobenius_norm is deprecated and it is just left for JIT compatibility. It "
              "will be removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., "
              "dim, keepdim)` instead")
    result = vector_norm(input, 2, dim, keepdim)
    return finish(result, out, "frobenius_norm")


_REMOVED = "This function was deprecated since version 1.9 and is now removed."


@export("torch", "Tensor")
def lstsq(input, A, *, out=None):
    """Removed in torch 2: use ``linalg.lstsq(A, B)``."""
    raise RuntimeError(_REMOVED + " `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`."
                       "\n`torch.linalg.lstsq` has reversed arguments and does not return the QR "
                       "decomposition in the returned tuple (although it returns other "
                       "information about the problem).\n\nTo get the QR decomposition consider "
                       "using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` "
                       "stored the residuals of the solution in the last m - n columns of the "
                       "returned value whenever m > n. In torch.linalg.lstsq, the residuals are "
                       "in the field 'residuals' of the returned named tuple.\n\nThe unpacking "
                       "of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\n"
                       "should be replaced with:\nX = torch.linalg.lstsq(A, B).solution")


@export("torch", "Tensor")
def eig(input, eigenvectors=False, *, e=None, v=None):
    """Removed in torch 2: use ``linalg.eig`` or ``linalg.eigvals``."""
    raise RuntimeError(_REMOVED + " `torch.linalg.eig` returns complex tensors of dtype `cfloat` "
                       "or `cdouble` rather than real tensors mimicking complex tensors.\n\nL, _ "
                       "= torch.eig(A) should be replaced with:\nL_complex = "
                       "torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True)"
                       " should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)")


@export("torch", "Tensor")
def symeig(input, eigenvectors=False, upper=True, *, out=None):
    """Removed in torch 2: use ``linalg.eigh`` or ``linalg.eigvalsh``."""
    raise RuntimeError(_REMOVED + " The default behavior has changed from using the upper "
                       "triangular portion of the matrix by default to using the lower "
                       "triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be "
                       "replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else "
                       "'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be "
                       "replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")


@export("torch", "Tensor")
def solve(input, A, *, out=None):
    """Removed in torch 2: use ``linalg.solve(A, B)``."""
    raise RuntimeError(_REMOVED + " `torch.solve` is deprecated in favor of `torch.linalg.solve`. "
                       "`torch.linalg.solve` has its arguments reversed and does not return the "
                       "LU factorization.\n\nTo get the LU factorization see `torch.lu`, which "
                       "can be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = "
                       "torch.solve(B, A).solution should be replaced with:\nX = "
                       "torch.linalg.solve(A, B)")


@export("torch")
def matrix_rank(input, tol=None, symmetric=False, *, out=None):
    """Removed in torch 2: use ``linalg.matrix_rank``."""
    raise RuntimeError(_REMOVED + "\nPlease use the `torch.linalg.matrix_rank` function instead. "
                       "The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` "
                       "to 'hermitian'.")
