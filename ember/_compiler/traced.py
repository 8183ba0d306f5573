"""Array-level tracing: a NumPy array subclass that writes down every NumPy call made on it.

While a compiled function is recorded, the arrays inside the tensors it can reach are swapped
for :class:`TracedArray` views of the same memory.  NumPy hands every ufunc call on such an
array to ``__array_ufunc__`` and every NumPy function to ``__array_function__`` (NumPy's own
dispatch protocols, NEP 13 and NEP 18); both run the call on plain arrays and log it to the
active :class:`~ember._compiler.recorder.Recorder` as a step ``(function, arguments)`` whose
result lands in a buffer that a replay fills again with ``out=``.  Methods that bypass those
protocols (``a.dot(b)``, ``a.astype(t)``, ``a[i] = v`` ...) are listed below and logged the
same way.  A value read into Python (``float(a)``, ``a.item()``, ``bool(a)``) becomes a check
in the replay: the Python code that used it could take another branch for another value, so a
replay that reads a different value stops and the call runs eagerly.

Nothing here runs in eager mode: plain arrays never pass through this module.
"""
import operator

import numpy as np

from . import recorder as _rec


def plain(a):
    """The plain ndarray view of a traced array (the same memory); anything else as it is."""
    if type(a) is TracedArray:
        if not a._ok:
            _rec.refuse("an array computed by a NumPy method the tracer does not know")
        return np.ndarray.view(a, np.ndarray)
    if type(a) is tuple or type(a) is list:
        return type(a)(plain(x) for x in a)
    if type(a) is dict:
        return {k: plain(v) for k, v in a.items()}
    return a


def traced(a):
    """``a`` (a plain array whose contents the recording knows) as a traced array."""
    t = a.view(TracedArray)
    t._ok = True
    return t


class TracedArray(np.ndarray):
    """An ndarray whose NumPy calls are logged while a compiled function is recorded.

    ``_ok`` says whether the recording knows how its contents are computed: true for the
    arrays it hands out and for views of them, false for a new array made by a NumPy method
    that is not listed here (using one refuses the recording)."""

    _ok = False

    def __array_finalize__(self, obj):
        if getattr(obj, "_ok", False) and np.may_share_memory(self.view(np.ndarray),
                                                              obj.view(np.ndarray)):
            self._ok = True                     # a view of a known array is known

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        call = ufunc if method == "__call__" else getattr(ufunc, method)
        args = tuple(plain(x) for x in inputs)
        out = kwargs.get("out")
        if kwargs:
            kwargs = plain(kwargs)
        result = call(*args, **kwargs)
        rec = _rec.current()
        if rec is None:
            return result
        if method == "at":                     # in place, returns None
            rec.step(call, args, kwargs)
            return None
        if out is not None:                    # the caller's own output arrays
            rec.step(call, args, kwargs)
            return out[0] if len(out) == 1 else out
        if ufunc.nout == 1:
            buffer = _buffer(result)
            rec.step(call, args, dict(kwargs, out=buffer))
            return traced(buffer)
        buffers = tuple(_buffer(r) for r in result)
        rec.step(call, args, dict(kwargs, out=buffers))
        return tuple(traced(b) for b in buffers)

    def __array_function__(self, func, types, args, kwargs):
        return log_call(func, args, kwargs)

    # ---------------------------------------------------------------- methods NumPy does not dispatch

    def dot(self, b, out=None):
        return np.dot(self, b) if out is None else np.dot(self, b, out=out)

    def copy(self, order="C"):
        return np.copy(self, order=order)

    __copy__ = copy

    def __deepcopy__(self, memo):
        return np.copy(self)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        if not copy and np.dtype(dtype) == self.dtype:
            return self
        return log_call(np.ndarray.astype, (self, dtype), dict(order=order, casting=casting))

    def __getitem__(self, index):
        if _rec.current() is None:
            return np.ndarray.__getitem__(np.ndarray.view(self, np.ndarray), plain(index))
        return log_call(operator.getitem, (self, _unmask(index)), {})

    def __setitem__(self, index, value):
        log_call(operator.setitem, (self, _unmask(index), value), {})

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def fill(self, value):
        log_call(np.ndarray.fill, (self, value), {})


def _method(name):
    unbound = getattr(np.ndarray, name)

    def method(self, *args, **kwargs):
        return log_call(unbound, (self,) + args, kwargs)
    method.__name__ = name
    return method


for _name in ("argmax", "argmin", "argsort", "round", "cumsum", "cumprod", "flatten", "ravel",
              "reshape", "take", "repeat", "sort", "put", "trace", "partition", "searchsorted",
              "clip", "conj"):
    setattr(TracedArray, _name, _method(_name))


def _refusing(name, why):
    unbound = getattr(np.ndarray, name)

    def method(self, *args, **kwargs):
        _rec.refuse(why)
        return unbound(np.ndarray.view(self, np.ndarray), *args, **kwargs)
    method.__name__ = name
    return method


def _expecting(name):
    """A method that reads a value into Python: the value is recorded, and a replay checks
    that it reads the same value (else the Python code might branch elsewhere, and the call
    runs eagerly instead)."""
    unbound = getattr(np.ndarray, name)

    def method(self, *args):
        array = np.ndarray.view(self, np.ndarray)
        value = unbound(array, *args)
        rec = _rec.current()
        if rec is not None:
            if not self._ok:
                _rec.refused_by(rec, "an array computed by a NumPy method the tracer does not know")
            rec.expect(unbound, array, args, value)
        return value
    method.__name__ = name
    return method


for _name in ("item", "tolist", "__float__", "__int__", "__index__", "__complex__", "__bool__"):
    setattr(TracedArray, _name, _expecting(_name))
for _name in ("tobytes", "__repr__", "__str__", "__format__", "__reduce__", "__reduce_ex__"):
    setattr(TracedArray, _name, _refusing(_name, "'{}' reads the data into Python".format(
        _name.strip("_"))))
TracedArray.nonzero = lambda self: np.nonzero(self)


def _unmask(index):
    """A boolean mask as the positions it selects (``np.nonzero``, which the replay checks):
    the selection's size depends on the data, the positions are then a constant."""
    parts = index if type(index) is tuple else (index,)
    masks = [i for i, p in enumerate(parts)
             if isinstance(p, np.ndarray) and p.dtype == np.bool_ and p.ndim > 0]
    if not masks:
        return index
    if len(parts) == 1:
        return np.nonzero(parts[0])
    _rec.refuse("indexing with a boolean mask among other indices")
    return index


def _buffer(result):
    """A result as an array the replay can write into (NumPy gives scalars for 0-d results)."""
    return result if type(result) is np.ndarray else np.array(result)


# NumPy functions whose Python results depend only on shapes and memory, never on the data
_LAYOUT = {np.shape, np.ndim, np.size, np.may_share_memory, np.shares_memory, np.result_type,
           np.can_cast, np.iscomplexobj, np.isrealobj}
# functions whose result's shape depends on the data: a replay could not reuse a buffer
_DATA_SHAPED = {np.nonzero, np.flatnonzero, np.argwhere, np.unique, np.compress, np.extract,
                np.trim_zeros, np.setdiff1d, np.intersect1d, np.union1d}
# functions that write into an argument without out=
_MUTATORS = {np.copyto, np.put, np.putmask, np.place, np.fill_diagonal, np.put_along_axis,
             operator.setitem, np.ndarray.fill, np.ndarray.sort, np.ndarray.put}
# functions that take out= for their single array result
_TAKES_OUT = {np.dot, np.concatenate, np.einsum, np.take, np.cumsum, np.clip}


def log_call(func, args, kwargs):
    """Runs ``func`` on the plain arrays and logs it: its fresh results become buffers that
    the replay fills again; results that are views of the inputs need no step at all (they
    see the buffers' new contents)."""
    pargs = plain(args)
    pkw = plain(kwargs) if kwargs else kwargs
    rec = _rec.suspend()
    try:
        result = func(*pargs, **pkw)
    finally:
        _rec.resume(rec)
    if rec is None:
        return result
    if func in _DATA_SHAPED or (func is np.where and len(args) == 1):
        # the result's shape depends on the data: it is kept as a constant, and the replay
        # checks that the call gives the same result again
        rec.expect(_same_result, (func, pargs, pkw), (), result)
        return result
    if func in _LAYOUT:
        return result
    if result is None or (func in _MUTATORS and "out" not in pkw):
        rec.step(func, pargs, pkw)
        return result
    if isinstance(result, (tuple, list)):
        items = list(result)
    elif isinstance(result, (np.ndarray, np.generic)):
        items = [result]
    else:
        _rec.refused_by(rec, "np.{} returns a Python value read from the data".format(
            getattr(func, "__name__", func)))
        return result
    inputs = [a for a in _arrays(pargs) + _arrays(pkw)]
    targets = []
    for i, r in enumerate(items):
        if not isinstance(r, (np.ndarray, np.generic)):
            _rec.refused_by(rec, "np.{} returns something other than arrays".format(func.__name__))
            return result
        if isinstance(r, np.ndarray) and any(np.may_share_memory(r, a) for a in inputs):
            targets.append(None)                     # a view: no step needed for it
        else:
            items[i] = r = _buffer(r)
            rec.buffer(r)
            targets.append(r)
    if "out" in pkw:
        rec.step(func, pargs, pkw)
    elif len(items) == 1 and targets[0] is not None and func in _TAKES_OUT:
        rec.step(func, pargs, dict(pkw, out=targets[0]))
    elif any(t is not None for t in targets):
        rec.step(_into, (func, pargs, pkw, targets), {})
    wrapped = [traced(r) for r in items]
    if isinstance(result, (np.ndarray, np.generic)):
        return wrapped[0]
    if hasattr(result, "_make"):                     # a named tuple (np.linalg's results)
        return type(result)._make(wrapped)
    return type(result)(wrapped)


def _same_result(call, *_):
    """What a replay compares for a function whose result's shape depends on the data."""
    func, args, kwargs = call
    return _Result(func(*args, **kwargs))


class _Result:
    """A result compared by shape and contents (``!=`` is what ``expect`` asks)."""

    def __init__(self, value):
        self.value = value

    def __ne__(self, other):
        a = self.value if type(self.value) is tuple else (self.value,)
        b = other if type(other) is tuple else (other,)
        return len(a) != len(b) or not all(np.array_equal(x, y) and x.shape == y.shape
                                           for x, y in zip(a, b))


def _into(func, args, kwargs, targets):
    """A replay step for a function without ``out=``: compute, then copy into the buffers."""
    result = func(*args, **kwargs)
    items = result if isinstance(result, (tuple, list)) else (result,)
    for target, r in zip(targets, items):
        if target is not None:
            np.copyto(target, r)


def _arrays(tree):
    if isinstance(tree, np.ndarray):
        return [tree]
    if type(tree) is tuple or type(tree) is list:
        return [a for x in tree for a in _arrays(x)]
    if type(tree) is dict:
        return [a for x in tree.values() for a in _arrays(x)]
    return []
