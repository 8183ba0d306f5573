"""The QR decomposition and Householder reflectors (``ember/_ops/linalg/qr.py``) against torch:
values (LAPACK's geqrf fixes the signs, so Q and R compare directly), gradients, node names,
return types, gradcheck, errors, warnings and hypothesis over shapes."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from parity import arr, compare, gradcheck, same_error

torch = pytest.importorskip("torch")

SHAPES = [(4, 3), (3, 4), (3, 3), (2, 5, 3), (2, 3, 5), (2, 1, 4, 4)]


def _matrix(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_values_and_gradients_match_torch(shape, mode):
    differentiable = mode == "reduced" or shape[-2] <= shape[-1]
    compare(lambda lib, a: tuple(lib.linalg.qr(a, mode=mode)), _matrix(shape), rtol=1e-7,
            atol=1e-9, grad=differentiable)
    compare(lambda lib, a: lib.linalg.qr(a, mode=mode).R, _matrix(shape), rtol=1e-7,
            atol=1e-9, grad=differentiable)
    compare(lambda lib, a: lib.linalg.qr(a, mode=mode).Q, _matrix(shape), rtol=1e-7,
            atol=1e-9, grad=differentiable)


def test_mode_r_types_and_old_qr():
    a = _matrix((2, 4, 3))
    compare(lambda lib, x: tuple(lib.linalg.qr(x, mode="r")), a, grad=False)
    for dtype in (np.float32, np.float64):
        re = ember.linalg.qr(ember.tensor(a.astype(dtype)))
        assert type(re).__name__ == "linalg_qr" and re._fields == ("Q", "R")
        assert str(re.Q.dtype) == str(torch.tensor(a.astype(dtype)).dtype)
    for some in (True, False):
        compare(lambda lib, x: tuple(lib.qr(x, some=some)), a, rtol=1e-7, atol=1e-9,
                grad=some)
        compare(lambda lib, x: tuple(x.qr(some)), a, rtol=1e-7, atol=1e-9, grad=some)
    assert type(ember.qr(ember.tensor(a))).__name__ == "qr"     # (its warning: test_linalg_top_level)


def test_qr_backward_errors_match_torch():
    a = _matrix((4, 3))

    def backward_error(lib, mode, x):
        t = lib.tensor(x, requires_grad=True)
        try:
            lib.linalg.qr(t, mode=mode).R.sum().backward()
        except RuntimeError as e:
            return str(e)
    for mode in ("r", "complete"):
        message = backward_error(ember, mode, a)
        assert message is not None and message == backward_error(torch, mode, a)


def test_gradcheck():
    a = _matrix((2, 4, 3))
    gradcheck(lambda lib, x: tuple(lib.linalg.qr(x)), a)
    gradcheck(lambda lib, x: tuple(lib.linalg.qr(x.mT)), a)
    gradcheck(lambda lib, x: tuple(lib.linalg.qr(x[..., :3, :], mode="complete")), a)
    h = ember.geqrf(ember.tensor(_matrix((4, 3), 1)))
    gradcheck(lambda lib, x, tau: lib.linalg.householder_product(x, tau), arr(h.a), arr(h.tau),
              double=False)


def test_geqrf_householder_product_orgqr_ormqr_match_torch():
    a = _matrix((2, 4, 3))
    compare(lambda lib, x: tuple(lib.geqrf(x)), a, grad=False, rtol=1e-7, atol=1e-9)
    compare(lambda lib, x: tuple(x.geqrf()), a, grad=False, rtol=1e-7, atol=1e-9)
    h = torch.geqrf(torch.tensor(a))
    ha, tau = h.a.numpy(), h.tau.numpy()
    for k in (3, 2, 1):
        compare(lambda lib, x, t: lib.linalg.householder_product(x, t[..., :k]), ha, tau,
                rtol=1e-7, atol=1e-9, nodes=False)
    compare(lambda lib, x, t: lib.linalg.householder_product(x, t[..., :0]), ha, tau,
            grad=False)                  # no reflector: the identity
    compare(lambda lib, x, t: lib.orgqr(x, t), ha, tau, rtol=1e-7, atol=1e-9, nodes=False)
    compare(lambda lib, x, t: x.orgqr(t), ha, tau, rtol=1e-7, atol=1e-9, nodes=False)
    for left in (True, False):
        for transpose in (True, False):
            other = _matrix((2, 4, 2) if left else (2, 2, 4), 2)
            compare(lambda lib, x, t, c: lib.ormqr(x, t, c, left, transpose), ha, tau, other,
                    rtol=1e-7, atol=1e-9, nodes=False)
            compare(lambda lib, x, t, c: x.ormqr(t, c, left, transpose), ha, tau, other,
                    rtol=1e-7, atol=1e-9, nodes=False)
    # the reflectors rebuild the Q of linalg.qr
    assert np.allclose(arr(ember.linalg.householder_product(ember.tensor(ha), ember.tensor(tau))),
                       arr(ember.linalg.qr(ember.tensor(a)).Q))


def test_errors_match_torch():
    same_error(lambda lib, x: lib.linalg.qr(x, mode="x"), np.ones((3, 3)))
    same_error(lambda lib, x: lib.linalg.qr(x), np.ones(3))
    same_error(lambda lib, x: lib.linalg.qr(x), np.ones((3, 3), np.int64))
    same_error(lambda lib, x, t: lib.linalg.householder_product(x, t), np.ones((4, 3)),
               np.ones(4))
    same_error(lambda lib, x, t: lib.linalg.householder_product(x, t), np.ones((3, 4)),
               np.ones(3))
    same_error(lambda lib, x, t: lib.linalg.householder_product(x, t.float()), np.ones((4, 3)),
               np.ones(3))
    same_error(lambda lib, x, t: lib.linalg.householder_product(x, t), np.ones(3), np.ones(3))
    same_error(lambda lib, x, t, c: lib.ormqr(x, t, c), np.ones((4, 3)), np.ones(3),
               np.ones((3, 2)))
    same_error(lambda lib, x: lib.geqrf(x)[0].sum().backward(),
               np.ones((3, 3)))     # (no grad: torch's error is about grad, checked below)
    x = ember.tensor(_matrix((3, 3)), requires_grad=True)
    with pytest.raises(NotImplementedError, match="the derivative for 'geqrf' is not implemented"):
        ember.geqrf(x).a.sum().backward()


def test_empty_matrices():
    for shape in [(0, 3), (3, 0), (2, 0, 0)]:
        for mode in ("reduced", "complete"):
            compare(lambda lib, x: tuple(lib.linalg.qr(x, mode=mode)), np.ones(shape),
                    grad=False)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(batch=st.lists(st.integers(1, 3), max_size=2), m=st.integers(1, 5),
       n=st.integers(1, 5), scale=st.sampled_from([1e-6, 1.0, 1e6]),
       seed=st.integers(0, 2 ** 16))
def test_hypothesis_shapes_and_scales(batch, m, n, scale, seed):
    """Any batch and shape, badly scaled columns: Q and R as torch's, Q R = A."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(tuple(batch) + (m, n)) * np.logspace(0, np.log10(scale), n)
    re, rt = ember.linalg.qr(ember.tensor(a)), torch.linalg.qr(torch.tensor(a))
    top = np.abs(a).max()
    assert np.allclose(arr(re.Q), arr(rt.Q), atol=1e-8)
    assert np.allclose(arr(re.R), arr(rt.R), atol=1e-10 * top)
    assert np.allclose(arr(re.Q) @ arr(re.R), a, atol=1e-10 * top)
