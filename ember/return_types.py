"""The named tuples torch returns from ``max(dim)``, ``sort``, ``topk`` ...: ``values, indices``.

They print as ``torch.return_types.max(\\nvalues=tensor(...),\\nindices=tensor(...))``.
"""
import collections

__all__ = ["frexp", "linalg_cholesky_ex", "linalg_eigh", "linalg_slogdet", "slogdet", "max",
           "min", "sort", "topk", "kthvalue", "median", "nanmedian", "mode", "aminmax",
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
linalg_slogdet = _structseq("linalg_slogdet", ("sign", "logabsdet"))
slogdet = _structseq("slogdet", ("sign", "logabsdet"))
