"""Checks shared by the tests of ``ember.distributions`` (tests/test_distributions_*.py): one
distribution built by ember and by torch from the same recipe, compared on everything torch
offers (repr, shapes, support, log_prob, moments, entropy, cdf/icdf, expand, samples)."""
import numpy as np

import ember
from parity import assert_close


def _value(lib, value):
    t = lib.tensor(value)
    return t.float() if t.dtype == lib.float64 else t


def _attribute(d, name, value, lib):
    """d.name, d.name() or d.name(value), or None when torch's raises NotImplementedError."""
    try:
        attr = getattr(d, name)
        if name == "entropy":
            return attr()
        if name == "cdf":
            return attr(value)
        if name == "icdf":
            return attr(lib.full_like(value, 0.3))
        return attr
    except NotImplementedError:
        return None


def check_against_torch(make, value, torch, rtol=1e-5, atol=1e-6, exact_samples=True):
    """``make(lib)`` built by ember and torch agrees in every respect; ``value`` is a point of
    the support.  ``exact_samples``: seeded samples are equal bit for bit (else to rtol)."""
    e, t = make(ember), make(torch)
    assert repr(e) == repr(t)
    assert tuple(e.batch_shape) == tuple(t.batch_shape)
    assert tuple(e.event_shape) == tuple(t.event_shape)
    assert e.has_rsample == t.has_rsample
    assert repr(e.support) == repr(t.support)
    assert sorted(e.arg_constraints) == sorted(t.arg_constraints)
    ve, vt = _value(ember, value), _value(torch, value)
    assert_close(e.log_prob(ve), t.log_prob(vt), rtol, atol)
    for name in ("mean", "mode", "variance", "stddev", "entropy", "cdf", "icdf"):
        expected = _attribute(t, name, vt, torch)
        if expected is not None:
            assert_close(_attribute(e, name, ve, ember), expected.detach(), rtol, atol)
    big_e, big_t = e.expand((3,) + tuple(e.batch_shape)), t.expand((3,) + tuple(t.batch_shape))
    assert type(big_e).__name__ == type(big_t).__name__
    assert tuple(big_e.batch_shape) == tuple(big_t.batch_shape)
    assert_close(big_e.log_prob(ve), big_t.log_prob(vt), rtol, atol)
    check_samples(e, t, torch, exact_samples)


def check_samples(e, t, torch, exact=True, shapes=((), (5,), (2, 3))):
    """Seeded samples of ember's ``e`` and torch's ``t`` agree (``exact``: bit for bit, else to
    float32 roundings), and the generators are left in the same place."""
    for seed, shape in enumerate(shapes):
        torch.manual_seed(seed)
        ember.manual_seed(seed)
        draw = "rsample" if t.has_rsample else "sample"
        a, b = getattr(t, draw)(shape), getattr(e, draw)(shape)
        assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
        if exact:
            np.testing.assert_array_equal(b.detach().numpy(), a.detach().numpy())
        else:
            np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-5,
                                       atol=1e-6)
        assert ember.rand(2).tolist() == torch.rand(2).tolist()
