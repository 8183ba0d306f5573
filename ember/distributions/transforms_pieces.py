"""Transforms applied piece by piece along one dimension: ``CatTransform`` (transform i on
the i-th block of ``lengths[i]`` slices, results concatenated) and ``StackTransform``
(transform i on the i-th slice, results stacked); the matching constraints are
``constraints.cat`` and ``constraints.stack``."""
import ember

from . import constraints
from .independent import _sum_rightmost
from .transform_base import Transform
from .utils import lazy_property

__all__ = ["CatTransform", "StackTransform"]


def _check_transforms(tseq):
    if not all(isinstance(t, Transform) for t in tseq):
        raise AssertionError("All elements of tseq must be Transform instances")


def _check_dim(dim, z, name="tensor"):
    if not -z.dim() <= dim < z.dim():
        raise AssertionError("dim {} out of range for {} with {} dimensions".format(
            dim, name, z.dim()))


class CatTransform(Transform):
    def __init__(self, tseq, dim=0, lengths=None, cache_size=0):
        _check_transforms(tseq)
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms = list(tseq)
        self.lengths = list([1] * len(self.transforms) if lengths is None else lengths)
        if len(self.lengths) != len(self.transforms):
            raise AssertionError("lengths ({}) must match transforms ({})".format(
                len(self.lengths), len(self.transforms)))
        self.dim = dim

    @lazy_property
    def event_dim(self):
        return max(t.event_dim for t in self.transforms)

    @lazy_property
    def length(self):
        return sum(self.lengths)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _check(self, z, name, label="tensor"):
        _check_dim(self.dim, z, label)
        if z.size(self.dim) != self.length:
            raise AssertionError("{}.size({}) = {} must equal length {}".format(
                name, self.dim, z.size(self.dim), self.length))

    def _blocks(self, z):
        start = 0
        for length in self.lengths:
            yield z.narrow(self.dim, start, length)
            start += length

    def _call(self, x):
        self._check(x, "x")
        return ember.cat([t(b) for t, b in zip(self.transforms, self._blocks(x))], dim=self.dim)

    def _inverse(self, y):
        self._check(y, "y")
        return ember.cat([t.inv(b) for t, b in zip(self.transforms, self._blocks(y))],
                         dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        self._check(x, "x", "x")
        self._check(y, "y", "y")
        terms = []
        for t, xb, yb in zip(self.transforms, self._blocks(x), self._blocks(y)):
            term = t.log_abs_det_jacobian(xb, yb)
            if t.event_dim < self.event_dim:
                term = _sum_rightmost(term, self.event_dim - t.event_dim)
            terms.append(term)
        dim = (self.dim - x.dim() if self.dim >= 0 else self.dim) + self.event_dim
        return ember.cat(terms, dim=dim) if dim < 0 else sum(terms)

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)

    @constraints.dependent_property
    def domain(self):
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @constraints.dependent_property
    def codomain(self):
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)


class StackTransform(Transform):
    def __init__(self, tseq, dim=0, cache_size=0):
        _check_transforms(tseq)
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms = list(tseq)
        self.dim = dim

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return StackTransform(self.transforms, self.dim, cache_size)

    def _slices(self, z, name, label="tensor"):
        _check_dim(self.dim, z, label)
        if z.size(self.dim) != len(self.transforms):
            raise AssertionError("{}.size({}) = {} must equal len(transforms) {}".format(
                name, self.dim, z.size(self.dim), len(self.transforms)))
        return [z.select(self.dim, i) for i in range(z.size(self.dim))]

    def _call(self, x):
        return ember.stack([t(s) for s, t in zip(self._slices(x, "x"), self.transforms)],
                           dim=self.dim)

    def _inverse(self, y):
        return ember.stack([t.inv(s) for s, t in zip(self._slices(y, "y"), self.transforms)],
                           dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        xs, ys = self._slices(x, "x", "x"), self._slices(y, "y", "y")
        return ember.stack([t.log_abs_det_jacobian(a, b)
                            for a, b, t in zip(xs, ys, self.transforms)], dim=self.dim)

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)

    @constraints.dependent_property
    def domain(self):
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @constraints.dependent_property
    def codomain(self):
        return constraints.stack([t.codomain for t in self.transforms], self.dim)
