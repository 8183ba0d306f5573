"""``HistogramObserver``: chooses the quantization range that minimises the rounding error over a
histogram of everything seen, rather than the plain min and max (a few outliers then do not
stretch the scale for everyone else)."""
import math
import warnings

import numpy as np

from ... import _quantized as _q
from .observer import MinMaxObserver, _EPS, _tensor, _UniformObserver

__all__ = ["HistogramObserver"]

_F32 = np.float32


def _histc(x, bins, lo, hi):
    """torch.histc in float32: bin ``int((x - lo) * bins / (hi - lo))``, the top edge in the
    last bin, values outside [lo, hi] dropped."""
    x = x[(x >= lo) & (x <= hi)]
    if hi == lo:
        lo, hi = lo - _F32(1), hi + _F32(1)
    pos = ((x - lo) * _F32(bins) / (hi - lo)).astype(np.int64)
    pos[pos == bins] = bins - 1
    return np.bincount(pos, minlength=bins).astype(_F32)


class HistogramObserver(_UniformObserver):
    """Keeps a ``bins``-bin histogram of the values seen; ``calculate_qparams`` searches for the
    [min, max] whose 8-bit quantization has the smallest L2 error over that histogram, widening
    the range only while that pays (as caffe2's norm minimisation does)."""

    def __init__(self, bins=2048, dtype=_q.quint8, qscheme=_q.per_tensor_affine,
                 reduce_range=False, quant_min=None, quant_max=None, factory_kwargs=None,
                 eps=_EPS, is_dynamic=False, **kwargs):
        if qscheme.per_channel:
            raise NotImplementedError(
                "HistogramObserver's qscheme only support torch.per_tensor_symmetric "
                "and torch.per_tensor_affine.")
        if is_dynamic:
            raise NotImplementedError("HistogramObserver doesn't support dynamic quantization")
        super().__init__(dtype, qscheme, reduce_range, quant_min, quant_max, factory_kwargs,
                         eps, is_dynamic)
        self.bins = bins
        self.register_buffer("histogram", _tensor(np.zeros(bins), _F32))
        self.register_buffer("min_val", _tensor(math.inf, _F32))
        self.register_buffer("max_val", _tensor(-math.inf, _F32))
        self.dst_nbins = 2 ** (8 * dtype.itemsize)
        self.upsample_rate = 16

    extra_repr = MinMaxObserver.extra_repr

    def forward(self, x_orig):
        """Adds ``x_orig`` to the histogram, re-binning the old counts when the range grows."""
        x = x_orig._array.astype(_F32, copy=False).reshape(-1)
        if x.size == 0:
            return x_orig
        if np.isinf(x).any():
            warnings.warn("torch.inf detected in input tensor, ignoring input", stacklevel=2)
            x = x[~np.isinf(x)]
            if x.size == 0:
                return x_orig
        x_min, x_max = x.min(), x.max()
        cur_min, cur_max = self.min_val._array[()], self.max_val._array[()]
        if cur_min == math.inf or cur_max == -math.inf:
            self.min_val._array[...], self.max_val._array[...] = x_min, x_max
            self.histogram._array = _histc(x, self.bins, x_min, x_max)
            return x_orig
        new_min, new_max = min(cur_min, x_min), max(cur_max, x_max)
        update = _histc(x, self.bins, new_min, new_max)
        old = self.histogram._array
        if new_min == cur_min and new_max == cur_max:
            self.histogram._array = old + update
        else:
            self.histogram._array = update + self._rebin(old, cur_min, cur_max, new_min, new_max)
            self.min_val._array[...], self.max_val._array[...] = new_min, new_max
        return x_orig

    def _rebin(self, hist, orig_min, orig_max, new_min, new_max):
        """The old counts spread over the new range: each old bin split into
        ``upsample_rate`` pieces, each piece put where its midpoint falls."""
        if orig_min == orig_max:
            return _histc(np.array([orig_min], _F32), self.bins, new_min, new_max) * hist.sum()
        n = self.bins * self.upsample_rate
        pieces = np.repeat(hist, self.upsample_rate) / _F32(self.upsample_rate)
        size = (orig_max - orig_min) / _F32(n)
        mids = np.linspace(orig_min, orig_max, n + 1, dtype=_F32)[:-1] + _F32(0.5) * size
        edges = np.linspace(new_min, new_max, self.bins + 1, dtype=_F32)
        where = np.clip(np.searchsorted(edges, mids, side="right") - 1, 0, self.bins - 1)
        return np.bincount(where, weights=pieces, minlength=self.bins).astype(_F32)

    def _error(self, start, end):
        """The L2 error of quantizing the histogram with bins start..end as the range."""
        bin_width = (float(self.max_val._array) - float(self.min_val._array)) / self.bins
        dst_width = bin_width * (end - start + 1) / self.dst_nbins
        if dst_width == 0.0:
            return 0.0
        begin = ((np.arange(self.bins) - start) * bin_width).astype(_F32)
        stop = begin + _F32(bin_width)
        w = _F32(dst_width)
        dst_begin = np.clip(np.floor(begin / w), 0, self.dst_nbins - 1)
        dst_end = np.clip(np.floor(stop / w), 0, self.dst_nbins - 1)
        density = self.histogram._array / _F32(bin_width)

        def norm(a, b):         # density * integral of x^2 from a to b
            return density * ((b * b * b - a * a * a) / _F32(3))

        half = _F32(dst_width / 2)
        total = norm(begin - (dst_begin + _F32(0.5)) * w, half)
        total = total + (dst_end - dst_begin - 1) * norm(-half, half)
        total = total + norm(-half, stop - (dst_end * w + half))
        return float(total.astype(_F32).sum(dtype=_F32))

    def _search(self):
        """Narrows [start_bin, end_bin] from whichever side holds less of the mass, in steps of
        1e-5 of it, while the quantization error keeps falling."""
        hist = self.histogram._array
        total = float(hist.sum())
        csum = np.cumsum(hist, dtype=_F32)
        alpha, beta, start, end = 0.0, 1.0, 0, self.bins - 1
        norm_min = math.inf
        while alpha < beta:
            next_alpha, next_beta = alpha + 1e-5, beta - 1e-5
            l, r = start, end
            while l < end and csum[l] < next_alpha * total:
                l += 1
            while r > start and csum[r] > next_beta * total:
                r -= 1
            next_start, next_end = start, end
            if l - start > end - r:
                next_start, alpha = l, next_alpha
            else:
                next_end, beta = r, next_beta
            if next_start == start and next_end == end:
                continue
            err = self._error(next_start, next_end)
            if err > norm_min:
                break
            norm_min, start, end = err, next_start, next_end
        lo = self.min_val._array
        width = (self.max_val._array - lo) / _F32(self.bins)
        return lo + width * _F32(start), lo + width * _F32(end + 1)

    def calculate_qparams(self):
        if self.min_val._array == math.inf and self.max_val._array == -math.inf:
            warnings.warn("must run observer before calling calculate_qparams.", stacklevel=2)
            return _tensor([1.0], _F32), _tensor([0], np.int64)
        return self._calculate_qparams(*self._search())
