"""The C library's float64 ``log``, ``cos`` and ``sin`` (the ones torch's CPU kernels call) for
whole NumPy arrays, at NumPy speed.

Why not ``np.log``: NumPy dispatches its own SIMD logarithm on processors with AVX-512 (see
``numpy.lib.introspect.opt_func_info``), which differs from the C library's in the last bit
for a few elements in a thousand, and float64 samples show it.  So ``log`` computes the
logarithm a second way, to about 60 correct bits (a double-double sum), and reads off the
correctly rounded result.  The C library's log is correctly rounded except when the exact value
lies very near the midpoint of two doubles: glibc documents an error bound of 0.519 units in the
last place (ulp), so its result is the nearest double whenever the exact value is more than
0.019 ulp from a midpoint.  Elements closer than 0.03 ulp to one (about 6 in 100) are handed to
the C library itself (``math.log``, called element by element from NumPy's loop); the others
are provably the C library's.

NumPy's float64 ``cos`` and ``sin`` give the C library's results (not one difference in
millions of angles in [0, 2 pi) on an AVX-512 machine, where ``log`` differs in 3 per 1000);
``sincos`` checks that once on a fixed set of angles and falls back to ``math.cos`` and
``math.sin``, element by element, where it finds otherwise.  The C library's sine and cosine
of angles up to 2 pi take about 30 ns each, so they, not the logarithm, now bound the speed of
float64 normal samples.
"""
import math
from decimal import Decimal, localcontext

import numpy as np

_TABLE_BITS = 11                       # 1/m to 12 fractional bits, per 1/2048 of [0.5, 1]
_SPLIT = 2.0 ** 40                     # m = high (40 bits) + low (13 bits)
_MARGIN = 0.47                         # |tail| up to 0.47 ulp: the C library rounds the same way
_tables = []


def _double_double(d):
    """A Decimal as two doubles whose sum matches it to about 106 bits."""
    hi = float(d)
    return hi, float(d - Decimal(hi))


def _make_tables():
    """For each table entry i: ``inv`` ~ 1/(i/2048) with at most 13 significant bits (so that
    m * inv is exact in two pieces), and -log(inv) as a double-double; ln 2 likewise, its high
    part short enough that e * ln2_high is exact."""
    if not _tables:
        size = 1 << _TABLE_BITS
        index = np.arange(size // 2, size + 1)
        inv = np.round(size / index * (size * 2)) / (size * 2)
        with localcontext() as ctx:
            ctx.prec = 40
            neg_logs = [_double_double(-Decimal(v).ln()) for v in inv.tolist()]
            ln2 = Decimal(2).ln()
        ln2_high = math.floor(float(ln2) * 2.0 ** 44) * 2.0 ** -44
        _tables.extend([inv, np.array([h for h, _ in neg_logs]), np.array([lo for _, lo in neg_logs]),
                        ln2_high, float(ln2 - Decimal(ln2_high))])
    return _tables


def _two_sum(a, b):
    """a + b as s + err exactly (Knuth)."""
    s = a + b
    v = s - a
    return s, (a - (s - v)) + (b - v)


def _log_double_double(x):
    """log(x) for x in (0, 1) as high + low, accurate to about 2**-60 of its size.

    x = 2**e * m (m in [0.5, 1)); m * inv = 1 + r with inv from the table (|r| < 2**-10.6, and
    r exact as a pair: m's 40 high bits times inv's 13 fit in a double); then
    log x = e ln 2 - log(inv) + log1p(r), with log1p(r) = r - r**2/2 + r**3/3 - ... (7 terms;
    the next is below 2**-77 of r)."""
    inv_table, t_high, t_low, ln2_high, ln2_low = _make_tables()
    m, e = np.frexp(x)
    e = e.astype(np.float64)
    i = np.rint(m * (1 << _TABLE_BITS)).astype(np.intp) - (1 << (_TABLE_BITS - 1))
    inv = inv_table[i]
    m_high = np.floor(m * _SPLIT) * (1 / _SPLIT)
    r, r_low = _two_sum(m_high * inv - 1.0, (m - m_high) * inv)
    poly = np.full_like(r, 1.0 / 7)
    for k in range(6, 1, -1):
        poly = poly * -r + 1.0 / k      # 1/2 - r/3 + r**2/4 - ... (Horner), times -r**2 below
    s, err1 = _two_sum(e * ln2_high, t_high[i])
    s, err2 = _two_sum(s, r)
    tail = err1 + err2 + (t_low[i] + e * ln2_low + r_low - r * (r + 2 * r_low) * poly)
    high = s + tail
    return high, tail - (high - s)


def _log_chunk(x):
    """``log`` of one chunk: the double-double's high part, and which elements are unsure."""
    high, low = _log_double_double(x)
    mantissa, _ = np.frexp(high)
    unsure = (np.abs(low) > _MARGIN * np.spacing(np.abs(high))) | (np.abs(mantissa) == 0.5)
    ones = x == 1.0
    high[ones] = 0.0
    unsure &= ~ones
    return high, unsure


# elements computed at a time: their arrays stay in the processor's cache
_CHUNK = 16384
_C_LOG = np.frompyfunc(math.log, 1, 1)         # the C library's log, called from NumPy's loop


def log(x):
    """The C library's ``log`` of each element of a float64 array of values in (0, 1]."""
    shape = np.shape(x)
    x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    out = np.empty_like(x)
    unsure = np.empty(x.shape, dtype=bool)
    for start in range(0, x.size, _CHUNK):
        part = slice(start, start + _CHUNK)
        out[part], unsure[part] = _log_chunk(x[part])
    if unsure.any():
        out[unsure] = _C_LOG(x[unsure]).astype(np.float64)
    return out.reshape(shape)


_numpy_trig = []


def _numpy_trig_is_libm():
    """Whether NumPy's float64 cos and sin give the C library's results (checked once, on
    4096 angles spread over [0, 2 pi))."""
    if not _numpy_trig:
        angles = np.linspace(0.0, 2 * math.pi, 4096, endpoint=False) + 1e-3
        same = all(np.array_equal(np_fn(angles), [fn(a) for a in angles.tolist()])
                   for np_fn, fn in ((np.cos, math.cos), (np.sin, math.sin)))
        _numpy_trig.append(same)
    return _numpy_trig[0]


def sincos(theta):
    """The C library's (sin, cos) of each element of a float64 array."""
    if _numpy_trig_is_libm():
        return np.sin(theta), np.cos(theta)
    flat = theta.reshape(-1).tolist()
    return (np.array([math.sin(a) for a in flat]).reshape(theta.shape),
            np.array([math.cos(a) for a in flat]).reshape(theta.shape))
