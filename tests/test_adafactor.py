"""optim.Adafactor against torch: updates of matrices, higher-dimensional tensors, vectors and
scalars, every option, state, repr and errors."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (2, 3, 5), (4,), ()]


def _run(lib, dtype, **kwargs):
    rng = np.random.default_rng(0)
    dt = getattr(lib, dtype)
    params = [lib.tensor(rng.standard_normal(s), dtype=dt, requires_grad=True) for s in SHAPES]
    opt = lib.optim.Adafactor(params, **kwargs)
    for i in range(5):
        opt.zero_grad()
        sum((p ** 3).sum() * (i + 1) for p in params).backward()
        opt.step()
    return [p.detach().numpy() for p in params], opt.state_dict()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [
    {}, dict(lr=0.1, weight_decay=0.1, maximize=True, d=2.0, eps=(1e-20, 1e-2),
             beta2_decay=-0.5)])
def test_adafactor_updates(dtype, kwargs):
    (pe, se), (pt, st) = _run(ember, dtype, **kwargs), _run(torch, dtype, **kwargs)
    tol = 1e-6 if dtype == "float32" else 1e-14
    for a, b in zip(pe, pt):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    assert se["param_groups"] == st["param_groups"]
    for i in range(len(SHAPES)):
        assert list(se["state"][i]) == list(st["state"][i])
        for key, value in st["state"][i].items():
            assert tuple(se["state"][i][key].shape) == tuple(value.shape)
            assert str(se["state"][i][key].dtype) == str(value.dtype)
            np.testing.assert_allclose(se["state"][i][key].numpy(), value.numpy(), rtol=1e-5)


def test_adafactor_state_dict_round_trip():
    _, state = _run(torch, "float32")
    params = [ember.zeros(s, requires_grad=True) for s in SHAPES]
    opt = ember.optim.Adafactor(params)
    opt.load_state_dict({"state": {k: {n: ember.tensor(v.numpy()) for n, v in s.items()}
                                   for k, s in state["state"].items()},
                         "param_groups": state["param_groups"]})
    assert float(opt.state[params[0]]["step"]) == 5.0


def test_adafactor_repr():
    same(lambda lib: repr(lib.optim.Adafactor([lib.zeros(2, requires_grad=True)])))


@pytest.mark.parametrize("kwargs", [dict(lr=-1.0), dict(beta2_decay=0.5), dict(eps=(-1, 1e-3)),
                                    dict(eps=(None, -1)), dict(d=0.5), dict(weight_decay=-1)])
def test_adafactor_errors(kwargs):
    same_error(lambda lib: lib.optim.Adafactor([lib.zeros(2, requires_grad=True)], **kwargs))
