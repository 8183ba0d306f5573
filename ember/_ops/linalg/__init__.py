"""Linear algebra: matrix products (``products``: ``matmul``, ``mm``; ``affine``: ``addmm``,
``linear``), contractions and matrix structure (``einsum``, ``tensordot``, ``diag``, ``tril``),
solves (``inverse``, ``det``, ``solve``) and the decompositions of ``torch.linalg`` (Cholesky,
eigh, eig, SVD, QR, LU, LDL, least squares), one module each."""
# each module declares its public names (core/registry.py) when imported
from . import products, affine, einsum, contraction, solve, decompositions, more_products  # noqa: F401
from . import svd, qr, lu, lu_solve, lstsq, triangular, top_level, lowrank, ldl, eig  # noqa: F401
