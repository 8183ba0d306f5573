"""Sampling new tensors: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``,
``bernoulli``, ``multinomial`` and the ``*_like`` forms.

The numbers are torch's: the generator is torch's Mersenne Twister (``mt19937.py``) and the
samples are made from its words as torch's CPU kernels make them (``draws.py``, ``normal.py``),
so ``manual_seed(s)`` followed by the same calls gives the values torch gives, in every dtype.

Sampling is not differentiable: a sample that comes from a tensor requiring grad (``normal``
with a tensor mean, ``x.normal_()`` on a non-leaf) gets a graph node whose gradient is zero,
as in torch.
"""
import numpy as np

from ... import _errors
from ... import _dtype
from ..._device import check as check_device
from ...autograd.op import Op
from ...autograd.grad_mode import state as _grad_state
from ..core import dual
from ..core.common import Tensor, broadcast_shapes
from ..core.registry import export
from . import draws
from .from_data import _finish, dtype_arg, size_arg
from .mt19937 import generator_or_default
from .normal import normal as _normal


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


def _uniform(generator, shape, np_dtype):
    """Uniform samples from [0, 1) of ``shape``, drawn as torch's ``uniform_``."""
    g = generator_or_default(generator)
    return draws.uniform(g, _count(shape), np_dtype).reshape(shape)


def _standard_normal(generator, shape, np_dtype):
    """N(0, 1) samples of ``shape``, drawn as torch's ``normal_`` fills a new tensor."""
    g = generator_or_default(generator)
    return _normal(g, _count(shape), np_dtype).reshape(shape)


def memory_order(values, like):
    """``values`` (of ``like``'s shape) with its axes in the order of ``like``'s strides, the
    largest first: its C order is the order in which torch visits ``like``'s elements."""
    axes = _stride_order(like)
    return values if axes is None else values.transpose(axes)


def from_memory_order(flat, like):
    """The inverse: an array of ``like``'s shape whose elements, visited in ``like``'s memory
    order, are ``flat``."""
    axes = _stride_order(like)
    if axes is None:
        return flat.reshape(like.shape)
    permuted = flat.reshape([like.shape[i] for i in axes])
    return permuted.transpose(np.argsort(axes))


def _stride_order(a):
    """The axes of ``a`` sorted by decreasing stride, or None when that is their order (or
    when elements overlap, as in an expanded array: torch's result is then contiguous)."""
    if a.flags.c_contiguous or a.ndim < 2 or any(
            st == 0 and n > 1 for st, n in zip(a.strides, a.shape)):
        return None
    axes = sorted(range(a.ndim), key=lambda i: -abs(a.strides[i]))
    return None if axes == list(range(a.ndim)) else axes


def _count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


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


def _parts(np_dtype):
    """The dtype of a complex dtype's real and imaginary parts."""
    return np.empty(0, np_dtype).real.dtype


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
    if _grad_state().enabled and any(t._requires_grad for t in inputs):
        return _NODES[node].apply(*inputs, sample)
    return Tensor._make(sample)


# ---------------------------------------------------------------- sampling new tensors


@export("torch")
def rand(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples from [0, 1)."""
    check_device(device)
    shape = _size(sizes, size, "rand")
    np_dtype = _float_dtype(dtype, "rand")
    if np_dtype.kind == "c":            # torch fills the real view: both parts uniform
        parts = _uniform(generator, shape + (2,), _parts(np_dtype))
        return _finish(parts.view(np_dtype)[..., 0], requires_grad)
    _floating("check_uniform_bounds", np_dtype)
    return _finish(_uniform(generator, shape, np_dtype), requires_grad)


@export("torch")
def randn(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Samples from the standard normal distribution N(0, 1)."""
    check_device(device)
    shape = _size(sizes, size, "randn")
    np_dtype = _float_dtype(dtype, "randn")
    if np_dtype.kind == "c":            # torch fills the real view: both parts N(0, 1/2)
        g = generator_or_default(generator)
        parts = _normal(g, 2 * _count(shape), _parts(np_dtype), 0.0, 1 / np.sqrt(2))
        return _finish(parts.view(np_dtype).reshape(shape), requires_grad)
    _floating("normal_kernel_cpu", np_dtype)
    return _finish(_standard_normal(generator, shape, np_dtype), requires_grad)


_RANDINT_SIGNATURES = ("int high, tuple of ints size", "int low, int high, tuple of ints size")


def _randint_error(args):
    lines = "".join(" * ({}, *, {}{})\n".format(
        sig, gen, _SIZE_SIGNATURE[_SIZE_SIGNATURE.index("Tensor out"):])
        for sig in _RANDINT_SIGNATURES for gen in ("torch.Generator generator, ", ""))
    return TypeError("randint() received an invalid combination of arguments - got ({}), but "
                     "expected one of:\n{}".format(", ".join(type(a).__name__ for a in args),
                                                   lines))


def _integers(generator, shape, np_dtype, low, high):
    """Integers in [low, high) of ``shape``, drawn as torch's ``random_(low, high)``."""
    g = generator_or_default(generator)
    return draws.integers(g, _count(shape), np_dtype, high - low, low).reshape(shape)


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


@export("torch")
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
    return _finish(_integers(generator, shape, np_dtype, low, high), requires_grad)


@export("torch")
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
    perm = draws.permutation(generator_or_default(generator), n)
    return _finish(perm.astype(np_dtype, copy=False), requires_grad)


_NORMAL_ERROR = (
    "normal() received an invalid combination of arguments - got ({}), but expected one of:\n"
    " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
    " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor "
    "out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = "
    "None, bool pin_memory = False, bool requires_grad = False)\n")


@export("torch")
def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, requires_grad=False, pin_memory=False):
    """Samples from N(mean, std**2): ``mean`` and ``std`` may be tensors (one sample each,
    broadcast), or numbers with a ``size``."""
    g = generator_or_default(generator)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError(_NORMAL_ERROR.format(", ".join(
                type(v).__name__ for v in (mean, std))))
        if std < 0:
            raise RuntimeError("normal expects std >= 0.0, but found std " + _num(std))
        np_dtype = _float_dtype(dtype, "normal")
        shape = size_arg((size,), "normal")
        sample = _normal(g, _count(shape), np_dtype, mean, std).reshape(shape)
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
    # as torch: N(0, 1) (N(0, std) for a number std) samples, times the std tensor, plus mean
    scale = 1.0 if isinstance(std, Tensor) else std
    sample = _normal(g, _count(shape), np_dtype, 0.0, scale).reshape(shape)
    if isinstance(std, Tensor):
        sample = sample * s.astype(np_dtype, copy=False)
    sample = (sample + np.asarray(m, dtype=np_dtype)).astype(np_dtype, copy=False)
    node = "NormalBackward3" if len(tensors) == 2 else (
        "NormalBackward1" if isinstance(mean, Tensor) else "NormalBackward2")
    return _with_graph(node, sample, *tensors)


_P_IN = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
         "be improved?  If so, please report an enhancement request to PyTorch.)")


@export("torch", "Tensor")
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
    g = generator_or_default(generator)
    if isinstance(probs, np.ndarray):
        probs = memory_order(probs, a).reshape(-1)
    sample = draws.bernoulli(g, a.size, probs).astype(a.dtype)
    return _with_graph("BernoulliBackward0", from_memory_order(sample, a), input)


@export("torch", "Tensor")
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
    g = generator_or_default(generator)
    weights = a.reshape(-1, a.shape[-1])
    if replacement and num_samples > 1:
        # inverse CDF, one row after the other: the first category whose cumulative share
        # reaches a float64 uniform number
        cdf = np.cumsum(weights, axis=-1, dtype=a.dtype)
        cdf /= cdf[:, -1:]
        cdf[:, -1] = 1
        u = draws.uniform53(g, weights.size // weights.shape[1] * num_samples)
        u = u.reshape(-1, num_samples)
        result = np.stack([np.searchsorted(c, row, side="left") for c, row in zip(cdf, u)])
    else:
        # the k largest of p / E (E exponential) are a weighted sample without replacement
        noise = draws.exponential(g, weights.size, 1.0).astype(a.dtype).reshape(weights.shape)
        keys = weights / noise
        result = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    result = result.astype(np.int64)
    return Tensor._make(result[0] if a.ndim == 1 else result)


@export("torch")
def poisson(input, generator=None):
    """Samples from Poisson distributions with rates ``input``."""
    a = input._array
    if a.dtype.kind != "f":
        raise _not_implemented("poisson_cpu", a.dtype)
    if np.any(a < 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    g = generator_or_default(generator)
    sample = draws.poisson(g, a.reshape(-1)).reshape(a.shape)
    sample = sample.astype(a.dtype)
    return _with_graph("PoissonBackward0", sample, input)


def _like(input, dtype, fn):
    if not isinstance(input, Tensor):
        raise _errors.input_must_be_tensor(fn, type(input).__name__)
    d = dtype_arg(dtype, fn)
    return input._array.shape, input._array.dtype if d is None else d.numpy


@export("torch")
def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """Uniform samples from [0, 1) with the shape (and dtype) of ``input``."""
    shape, np_dtype = _like(input, dtype, "rand_like")
    _floating("check_uniform_bounds", np_dtype)
    return _finish(_uniform(generator, shape, np_dtype), requires_grad)


@export("torch")
def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """Standard normal samples with the shape (and dtype) of ``input``."""
    shape, np_dtype = _like(input, dtype, "randn_like")
    _floating("normal_kernel_cpu", np_dtype)
    return _finish(_standard_normal(generator, shape, np_dtype), requires_grad)


@export("torch")
def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """Uniform integers in [low, high) with the shape (and dtype) of ``input``:
    ``randint_like(x, high)`` or ``randint_like(x, low, high)``."""
    shape, np_dtype = _like(input, dtype, "randint_like")
    if high is None:
        low, high = 0, low
    low, high = int(low), int(high)
    _int_bounds(low, high, np_dtype)
    return _finish(_integers(generator, shape, np_dtype, low, high), requires_grad)
