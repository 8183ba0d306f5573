"""Helpers of the complex-number and FFT tests: the same function run with ember and torch on
complex (or real) NumPy inputs, values and gradients compared.

``parity.compare`` makes only float inputs require grad and sums its outputs with real weights;
here complex inputs require grad too, and the loss is the real part of a sum weighted by random
complex numbers, so that every gradient (real and imaginary parts) is exercised.
"""
import numpy as np

import ember
from parity import _torch, node_name


def complex_sample(shape, dtype=np.complex128, seed=0):
    """Random complex values of ``shape`` (standard normal parts)."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def real_sample(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def make(lib, arrays, grad=True):
    """Tensors of ``lib`` from the NumPy arrays; float and complex ones require grad."""
    out = []
    for a in arrays:
        if isinstance(a, np.ndarray):
            t = lib.tensor(a)
            if grad and a.dtype.kind in "fc":
                t.requires_grad_(True)
            out.append(t)
        else:
            out.append(a)
    return out


def _loss(lib, outs):
    rng = np.random.default_rng(1)
    total = 0
    for o in outs:
        shape = tuple(o.shape)
        w = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        weighted = o * lib.tensor(w.astype(np.complex128 if o.dtype == lib.float64 or
                                           o.dtype == lib.complex128 else np.complex64))
        total = total + weighted.real.sum()
    return total


def values(t):
    """A NumPy copy of a tensor's values (torch's numpy() refuses a lazily conjugated one)."""
    return t.detach().resolve_conj().numpy().copy()


def _close(e, t, rtol, atol):
    assert str(e.dtype) == str(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (tuple(e.shape), tuple(t.shape))
    np.testing.assert_allclose(values(e), values(t), rtol=rtol, atol=atol, equal_nan=True)


def compare_complex(fn, *arrays, grad=True, rtol=1e-5, atol=1e-5, nodes=True):
    """``fn(lib, *tensors)`` with ember and torch: outputs (dtype, shape, values, node names)
    and, with ``grad``, the gradients of every input that requires grad."""
    torch = _torch()
    te, tt = make(ember, arrays, grad), make(torch, arrays, grad)
    re, rt = fn(ember, *te), fn(torch, *tt)
    oe = list(re) if isinstance(re, (tuple, list)) else [re]
    ot = list(rt) if isinstance(rt, (tuple, list)) else [rt]
    assert len(oe) == len(ot)
    for e, t in zip(oe, ot):
        _close(e, t, rtol, atol)
        if nodes:
            assert node_name(e) == node_name(t)
    if not grad:
        return re, rt
    diff_e = [o for o in oe if o.requires_grad]
    diff_t = [o for o in ot if o.requires_grad]
    assert len(diff_e) == len(diff_t)
    if diff_t:
        _loss(ember, diff_e).backward()
        _loss(torch, diff_t).backward()
        for e, t in zip(te, tt):
            if isinstance(t, torch.Tensor) and t.requires_grad:
                assert (e.grad is None) == (t.grad is None)
                if t.grad is not None:
                    _close(e.grad, t.grad, rtol * 10, atol * 10)
    return re, rt


def check_gradients(fn, *arrays):
    """ember's gradcheck and gradgradcheck of ``fn(ember, *tensors)`` (complex128 and float64
    inputs)."""
    inputs = make(ember, arrays)

    def f(*ts):
        return fn(ember, *ts)
    assert ember.autograd.gradcheck(f, inputs)
    assert ember.autograd.gradgradcheck(f, inputs)
