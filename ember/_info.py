"""``finfo`` and ``iinfo``: the numerical limits of a floating-point or an integer dtype
(``finfo(float32).eps`` is the gap between 1 and the next float32), read from NumPy."""
import numpy as np

from . import _dtype


def _check(kind, dtype, wanted, other):
    if not isinstance(dtype, _dtype.dtype):
        raise TypeError("{}(): argument 'type' (position 1) must be torch.dtype, not {}".format(
            kind, type(dtype).__name__))
    if dtype is _dtype.bool_ and kind == "iinfo":
        raise TypeError("torch.bool is not supported by torch.iinfo")
    if (dtype.category == 2) != (wanted == 2):
        raise TypeError("torch.{}() requires {} input type. Use torch.{} to handle 'torch.{}'"
                        .format(kind, "a floating point" if wanted == 2 else "an integer", other,
                                kind))


class finfo:
    """Limits of a floating-point dtype: ``bits``, ``eps``, ``max``, ``min``, ``tiny`` (=
    ``smallest_normal``), ``resolution`` (10 ** -digits) and ``dtype`` (its name)."""

    def __init__(self, type=None):
        dtype = _dtype.get_default_dtype() if type is None else type
        _check("finfo", dtype, 2, "iinfo")
        info = np.finfo(dtype.numpy)
        self.bits = info.bits
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.nmant * 0.3010299956639812)    # digits: nmant log10(2)
        self.dtype = dtype.name

    def __repr__(self):
        return ("finfo(resolution={:g}, min={:g}, max={:g}, eps={:g}, smallest_normal={:g}, "
                "tiny={:g}, dtype={})".format(self.resolution, self.min, self.max, self.eps,
                                              self.smallest_normal, self.tiny, self.dtype))


class iinfo:
    """Limits of an integer dtype: ``bits``, ``max``, ``min`` and ``dtype`` (its name)."""

    def __init__(self, type):
        _check("iinfo", type, 1, "finfo")
        info = np.iinfo(type.numpy)
        self.bits, self.max, self.min, self.dtype = info.bits, int(info.max), int(info.min), \
            type.name

    def __repr__(self):
        return "iinfo(min={:g}, max={:g}, dtype={})".format(self.min, self.max, self.dtype)
