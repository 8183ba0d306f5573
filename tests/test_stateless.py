"""nn.utils.stateless.functional_call against torch."""
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _model(lib):
    m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2)).double()
    m[2].weight = m[2].weight            # (a parameter; tying is tested below)
    return m


def test_functional_call_matches_torch():
    rng = np.random.default_rng(0)
    values = {"0.weight": rng.standard_normal((4, 3)), "0.bias": rng.standard_normal(4),
              "2.weight": rng.standard_normal((2, 4)), "2.bias": rng.standard_normal(2)}
    x = rng.standard_normal((5, 3))
    res = []
    for lib in (torch, ember):
        m = _model(lib)
        before = [p.detach().numpy().copy() for p in m.parameters()]
        params = {k: lib.tensor(v, requires_grad=True) for k, v in values.items()}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = lib.nn.utils.stateless.functional_call(m, params, (lib.tensor(x),))
        out.sum().backward()
        after = [p.detach().numpy() for p in m.parameters()]
        assert all(np.array_equal(a, b) for a, b in zip(before, after))
        res.append((out.detach().numpy(), params["0.weight"].grad.numpy(),
                    [str(c.message) for c in caught]))
    np.testing.assert_allclose(res[0][0], res[1][0], rtol=1e-12)
    np.testing.assert_allclose(res[0][1], res[1][1], rtol=1e-12)
    assert res[0][2] == res[1][2]


def test_tied_weights_and_strict():
    def run(lib):
        m = lib.nn.Sequential(lib.nn.Linear(2, 2, bias=False), lib.nn.Linear(2, 2, bias=False))
        m[1].weight = m[0].weight
        w = lib.ones(2, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = lib.nn.utils.stateless.functional_call(m, {"0.weight": w}, lib.ones(1, 2))
            try:
                lib.nn.utils.stateless.functional_call(m, {"0.weight": w, "1.weight": w * 2},
                                                       lib.ones(1, 2))
            except ValueError as exc:
                tied_error = str(exc)
            try:
                lib.nn.utils.stateless.functional_call(m, {"2.weight": w}, lib.ones(1, 2),
                                                       strict=True)
            except RuntimeError as exc:
                strict_error = str(exc)
        return out.tolist(), tied_error, strict_error
    assert run(ember) == run(torch)


def test_skip_init():
    ember.manual_seed(0)
    expected = ember.rand(3)
    ember.manual_seed(0)
    m = ember.nn.utils.skip_init(ember.nn.Linear, 3, 4, device="cpu")
    assert isinstance(m, ember.nn.Linear) and tuple(m.weight.shape) == (4, 3)
    assert ember.rand(3).equal(expected)            # no random numbers were used up

    def error(lib, cls):
        try:
            lib.nn.utils.skip_init(cls)
        except RuntimeError as exc:
            return str(exc)
    assert error(ember, ember.nn.ReLU) == error(torch, torch.nn.ReLU)
