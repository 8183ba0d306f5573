"""Refilling a tensor in place with random samples: ``uniform_``, ``normal_``, ``random_``,
``bernoulli_``, ``exponential_``, ``log_normal_``, ``geometric_``, ``cauchy_``.

Each draws exactly what torch's CPU kernel draws for the tensor (``draws.py``, ``normal.py``),
visiting the elements in memory order as torch does, so a transposed view gets the numbers
torch gives it.  Refilling is not differentiable: when the tensor is part of a graph it gets a
zero-gradient node, as in torch.
"""
import math

import numpy as np

from ... import _dtype
from ...autograd.grad_mode import state as _grad_state
from ..core.common import Tensor
from ..core.registry import export
from . import draws
from .mt19937 import generator_or_default
from .normal import normal, scalar
from .random import (_NODES, _P_IN, _floating, _int_bounds, _not_implemented, _num,
                     from_memory_order, memory_order)


def _writable(self):
    """torch checks that a tensor may be changed in place before it checks the arguments."""
    if _grad_state().enabled and self._requires_grad:
        from ..indexing.writing import check_leaf
        check_leaf(self, self._base is not None)
    return self._array


def _refill(self, node, draw):
    """Overwrites ``self`` with ``draw()``'s flat sample, which lists the values in the order
    torch visits the elements (memory order): straight into the memory when nothing is
    recorded, else through a zero-gradient node (``self`` then has that node as its
    grad_fn)."""
    from ..indexing.writing import update_inplace
    array = self._array
    if _grad_state().enabled and self._requires_grad:
        sample = from_memory_order(draws.cast(draw(), array.dtype), array)
        return update_inplace(self, lambda old: _NODES[node].apply(old, sample))
    if not array.flags.writeable:
        from ..core.inplace import SHARED_MEMORY
        raise RuntimeError(SHARED_MEMORY)
    np.copyto(array, from_memory_order(draws.cast(draw(), array.dtype), array), casting="unsafe")
    self._bump_version()
    return self


@export("Tensor")
def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Fills with uniform samples from [from_, to)."""
    from ..core.operands import C_NAMES
    a = _writable(self)
    _floating("check_uniform_bounds", a.dtype)
    for name, v in (("from", from_), ("to", to)):
        if not np.isfinite(v) or abs(v) > np.finfo(a.dtype).max:
            raise RuntimeError("{} is out of bounds for {}".format(name, C_NAMES[a.dtype.name]))
    if from_ > to:
        raise RuntimeError("uniform_ expects to return a [from, to) range, but found from={} > "
                           "to={}".format(_num(from_), _num(to)))
    g = generator_or_default(generator)
    return _refill(self, "UniformBackward0",
                   lambda: draws.uniform(g, a.size, a.dtype, from_, to))


@export("Tensor")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills with samples from N(mean, std**2)."""
    a = _writable(self)
    if std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std " + _num(std))
    _floating("normal_kernel_cpu", a.dtype)
    g = generator_or_default(generator)
    contiguous = a.flags.c_contiguous
    return _refill(self, "NormalBackward0",
                   lambda: normal(g, a.size, a.dtype, mean, std, contiguous))


_OMITTED = object()                        # random_(to) against random_(from, None)


@export("Tensor")
def random_(self, from_=None, to=_OMITTED, *, generator=None):
    """Fills with uniform integers: ``random_(from, to)`` from [from, to), ``random_(to)`` from
    [0, to), ``random_(from, None)`` from ``from`` up to the largest integer the dtype holds
    exactly, ``random_()`` from 0 up to it."""
    a = _writable(self)
    g = generator_or_default(generator)
    if from_ is None:
        return _refill(self, "RandomBackward2", lambda: draws.full_range(g, a.size, a.dtype))
    if to is _OMITTED:
        low, high, node = 0, int(from_), "RandomBackward1"
    else:
        low, node = int(from_), "RandomBackward0"
        if to is None:
            _int_bounds(low, low + 1, a.dtype)         # torch checks ``from`` first
        high = _largest(a.dtype) + 1 if to is None else int(to)
        if to is None and low == -(1 << 63) and a.dtype in (np.int64, np.float32, np.float64):
            return _refill(self, node, lambda: draws.full_64_bits(g, a.size, a.dtype))
    _int_bounds(low, high, a.dtype)
    return _refill(self, node, lambda: draws.integers(g, a.size, a.dtype, high - low, low))


def _largest(np_dtype):
    """The largest integer of ``np_dtype`` below which every integer is exact."""
    if np_dtype.kind == "f":
        return 1 << (np.finfo(np_dtype).nmant + 1)
    return 1 if np_dtype.kind == "b" else int(np.iinfo(np_dtype).max)


@export("Tensor")
def bernoulli_(self, p=0.5, *, generator=None):
    """Fills with 1 with probability ``p`` (a number, or a tensor of probabilities), else 0."""
    a = _writable(self)
    if isinstance(p, Tensor):
        probs = p._array
        if np.any((probs < 0) | (probs > 1)):
            raise RuntimeError(_P_IN)
        probs = memory_order(np.broadcast_to(probs, a.shape), a).reshape(-1)
        node = "BernoulliBackward1"
    else:
        if not 0 <= p <= 1:
            raise RuntimeError("bernoulli_ expects p to be in [0, 1], but got p=" + _num(p))
        probs, node = p, "BernoulliBackward2"
    g = generator_or_default(generator)
    return _refill(self, node, lambda: draws.bernoulli(g, a.size, probs))


def _continuous(name, np_dtype):
    if np_dtype.kind != "f":
        from ..core.operands import C_NAMES
        type_name = C_NAMES[np_dtype.name] if name == "Cauchy" else \
            _dtype.from_numpy(np_dtype).scalar_name
        raise RuntimeError("{} distribution is a continuous probability distribution. dtype "
                           "must be a floating point but you specified {}".format(name, type_name))


@export("Tensor")
def exponential_(self, lambd=1.0, *, generator=None):
    """Fills with samples of the exponential distribution with rate ``lambd``."""
    a = _writable(self)
    if not lambd > 0:
        raise RuntimeError("exponential_ expects lambda > 0.0, but found lambda=" + _num(lambd))
    _continuous("Exponential", a.dtype)
    g, exact = generator_or_default(generator), a.dtype == np.float64
    return _refill(self, "ExponentialBackward0", lambda: draws.exponential(g, a.size, lambd, exact))


@export("Tensor")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fills with samples whose logarithm is N(mean, std**2)."""
    a = _writable(self)
    if not std > 0:
        raise RuntimeError("log_normal_ expects std > 0.0, but found std=" + _num(std))
    _floating("log_normal_cpu", a.dtype)
    g, exact = generator_or_default(generator), a.dtype == np.float64
    return _refill(self, "LogNormalBackward0", lambda: _exp(scalar(g, a.size, mean, std), exact))


@export("Tensor")
def geometric_(self, p, *, generator=None):
    """Fills with the number of Bernoulli(p) trials up to and including the first success."""
    a = _writable(self)
    if not 0 < p < 1:
        raise RuntimeError("geometric_ expects p to be in (0, 1), but got p=" + _num(p))
    if a.dtype.kind == "b":
        raise _not_implemented("geometric_cpu", a.dtype)
    g = generator_or_default(generator)
    return _refill(self, "GeometricBackward0", lambda: draws.geometric(g, a.size, p))


@export("Tensor")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fills with samples of the Cauchy distribution around ``median`` with scale ``sigma``."""
    a = _writable(self)
    if not sigma > 0:
        raise RuntimeError("cauchy_ expects sigma > 0.0, but found sigma=" + _num(sigma))
    _continuous("Cauchy", a.dtype)
    g, exact = generator_or_default(generator), a.dtype == np.float64
    return _refill(self, "CauchyBackward0", lambda: draws.cauchy(g, a.size, median, sigma, exact))




def _exp(x, exact):
    """e**x, with the C library's exp for float64 results."""
    return draws.libm(math.exp, x) if exact else np.exp(x)
