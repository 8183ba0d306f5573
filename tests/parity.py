"""Helpers shared by the tests: the same code run with ember and with real torch, and the
results compared -- values, dtypes, shapes, strides, graph node names, gradients (first and, on
request, second order), exceptions and warnings.

A test writes its code once, taking the library as its first argument, and lets a helper run it
twice::

    same(lambda lib: repr(lib.nn.Linear(2, 3)))          # equal results
    same_error(lambda lib: lib.zeros(2).view(3))           # the same exception and text
    compare(lambda lib, x: lib.amax(x, 1), array)          # values, dtypes, nodes, gradients

``compare`` and its kin turn NumPy arrays into tensors of each library (float ones requiring
grad); other arguments pass as they are.

This module does not import torch: a test module that compares with torch starts with
``torch = pytest.importorskip("torch")``, and so is skipped as a whole where torch is missing,
while the modules that need only ember still run.  A helper that needs torch imports it when
called, and skips the calling test if it is not there.
"""
import sys
import warnings

import numpy as np
import pytest

import ember

# The dtypes ember shares with torch, by name: ``getattr(lib, name)`` in either library.
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def sample(dtype, shape=(2, 3)):
    """A small NumPy array of dtype ``dtype`` (a name) holding negatives, zeros and positives
    (negatives wrap around in unsigned types; bool is ``!= 0``)."""
    return np.asarray(np.arange(int(np.prod(shape))).reshape(shape) % 7 - 2).astype(dtype)


def _torch():
    return pytest.importorskip("torch")


def _is_tensor(x):
    """Whether ``x`` is a tensor of either library (with no torch imported, none is torch's)."""
    torch = sys.modules.get("torch")
    return isinstance(x, ember.Tensor) or (torch is not None and isinstance(x, torch.Tensor))


# ---------------------------------------------------------------- running with both libraries


def both(fn):
    """``(fn(ember), fn(torch))``."""
    return fn(ember), fn(_torch())


def same(fn):
    """``fn(lib)`` gives equal results (``==``) with ember and with torch; returns ember's."""
    e, t = both(fn)
    assert e == t
    return e


def tensors(lib, arrays, grad):
    """The NumPy arrays among ``arrays`` as tensors of ``lib``, other values as they are; float
    tensors require grad if ``grad`` (True or False, or one flag per array)."""
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


def outputs(result):
    """The tensors of a result: a tensor, or a (named) tuple or list of them."""
    if isinstance(result, (tuple, list)):
        return [r for r in result if _is_tensor(r)]
    return [result]


# ---------------------------------------------------------------- looking at tensors


def arr(t):
    """A NumPy copy of a tensor's values (of either library); None stays None."""
    return None if t is None else t.detach().numpy().copy()


def node_name(t):
    """The class name of the node that made ``t`` (``'MulBackward0'``), or None for a leaf."""
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def assert_close(e, t, rtol=1e-5, atol=1e-6):
    """ember's ``e`` has torch's ``t``'s dtype and shape, and its values within ``rtol`` and
    ``atol`` (NaN matches NaN).  Both may be None (a gradient that is not there), not one."""
    if t is None:
        assert e is None, "torch has no gradient here, ember has one"
        return
    assert e is not None, "torch has a gradient here, ember has none"
    assert str(e.dtype) == str(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (tuple(e.shape), tuple(t.shape))
    np.testing.assert_allclose(np.asarray(arr(e), dtype=np.float64),
                               np.asarray(arr(t), dtype=np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


def assert_equal(e, t):
    """ember's ``e`` and torch's ``t`` have the same dtype, shape, requires_grad and values,
    exactly (NaN matches NaN)."""
    assert str(e.dtype) == str(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (tuple(e.shape), tuple(t.shape))
    assert e.requires_grad == t.requires_grad
    np.testing.assert_array_equal(arr(e), arr(t))


def _as_numpy(tree):
    """The tensors of a nested result (tuples, lists, dicts) as NumPy arrays, structure kept."""
    if isinstance(tree, (tuple, list)):
        return type(tree)(_as_numpy(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _as_numpy(v) for k, v in tree.items()}
    return arr(tree) if _is_tensor(tree) else tree


def _assert_same_tree(e, t, rtol, atol):
    assert type(e) is type(t), (type(e), type(t))
    if isinstance(e, (tuple, list)):
        assert len(e) == len(t)
        for a, b in zip(e, t):
            _assert_same_tree(a, b, rtol, atol)
    elif isinstance(e, dict):
        assert list(e) == list(t)
        for k in e:
            _assert_same_tree(e[k], t[k], rtol, atol)
    elif isinstance(e, np.ndarray):
        assert e.shape == t.shape and e.dtype == t.dtype, (e.shape, t.shape, e.dtype, t.dtype)
        np.testing.assert_allclose(e, t, rtol=rtol, atol=atol)
    else:
        assert e == t


def same_tree(fn, *arrays, rtol=1e-10, atol=1e-12):
    """``fn(lib, *tensors)`` (tensors made from ``arrays``, none requiring grad) gives the same
    nested result -- tuples, lists and dicts of tensors and plain values, compared by
    structure, shape, dtype and value -- with ember and torch; returns ember's, as NumPy."""
    e, t = both(lambda lib: _as_numpy(fn(lib, *tensors(lib, arrays, False))))
    _assert_same_tree(e, t, rtol, atol)
    return e


# ---------------------------------------------------------------- whole computations


def backward_both(out_e, out_t, seed=0):
    """Backward from ember's ``out_e`` and torch's ``out_t`` with the same upstream gradient,
    float64 standard normal values drawn with ``seed``."""
    upstream = np.random.default_rng(seed).standard_normal(tuple(out_t.shape))
    out_e.backward(ember.tensor(upstream))
    out_t.backward(_torch().tensor(upstream))


def _weights(outs):
    rng = np.random.default_rng(0)
    return [rng.standard_normal(tuple(t.shape)) for t in outs]


def _weighted_sum(lib, outs, weights):
    total = 0
    for o, w in zip(outs, weights):
        total = total + (o * lib.tensor(w, dtype=o.dtype)).sum()
    return total


def compare(fn, *arrays, grad=True, rtol=1e-5, atol=1e-6, check_indices=True, double=False,
            nodes=True):
    """Runs ``fn(lib, *tensors)`` with ember and with torch and compares each output tensor
    (dtype, shape, values within ``rtol``/``atol``, node name, requires_grad), then the
    gradients of a random weighted sum of the outputs (ten times the tolerances) and, with
    ``double``, the gradients of those gradients (a hundred times).  ``grad``: whether float
    inputs require grad (one flag per array, or one for all).  ``check_indices=False``
    compares only the shape of int64 outputs (the positions of ties may differ).
    ``nodes=False`` skips the node names (for functions ember composes of other operations).
    Returns both results."""
    torch = _torch()
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
        assert not nodes or node_name(e) == node_name(t)
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
    _compare_grads(ge, gt, rtol * 10, atol * 10)
    if double:
        second = [(e, t) for e, t in zip(ge, gt) if t is not None and t.requires_grad]
        if second:
            weights = _weights([t for _, t in second])
            se = _weighted_sum(ember, [e for e, _ in second], weights)
            st = _weighted_sum(torch, [t for _, t in second], weights)
            ge2 = ember.autograd.grad(se, [a for a, _ in leaves], allow_unused=True)
            gt2 = torch.autograd.grad(st, [b for _, b in leaves], allow_unused=True)
            _compare_grads(ge2, gt2, rtol * 100, atol * 100)
    return re, rt


def _compare_grads(ge, gt, rtol, atol):
    """Where torch has no gradient (an unused input), ember has none or only zeros."""
    for e, t in zip(ge, gt):
        if t is None:
            assert e is None or not np.any(arr(e))
            continue
        assert_close(e, t, rtol, atol)


def _flat(out):
    """Everything in a result, nested tuples and lists flattened."""
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [out]


def _run_and_backward(lib, fn, arrays, grad):
    """``fn(lib, *tensors)`` (warnings silenced), then backward from every output that
    requires grad with fixed random weights.  Returns (inputs, flattened outputs)."""
    ins = tensors(lib, arrays, grad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _flat(fn(lib, *ins))
    diff = [o for o in out if isinstance(o, lib.Tensor) and o.requires_grad]
    if diff:
        weights = [lib.tensor(np.random.RandomState(i).standard_normal(tuple(o.shape)).astype(
            o.detach().numpy().dtype)) for i, o in enumerate(diff)]
        lib.autograd.backward(diff, weights)
    return ins, out


def compare_exact(fn, *arrays, grad=True, strides=True):
    """``fn(lib, *tensors)`` in ember and torch gives the same outputs exactly -- values, dtype,
    shape, requires_grad, node name, being a view or not, and (``strides``) the strides of the
    dimensions longer than one and ``is_contiguous()`` -- and the same gradients (within 1e-6)
    for a backward from every output.  Non-tensor outputs are compared with ``==``.  For
    operations that only move or pick elements."""
    torch = _torch()
    e_in, e_out = _run_and_backward(ember, fn, arrays, grad)
    t_in, t_out = _run_and_backward(torch, fn, arrays, grad)
    assert len(e_out) == len(t_out)
    for e, t in zip(e_out, t_out):
        if not isinstance(t, torch.Tensor):
            assert e == t
            continue
        assert_equal(e, t)
        assert node_name(e) == node_name(t)
        assert (e._base is not None) == (t._base is not None)
        if strides:
            if t.numel() > 1:               # (the step of a size-1 dimension is never used)
                assert [s for s, n in zip(e.stride(), e.shape) if n > 1] == \
                    [s for s, n in zip(t.stride(), t.shape) if n > 1]
            assert e.is_contiguous() == t.is_contiguous()
    for e, t in zip(e_in, t_in):
        assert_close(e.grad, t.grad, rtol=1e-6, atol=1e-6)


def gradcheck(fn, *arrays, double=True):
    """ember's gradcheck (and, with ``double``, gradgradcheck) of the float outputs of
    ``fn(ember, *tensors)``, with the float arrays made float64."""
    inputs = tensors(ember, [a.astype(np.float64) if isinstance(a, np.ndarray) and
                             a.dtype.kind == "f" else a for a in arrays], True)

    def f(*ts):
        out = fn(ember, *ts)
        return tuple(o for o in outputs(out) if o.dtype.is_floating_point)
    assert ember.autograd.gradcheck(f, inputs)
    if double:
        assert ember.autograd.gradgradcheck(f, inputs)


# ---------------------------------------------------------------- exceptions and warnings


def error_of(fn, *, ember_as_torch=False):
    """``(exception class name, message)`` of what ``fn()`` raised, or None if it raised
    nothing.  Warnings on the way are silenced; torch's C++ trailer ("Exception raised from
    ...") is dropped.  ``ember_as_torch``: 'ember.' in the message reads as 'torch.', for
    messages that name a class by its module path ('ember.nn.modules.linear.Linear')."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:            # noqa: BLE001 - we compare whatever was raised
        message = str(e).split("\nException raised from")[0]
        if ember_as_torch:
            message = message.replace("ember.", "torch.")
        return type(e).__name__, message
    return None


def same_error(fn, *arrays, ember_as_torch=False):
    """``fn(lib, *tensors)`` (tensors made from ``arrays``, none requiring grad) raises in
    ember the exception torch raises, with the same text; torch must raise."""
    e, t = both(lambda lib: error_of(lambda: fn(lib, *tensors(lib, arrays, False)),
                                     ember_as_torch=ember_as_torch))
    assert t is not None, "torch raised nothing"
    assert e == t


def warnings_of(fn):
    """``[(category name, message), ...]`` of the warnings ``fn()`` gives, each one counted;
    torch's suffix " (Triggered internally at ...)" is dropped."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
            for w in caught]


def same_warnings(fn, *arrays, torch_warns=False):
    """``fn(lib, *tensors)`` gives in ember the warnings torch gives (the same categories and
    texts, in order), none if torch gives none.  With ``torch_warns``, torch must warn, so that
    the check cannot pass on silence."""
    e, t = both(lambda lib: warnings_of(lambda: fn(lib, *tensors(lib, arrays, False))))
    assert t or not torch_warns, "torch gave no warning"
    assert e == t


# ---------------------------------------------------------------- the course's example


def lecture_graph(lib=ember):
    """The lecture's running example, ``a = relu(w*x + b)`` at x = 3, w = 2, b = 1, with w and b
    requiring grad.  Returns ``a`` and ``{name: tensor}`` for x, w, b, u = w*x, v = u + b, a."""
    x = lib.tensor(3.0)
    w = lib.tensor(2.0, requires_grad=True)
    b = lib.tensor(1.0, requires_grad=True)
    u = w * x
    v = u + b
    a = lib.relu(v)
    return a, dict(x=x, w=w, b=b, u=u, v=v, a=a)
