"""Runs one case with ember and with torch and lists every difference: values, dtypes, shapes,
``requires_grad``, ``grad_fn`` names, gradients, in-place effects, exception types, NumPy
errors leaking out of ember, and warnings ember prints where torch is silent.

torch is the oracle: a case torch refuses must be refused by ember with the same exception type;
a case torch accepts must give the same results.
"""
import math
import warnings

import numpy as np

import ember

from catalog import RANDOM, resolve
from inputs import KEYWORDS, POSITIONAL, Arg, DType, probe_value

# Exception types that only a bug raises: torch never does for these calls.
INTERNAL = (AttributeError, KeyError, ZeroDivisionError, AssertionError, UnboundLocalError,
            NameError, RecursionError, MemoryError, UnicodeError)

_templates = {}


def _build(lib, value, leaves):
    """``value`` in ``lib``: tensors built (their leaves collected), the rest as it is."""
    if isinstance(value, Arg):
        leaf, view = value.build(lib)
        leaves.append(leaf)
        return view
    if isinstance(value, DType):
        return getattr(lib, value.name)
    if isinstance(value, list):
        return [_build(lib, v, leaves) for v in value]
    if isinstance(value, tuple):
        return tuple(_build(lib, v, leaves) for v in value)
    return value


def _user_filters(lib):
    """The warning filters a user has: every warning shown, less those ember silences."""
    warnings.simplefilter("always")
    if lib is ember:
        ember._ops.silence_numpy_warnings()


def inplace(name):
    """Whether an entry changes its first argument: ``add_``, ``x += y``, ``x[i] = v``."""
    return (name.endswith("_") and not name.endswith("__")) or name == "__setitem__" or (
        name.startswith("__i") and name not in ("__index__", "__int__", "__invert__"))


def call(lib, entry, args, kwargs):
    """Runs the entry in ``lib``: ``(result, first argument, leaves, exception, warnings)``."""
    namespace, name = entry
    leaves = []
    built = [_build(lib, a, leaves) for a in args]
    built_kwargs = {k: _build(lib, v, leaves) for k, v in kwargs.items()}
    if inplace(name) and built and hasattr(built[0], "requires_grad") and \
            built[0].requires_grad and args[0].layout != "transposed":
        built[0] = built[0].clone()          # a non-leaf, so that the change is recorded
    fn = resolve(lib, namespace, name)
    result = error = None
    with warnings.catch_warnings(record=True) as caught:
        _user_filters(lib)
        try:
            result = fn(*built, **built_kwargs)
        except Exception as e:               # noqa: BLE001 -- every exception is compared
            error = e
    if result is NotImplemented:             # an operator refusing its operands: Python's
        result, error = None, TypeError("NotImplemented")    # ``x + y`` raises TypeError
    shown = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    return result, (built[0] if built else None), leaves, error, shown


def templates(entry, torch):
    """The argument templates torch accepts for ``entry`` (no TypeError on probe values)."""
    if entry not in _templates:
        accepted = []
        for positional in POSITIONAL:
            if entry[0] == "Tensor" and (not positional or positional[0] not in ("T", "Tb")):
                continue
            for keywords in KEYWORDS:
                args = [probe_value(k) for k in positional]
                kwargs = {k: probe_value(v) for k, v in keywords.items()}
                if not isinstance(call(torch, entry, args, kwargs)[3], TypeError):
                    accepted.append((positional, keywords))
        _templates[entry] = accepted
    return _templates[entry]


def _flat(result):
    if isinstance(result, (tuple, list)) and not type(result).__name__ == "Size":
        # a named result (torch's structseq, ember's named tuple) by its name: ``max``
        kind = "seq" if type(result) in (tuple, list) else type(result).__name__
        out = [("seq", kind, len(result))]
        for r in result:
            out.extend(_flat(r))
        return out
    return [result]


def _tolerance(dtype):
    return {"float16": (1e-2, 1e-3), "float32": (1e-4, 1e-5)}.get(dtype, (1e-7, 1e-10))


def same_values(e, t):
    """Whether two NumPy arrays hold the same values: NaN where NaN, equal infinities, and
    floats within the tolerance of their dtype."""
    if e.shape != t.shape:
        return False
    if t.dtype.kind != "f":
        return np.array_equal(e, t)
    e64, t64 = e.astype(np.float64), t.astype(np.float64)
    if not np.array_equal(np.isnan(e64), np.isnan(t64)):
        return False
    finite = np.isfinite(t64)
    if not np.array_equal(e64[~finite & ~np.isnan(t64)], t64[~finite & ~np.isnan(t64)]):
        return False
    rtol, atol = _tolerance(str(t.dtype))
    with np.errstate(all="ignore"):
        return bool(np.allclose(e64[finite], t64[finite], rtol=rtol, atol=atol))


def _dtype(t):
    return str(t.dtype).replace("torch.", "")


def compare_tensor(what, e, t, problems, values=True, kind="value"):
    """Appends to ``problems`` how ember's tensor ``e`` differs from torch's ``t``."""
    if not isinstance(e, ember.Tensor):
        problems.append(("type", "{}: ember gives {}, torch a tensor".format(what, type(e).__name__)))
        return
    if _dtype(e) != _dtype(t):
        problems.append(("dtype", "{}: dtype {} vs torch {}".format(what, _dtype(e), _dtype(t))))
    if tuple(e.shape) != tuple(t.shape):
        problems.append(("shape", "{}: shape {} vs torch {}".format(
            what, tuple(e.shape), tuple(t.shape))))
        return
    if e.requires_grad != t.requires_grad:
        problems.append(("requires_grad", "{}: requires_grad {} vs torch {}".format(
            what, e.requires_grad, t.requires_grad)))
    ne = None if e.grad_fn is None else type(e.grad_fn).__name__
    nt = None if t.grad_fn is None else type(t.grad_fn).__name__
    if ne != nt:
        problems.append(("grad_fn", "{}: grad_fn {} vs torch {}".format(what, ne, nt)))
    if values and _dtype(e) == _dtype(t):
        if str(t.dtype) == "torch.bfloat16":      # torch has no NumPy bfloat16: compare as float
            e, t = e.float(), t.float()
        ea, ta = e.detach().numpy(), t.detach().numpy(force=True)
        if not same_values(ea, ta):
            problems.append((kind, "{}: values {} vs torch {}".format(
                what, np.array2string(ea, threshold=20), np.array2string(ta, threshold=20))))


def _same_plain(e, t):
    if isinstance(t, float) and isinstance(e, float) and math.isnan(t):
        return math.isnan(e)
    if isinstance(t, complex) and isinstance(e, complex):
        return all(_same_plain(a, b) for a, b in ((e.real, t.real), (e.imag, t.imag)))
    if type(t).__name__ in ("Size", "dtype", "device", "TypedStorage", "UntypedStorage"):
        return str(e) == str(t)                 # (the libraries' own classes: by their text)
    return e == t and type(e).__name__ == type(t).__name__


def compare_results(re, rt, problems, values, torch):
    fe, ft = _flat(re), _flat(rt)
    if len(fe) != len(ft):
        problems.append(("structure", "result {!r} vs torch {!r}".format(re, rt)))
        return []
    pairs = []
    for i, (e, t) in enumerate(zip(fe, ft)):
        if isinstance(t, torch.Tensor):
            compare_tensor("output {}".format(i), e, t, problems, values)
            if isinstance(e, ember.Tensor):
                pairs.append((e, t))
        elif isinstance(t, tuple) and t and t[0] == "seq":
            if e != t:
                problems.append(("structure", "{} vs torch {}".format(e, t)))
        elif values and not _same_plain(e, t):
            problems.append(("value", "output {}: {!r} vs torch {!r}".format(i, e, t)))
    return pairs


def _weights(t, torch):
    """Fixed, uneven upstream gradients for ``t``'s shape."""
    n = t.numel()
    return np.cos(np.arange(n) * 1.3).reshape(tuple(t.shape)) + 0.5


def compare_grads(pairs, leaves_e, leaves_t, problems, torch):
    """Backward from a weighted sum of the outputs; compares the leaves' gradients."""
    pairs = [(e, t) for e, t in pairs if t.requires_grad and t.dtype.is_floating_point]
    index = [i for i, t in enumerate(leaves_t) if t.requires_grad]
    if not pairs or not index:
        return
    w = [_weights(t, torch) for _, t in pairs]
    error_t = error_e = None
    try:
        lt = sum((t * torch.tensor(x, dtype=t.dtype)).sum() for (_, t), x in zip(pairs, w))
        gt = torch.autograd.grad(lt, [leaves_t[i] for i in index], allow_unused=True)
    except Exception as e:                  # noqa: BLE001
        error_t = e
    try:
        with warnings.catch_warnings(record=True) as caught:
            _user_filters(ember)
            le = sum((e * ember.tensor(x, dtype=e.dtype)).sum() for (e, _), x in zip(pairs, w))
            ge = ember.autograd.grad(le, [leaves_e[i] for i in index], allow_unused=True)
        for c in caught:
            if issubclass(c.category, RuntimeWarning):
                problems.append(("warning", "backward: " + str(c.message)))
    except Exception as e:                  # noqa: BLE001
        error_e = e
    if error_t is not None or error_e is not None:
        compare_errors("backward", error_e, error_t, problems)
        return
    for i, e, t in zip(index, ge, gt):
        if t is None:
            if e is not None and np.any(e.numpy()):
                problems.append(("grad", "leaf {}: ember has a gradient, torch none".format(i)))
        elif e is None:
            problems.append(("grad", "leaf {}: torch has a gradient, ember none".format(i)))
        else:
            compare_tensor("gradient of leaf {}".format(i), e, t, problems, kind="grad")


def compare_errors(what, error_e, error_t, problems):
    if error_t is None:
        kind = "internal" if isinstance(error_e, INTERNAL) or \
            type(error_e).__module__.startswith("numpy") else "refused"
        problems.append((kind, "{}: ember raises {}: {} where torch succeeds".format(
            what, type(error_e).__name__, error_e)))
    elif error_e is None:
        problems.append(("accepted", "{}: torch raises {}: {}; ember succeeds".format(
            what, type(error_t).__name__, str(error_t)[:200])))
    else:
        te, tt = type(error_e), type(error_t)
        if te.__module__.startswith("numpy") or (isinstance(error_e, INTERNAL) and
                                                 not isinstance(error_t, te)):
            problems.append(("internal", "{}: ember raises {}: {} (torch {}: {})".format(
                what, te.__name__, error_e, tt.__name__, str(error_t)[:200])))
        elif te.__name__ != tt.__name__ and not (issubclass(tt, te)):
            problems.append(("exception", "{}: ember raises {}: {} (torch {}: {})".format(
                what, te.__name__, error_e, tt.__name__, str(error_t)[:200])))


def check(entry, args, kwargs, torch):
    """Every difference between ember and torch on one case, as ``(kind, text)`` pairs."""
    rt, first_t, leaves_t, error_t, _ = call(torch, entry, args, kwargs)
    re, first_e, leaves_e, error_e, shown = call(ember, entry, args, kwargs)
    problems = [("warning", str(w.message)) for w in shown]
    if error_t is not None or error_e is not None:
        compare_errors("call", error_e, error_t, problems)
        return problems
    values = entry[1] not in RANDOM
    pairs = compare_results(re, rt, problems, values, torch)
    if inplace(entry[1]) and isinstance(first_t, torch.Tensor):
        compare_tensor("changed input", first_e, first_t, problems, values)
        if (rt is first_t) != (re is first_e):
            problems.append(("inplace", "returns its input: {} vs torch {}".format(
                re is first_e, rt is first_t)))
    if values and not problems:
        compare_grads(pairs, leaves_e, leaves_t, problems, torch)
    return problems
