"""Rprop and ASGD against torch: trajectories on a small least-squares problem, reprs, state
dict layout and constructor errors."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

rng = np.random.RandomState(0)
W0 = rng.randn(5, 3).astype(np.float32)
X = rng.randn(8, 5).astype(np.float32)
Y = rng.randn(8, 3).astype(np.float32)


def _trajectory(lib, name, kwargs, steps=40):
    w = lib.tensor(W0.copy(), requires_grad=True)
    opt = getattr(lib.optim, name)([w], **kwargs)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((lib.tensor(X) @ w - lib.tensor(Y)) ** 2).mean()
        (-loss if kwargs.get("maximize") else loss).backward()
        opt.step()
        history.append(w.detach().numpy().copy())
    return history, opt


CONFIGS = [("Rprop", dict()), ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.1))),
           ("Rprop", dict(maximize=True)), ("ASGD", dict()),
           ("ASGD", dict(lr=0.05, lambd=1e-2, alpha=0.5, t0=10, weight_decay=0.1)),
           ("ASGD", dict(t0=0, maximize=True))]


@pytest.mark.parametrize("name,kwargs", CONFIGS)
def test_follows_torch(name, kwargs):
    mine, opt_e = _trajectory(ember, name, kwargs)
    theirs, opt_t = _trajectory(torch, name, kwargs)
    for step, (a, b) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6, err_msg="step {}".format(step))
    assert repr(opt_e) == repr(opt_t)
    se, st = opt_e.state_dict(), opt_t.state_dict()
    assert se["param_groups"] == st["param_groups"]
    assert sorted(se["state"][0]) == sorted(st["state"][0])
    for key, value in st["state"][0].items():
        np.testing.assert_allclose(se["state"][0][key].numpy(), value.numpy(), rtol=2e-5,
                                   atol=2e-6)
        assert str(se["state"][0][key].dtype) == str(value.dtype)


@pytest.mark.parametrize("call", [
    lambda L: L.optim.Rprop([L.zeros(2, requires_grad=True)], lr=-1),
    lambda L: L.optim.Rprop([L.zeros(2, requires_grad=True)], etas=(1.5, 1.2)),
    lambda L: L.optim.ASGD([L.zeros(2, requires_grad=True)], lr=-1),
    lambda L: L.optim.ASGD([L.zeros(2, requires_grad=True)], weight_decay=-1),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
