"""Low-precision floating dtypes: ``ember.bfloat16`` and torch's four float8 types.

NumPy has no such types; the ``ml_dtypes`` package adds them (``pip install ml_dtypes``, or
``pip install 'ember[lowprec]'``).  The dtype objects exist without it, so that code naming
``torch.bfloat16`` imports; ml_dtypes is imported the first time one is *used* (a tensor is made
or cast), and a missing package is then a one-line ``ModuleNotFoundError`` saying what to install.

Promotion follows torch: bfloat16 is a float that ranks below float32, and bfloat16 with float16
gives float32 (neither holds the other).  float8 types promote only with themselves: torch has no
arithmetic for them (they exist to be stored and cast).
"""
import numpy as np

from . import _dtype

__all__ = ["bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
           "LOWPREC", "numpy_types"]

_INSTALL = ("{} needs the ml_dtypes package, which is not installed: pip install ml_dtypes "
            "(or pip install 'ember[lowprec]')")


def _ml_dtypes(name):
    """The ml_dtypes module; the install hint when it is missing."""
    try:
        import ml_dtypes
    except ImportError:
        raise ModuleNotFoundError(_INSTALL.format("torch." + name)) from None
    if _LOADED:
        return ml_dtypes
    for d in LOWPREC:                                   # first use: register the NumPy types
        array_type = np.dtype(getattr(ml_dtypes, d.name))
        _dtype.dtype.numpy.__set__(d, array_type)
        _dtype._BY_NUMPY[array_type] = d
    _LOADED.append(True)
    from . import _lowprec_math
    _lowprec_math.install(bfloat16.numpy)
    return ml_dtypes


class LowPrecisionDtype(_dtype.dtype):
    """A dtype whose NumPy type comes from ml_dtypes, looked up when first needed."""

    __slots__ = ()

    def __init__(self, name, itemsize, scalar_name):
        self.name = name
        self.category = 2
        self.is_floating_point = True
        self.is_complex = False
        self.is_signed = True
        self.itemsize = itemsize
        self._torch_type = scalar_name + "Tensor"
        self.scalar_name = scalar_name

    @property
    def numpy(self):
        """The NumPy dtype (importing ml_dtypes on first use)."""
        try:
            return _dtype.dtype.numpy.__get__(self)
        except AttributeError:
            _ml_dtypes(self.name)
            return _dtype.dtype.numpy.__get__(self)


_LOADED = []
bfloat16 = LowPrecisionDtype("bfloat16", 2, "BFloat16")
float8_e4m3fn = LowPrecisionDtype("float8_e4m3fn", 1, "Float8_e4m3fn")
float8_e5m2 = LowPrecisionDtype("float8_e5m2", 1, "Float8_e5m2")
float8_e4m3fnuz = LowPrecisionDtype("float8_e4m3fnuz", 1, "Float8_e4m3fnuz")
float8_e5m2fnuz = LowPrecisionDtype("float8_e5m2fnuz", 1, "Float8_e5m2fnuz")
LOWPREC = (bfloat16, float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz)
FLOAT8 = LOWPREC[1:]


def numpy_types():
    """The NumPy dtypes of the low-precision types (empty until ml_dtypes is loaded)."""
    return tuple(d.numpy for d in LOWPREC) if _LOADED else ()


class _Promotion(dict):
    """torch's promotion table; a float8 type met with another type is torch's RuntimeError."""

    __slots__ = ()

    def __missing__(self, pair):
        a, b = pair
        if a in FLOAT8 or b in FLOAT8:
            raise RuntimeError("Promotion for Float8 Types is not supported, attempted to "
                               "promote {} and {}".format(a.scalar_name, b.scalar_name))
        raise KeyError(pair)


def _promote_bfloat16(other):
    if other is _dtype.float16:
        return _dtype.float32
    if other.category >= 2 and other.itemsize > 2:      # float32, float64 (complex)
        return other
    return bfloat16


def _register():
    table = _Promotion(_dtype._PROMOTE)
    for other in _dtype.ALL:
        table[bfloat16, other] = table[other, bfloat16] = _promote_bfloat16(other)
    for d in LOWPREC:
        table[d, d] = d
        _dtype._BY_NAME[d.name] = d
    _dtype._PROMOTE = table
    _dtype.ALIASES["bfloat16"] = bfloat16


_register()
