"""The named tuples torch returns from ``max(dim)``, ``sort``, ``topk`` ...: ``values, indices``.

They print as ``torch.return_types.max(\\nvalues=tensor(...),\\nindices=tensor(...))``.
"""
import collections

__all__ = ["frexp", "histogram", "linalg_cholesky_ex", "linalg_eigh", "linalg_slogdet", "slogdet",
           "linalg_svd", "svd", "linalg_qr", "qr", "geqrf", "linalg_lu", "linalg_lu_factor",
           "linalg_lu_factor_ex", "lu_unpack", "linalg_lstsq", "linalg_solve_ex", "linalg_inv_ex",
           "triangular_solve", "linalg_ldl_factor", "linalg_ldl_factor_ex",
           "linalg_eig", "linalg_eig_out",
           "max", "min", "sort", "topk", "kthvalue", "median", "nanmedian", "mode", "aminmax",
           "cummax", "cummin"]


def _structseq(name, fields):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        parts = ",\n".join("{}={!r}".format(f, v) for f, v in zip(self._fields, self))
        return "torch.return_types.{}(\n{})".format(name, parts)

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": __name__})
    return cls


max = _structseq("max", ("values", "indices"))
min = _structseq("min", ("values", "indices"))
sort = _structseq("sort", ("values", "indices"))
topk = _structseq("topk", ("values", "indices"))
kthvalue = _structseq("kthvalue", ("values", "indices"))
median = _structseq("median", ("values", "indices"))
nanmedian = _structseq("nanmedian", ("values", "indices"))
mode = _structseq("mode", ("values", "indices"))
aminmax = _structseq("aminmax", ("min", "max"))
cummax = _structseq("cummax", ("values", "indices"))
cummin = _structseq("cummin", ("values", "indices"))
frexp = _structseq("frexp", ("mantissa", "exponent"))
linalg_cholesky_ex = _structseq("linalg_cholesky_ex", ("L", "info"))
linalg_eigh = _structseq("linalg_eigh", ("eigenvalues", "eigenvectors"))
linalg_eig = _structseq("linalg_eig", ("eigenvalues", "eigenvectors"))
linalg_eig_out = _structseq("linalg_eig_out", ("eigenvalues", "eigenvectors"))
linalg_slogdet = _structseq("linalg_slogdet", ("sign", "logabsdet"))
slogdet = _structseq("slogdet", ("sign", "logabsdet"))
histogram = _structseq("histogram", ("hist", "bin_edges"))
# the decompositions of torch.linalg (ember/_ops/linalg)
linalg_svd = _structseq("linalg_svd", ("U", "S", "Vh"))
svd = _structseq("svd", ("U", "S", "V"))
linalg_qr = _structseq("linalg_qr", ("Q", "R"))
qr = _structseq("qr", ("Q", "R"))
geqrf = _structseq("geqrf", ("a", "tau"))
linalg_lu = _structseq("linalg_lu", ("P", "L", "U"))
linalg_lu_factor = _structseq("linalg_lu_factor", ("LU", "pivots"))
linalg_lu_factor_ex = _structseq("linalg_lu_factor_ex", ("LU", "pivots", "info"))
lu_unpack = _structseq("lu_unpack", ("P", "L", "U"))
_lu_with_info = _structseq("_lu_with_info", ("LU", "pivots", "info"))
linalg_lstsq = _structseq("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
linalg_solve_ex = _structseq("linalg_solve_ex", ("result", "info"))
linalg_inv_ex = _structseq("linalg_inv_ex", ("inverse", "info"))
triangular_solve = _structseq("triangular_solve", ("solution", "cloned_coefficient"))
linalg_ldl_factor = _structseq("linalg_ldl_factor", ("LD", "pivots"))
linalg_ldl_factor_ex = _structseq("linalg_ldl_factor_ex", ("LD", "pivots", "info"))
