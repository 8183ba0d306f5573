"""nn.utils.weight_norm / remove_weight_norm against torch."""
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_matches_torch(dim):
    w = np.random.default_rng(0).standard_normal((4, 3))
    x = np.random.default_rng(1).standard_normal((2, 3))
    res = []
    for lib in (torch, ember):
        m = lib.nn.Linear(3, 4).double()
        with lib.no_grad():
            m.weight.copy_(lib.tensor(w))
            m.bias.fill_(0.5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.utils.weight_norm(m, dim=dim)
        names = [n for n, _ in m.named_parameters()]
        out = m(lib.tensor(x))
        out.pow(2).sum().backward()
        grads = (m.weight_g.grad.numpy().copy(), m.weight_v.grad.numpy().copy())
        shape_g = tuple(m.weight_g.shape)
        lib.nn.utils.remove_weight_norm(m)
        res.append((names, out.detach().numpy(), grads, shape_g,
                    [n for n, _ in m.named_parameters()], [str(c.message) for c in caught],
                    m.weight.detach().numpy()))
    t, e = res
    assert t[0] == e[0] and t[3] == e[3] and t[4] == e[4] and t[5] == e[5]
    for a, b in [(t[1], e[1]), (t[2][0], e[2][0]), (t[2][1], e[2][1]), (t[6], e[6])]:
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_errors_match_torch():
    def error(lib, call):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)

    def twice(lib):
        m = lib.nn.Linear(2, 2)
        lib.nn.utils.weight_norm(m)
        lib.nn.utils.weight_norm(m)

    assert error(ember, twice) == error(torch, twice)
    not_there = lambda lib: lib.nn.utils.remove_weight_norm(lib.nn.Linear(2, 2))  # noqa: E731
    assert error(ember, not_there) == error(torch, not_there)
