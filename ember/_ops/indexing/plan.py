"""How an index is read, for ``x[index]`` (``indexing.py``) and ``x[index] = v`` (``writing.py``).

An index is taken apart into its parts (ints, slices, ``None``, ``...``, index tensors, lists
and masks), checked with torch's errors, and planned (``plan``): first the view operations
that ints, slices and ``None`` stand for, applied from left to right, then the index arrays,
applied last, all together, with NumPy's rules for "advanced" indexing.  ``read`` and
``_write`` apply a planned index to an array.  Part of the indexing family.
"""
import operator
import warnings

import numpy as np

from ... import _errors
from ..core.common import Tensor
from ..shape.views import Unsqueeze
from ..shape.slicing import Select, Slice

_TYPES_ERROR = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                "are valid indices (got {})")
_DTYPE_ERROR = "tensors used as indices must be long, int, byte or bool tensors"
_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))


def _fmt(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


# ---------------------------------------------------------------- taking an index apart


def _as_tuple(index):
    """The parts of an index.  A short list holding slices, sequences or tensors is read as a
    tuple of parts (deprecated in torch, with its warning)."""
    if type(index) is tuple:
        return index
    if type(index) is list and len(index) < 32:
        for part in index:
            if part is None or part is Ellipsis or isinstance(
                    part, (slice, list, tuple, Tensor, np.ndarray)):
                warnings.warn(
                    "Using a non-tuple sequence for multidimensional indexing is deprecated and "
                    "will be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In "
                    "pytorch 2.9 this will be interpreted as tensor index, x[torch.tensor(seq)], "
                    "which will result either in an error or a different result", UserWarning,
                    stacklevel=4)
                return tuple(index)
    return (index,)


def _index_array(part):
    """An index tensor, array or list as a NumPy array of int64/int32 indices, or a bool mask;
    a 0-d integer one as an int, a 0-d bool one as a bool."""
    if isinstance(part, Tensor):
        a = part._array
    else:
        if isinstance(part, str):
            raise _errors.invalid_data_type_str()
        a = np.asanyarray(part)
        if a.dtype.kind == "f":
            a = a.astype(np.int64)          # torch reads lists and arrays of floats as longs
        elif a.dtype.kind == "U" or a.dtype.kind == "S":
            raise _errors.invalid_data_type_str()
    kind = a.dtype.kind
    if kind == "b" or a.dtype == np.uint8:
        if a.ndim == 0:
            return bool(a)
        if kind != "b":
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                          "torch.bool instead.", UserWarning, stacklevel=4)
            a = a.astype(bool)
        return a
    if kind in "iu":
        if a.ndim == 0:
            return int(a)
        if a.dtype in _INDEX_DTYPES:
            return a
    raise IndexError(_DTYPE_ERROR)


def _parts(index):
    """Each part of the index in one of six forms: int, bool, slice, None, Ellipsis, array."""
    out = []
    for part in _as_tuple(index):
        t = type(part)
        if t is int or t is slice or t is bool or part is None or part is Ellipsis:
            out.append(part)
        elif isinstance(part, np.bool_):
            out.append(bool(part))
        elif isinstance(part, np.integer):
            out.append(int(part))
        elif isinstance(part, (Tensor, np.ndarray, list, tuple, str)):
            out.append(_index_array(part))
        else:
            raise IndexError(_TYPES_ERROR.format(t.__name__))
    return out


def _slice_bounds(part, size):
    step = part.step
    if step is not None:
        step = operator.index(step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
    if any(isinstance(v, Tensor) for v in (part.start, part.stop, step)):
        part = slice(*(operator.index(v) if v is not None else None
                       for v in (part.start, part.stop, step)))
    return part.indices(size)


def plan(shape, index, keep_full_slice=False, check_bounds=True):
    """How torch applies ``index`` to a tensor of ``shape``.

    Returns ``(steps, basic, advanced)``: the view operations, in order, as ``(Op, args)``;
    the same views as one NumPy index (ints, slices, None); and the index arrays to apply to
    the resulting view (a NumPy index tuple), or None.  A full slice ``:`` inside a tuple is
    no operation; a lone one (``x[:]`` when reading) still is, as in torch.  Index tensors are
    checked against the sizes unless ``check_bounds`` is False (writing checks them later)."""
    parts = _parts(index)
    ndim = len(shape)
    specified = 0
    for p in parts:
        if type(p) is int or type(p) is slice:
            specified += 1
        elif type(p) is np.ndarray:
            specified += p.ndim if p.dtype.kind == "b" else 1
    if specified > ndim:
        if ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError("too many indices for tensor of dimension {}".format(ndim))
    steps = []
    basic = []
    arrays = []                      # (dim, array) of the advanced parts
    cur = list(shape)
    dim = 0
    ellipsis_seen = False
    for position, p in enumerate(parts):     # torch names a part by its position
        t = type(p)
        if t is int:
            size = cur[dim]
            if not -size <= p < size:
                raise IndexError("index {} is out of bounds for dimension {} with size {}".format(
                    p, position, size))
            if p < 0:
                p += size
            steps.append((Select, (dim, p)))
            basic.append(p)
            del cur[dim]
        elif t is slice:
            start, stop, step = _slice_bounds(p, cur[dim])
            length = len(range(start, stop, step))
            # torch skips a slice written as covering everything (``:``, ``0:n``), but not one
            # that only works out that way (``-n:``)
            if step == 1 and stop == cur[dim] and (p.start is None or p.start == 0) \
                    and not keep_full_slice:
                basic.append(slice(None))
            else:
                stop = max(stop, start)
                steps.append((Slice, (dim, start, stop, step)))
                basic.append(slice(start, stop, step))
                cur[dim] = length
            dim += 1
        elif p is None or t is bool:
            steps.append((Unsqueeze, (dim,)))
            basic.append(None)
            cur.insert(dim, 1)
            if t is bool:
                arrays.append((dim, np.zeros(1 if p else 0, dtype=np.int64)))
            dim += 1
        elif p is Ellipsis:
            skip = 0 if ellipsis_seen else ndim - specified
            ellipsis_seen = True
            basic.extend([slice(None)] * skip)
            dim += skip
        else:
            k = p.ndim if p.dtype.kind == "b" else 1
            arrays.append((dim, p))
            basic.extend([slice(None)] * k)
            dim += k
    if not arrays:
        return steps, tuple(basic), None
    return steps, tuple(basic), _advanced(cur, arrays, check_bounds)


def _advanced(shape, arrays, check_bounds=True):
    """Checks the index arrays against the indexed (viewed) ``shape`` with torch's errors, and
    returns them as a NumPy index tuple.  (``x[i] = v`` checks the bounds itself, later.)"""
    shapes = []
    for dim, a in arrays:
        if a.dtype.kind == "b":
            for j, n in enumerate(a.shape):
                if dim + j >= len(shape) or shape[dim + j] != n:
                    raise IndexError("The shape of the mask {} at index {} does not match the "
                                     "shape of the indexed tensor {} at index {}".format(
                                         _fmt(a.shape), j, _fmt(shape), dim + j))
            shapes.extend([(int(np.count_nonzero(a)),)] * a.ndim)
        else:
            shapes.append(a.shape)
    try:
        broadcast = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(_fmt(s) for s in shapes)) from None
    index = []
    indexed = set()
    d = 0
    for dim, a in arrays:
        index.extend([slice(None)] * (dim - d))
        index.append(a)
        d = dim + (a.ndim if a.dtype.kind == "b" else 1)
        indexed.update(range(dim, d))
    index = tuple(index)
    if 0 in broadcast or any(n == 0 for k, n in enumerate(shape) if k not in indexed):
        # nothing is read, so torch never looks at the indices: any valid ones will do
        return tuple(np.zeros_like(p) if type(p) is np.ndarray and p.dtype.kind != "b" and
                     shape[k] else p for k, p in enumerate(index))
    if check_bounds:
        check_index_bounds(shape, index)
    return index


def _result_shape(shape, index):
    """The shape of ``a[index]`` for an array ``a`` of ``shape``, without looking at whether the
    indices are in range (torch checks the value written before the indices)."""
    probe_shape = list(shape)
    probe = []
    d = 0
    for p in index:
        if type(p) is np.ndarray and p.dtype.kind != "b":
            probe_shape[d] = max(probe_shape[d], 1)
            probe.append(np.zeros_like(p))
        else:
            probe.append(p)
        d += p.ndim if type(p) is np.ndarray and p.dtype.kind == "b" else 1
    return np.empty(probe_shape, np.bool_)[tuple(probe)].shape


def check_index_bounds(shape, index):
    """torch's error for an index out of range.  Like torch, it reports the first element (in
    the result's order) with a bad index, and names the dimension by its position among the
    index tensors (a mask counting for all its dimensions)."""
    checks = []                          # (position, size, indices)
    position = 0
    d = 0
    for p in index:
        if type(p) is not np.ndarray:
            d += 1
        elif p.dtype.kind == "b":
            d += p.ndim
            position += p.ndim
        else:
            checks.append((position, shape[d], p))
            d += 1
            position += 1
    if not any(p.size and (p.min() < -n or p.max() >= n) for _, n, p in checks):
        return
    common = np.broadcast_shapes(*(p.shape for _, _, p in checks))
    bad = [np.broadcast_to((p < -n) | (p >= n), common).reshape(-1) for _, n, p in checks]
    first = int(np.argmax(np.logical_or.reduce(bad)))
    for (position, size, p), wrong in zip(checks, bad):
        if wrong[first]:
            raise IndexError("index {} is out of bounds for dimension {} with size {}".format(
                np.broadcast_to(p, common).reshape(-1)[first], position, size))


# ---------------------------------------------------------------- applying a planned index


def fresh(a):
    """``a`` laid out row by row, like a newly allocated torch tensor (NumPy may leave the
    result of advanced indexing transposed)."""
    return np.ascontiguousarray(a)


def read(a, index):
    """``a`` at ``index`` = (basic, advanced) (an array or a tensor; a view when basic)."""
    basic, adv = index
    view = a[basic + (Ellipsis,)]
    return view if adv is None else view[adv]


def _write(a, index, value):
    basic, adv = index
    view = a[basic + (Ellipsis,)]
    view[Ellipsis if adv is None else adv] = value


# ---------------------------------------------------------------- the fast path


def _simple(index):
    """Whether ``index`` is an int, a slice with a positive step, or a tuple of those (NumPy
    then reads it exactly as torch does)."""
    t = type(index)
    if t is int:
        return True
    if t is slice:
        return index.step is None or type(index.step) is int and index.step > 0
    if t is not tuple:
        return False
    for part in index:
        t = type(part)
        if t is slice:
            step = part.step
            if step is not None and (type(step) is not int or step <= 0):
                return False
        elif t is not int:
            return False
    return True
