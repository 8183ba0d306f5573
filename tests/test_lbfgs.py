"""optim.LBFGS against torch: the iterates, losses and state of a seeded problem, with and
without the strong-Wolfe line search, a short history, and torch's errors."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _train(lib, dtype="float64", steps=3, **kwargs):
    """A small tanh network fitted by LBFGS; its losses, weights and final state."""
    rng = np.random.default_rng(0)
    dt = getattr(lib, dtype)
    w1 = lib.tensor(rng.standard_normal((5, 4)), dtype=dt, requires_grad=True)
    w2 = lib.tensor(rng.standard_normal((1, 5)), dtype=dt, requires_grad=True)
    x = lib.tensor(rng.standard_normal((16, 4)), dtype=dt)
    y = lib.tensor(rng.standard_normal((16, 1)), dtype=dt)
    opt = lib.optim.LBFGS([w1, w2], **kwargs)
    calls = []

    def closure():
        opt.zero_grad()
        loss = ((lib.tanh(x @ w1.T) @ w2.T - y) ** 2).mean()
        loss.backward()
        calls.append(loss.item())
        return loss
    returned = [opt.step(closure).item() for _ in range(steps)]
    return returned, calls, [w1.detach().numpy(), w2.detach().numpy()], opt.state[w1]


def _check(e, t, rtol):
    np.testing.assert_allclose(e[0], t[0], rtol=rtol)
    assert len(e[1]) == len(t[1])                       # the same number of evaluations
    np.testing.assert_allclose(e[1], t[1], rtol=rtol)
    for a, b in zip(e[2], t[2]):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)
    assert list(e[3]) == list(t[3])                     # the state's entries, in torch's order
    for key in ("func_evals", "n_iter", "prev_loss"):
        assert e[3][key] == pytest.approx(t[3][key], rel=rtol)
    assert len(e[3]["old_dirs"]) == len(t[3]["old_dirs"])
    np.testing.assert_allclose(e[3]["d"].numpy(), t[3]["d"].numpy(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_iterates(line_search_fn):
    kwargs = dict(line_search_fn=line_search_fn)
    _check(_train(ember, **kwargs), _train(torch, **kwargs), 1e-8)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_short_history_and_lr(line_search_fn):
    kwargs = dict(line_search_fn=line_search_fn, history_size=4, lr=0.5, max_iter=7)
    _check(_train(ember, **kwargs), _train(torch, **kwargs), 1e-8)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_float32_first_iterations(line_search_fn):
    kwargs = dict(line_search_fn=line_search_fn, max_iter=5)
    _check(_train(ember, "float32", 1, **kwargs), _train(torch, "float32", 1, **kwargs), 1e-5)


def test_lbfgs_stops_at_tolerance_grad():
    kwargs = dict(tolerance_grad=10.0)                  # already optimal at the start
    e, t = _train(ember, **kwargs), _train(torch, **kwargs)
    assert len(e[1]) == len(t[1]) == 3
    assert dict(e[3]) == dict(t[3]) == {"func_evals": 3, "n_iter": 0}


def test_lbfgs_repr_and_defaults():
    same(lambda lib: repr(lib.optim.LBFGS([lib.zeros(2, requires_grad=True)])))
    same(lambda lib: repr(lib.optim.LBFGS([lib.zeros(2, requires_grad=True)], max_iter=8,
                                          line_search_fn="strong_wolfe")))


def test_lbfgs_errors():
    same_error(lambda lib: lib.optim.LBFGS([lib.zeros(2, requires_grad=True)], lr=-1))
    same_error(lambda lib: lib.optim.LBFGS([{"params": [lib.zeros(2, requires_grad=True)]},
                                            {"params": [lib.zeros(2, requires_grad=True)]}]))

    def wrong_search(lib):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.LBFGS([w], line_search_fn="armijo")

        def closure():
            opt.zero_grad()
            loss = (w ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
    same_error(wrong_search)
