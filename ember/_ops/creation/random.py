"""Random numbers: ``manual_seed``, ``Generator`` and the sampling functions.

ember draws from NumPy's PCG64 generator.  ``manual_seed(s)`` makes every later draw
reproducible within ember; the numbers differ from torch's (matching torch's Mersenne-Twister
stream bit for bit is not a goal), which is why the course programs check properties of random
results rather than the values.  float32 samples are drawn as float32 directly (no float64
detour), so the same seed gives different numbers in float32 and in float64.

Sampling is not differentiable: a sample that comes from a tensor requiring grad (``normal``
with a tensor mean, ``x.normal_()`` on a non-leaf) gets a graph node whose gradient is zero,
as in torch.
"""
import math
import os
import struct
import time

import numpy as np

from ... import _dtype
from ..._device import check as check_device
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor, broadcast_shapes
from .from_data import _finish, dtype_arg, size_arg

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "default_generator", "rand", "randn", "randint", "randperm", "normal", "bernoulli",
           "multinomial", "poisson", "rand_like", "randn_like", "randint_like"]

_DEFAULT_SEED = 67280421310721             # torch's seed for a fresh Generator
_MASK64 = (1 << 64) - 1
_STATE = struct.Struct("<16s16sBIQ")       # PCG64 state, increment, cached half-word, seed


class Generator:
    """A source of random numbers with its own seed and state."""

    def __init__(self, device="cpu"):
        self.device = check_device(device)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        """Restarts the stream from ``seed`` (any 64-bit integer); returns the generator."""
        if isinstance(seed, Tensor):
            seed = seed.item()
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise RuntimeError("manual_seed expected a long, but got " + type(seed).__name__)
        seed = int(seed)
        if not -(1 << 63) <= seed <= _MASK64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed & _MASK64
        self._numpy = None                 # made on first draw: importing numpy.random is slow
        return self

    @property
    def _rng(self):
        """The NumPy generator that draws the numbers, started from the seed on first use."""
        if self._numpy is None:
            self._numpy = np.random.Generator(np.random.PCG64(self._seed))
        return self._numpy

    def seed(self):
        """Seeds from the operating system's entropy and returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little") ^ time.time_ns() & _MASK64
        self.manual_seed(s)
        return s

    def initial_seed(self):
        """The seed the stream was last started from."""
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor (give it back to ``set_state``)."""
        state = self._rng.bit_generator.state
        blob = _STATE.pack(state["state"]["state"].to_bytes(16, "little"),
                           state["state"]["inc"].to_bytes(16, "little"),
                           state["has_uint32"], state["uinteger"], self._seed)
        return Tensor._make(np.frombuffer(blob, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restores a state from ``get_state``; returns the generator."""
        if not isinstance(new_state, Tensor) or new_state._array.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state._array.size != _STATE.size:
            raise RuntimeError("Expected a CPUGeneratorImplState of size {} but found the input "
                               "RNG state size to be {}".format(_STATE.size,
                                                               new_state._array.size))
        state, inc, has, cached, seed = _STATE.unpack(new_state._array.tobytes())
        bit_generator = np.random.PCG64()
        bit_generator.state = {"bit_generator": "PCG64",
                               "state": {"state": int.from_bytes(state, "little"),
                                         "inc": int.from_bytes(inc, "little")},
                               "has_uint32": has, "uinteger": cached}
        self._numpy = np.random.Generator(bit_generator)
        self._seed = seed
        return self

    def __reduce__(self):
        return _restore, (self.get_state(),)


def _restore(state):
    return Generator().set_state(state)


default_generator = Generator()


def manual_seed(seed):
    """Seeds ember's default generator (NumPy's and Python's own are left alone, as in torch);
    returns it."""
    return default_generator.manual_seed(seed)


def seed():
    """Seeds the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The seed of the default generator."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restores the default generator's state from ``get_rng_state``."""
    default_generator.set_state(new_state)


def rng(generator=None):
    """The NumPy generator behind ``generator`` (or the default one)."""
    return (generator or default_generator)._rng


# ---------------------------------------------------------------- helpers


def _num(v):
    """A number as torch's messages print it (2, 0.5, -1)."""
    v = float(v)
    return str(int(v)) if v.is_integer() else "{:g}".format(v)


def _not_implemented(kernel, np_dtype):
    return NotImplementedError("\"{}\" not implemented for '{}'".format(
        kernel, _dtype.from_numpy(np_dtype).scalar_name))


def _floating(kernel, np_dtype):
    if np_dtype.kind != "f":
        raise _not_implemented(kernel, np_dtype)


def _uniform(g, shape, np_dtype):
    if np_dtype.itemsize >= 4:
        return g.random(shape, dtype=np_dtype)
    return g.random(shape, dtype=np.float32).astype(np_dtype)


# float32 tensors at least this big are filled by the Box-Muller transform (NumPy's ziggurat
# is quicker for a few numbers, Box-Muller on whole arrays for many)
_BOX_MULLER_MIN = 256


def _standard_normal(g, shape, np_dtype, out=None):
    """N(0, 1) samples of ``shape`` (written into ``out`` when given)."""
    if np_dtype == np.float32:
        n = out.size if out is not None else math.prod(shape)
        if n >= _BOX_MULLER_MIN:
            return _box_muller(g, n, shape, out)
    if out is not None:
        return g.standard_normal(out=out, dtype=out.dtype)
    if np_dtype.itemsize >= 4:
        return g.standard_normal(shape, dtype=np_dtype)
    return g.standard_normal(shape, dtype=np.float32).astype(np_dtype)


def _box_muller(g, n, shape, out):
    """n float32 normal samples from n uniform ones: two uniforms u, v give the two normals
    sqrt(-2 log(1 - u)) * (cos 2 pi v, sin 2 pi v)."""
    half = (n + 1) // 2
    u = g.random(2 * half, dtype=np.float32)
    radius = np.sqrt(np.float32(-2) * np.log1p(-u[:half]))
    angle = np.float32(2 * np.pi) * u[half:]
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    flat = out.reshape(-1)
    np.multiply(radius, np.cos(angle), out=flat[:half])
    np.multiply(radius[:n - half], np.sin(angle[:n - half]), out=flat[half:])
    return out


_SIZE_SIGNATURE = ("tuple of ints size, *, {}Tensor out = None, torch.dtype dtype = None, "
                   "torch.layout layout = None, torch.device device = None, bool pin_memory = "
                   "False, bool requires_grad = False")


def _size(sizes, size, fn):
    if not sizes:
        if size is None:
            raise TypeError("{}() received an invalid combination of arguments - got (), but "
                            "expected one of:\n * ({})\n * ({})\n".format(
                                fn, _SIZE_SIGNATURE.format("torch.Generator generator, "),
                                _SIZE_SIGNATURE.format("")))
        sizes = (size,)
    return size_arg(sizes, fn)


def _float_dtype(dtype, fn):
    d = dtype_arg(dtype, fn)
    return (_dtype.get_default_dtype() if d is None else d).numpy


class Sampled(Op):
    """out = a random sample drawn with the help of the inputs (means, probabilities, or the
    tensor being refilled).  Sampling is not differentiable: each input's gradient is zero."""

    @staticmethod
    def forward(ctx, *args):                 # the input arrays, then the sample
        ctx.shapes = [a.shape for a in args[:-1]]
        return args[-1]

    @staticmethod
    def backward(ctx, grad):
        return tuple(dual.zeros(shape, grad) for shape in ctx.shapes) + (None,)


# graph nodes of the samplers, named as torch names them
_NODES = {name: type(name + "Op", (Sampled,), {"node_name": name, "__doc__": Sampled.__doc__})
          for name in ("NormalBackward0", "NormalBackward1", "NormalBackward2", "NormalBackward3",
                       "UniformBackward0", "BernoulliBackward0", "BernoulliBackward1",
                       "BernoulliBackward2", "RandomBackward0", "RandomBackward1",
                       "RandomBackward2", "ExponentialBackward0", "GeometricBackward0",
                       "LogNormalBackward0", "CauchyBackward0", "PoissonBackward0")}


def _with_graph(node, sample, *inputs):
    """``sample`` as a tensor, linked to ``inputs`` by a zero-gradient node when they require
    grad."""
    if _grad_state.enabled and any(t._requires_grad for t in inputs):
        return _NODES[node].apply(*inputs, sample)
    return Tensor._make(sample)


# ---------------------------------------------------------------- sampling new tensors


def rand(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples from [0, 1)."""
    check_device(device)
    shape = _size(sizes, size, "rand")
    np_dtype = _float_dtype(dtype, "rand")
    _floating("check_uniform_bounds", np_dtype)
    return _finish(_uniform(rng(generator), shape, np_dtype), requires_grad)


def randn(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Samples from the standard normal distribution N(0, 1)."""
    check_device(device)
    shape = _size(sizes, size, "randn")
    np_dtype = _float_dtype(dtype, "randn")
    _floating("normal_kernel_cpu", np_dtype)
    return _finish(_standard_normal(rng(generator), shape, np_dtype), requires_grad)


_RANDINT_SIGNATURES = ("int high, tuple of ints size", "int low, int high, tuple of ints size")


def _randint_error(args):
    lines = "".join(" * ({}, *, {}{})\n".format(
        sig, gen, _SIZE_SIGNATURE[_SIZE_SIGNATURE.index("Tensor out"):])
        for sig in _RANDINT_SIGNATURES for gen in ("torch.Generator generator, ", ""))
    return TypeError("randint() received an invalid combination of arguments - got ({}), but "
                     "expected one of:\n{}".format(", ".join(type(a).__name__ for a in args),
                                                   lines))


def _int_bounds(low, high, np_dtype):
    """torch's range checks for integer samples of ``np_dtype`` in [low, high)."""
    from ..core.operands import C_NAMES
    if low >= high:
        raise RuntimeError("random_ expects 'from' to be less than 'to', but got from={} >= to={}"
                           .format(low, high))
    if np_dtype.kind in "iub":
        info = np.iinfo(np_dtype) if np_dtype.kind != "b" else None
        lo, hi = (0, 1) if info is None else (int(info.min), int(info.max))
        name = C_NAMES[np_dtype.name]
        if not lo <= low <= hi:
            raise RuntimeError("from is out of bounds for " + name)
        if not lo <= high - 1 <= hi:
            raise RuntimeError("to - 1 is out of bounds for " + name)


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, low=None, high=None):
    """Uniform integers from ``low`` (default 0) up to (not including) ``high``:
    ``randint(high, size)`` or ``randint(low, high, size)``; int64 unless ``dtype`` says."""
    check_device(device)
    rest = list(args)
    if size is None and rest and isinstance(rest[-1], (tuple, list)):
        size = rest.pop()
    if high is None and rest:
        high = rest.pop()
    if low is None:
        low = rest.pop() if rest else 0
    if rest or high is None or size is None:
        if size is None and len(args) == 2 and high is not None:
            raise TypeError("randint(): argument 'size' (position 2) must be tuple of ints, not "
                            + type(args[1]).__name__)
        raise _randint_error(args)
    for name, v, pos in (("low", low, 1), ("high", high, 2 if len(args) > 2 else 1)):
        if isinstance(v, float):
            raise TypeError("randint(): argument '{}' (position {}) must be int, not float".format(
                name, pos))
    shape = size_arg((size,), "randint")
    np_dtype = np.dtype(np.int64) if dtype is None else dtype_arg(dtype, "randint").numpy
    low, high = int(low), int(high)
    _int_bounds(low, high, np_dtype)
    values = rng(generator).integers(low, high, size=shape, dtype=np.int64)
    return _finish(values.astype(np_dtype, copy=False), requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random ordering of ``0 .. n-1``."""
    check_device(device)
    if isinstance(n, float) or not hasattr(n, "__index__"):
        raise TypeError("randperm(): argument 'n' (position 1) must be int, not "
                        + type(n).__name__)
    n = int(n)
    if n < 0:
        raise RuntimeError("Trying to create tensor with negative dimension {}: [{}]".format(n, n))
    np_dtype = np.dtype(np.int64) if dtype is None else dtype_arg(dtype, "randperm").numpy
    return _finish(rng(generator).permutation(n).astype(np_dtype), requires_grad)


_NORMAL_ERROR = (
    "normal() received an invalid combination of arguments - got ({}), but expected one of:\n"
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor "
    "out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = "
    "None, bool pin_memory = False, bool requires_grad = False)\n")


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False, pin_memory=False):
    """Samples from N(mean, std**2): ``mean`` and ``std`` may be tensors (one sample each,
    broadcast), or numbers with a ``size``."""
    g = rng(generator)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError(_NORMAL_ERROR.format(", ".join(
                type(v).__name__ for v in (mean, std))))
        if std < 0:
            raise RuntimeError("normal expects std >= 0.0, but found std " + _num(std))
        np_dtype = _float_dtype(dtype, "normal")
        sample = _standard_normal(g, size_arg((size,), "normal"), np_dtype)
        if std != 1:
            sample *= np_dtype.type(std)
        if mean != 0:
            sample += np_dtype.type(mean)
        return _finish(sample, requires_grad)
    np_dtype = tensors[0]._array.dtype
    for t in tensors[1:]:
        np_dtype = _dtype.promote_types(tensors[0].dtype, t.dtype).numpy
    _floating("normal_kernel_cpu", np_dtype)
    m = mean._array if isinstance(mean, Tensor) else mean
    s = std._array if isinstance(std, Tensor) else std
    if isinstance(std, Tensor):
        if np.any(s < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std " + _num(std))
    shape = broadcast_shapes(np.shape(m), np.shape(s))
    sample = (m + s * _standard_normal(g, shape, np_dtype)).astype(np_dtype, copy=False)
    node = "NormalBackward3" if len(tensors) == 2 else (
        "NormalBackward1" if isinstance(mean, Tensor) else "NormalBackward2")
    return _with_graph(node, sample, *tensors)


_P_IN = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
         "be improved?  If so, please report an enhancement request to PyTorch.)")


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (elementwise; or with probability ``p``), else 0; the
    result has input's dtype."""
    a = input._array
    if p is None:
        if a.dtype.kind != "f":
            raise _not_implemented("bernoulli_tensor_cpu_p_", a.dtype)
        if np.any((a < 0) | (a > 1)):
            raise RuntimeError(_P_IN)
        probs = a
    else:
        if not 0 <= p <= 1:
            raise RuntimeError("bernoulli_ expects p to be in [0, 1], but got p=" + _num(p))
        probs = p
    sample = (_uniform(rng(generator), a.shape, np.dtype(np.float64)) < probs).astype(a.dtype)
    return _with_graph("BernoulliBackward0", sample, input)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices drawn with probability proportional to the weights in each row of ``input``
    (without ``replacement``: each index at most once)."""
    a = input._array
    if a.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if a.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           + input.dtype.scalar_name)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > a.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    rows = a.reshape(-1, a.shape[-1]).astype(np.float64)
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(-1, keepdims=True)
    if np.any(totals <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    g = rng(generator)
    if replacement:
        # inverse CDF: each uniform number falls into one category's share of [0, 1)
        cdf = np.cumsum(rows / totals, axis=-1)
        cdf[:, -1] = 1.0
        u = g.random((rows.shape[0], num_samples))
        offset = np.arange(rows.shape[0])[:, None]
        result = np.searchsorted((cdf + offset).reshape(-1), (u + offset).reshape(-1),
                                 side="right").reshape(u.shape) - offset * rows.shape[1]
        result = np.minimum(result, rows.shape[1] - 1)
    else:
        # the k largest of p / E (E exponential) are a weighted sample without replacement
        keys = rows / g.exponential(1.0, rows.shape)
        result = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    result = result.astype(np.int64)
    return Tensor._make(result[0] if a.ndim == 1 else result)


def poisson(input, generator=None):
    """Samples from Poisson distributions with rates ``input``."""
    a = input._array
    if a.dtype.kind != "f":
        raise _not_implemented("poisson_cpu", a.dtype)
    if np.any(a < 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    sample = np.asarray(rng(generator).poisson(a)).astype(a.dtype)   # a 0-d rate gives an int
    return _with_graph("PoissonBackward0", sample, input)


def _like(input, dtype, fn):
    if not isinstance(input, Tensor):
        raise TypeError("{}(): argument 'input' (position 1) must be Tensor, not {}".format(
            fn, type(input).__name__))
    d = dtype_arg(dtype, fn)
    return input._array.shape, input._array.dtype if d is None else d.numpy


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """Uniform samples from [0, 1) with the shape (and dtype) of ``input``."""
    shape, np_dtype = _like(input, dtype, "rand_like")
    _floating("check_uniform_bounds", np_dtype)
    return _finish(_uniform(rng(generator), shape, np_dtype), requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """Standard normal samples with the shape (and dtype) of ``input``."""
    shape, np_dtype = _like(input, dtype, "randn_like")
    _floating("normal_kernel_cpu", np_dtype)
    return _finish(_standard_normal(rng(generator), shape, np_dtype), requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """Uniform integers in [low, high) with the shape (and dtype) of ``input``:
    ``randint_like(x, high)`` or ``randint_like(x, low, high)``."""
    shape, np_dtype = _like(input, dtype, "randint_like")
    if high is None:
        low, high = 0, low
    low, high = int(low), int(high)
    _int_bounds(low, high, np_dtype)
    values = rng(generator).integers(low, high, size=shape, dtype=np.int64)
    return _finish(values.astype(np_dtype), requires_grad)


# ---------------------------------------------------------------- refilling a tensor in place


def _writable(self):
    """torch checks that a tensor may be changed in place before it checks the arguments."""
    if _grad_state.enabled and self._requires_grad:
        from ..indexing.writing import check_leaf
        check_leaf(self, self._base is not None)
    return self._array


def _refill(self, node, draw):
    """Overwrites ``self`` with ``draw(out)``'s sample: straight into the memory when nothing
    is recorded (``draw`` writes into ``out`` when it can and returns the sample), else through
    a zero-gradient node (``self`` then has that node as its grad_fn)."""
    from ..indexing.writing import update_inplace
    array = self._array
    if _grad_state.enabled and self._requires_grad:
        sample = draw(None).astype(array.dtype, copy=False)
        return update_inplace(self, lambda old: _NODES[node].apply(old, sample))
    if not array.flags.writeable:
        from ..elementwise.inplace import _SHARED_MEMORY
        raise RuntimeError(_SHARED_MEMORY)
    fast = array.flags.c_contiguous and array.dtype.kind == "f" and array.itemsize >= 4
    sample = draw(array if fast else None)
    if sample is not array:
        np.copyto(array, sample, casting="unsafe")
    self._bump_version()
    return self


def _fill_uniform(g, shape, np_dtype, out):
    if out is not None:
        return g.random(out=out, dtype=out.dtype)
    return _uniform(g, shape, np_dtype if np_dtype.kind == "f" else np.dtype(np.float64))


def _fill_normal(g, shape, np_dtype, out):
    if out is not None:
        return _standard_normal(g, shape, out.dtype, out)
    return _standard_normal(g, shape, np_dtype if np_dtype.kind == "f" else np.dtype(np.float64))


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
    g = rng(generator)

    def draw(out):
        sample = _fill_uniform(g, a.shape, a.dtype, out)
        if from_ != 0 or to != 1:
            sample *= sample.dtype.type(to - from_)
            sample += sample.dtype.type(from_)
        return sample
    return _refill(self, "UniformBackward0", draw)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills with samples from N(mean, std**2)."""
    a = _writable(self)
    if std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std " + _num(std))
    _floating("normal_kernel_cpu", a.dtype)
    g = rng(generator)

    def draw(out):
        sample = _fill_normal(g, a.shape, a.dtype, out)
        if std != 1:
            sample *= sample.dtype.type(std)
        if mean != 0:
            sample += sample.dtype.type(mean)
        return sample
    return _refill(self, "NormalBackward0", draw)


def random_(self, from_=None, to=None, *, generator=None):
    """Fills with uniform integers: from [from_, to), or [0, from_) given one number, or over
    the whole range the dtype holds exactly given none."""
    a = _writable(self)
    if from_ is not None:
        low, high = (0, from_) if to is None else (from_, to)
        node = "RandomBackward1" if to is None else "RandomBackward0"
        _int_bounds(int(low), int(high), a.dtype)
    else:
        node = "RandomBackward2"
        low = 0
        if a.dtype.kind == "f":
            high = 2 ** np.finfo(a.dtype).nmant + 1
        elif a.dtype.kind == "b":
            high = 2
        else:
            high = int(np.iinfo(a.dtype).max) + 1
    g = rng(generator)
    return _refill(self, node, lambda out: g.integers(int(low), int(high), size=a.shape,
                                                      dtype=np.int64))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fills with 1 with probability ``p`` (a number, or a tensor of probabilities), else 0."""
    a = _writable(self)
    if isinstance(p, Tensor):
        probs = p._array
        if np.any((probs < 0) | (probs > 1)):
            raise RuntimeError(_P_IN)
        node = "BernoulliBackward1"
    else:
        if not 0 <= p <= 1:
            raise RuntimeError("bernoulli_ expects p to be in [0, 1], but got p=" + _num(p))
        probs, node = p, "BernoulliBackward2"
    g = rng(generator)
    return _refill(self, node, lambda out: _uniform(g, a.shape, np.dtype(np.float64)) < probs)


def _continuous(name, np_dtype):
    if np_dtype.kind != "f":
        from ..core.operands import C_NAMES
        type_name = C_NAMES[np_dtype.name] if name == "Cauchy" else \
            _dtype.from_numpy(np_dtype).scalar_name
        raise RuntimeError("{} distribution is a continuous probability distribution. dtype "
                           "must be a floating point but you specified {}".format(name, type_name))


def exponential_(self, lambd=1.0, *, generator=None):
    """Fills with samples of the exponential distribution with rate ``lambd``."""
    a = _writable(self)
    if not lambd > 0:
        raise RuntimeError("exponential_ expects lambda > 0.0, but found lambda=" + _num(lambd))
    _continuous("Exponential", a.dtype)
    g = rng(generator)

    def draw(out):
        if out is not None:
            return g.standard_exponential(out=out, dtype=out.dtype) / out.dtype.type(lambd) \
                if lambd != 1 else g.standard_exponential(out=out, dtype=out.dtype)
        return g.standard_exponential(a.shape) / lambd
    return _refill(self, "ExponentialBackward0", draw)


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fills with samples whose logarithm is N(mean, std**2)."""
    a = _writable(self)
    if not std > 0:
        raise RuntimeError("log_normal_ expects std > 0.0, but found std=" + _num(std))
    _floating("log_normal_cpu", a.dtype)
    g = rng(generator)
    return _refill(self, "LogNormalBackward0", lambda out: g.lognormal(mean, std, a.shape))


def geometric_(self, p, *, generator=None):
    """Fills with the number of Bernoulli(p) trials up to and including the first success."""
    a = _writable(self)
    if not 0 < p < 1:
        raise RuntimeError("geometric_ expects p to be in (0, 1), but got p=" + _num(p))
    if a.dtype.kind == "b":
        raise _not_implemented("geometric_cpu", a.dtype)
    g = rng(generator)
    return _refill(self, "GeometricBackward0", lambda out: g.geometric(p, a.shape))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fills with samples of the Cauchy distribution around ``median`` with scale ``sigma``."""
    a = _writable(self)
    if not sigma > 0:
        raise RuntimeError("cauchy_ expects sigma > 0.0, but found sigma=" + _num(sigma))
    _continuous("Cauchy", a.dtype)
    g = rng(generator)
    return _refill(self, "CauchyBackward0",
                   lambda out: median + sigma * g.standard_cauchy(a.shape))


METHODS = ("uniform_", "normal_", "random_", "bernoulli_", "exponential_", "log_normal_",
           "geometric_", "cauchy_", "bernoulli", "multinomial")

FUNCTIONAL = ()
