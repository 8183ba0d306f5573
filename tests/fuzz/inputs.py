"""Random arguments for any operation, described once and built for either library.

A case's arguments are drawn from a *template* -- the kinds of the positional and keyword
arguments (``("T", "i")``: a tensor and a dimension) -- which torch has accepted for that entry
(``templates``).  Tensors are drawn around one base shape per case, so that most operands
broadcast: 0-d, empty and up to four dimensions, every dtype the two libraries share, special
values (0, -0, inf, -inf, nan, huge, tiny), and layouts that are not contiguous (a strided
slice, a transpose, an expanded size-1 dimension).
"""
import math

import numpy as np
from hypothesis import strategies as st

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
FLOAT_SPECIALS = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e30, -1e30, 1e-30, 0.5, -0.5, 1.0,
                  -1.0, 3.0, 1e-3]
SCALARS = [0.5, 2.0, -1.5, 0.0, 1.0, 3, -2, 1, 0, 2, 1e-3, 100.0, math.inf, -math.inf, math.nan,
           True, False]
REDUCTIONS = ["mean", "sum", "none"]
EQUATIONS = ["ij->ji", "ii", "ij,jk->ik", "i,i->", "ij->", "...i->...", "bij,bjk->bik",
             "i,j->ij", "ii->i"]

# Positional kinds: T tensor, Ti int64 index tensor, Tb bool tensor, L list of tensors, i a
# dimension, n a small count, f a Python number, s a shape, x an index (for ``x[i]``), d a dtype,
# e an einsum equation, r a reduction.
POSITIONAL = [
    (), ("T",), ("T", "T"), ("T", "T", "T"), ("T", "i"), ("T", "i", "i"), ("T", "i", "T"),
    ("T", "i", "Ti"), ("T", "i", "Ti", "T"), ("T", "i", "Ti", "f"), ("T", "Ti"), ("T", "Ti", "T"),
    ("T", "f"), ("T", "f", "f"), ("T", "T", "f"), ("T", "T", "i"), ("T", "Tb"), ("T", "Tb", "f"),
    ("T", "Tb", "T"), ("Tb", "T", "T"), ("T", "n"), ("T", "n", "n"), ("T", "i", "n", "n"),
    ("T", "s"), ("s",), ("n",), ("n", "n"), ("f",), ("f", "f"), ("f", "f", "f"), ("f", "f", "n"),
    ("L",), ("L", "i"), ("e", "T"), ("e", "T", "T"), ("T", "x"), ("T", "x", "T"),
    ("T", "x", "f"), ("T", "d"), ("T", "T", "T", "T"), ("T", "T", "Ti"), ("T", "Ti", "i"),
    ("f", "T"), ("T", "T", "T", "T", "T"),
]
KEYWORDS = [
    {}, {"dim": "i"}, {"dim": "i", "keepdim": "b"}, {"dtype": "d"}, {"reduction": "r"},
    {"alpha": "f"}, {"p": "f"}, {"value": "f"}, {"eps": "f"}, {"descending": "b"},
]


def probe_value(kind):
    """A fixed, valid-looking value of ``kind``: the argument used to ask torch whether it
    accepts a template at all."""
    return {
        "T": Arg(np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5),
        "Ti": Arg(np.zeros((2, 3), np.int64)),
        "Tb": Arg(np.ones((2, 3), bool)),
        "L": [Arg(np.ones((2, 3), np.float32)), Arg(np.zeros((2, 3), np.float32))],
        "i": 1, "n": 2, "f": 0.5, "b": True, "s": (3, 2), "x": 0, "d": DType("float64"),
        "e": "ij->ji", "r": "sum",
    }[kind]


class Arg:
    """A tensor argument: its NumPy values, whether it requires grad, and how it is laid out
    (``"contiguous"``, ``"strided"``: every other element of a larger tensor, ``"transposed"``,
    ``"expanded"``: a size-1 dimension broadcast without copying)."""

    def __init__(self, array, requires_grad=False, layout="contiguous"):
        self.array, self.requires_grad, self.layout = array, requires_grad, layout

    def __repr__(self):
        a = self.array
        return "tensor({!r}, dtype={}, grad={}, layout={})".format(
            a.tolist(), a.dtype, self.requires_grad, self.layout)

    def build(self, lib):
        """This tensor in ``lib``: a leaf that may require grad, seen through its layout."""
        a = self.array
        if self.layout == "strided" and a.ndim:
            base = np.repeat(a, 2, axis=-1)
            t = lib.tensor(base)
            t.requires_grad_(self.requires_grad)
            return t, t[..., ::2]
        if self.layout == "transposed" and a.ndim >= 2:
            t = lib.tensor(np.ascontiguousarray(a.swapaxes(0, 1)))
            t.requires_grad_(self.requires_grad)
            return t, t.transpose(0, 1)
        if self.layout == "expanded" and a.ndim and a.shape[0] > 0:
            t = lib.tensor(a[:1].copy())
            t.requires_grad_(self.requires_grad)
            return t, t.expand(*a.shape)
        t = lib.tensor(a)
        t.requires_grad_(self.requires_grad)
        return t, t


class DType:
    """A dtype argument, named (``lib.float64`` in either library)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "dtype." + self.name


def _values(draw, dtype, shape):
    n = int(np.prod(shape))
    if dtype == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool).reshape(shape)
    if dtype.startswith("float"):
        element = st.one_of(st.floats(-4, 4, width=16).map(float), st.sampled_from(FLOAT_SPECIALS))
        values = draw(st.lists(element, min_size=n, max_size=n))
        with np.errstate(over="ignore"):
            return np.array(values, np.float64).astype(dtype).reshape(shape)
    info = np.iinfo(dtype)
    element = st.one_of(st.integers(max(info.min, -4), min(info.max, 6)),
                        st.sampled_from([int(info.min), int(info.max)]))
    return np.array(draw(st.lists(element, min_size=n, max_size=n)), dtype).reshape(shape)


@st.composite
def shapes(draw):
    """A base shape: 0-d, empty, or up to four small dimensions."""
    return tuple(draw(st.lists(st.sampled_from([1, 2, 3, 2, 3, 0, 4]), max_size=4)))


def _related(draw, base):
    """A shape that broadcasts with ``base`` (mostly equal to it), or now and then any shape."""
    how = draw(st.sampled_from(["same"] * 6 + ["ones", "suffix", "any"]))
    if how == "same":
        return base
    if how == "ones":
        return tuple(1 if draw(st.booleans()) else d for d in base)
    if how == "suffix":
        return base[draw(st.integers(0, len(base))):]
    return draw(shapes())


def tensor(draw, base, kind, grad):
    """A tensor argument of ``kind`` (T, Ti, Tb) around the base shape."""
    shape = _related(draw, base)
    if kind == "Ti":
        high = max(base + (1,))
        values = draw(st.lists(st.integers(-high, high), min_size=int(np.prod(shape)),
                               max_size=int(np.prod(shape))))
        dtype = draw(st.sampled_from(["int64"] * 5 + ["int32", "uint8"]))
        return Arg(np.array(values, np.int64).reshape(shape).astype(dtype))
    dtype = "bool" if kind == "Tb" else draw(
        st.sampled_from(["float32"] * 4 + ["float64"] * 3 + DTYPES))
    array = _values(draw, dtype, shape)
    layout = draw(st.sampled_from(["contiguous"] * 5 + ["strided", "transposed", "expanded"]))
    if layout == "expanded" and array.ndim and array.shape[0]:
        array = np.broadcast_to(array[:1], array.shape).copy()
    return Arg(array, grad and dtype.startswith("float"), layout)


def _index(draw, base):
    parts = []
    for _ in range(draw(st.integers(1, 2))):
        parts.append(draw(st.one_of(
            st.integers(-3, 3), st.sampled_from([slice(None), slice(1, None), slice(None, None, 2),
                                                 None, Ellipsis, True]),
            st.just(Arg(np.array([0, -1], np.int64))), st.just(Arg(np.ones(base[:1], bool))))))
    return parts[0] if len(parts) == 1 else tuple(parts)


def value(draw, kind, base, grad):
    """One argument of ``kind``."""
    if kind in ("T", "Ti", "Tb"):
        return tensor(draw, base, kind, grad)
    if kind == "L":
        return [tensor(draw, base, "T", grad) for _ in range(draw(st.integers(0, 3)))]
    ndim = len(base)
    if kind == "i":
        return draw(st.integers(-ndim - 1, max(ndim, 1)))
    if kind == "n":
        return draw(st.integers(0, 3))
    if kind == "f":
        return draw(st.sampled_from(SCALARS))
    if kind == "b":
        return draw(st.booleans())
    if kind == "s":
        return draw(st.one_of(st.just(base), st.just(tuple(reversed(base))), st.just((-1,)),
                              st.lists(st.integers(0, 3), max_size=3).map(tuple)))
    if kind == "x":
        return _index(draw, base)
    if kind == "d":
        return DType(draw(st.sampled_from(DTYPES)))
    if kind == "e":
        return draw(st.sampled_from(EQUATIONS))
    if kind == "r":
        return draw(st.sampled_from(REDUCTIONS))
    raise ValueError(kind)


@st.composite
def case(draw, templates):
    """A case for an entry: positional and keyword arguments drawn from one of its accepted
    ``templates``."""
    positional, keywords = draw(st.sampled_from(templates))
    base = draw(shapes())
    grad = draw(st.booleans())
    args = [value(draw, kind, base, grad) for kind in positional]
    kwargs = {name: value(draw, kind, base, grad) for name, kind in keywords.items()}
    return args, kwargs
