"""Helpers for comparing ember's operations with torch's: the same function runs on both
libraries and the results are compared -- values, dtypes, shapes, graph node names, gradients
(first and, on request, second order), exceptions and warnings.

A test writes the function once, taking the library as its first argument::

    compare(lambda lib, x: lib.amax(x, 1), array)

Arrays become tensors of each library (float arrays requiring grad); other arguments pass as
they are.  Import this module only after ``pytest.importorskip("torch")``.
"""
import warnings

import numpy as np
import torch

import ember


def tensors(lib, arrays, grad):
    """The arrays as tensors of ``lib``; float ones require grad if ``grad`` (True, or one
    flag per array)."""
    flags = grad if isinstance(grad, (tuple, list)) else [grad] * len(arrays)
    out = []
    for a, grad in zip(arrays, flags):
        if isinstance(a, np.ndarray):
            t = lib.tensor(a)
            if grad and a.dtype.kind == "f":
                t.requires_grad_(True)
            out.append(t)
        else:
            out.append(a)
    return out


def node_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def outputs(result):
    """The tensors of a result: a tensor, or a (named) tuple of them."""
    if isinstance(result, (tuple, list)):
        return [r for r in result if isinstance(r, (ember.Tensor, torch.Tensor))]
    return [result]


def assert_close(e, t, rtol, atol):
    assert str(e.dtype) == str(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (tuple(e.shape), tuple(t.shape))
    np.testing.assert_allclose(np.asarray(e.detach().numpy(), dtype=np.float64),
                               np.asarray(t.detach().numpy(), dtype=np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def _weights(outs):
    rng = np.random.default_rng(0)
    return [rng.standard_normal(tuple(t.shape)) for t in outs]


def _weighted_sum(lib, outs, weights):
    total = 0
    for o, w in zip(outs, weights):
        total = total + (o * lib.tensor(w, dtype=o.dtype)).sum()
    return total


def compare(fn, *arrays, grad=True, rtol=1e-5, atol=1e-6, check_indices=True, double=False):
    """Runs ``fn(lib, *tensors)`` with ember and with torch and compares everything.
    ``grad``: whether float inputs require grad (one flag per array, or one for all)."""
    te, tt = tensors(ember, arrays, grad), tensors(torch, arrays, grad)
    re, rt = fn(ember, *te), fn(torch, *tt)
    assert type(re).__name__ == type(rt).__name__
    oe, ot = outputs(re), outputs(rt)
    assert len(oe) == len(ot)
    for e, t in zip(oe, ot):
        if t.dtype == torch.int64 and not check_indices:
            assert tuple(e.shape) == tuple(t.shape)
            continue
        assert_close(e, t, rtol, atol)
        assert node_name(e) == node_name(t)
        assert e.requires_grad == t.requires_grad
    if not grad:
        return re, rt
    diff = [(e, t) for e, t in zip(oe, ot) if t.requires_grad]
    leaves = [(a, b) for a, b in zip(te, tt) if isinstance(b, torch.Tensor) and b.requires_grad]
    if not diff or not leaves:
        return re, rt
    weights = _weights([t for _, t in diff])
    le = _weighted_sum(ember, [e for e, _ in diff], weights)
    lt = _weighted_sum(torch, [t for _, t in diff], weights)
    ge = ember.autograd.grad(le, [a for a, _ in leaves], create_graph=double, allow_unused=True)
    gt = torch.autograd.grad(lt, [b for _, b in leaves], create_graph=double, allow_unused=True)
    for e, t in zip(ge, gt):
        if t is None:
            assert e is None or not np.any(e.detach().numpy())
            continue
        assert e is not None
        assert_close(e, t, rtol * 10, atol * 10)
    if double:
        second = [(e, t) for e, t in zip(ge, gt) if t is not None and t.requires_grad]
        if second:
            weights = _weights([t for _, t in second])
            se = _weighted_sum(ember, [e for e, _ in second], weights)
            st = _weighted_sum(torch, [t for _, t in second], weights)
            ge2 = ember.autograd.grad(se, [a for a, _ in leaves], allow_unused=True)
            gt2 = torch.autograd.grad(st, [b for _, b in leaves], allow_unused=True)
            for e, t in zip(ge2, gt2):
                if t is None:
                    assert e is None or not np.any(e.numpy())
                    continue
                assert e is not None
                assert_close(e, t, rtol * 100, atol * 100)
    return re, rt


def error_of(fn):
    try:
        fn()
    except Exception as e:            # noqa: BLE001
        return type(e).__name__, str(e)
    return None


def same_error(fn, *arrays):
    """``fn(lib, *tensors)`` raises the same exception type and text in ember as in torch."""
    t = error_of(lambda: fn(torch, *tensors(torch, arrays, False)))
    e = error_of(lambda: fn(ember, *tensors(ember, arrays, False)))
    assert t is not None, "torch raised nothing"
    assert e == t


def warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
            for w in caught]


def same_warnings(fn, *arrays):
    """``fn(lib, *tensors)`` warns in ember as in torch (torch's C++ suffix ignored)."""
    assert warnings_of(lambda: fn(ember, *tensors(ember, arrays, False))) == warnings_of(
        lambda: fn(torch, *tensors(torch, arrays, False)))


def gradcheck(fn, *arrays, double=True):
    """ember's gradcheck (and gradgradcheck) of ``fn(ember, *tensors)`` in float64."""
    inputs = tensors(ember, [a.astype(np.float64) if isinstance(a, np.ndarray) and
                             a.dtype.kind == "f" else a for a in arrays], True)

    def f(*ts):
        out = fn(ember, *ts)
        return tuple(o for o in outputs(out) if o.dtype.is_floating_point)
    assert ember.autograd.gradcheck(f, inputs)
    if double:
        assert ember.autograd.gradgradcheck(f, inputs)
