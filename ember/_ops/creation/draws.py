"""torch's ways of turning the generator's 32-bit words into samples (its CPU kernels).

Every function takes a :class:`Generator` and a count ``n`` and returns a flat NumPy array of
``n`` samples, in the order torch fills a tensor (its elements in memory order), consuming
exactly the words torch consumes, so that the generator is left where torch leaves it:

* a float32 (and float16) uniform number takes one word and keeps its low 24 bits:
  ``(w & 0xFFFFFF) * 2**-24``; a float64 one takes two words and keeps 53 bits;
* integers are a word modulo the range (two words when the range needs 64 bits);
* the other continuous distributions (exponential, Cauchy, geometric) invert the distribution
  function at a float64 uniform number.

The arithmetic follows torch's rounding: torch computes ``u * (to - from) + from`` with one
fused multiply-add, emulated here in a wider type (the product of two float32 numbers is exact
in float64).  Normal samples live in ``normal.py``.
"""
import math

import numpy as np


def uniform24(g, n):
    """n float32 numbers in [0, 1) from one word each (the low 24 bits)."""
    low = g.words32(n)
    low &= np.uint32(0xFFFFFF)
    u = low.view(np.int32).astype(np.float32)
    u *= np.float32(2.0 ** -24)
    return u


def uniform53(g, n):
    """n float64 numbers in [0, 1) from two words each (the low 53 bits of the 64)."""
    words = g.words32(2 * n).reshape(n, 2)          # (high, low) halves of each 64-bit word
    u = (words[:, 0] & np.uint32(0x1FFFFF)).astype(np.float64)
    u *= 2.0 ** 32
    u += words[:, 1]
    u *= 2.0 ** -53
    return u


def uniform(g, n, np_dtype, low=0.0, high=1.0):
    """torch's ``uniform_(low, high)``: ``u * (high - low) + low`` in float32 (float16 too, then
    rounded) or float64; a result that rounds up to ``high`` becomes ``low``."""
    if np_dtype == np.float64:
        u = uniform53(g, n)
        if low == 0 and high == 1:
            return u
        sample = fma64(u, high - low, low)
        sample[sample >= high] = low
        return sample
    u = uniform24(g, n)
    if low == 0 and high == 1 and np_dtype == np.float32:
        return u
    lo, hi = np.float32(low), np.float32(high)
    sample = fma32(u, hi - lo, lo).astype(np_dtype, copy=False)
    sample[sample >= np_dtype.type(high)] = np_dtype.type(low)
    return sample


def fma32(a, b, c):
    """``a * b + c`` for float32 numbers, rounded once as a fused multiply-add does: the
    product is exact in float64, and the sum rounds to float32 as the fused operation would
    (except in double-rounding ties, which are vanishingly rare)."""
    t = np.array(a, dtype=np.float64)
    t *= b
    t += c
    return t.astype(np.float32)


def _split(a):
    """Veltkamp's split of float64 numbers into a high and a low half of 26 bits each."""
    t = a * 134217729.0                    # 2**27 + 1
    high = t - (t - a)
    return high, a - high


def fma64(a, b, c):
    """``a * b + c`` for float64 numbers, rounded (almost always) once: the product is split
    exactly into p + e (Dekker), p + c exactly into s + t (Knuth), and the result is
    s + (t + e)."""
    p = a * b
    a1, a2 = _split(a)
    b1, b2 = _split(np.float64(b))
    e = ((a1 * b1 - p) + a1 * b2 + a2 * b1) + a2 * b2
    s = p + c
    v = s - p
    t = (p - (s - v)) + (c - v)
    return s + (t + e)


def integers(g, n, np_dtype, span, base):
    """torch's ``random_(from, to)``: ``word % span + base`` (span = to - from), with 64-bit
    words from a span of 2**28 on (where a 32-bit word's modulo would be visibly biased)."""
    words = g.words64(n) if span >= 1 << 28 else g.words32(n)
    values = (words % np.uint64(span) + np.uint64(base % (1 << 64))).view(np.int64)
    return values.astype(np_dtype, copy=False)


def full_range(g, n, np_dtype):
    """torch's ``random_()`` without bounds: every integer the dtype holds exactly, from 0
    (bool: the lowest bit; float: 0 .. 2**mantissa bits)."""
    if np_dtype == np.bool_:
        return (g.words32(n) & np.uint64(1)).astype(np.bool_)
    wide = np_dtype in (np.int64, np.float64)
    words = g.words64(n) if wide else g.words32(n)
    if np_dtype.kind == "f":
        span = (1 << (np.finfo(np_dtype).nmant + 1)) + 1
    else:
        span = int(np.iinfo(np_dtype).max) + 1
    return (words % np.uint64(span)).astype(np_dtype)


def full_64_bits(g, n, np_dtype):
    """``random_(-2**63, None)``: all 64 bits of a 64-bit word, as int64."""
    return g.words64(n).view(np.int64).astype(np_dtype, copy=False)


def bernoulli(g, n, p):
    """1.0 with probability ``p`` (a number, or an array of n probabilities): a float64
    uniform number below ``p`` (float32 probabilities compare a float32 uniform number)."""
    if isinstance(p, np.ndarray) and p.dtype != np.float64:
        return uniform24(g, n) < p.astype(np.float32, copy=False)
    return uniform53(g, n) < p


def cast(values, np_dtype):
    """float64 samples converted to ``np_dtype`` as torch converts them: to float16 through
    float32 (two roundings, which now and then differ from one)."""
    if np_dtype == np.float16 and values.dtype == np.float64:
        values = values.astype(np.float32)
    return values.astype(np_dtype, copy=False)


def libm(fn, x):
    """``fn`` (a ``math`` function: the C library's, which torch calls) of each element of a
    float64 array.  NumPy's vectorised log, sin ... differ from it in the last bit now and
    then, which shows in float64 results (float32 ones round it away)."""
    return np.array([fn(v) for v in x.reshape(-1).tolist()]).reshape(x.shape)


def exponential(g, n, lambd, exact=False):
    """Exponential samples with rate ``lambd``: ``-1/lambd * log(1 - u)`` (``exact``: with the
    C library's log1p, for float64 results)."""
    u = uniform53(g, n)
    return -1.0 / lambd * (libm(math.log1p, -u) if exact else np.log1p(-u))


def geometric(g, n, p):
    """The trial of the first success: ``ceil(log(u) / log(1 - p))``."""
    return np.ceil(np.log(uniform53(g, n)) / np.log1p(-p))


def cauchy(g, n, median, sigma, exact=False):
    """Cauchy samples: ``median + sigma * tan(pi * (u - 1/2))`` (``exact``: with the C
    library's tan, for float64 results)."""
    angle = np.pi * (uniform53(g, n) - 0.5)
    return median + sigma * (libm(math.tan, angle) if exact else np.tan(angle))


def permutation(g, n):
    """torch's ``randperm(n)``: Fisher-Yates from the front, swapping element i with element
    i + (word % (n - i)); for n of 2**32 / 20 or more the inside-out variant with 64-bit
    words (torch's choice, so that the modulo stays unbiased)."""
    if n < (1 << 32) // 20:
        offsets = (g.words32(max(n - 1, 0)) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        perm = list(range(n))
        for i, z in enumerate(offsets):
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64)
    picks = (g.words64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
    perm = [0] * n
    for i, z in enumerate(picks):
        perm[i] = perm[z]
        perm[z] = i
    return np.array(perm, dtype=np.int64)


def poisson(g, rates):
    """torch's Poisson sampler, one rate after the other (the number of uniform numbers each
    takes depends on the draws): below 10, multiply uniform numbers until the product falls to
    exp(-rate); from 10 on, Hoermann's transformed rejection (PTRS)."""
    def u():
        return float(uniform53(g, 1)[0])
    out = []
    for lam in rates.tolist():
        if lam == 0:
            out.append(0)
        elif lam < 10:
            count, prod, limit = 0, 1.0, math.exp(-lam)
            while True:
                prod *= u()
                if prod <= limit:
                    break
                count += 1
            out.append(count)
        else:
            out.append(_ptrs(u, lam))
    return np.array(out, dtype=np.float64)


def _ptrs(u, lam):
    """One Poisson sample by transformed rejection (Hoermann 1993), for rate >= 10."""
    slam, loglam = math.sqrt(lam), math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        us = u() - 0.5
        v = u()
        half = 0.5 - abs(us)
        k = math.floor((2 * a / half + b) * us + lam + 0.43)
        if half >= 0.07 and v <= vr:
            return k
        if k < 0 or (half < 0.013 and v > half):
            continue
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (half * half) + b)
                <= -lam + k * loglam - math.lgamma(k + 1)):
            return k
