"""nn.utils (gradient clipping, parameters <-> vector) against torch."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from parity import arr, both, error_of, same, same_error

torch = pytest.importorskip("torch")


def params_with_grads(lib, grads, dtype=None):
    """Parameters holding the given gradients (None: no gradient)."""
    params = []
    for g in grads:
        p = lib.nn.Parameter(lib.zeros(np.shape(g) if g is not None else 2, dtype=dtype))
        if g is not None:
            p.grad = lib.tensor(g, dtype=p.dtype)
        params.append(p)
    return params


GRADS = [np.array([[3.0, -4.0], [1.0, 0.5]]), None, np.array([-2.0, 0.25, 6.0])]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), "inf", 0, -float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_(norm_type, max_norm):
    def run(lib):
        params = params_with_grads(lib, GRADS)
        total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        return (repr(total), str(total.dtype), total.dim(),
                [arr(p.grad) for p in params])
    e, t = both(run)
    assert e[:3] == t[:3]
    for ge, gt in zip(e[3], t[3]):
        if gt is None:
            assert ge is None
        else:
            np.testing.assert_allclose(ge, gt, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(shapes=st.lists(st.lists(st.integers(1, 4), min_size=0, max_size=3), min_size=1,
                       max_size=4),
       max_norm=st.floats(0.01, 10), seed=st.integers(0, 2 ** 16),
       dtype=st.sampled_from(["float32", "float64"]))
def test_clip_grad_norm_random(shapes, max_norm, seed, dtype):
    rng = np.random.default_rng(seed)
    grads = [rng.standard_normal(s) for s in shapes]

    def run(lib):
        params = params_with_grads(lib, grads, dtype=getattr(lib, dtype))
        total = lib.nn.utils.clip_grad_norm_(iter(params), max_norm)
        return arr(total), [arr(p.grad) for p in params], str(total.dtype)
    (te, ge, de), (tt, gt, dt) = both(run)
    assert de == dt
    np.testing.assert_allclose(te, tt, rtol=1e-5)
    for a, b in zip(ge, gt):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_special_cases():
    def run(lib):
        utils = lib.nn.utils
        out = []
        m = lib.nn.Linear(3, 2)
        out.append(repr(utils.clip_grad_norm_(m.parameters(), 1.0)))        # no gradients yet
        single = lib.nn.Parameter(lib.ones(2))
        single.grad = lib.tensor([3.0, 4.0])
        out.append(repr(utils.clip_grad_norm_(single, 1.0, norm_type=1)))
        out.append(arr(single.grad).tolist())
        grad = single.grad
        utils.clip_grad_norm_([single], 0.1)
        out.append(single.grad is grad)                                       # scaled in place
        mixed = params_with_grads(lib, [np.array([3.0, 3.0])], dtype=lib.float64) + \
            params_with_grads(lib, [np.array([4.0, 4.0])])
        out.append(repr(utils.clip_grad_norm_(mixed, 1.0)))
        bad = params_with_grads(lib, [np.array([np.nan, 1.0])])
        out.append(error_of(lambda: utils.clip_grad_norm_(bad, 1.0, error_if_nonfinite=True)))
        out.append(repr(utils.clip_grad_norm_(bad, 1.0)))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            utils.clip_grad_norm(params_with_grads(lib, GRADS), 1.0)
        out.append([(c.category.__name__, str(c.message)) for c in w])
        total = utils.get_total_norm([lib.tensor([3.0, 4.0]), lib.tensor([12.0])])
        out.append(repr(total))
        return out
    same(run)


def test_clip_grad_value_():
    def run(lib):
        params = params_with_grads(lib, GRADS + [np.array([np.nan, -0.1])])
        result = lib.nn.utils.clip_grad_value_(params, 0.5)
        single = lib.nn.Parameter(lib.ones(2))
        single.grad = lib.tensor([3.0, -4.0])
        lib.nn.utils.clip_grad_value_(single, 1)
        return (result, [None if p.grad is None else arr(p.grad).tolist() for p in params],
                arr(single.grad).tolist(),
                error_of(lambda: lib.nn.utils.clip_grad_value_(params, "a")))
    e, t = both(run)
    assert repr(e) == repr(t)                 # nan == nan only as text


def test_parameters_to_vector_and_back():
    def run(lib):
        utils = lib.nn.utils
        m = lib.nn.Linear(3, 2)
        vec = utils.parameters_to_vector(m.parameters())
        new = lib.arange(8.0)
        r = utils.vector_to_parameters(new, m.parameters())
        with lib.no_grad():
            new[0] = 100.0                              # the parameters share its memory
        return (tuple(vec.shape), type(vec.grad_fn).__name__, r, arr(m.weight).tolist(),
                arr(m.bias).tolist(), type(m.weight).__name__, m.weight.requires_grad,
                arr(utils.parameters_to_vector([m.bias, m.weight])).tolist())
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib, m: lib.nn.utils.vector_to_parameters([1, 2], m.parameters()),
    lambda lib, m: lib.nn.utils.vector_to_parameters(lib.arange(3.0), m.parameters()),
], ids=["not-a-tensor", "too-short"])
def test_vector_to_parameters_errors(case):
    same_error(lambda lib: case(lib, lib.nn.Linear(3, 2)))
