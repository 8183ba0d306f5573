"""Random numbers: ``manual_seed``, ``Generator`` and the sampling functions.

ember draws from NumPy's PCG64 generator.  ``manual_seed(s)`` makes every later draw
reproducible within ember; the numbers differ from torch's (matching torch's Mersenne-Twister
stream bit for bit is not a goal), which is why the course programs check properties of random
results rather than the values.
"""
import json

import time

import numpy as np

from .. import _dtype
from .._device import check as check_device
from .common import Tensor

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "default_generator", "rand", "randn", "randint", "randperm", "normal", "bernoulli",
           "multinomial", "poisson", "rand_like", "randn_like", "randint_like"]


class Generator:
    """A source of random numbers with its own seed and state."""

    def __init__(self, device="cpu"):
        check_device(device)
        self.device = device
        self.manual_seed(67280421310721)        # torch's default seed

    def manual_seed(self, seed):
        """Restarts the stream from ``seed``; returns the generator."""
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xffff_ffff_ffff_ffff:
            raise RuntimeError("Overflow when unpacking long")
        self._seed = seed & 0xffff_ffff_ffff_ffff
        self.rng = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def seed(self):
        """Seeds from the clock and returns the new seed."""
        s = time.time_ns() & 0xffff_ffff_ffff_ffff
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor (give it back to ``set_state``)."""
        blob = json.dumps(self.rng.bit_generator.state).encode()
        return Tensor._make(np.frombuffer(blob, dtype=np.uint8).copy())

    def set_state(self, new_state):
        state = json.loads(bytes(new_state._array.astype(np.uint8)).decode())
        self.rng.bit_generator.state = state
        return self


default_generator = Generator()


def manual_seed(seed):
    """Seeds ember's default generator (NumPy's and Python's own are left alone, as in torch)."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def rng(generator=None):
    """The NumPy generator behind ``generator`` (or the default one)."""
    return (generator or default_generator).rng


def _size(size):
    if len(size) == 1 and not isinstance(size[0], (int, np.integer)):
        size = tuple(size[0])
    return tuple(int(s) for s in size)


def _float_dtype(dtype):
    d = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    if not d.is_floating_point:
        raise RuntimeError("\"check_uniform_bounds\" not implemented for '{}'".format(d.scalar_name))
    return d.numpy


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        t.requires_grad = True
    return t


def _draw(kind, shape, np_dtype, generator):
    g = rng(generator)
    if np_dtype in (np.float32, np.float64):
        draw = g.random if kind == "uniform" else g.standard_normal
        return draw(shape, dtype=np_dtype)
    draw = g.random if kind == "uniform" else g.standard_normal
    return draw(shape).astype(np_dtype)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples from [0, 1)."""
    check_device(device)
    return _finish(_draw("uniform", _size(size), _float_dtype(dtype), generator), requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Samples from the standard normal distribution N(0, 1)."""
    check_device(device)
    return _finish(_draw("normal", _size(size), _float_dtype(dtype), generator), requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    """Uniform integers from ``low`` up to (not including) ``high``; int64 by default."""
    check_device(device)
    if size is None:                      # randint(high, size)
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    if low >= high:
        raise RuntimeError("random_ expects 'from' to be less than 'to', but got from={} >= to={}"
                           .format(low, high))
    np_dtype = np.int64 if dtype is None else _dtype.to_dtype(dtype).numpy
    values = rng(generator).integers(low, high, size=tuple(size))
    return _finish(np.asarray(values).astype(np_dtype), requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """A random ordering of ``0 .. n-1``."""
    check_device(device)
    np_dtype = np.int64 if dtype is None else _dtype.to_dtype(dtype).numpy
    return _finish(rng(generator).permutation(int(n)).astype(np_dtype), requires_grad)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False):
    """Samples from N(mean, std**2); ``mean`` and ``std`` may be tensors (elementwise)."""
    g = rng(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._array if isinstance(mean, Tensor) else mean
        s = std._array if isinstance(std, Tensor) else std
        if np.any(np.asarray(s) < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        ref = mean if isinstance(mean, Tensor) else std
        out_dtype = ref._array.dtype if ref._array.dtype.kind == "f" else _float_dtype(None)
        return Tensor._make((m + s * g.standard_normal(shape)).astype(out_dtype))
    if std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std {}".format(std))
    if size is None:
        raise TypeError("normal() received an invalid combination of arguments")
    np_dtype = _float_dtype(dtype)
    sample = mean + std * _draw("normal", _size((size,)), np_dtype, generator)
    return _finish(sample.astype(np_dtype, copy=False), requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (elementwise), else 0."""
    probs = input._array if p is None else np.full(input._array.shape, p)
    if np.any((probs < 0) | (probs > 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this "
                           "error message be improved?  If so, please report an enhancement request "
                           "to PyTorch.)")
    draws = rng(generator).random(input._array.shape) < probs
    return Tensor._make(draws.astype(input._array.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices drawn with probability proportional to the weights in each row of ``input``."""
    weights = input._array.astype(np.float64)
    single = weights.ndim == 1
    rows = weights[None] if single else weights
    if np.any(rows < 0) or not np.all(np.isfinite(rows)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if np.any(rows.sum(-1) <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > rows.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if not replacement and num_samples > (rows > 0).sum(-1).min():
        raise RuntimeError("invalid multinomial distribution (with replacement=False, not enough "
                           "non-negative category to sample)")
    g = rng(generator)
    result = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for i, w in enumerate(rows):
        result[i] = g.choice(w.shape[0], size=num_samples, replace=replacement, p=w / w.sum())
    return Tensor._make(result[0] if single else result)


def poisson(input, generator=None):
    """Samples from Poisson distributions with rates ``input``."""
    return Tensor._make(rng(generator).poisson(input._array).astype(input._array.dtype))


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return rand(input._array.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return randn(input._array.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, input._array.shape, dtype=dtype or input.dtype,
                   requires_grad=requires_grad)


# ---------------------------------------------------------------- in-place sampling (Tensor methods)


def _fill_inplace(t, values):
    from .inplace import check_inplace
    check_inplace(t)
    np.copyto(t._array, values, casting="unsafe")
    t._bump_version()
    return t


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fills with uniform samples from [a, b)."""
    return _fill_inplace(self, rng(generator).uniform(a, b, self._array.shape))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills with samples from N(mean, std**2)."""
    return _fill_inplace(self, mean + std * rng(generator).standard_normal(self._array.shape))


def random_(self, from_=0, to=None, *, generator=None):
    """Fills with uniform integers from [from, to)."""
    if to is None:
        to = 2 ** 24 + 1 if self._array.dtype.kind == "f" else np.iinfo(self._array.dtype).max
    return _fill_inplace(self, rng(generator).integers(from_, to, self._array.shape))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fills with 1 with probability ``p`` (a number or a tensor), else 0."""
    probs = p._array if isinstance(p, Tensor) else p
    return _fill_inplace(self, rng(generator).random(self._array.shape) < probs)


def exponential_(self, lambd=1.0, *, generator=None):
    """Fills with samples of the exponential distribution with rate ``lambd``."""
    return _fill_inplace(self, rng(generator).exponential(1.0 / lambd, self._array.shape))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return _fill_inplace(self, rng(generator).lognormal(mean, std, self._array.shape))


def geometric_(self, p, *, generator=None):
    return _fill_inplace(self, rng(generator).geometric(p, self._array.shape))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    return _fill_inplace(self, median + sigma * rng(generator).standard_cauchy(self._array.shape))




METHODS = ("uniform_", "normal_", "random_", "bernoulli_", "exponential_", "log_normal_",
           "geometric_", "cauchy_")

FUNCTIONAL = ()
