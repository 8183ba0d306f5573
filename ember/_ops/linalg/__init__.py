"""Linear algebra: matrix products (``products``: ``matmul``, ``mm``, ``addmm``, ``linear``),
contractions and matrix structure (``einsum``, ``tensordot``, ``diag``, ``tril``) and solves
(``inverse``, ``det``, ``solve``)."""
from . import products, contraction, solve  # noqa: F401  (each declares its public names)
