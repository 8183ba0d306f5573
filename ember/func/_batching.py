"""Vectorised ``vmap``: the function runs once, with every operation applied to whole batches.

Inside the function, a batched argument is a *proxy*: a tensor of one sample's shape and dtype
(so that the function's own checks, ``x.shape``, ``x.dim()`` ... see what they would see for
one sample), whose batch -- the real data, batch dimension first -- hangs on it (``full``).
While the function runs, ``op._transform`` is this module: every operation reaches
:func:`apply`, which runs the op's *batching rule* (``_batch_rules.py``) on the batches and
returns a proxy of the result.  Ops that broadcast over leading dimensions (elementwise ops,
matrix products) run once on the whole batch; ops with dimension arguments (sums, softmax,
views) run once with their dimensions shifted past the batch; any other op runs once per
sample (a loop over that op only).

A proxy's own array holds no data (NaN) and refuses to be computed with: code that reads a
batched tensor's values without going through an op (``.item()``, ``if x > 0``, NumPy on
``._array``) raises :class:`Unbatchable`, and ``vmap`` then runs the function sample by sample
instead (``_vmap.py``), which is always right.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd import op as _op

__all__ = ["Unbatchable", "active", "full_of", "proxy", "apply", "follow_view", "run"]


class Unbatchable(BaseException):
    """A batched tensor's values were used outside an op: vmap falls back to its loop.  (A
    BaseException, so that the function's own ``except Exception:`` does not swallow it.)"""


def _refuse(*args, **kwargs):
    raise Unbatchable()


_METADATA = {np.shape, np.ndim, np.size, np.result_type, np.shares_memory, np.may_share_memory}


class _NoData(np.ndarray):
    """The array of a proxy: it has a sample's shape and dtype but no values to compute with;
    any computation on it raises :class:`Unbatchable`."""

    # NumPy views of it (``a[0]``, ``a.reshape(...)``) are allowed: they are views of no data
    # too, and ``follow_view`` gives the tensors made of them their batch.
    __array_ufunc__ = _refuse

    def __array_function__(self, func, types, args, kwargs):
        if func in _METADATA:               # shapes and dtypes are a sample's, and right
            return super().__array_function__(func, types, args, kwargs)
        raise Unbatchable()

    (__setitem__, __bool__, __float__, __int__, __index__, __iter__, copy, astype, ravel,
     flatten, item, tolist, tobytes, fill, __reduce__, __deepcopy__) = (_refuse,) * 16


def proxy(full):
    """A proxy for ``full``, a batch of samples with the batch dimension first."""
    array = full._array
    data = np.full(array.shape[1:], np.nan if array.dtype.kind in "fc" else 0, array.dtype)
    data = data.view(_NoData)
    data.full = full                # for ops that get the array itself (a target's indices)
    t = Tensor._make(data)
    # routes the ops' fast paths (taken when nothing requires grad) through Op.apply
    t._requires_grad = array.dtype.kind in "fc"
    t.__dict__["_vmap_full"] = full
    return t


# The vectorised vmap running (like torch's dual levels, global: not per thread).
batch_size = 0
_running = False


def full_of(t):
    """The batch behind a proxy (or behind a proxy's array), or None for any other value."""
    if isinstance(t, Tensor):
        return t.__dict__.get("_vmap_full")
    return getattr(t, "full", None) if type(t) is _NoData else None


def active():
    """Whether a vectorised vmap is running (its ops come here)."""
    return _op._transform is _module()


def _module():
    import sys
    return sys.modules[__name__]


class _off:
    """Runs a block with batching switched off: the ops of a rule are ordinary ops."""

    def __enter__(self):
        _op._transform = None

    def __exit__(self, *exc):
        _op._transform = _module() if _running else None


def apply(cls, args):
    """Runs the op ``cls`` on ``args`` by its batching rule; the results are proxies."""
    from ._batch_rules import per_sample, rule_of
    fulls = [full_of(a) for a in args]
    with _off():
        if all(f is None for f in fulls):
            return cls.apply(*args)
        if any(type(a) is _NoData for a in args):   # a proxy's array itself: sample by sample
            out = per_sample(cls, args, fulls)
        else:
            out = rule_of(cls)(cls, args, fulls)
    if type(out) is tuple:
        return tuple(proxy(o) for o in out)
    return proxy(out)


def elementwise(fn, args):
    """``fn(*args)`` for a broadcasting computation made without an op (comparisons): run
    once on the lined-up batches."""
    from ._batch_rules import lined_up_args
    fulls = [full_of(a) for a in args]
    with _off():
        if all(f is None for f in fulls):
            return fn(*args)
        return proxy(fn(*lined_up_args(args, fulls)))


def follow_view(view, input):
    """Gives ``view`` -- a NumPy view of a proxy's array, made without an op (the views' fast
    path) -- the same view of every sample of the batch."""
    full = full_of(input)
    if full is None:
        return
    from ..autograd.forward_ad import view_indices
    a, v = input._array.view(np.ndarray), view._array.view(np.ndarray)
    if not np.shares_memory(a, v):
        raise Unbatchable()
    flat = Tensor._make(view_indices(v, a))
    with _off():
        view.__dict__["_vmap_full"] = view._array.full = full.reshape(full.shape[0], -1)[:, flat]


def run(func, args, kwargs, batched, size):
    """``func(*args, **kwargs)`` with the tensors in ``batched`` (argument leaf -> its batch,
    batch dimension first) replaced by proxies: the flat outputs as batches (or as they are,
    when not batched) and their structure."""
    from . import _pytree
    leaves, spec = _pytree.flatten(args)
    leaves = [proxy(batched[i]) if i in batched else leaf for i, leaf in enumerate(leaves)]
    global batch_size, _running
    batch_size = size
    _running = True
    _op._transform = _module()
    try:
        output = func(*_pytree.unflatten(leaves, spec), **kwargs)
    finally:
        _running = False
        _op._transform = None
    outputs, out_spec = _pytree.flatten(output)
    results = []
    for o in outputs:
        full = full_of(o)
        if full is None and isinstance(o, Tensor) and isinstance(o._array, _NoData):
            raise Unbatchable()                 # a batched value lost its batch (detach ...)
        results.append((o, full))
    return results, out_spec
