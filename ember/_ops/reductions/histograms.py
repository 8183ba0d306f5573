"""Counting values: ``bincount`` (how often each non-negative integer occurs), ``histc`` and
``histogram`` (how many values fall into each of equal-width bins).  Counts have no gradient."""
import numpy as np

from ... import _errors
from ... import return_types
from ..core.common import Tensor
from ..core.registry import export
from ..core.out import accepts_out


@export("torch", "Tensor")
def bincount(input, weights=None, minlength=0):
    """``out[v]`` = how many times ``v`` occurs in the 1-D non-negative integer ``input`` (or the
    sum of the ``weights`` at those places); at least ``minlength`` long."""
    x = input._array
    if x.dtype.kind not in "iu":
        raise NotImplementedError("\"bincount_cpu\" not implemented for '{}'".format(
            input.dtype.scalar_name))
    if x.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.size and x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._make(np.bincount(x, minlength=minlength).astype(np.int64))
    w = weights._array
    if w.ndim != 1 or w.shape[0] != x.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    out_dtype = np.float32 if w.dtype == np.float32 else np.float64
    return Tensor._make(np.bincount(x, weights=w.astype(np.float64),
                                    minlength=minlength).astype(out_dtype))


def _check_float(name, input):
    if input._array.dtype.kind != "f":
        raise _errors.not_implemented(name, input.dtype.scalar_name)


@export("torch", "Tensor")
@accepts_out
def histc(input, bins=100, min=0, max=0):
    """Counts of the values of ``input`` in ``bins`` equal bins over ``[min, max]`` (the data's
    own range when ``min == max``); values outside are left out."""
    _check_float("histogram_cpu", input)
    if bins <= 0:
        raise RuntimeError("torch.histc(): bins must be > 0, but got {} for dimension 0".format(
            bins))
    x = input._array.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError("torch.histc(): range of [{}, {}] is not finite".format(
            _num(lo), _num(hi)))
    counts, _ = np.histogram(x, bins=bins, range=(lo, hi))
    return Tensor._make(counts.astype(x.dtype))


def _num(v):
    return int(v) if float(v).is_integer() else v


@export("torch", "Tensor")
def histogram(input, bins=100, *, range=None, weight=None, density=False):
    """``(hist, bin_edges)``: counts (or summed ``weight``, or with ``density`` a density that
    integrates to 1) of ``input``'s values in bins given by their number or their edges."""
    _check_float("histogram_cpu", input)
    x = input._array.reshape(-1)
    w = None if weight is None else weight._array.reshape(-1)
    if isinstance(bins, Tensor):
        edges = bins._array.astype(x.dtype)
        hist, edges = np.histogram(x, bins=edges, weights=w, density=density)
    else:
        lo, hi = (float(x.min()), float(x.max())) if range is None and x.size else \
            (range or (0.0, 0.0))
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1).astype(x.dtype)
        hist, _ = np.histogram(x, bins=edges, weights=w, density=density)
    return return_types.histogram(Tensor._make(hist.astype(x.dtype)),
                                  Tensor._make(np.asarray(edges, x.dtype)))
