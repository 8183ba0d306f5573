"""torch's normal samples: the Box-Muller transform, in torch's two ways of filling a tensor.

Box-Muller: two uniform numbers u1, u2 give two independent N(0, 1) samples
``sqrt(-2 log(1 - u1)) * (cos 2 pi u2, sin 2 pi u2)``.

* Contiguous tensors of 16 or more elements (``fill``): torch first fills the whole tensor
  with uniform numbers, then turns each block of 16 into 16 normals (u1 from the first eight,
  u2 from the last eight; cosines go to the first half, sines to the second).  When the size
  is not a multiple of 16, 16 fresh uniform numbers recompute the last 16 elements (they
  overlap the last full block).  float32 uses torch's AVX2 kernel, whose logarithm, sine and
  cosine are Cephes polynomials evaluated in float32 with fused multiply-adds; ember evaluates
  the same polynomials in the same order, so the samples agree bit for bit.
* Smaller or non-contiguous tensors (``scalar``): one element at a time in float64; each pair
  of float64 uniform numbers gives two samples, the second of which waits in the generator for
  the next element (even of a later call).
"""
import math

import numpy as np

from . import draws, libm
from .draws import cast, fma32, fma64, uniform, uniform24

_F = np.float32
_LOG_COEFFS = tuple(_F(c) for c in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                                    -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                                    2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1))
_COS_COEFFS = tuple(_F(c) for c in (2.443315711809948E-005, -1.388731625493765E-003,
                                    4.166664568298827E-002))
_SIN_COEFFS = tuple(_F(c) for c in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1))
_PI_PARTS = tuple(_F(c) for c in (-0.78515625, -2.4187564849853515625e-4,
                                  -3.77489497744594108e-8))   # -pi/4 in three pieces


def _polynomial(coeffs, wide):
    """Horner's scheme with one fused multiply-add a step (``wide``: the float32 variable
    as float64)."""
    y = fma32(wide, coeffs[0], coeffs[1])
    for c in coeffs[2:]:
        y = fma32(y, wide, c)
    return y


def _log(x):
    """log(x) for float32 x in (0, 1]: x = m * 2**e with m in [sqrt(1/2), sqrt(2)), and
    log(1 + f) for f = m - 1 from a degree-9 polynomial (Cephes' logf)."""
    bits = x.view(np.uint32)
    e = (bits >> np.uint32(23)).astype(_F) - _F(126)
    m = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(_F)    # in [0.5, 1)
    small = (m < _F(0.707106781186547524)).astype(_F)           # 1 where m < sqrt(1/2)
    f = (m - _F(1)) + m * small
    e -= small
    z = f * f
    y = fma32(_polynomial(_LOG_COEFFS, f.astype(np.float64)) * f, z, e * _F(-2.12194440e-4))
    y -= z * _F(0.5)
    return (f + y) + e * _F(0.693359375)


def _sincos(x):
    """sin(x) and cos(x) for float32 x >= 0: x reduced by a multiple j of pi/4 (subtracted in
    three exact pieces), then one of two polynomials on [-pi/4, pi/4] (Cephes' sinf, cosf);
    bit 1 of j swaps the two, bit 2 (of j - 2 for the cosine) flips the sign bit."""
    j = (x * _F(1.27323954473516)).astype(np.int32)           # 4 / pi
    j = (j + 1) & ~1
    y = j.astype(_F)
    for part in _PI_PARTS:
        x = x + y * part
    z = x * x
    wide = z.astype(np.float64)
    cos = fma32(_polynomial(_COS_COEFFS, wide) * z, wide, z * _F(-0.5)) + _F(1)
    sin = fma32(_polynomial(_SIN_COEFFS, wide) * z, x, x)
    c, s = cos.view(np.int32), sin.view(np.int32)
    swap = (c ^ s) & -((j >> 1) & 1)                            # all bits where bit 1 is set
    s ^= swap ^ ((j & 4) << 29)
    c ^= swap ^ ((~(j - 2) & 4) << 29)
    return sin, cos


# blocks transformed at a time: their arrays stay in the processor's cache
_CHUNK = 2048


def _box_muller(u, log, sincos):
    """Normal samples from uniform numbers, 16 at a time: u1 from the first eight of a block,
    u2 from the last eight; radius * cos to the first half, radius * sin to the second."""
    u = u.reshape(-1, 2, 8)
    one, minus_two, two_pi = u.dtype.type(1), u.dtype.type(-2), u.dtype.type(2 * math.pi)
    out = np.empty_like(u)
    for start in range(0, len(u), _CHUNK):
        part, block = u[start:start + _CHUNK], out[start:start + _CHUNK]
        radius = np.sqrt(minus_two * log(one - part[:, 0]))
        sin, cos = sincos(two_pi * part[:, 1])
        np.multiply(radius, cos, out=block[:, 0])
        np.multiply(radius, sin, out=block[:, 1])
    return out.reshape(-1)


def _blocks_float32(u, mean, std):
    """float32 normal samples (torch's AVX2 kernel: Cephes' logf, sinf and cosf)."""
    out = _box_muller(u, _log, _sincos)
    return fma32(out, std, mean) if std != 1 or mean != 0 else out


def _blocks(u, mean, std):
    """float64 normal samples (torch's portable kernel), with the C library's log, cos and sin
    (the ones torch calls), vectorised in ``libm``."""
    out = _box_muller(u, libm.log, libm.sincos)
    return fma64(out, np.float64(std), np.float64(mean)) if std != 1 or mean != 0 else out


def fill(g, n, np_dtype, mean=0.0, std=1.0):
    """n normal samples as torch fills a contiguous tensor of n >= 16 elements (float16:
    uniform numbers for the whole blocks only, then float32 arithmetic, as torch does)."""
    whole = n - n % 16
    if np_dtype == np.float64:
        u = uniform(g, n, np_dtype)
        transform = _blocks
    else:
        u = uniform24(g, n if np_dtype == np.float32 else whole)
        transform = _blocks_float32
        mean, std = _F(mean), _F(std)
    out = np.empty(n, dtype=np_dtype)
    out[:whole] = transform(u[:whole], mean, std)
    if whole < n:
        tail = uniform(g, 16, np_dtype) if np_dtype == np.float64 else uniform24(g, 16)
        out[n - 16:] = transform(tail, mean, std)
    return out


def scalar(g, n, mean=0.0, std=1.0):
    """n float64 normal samples drawn one at a time (torch's ``normal_distribution``), the
    generator's waiting sample first; the last pair's second sample is left waiting."""
    first = [] if g.normal_double is None or n == 0 else [g.normal_double]
    pairs = (n - len(first) + 1) // 2
    u = uniform(g, 2 * pairs, np.dtype(np.float64)).reshape(-1, 2)
    radius = np.sqrt(-2.0 * draws.libm(math.log1p, -u[:, 1]))
    theta = 2.0 * math.pi * u[:, 0]
    both = np.stack([radius * np.cos(theta), radius * np.sin(theta)], 1)
    both = both.reshape(-1)
    values = np.concatenate([first, both]) if first else both
    if n:
        g.normal_double = float(values[n]) if values.size > n else None
    values = values[:n]
    if std != 1 or mean != 0:
        values = fma64(values, np.float64(std), np.float64(mean))
    return values


def normal(g, n, np_dtype, mean=0.0, std=1.0, contiguous=True):
    """n normal samples of ``np_dtype`` as torch's ``normal_`` draws them for a tensor of n
    elements."""
    if n >= 16 and contiguous:
        return fill(g, n, np_dtype, mean, std)
    return cast(scalar(g, n, mean, std), np_dtype)
