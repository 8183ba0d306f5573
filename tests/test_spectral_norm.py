"""nn.utils.spectral_norm / remove_spectral_norm against torch (the random start vectors are
copied from torch so that the power iterations agree)."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("make,shape", [
    (lambda nn: nn.Linear(3, 4), (2, 3)),
    (lambda nn: nn.Conv2d(2, 3, 2), (1, 2, 4, 4)),
    (lambda nn: nn.ConvTranspose1d(2, 3, 2), (1, 2, 4)),
])
def test_spectral_norm_matches_torch(make, shape):
    torch.manual_seed(0)
    t = torch.nn.utils.spectral_norm(make(torch.nn).double(), n_power_iterations=2)
    e = ember.nn.utils.spectral_norm(make(ember.nn).double(), n_power_iterations=2)
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    assert sorted(t.state_dict()) == sorted(e.state_dict())
    x = np.random.default_rng(0).standard_normal(shape)
    for step in range(3):                   # training: the power iteration runs every call
        tx, ex = torch.tensor(x, requires_grad=True), ember.tensor(x, requires_grad=True)
        to, eo = t(tx), e(ex)
        np.testing.assert_allclose(to.detach().numpy(), eo.detach().numpy(), rtol=1e-9)
        to.pow(2).sum().backward()
        eo.pow(2).sum().backward()
        np.testing.assert_allclose(t.weight_orig.grad.numpy(), e.weight_orig.grad.numpy(),
                                   rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(t.weight_u.numpy(), e.weight_u.numpy(), rtol=1e-9)
    t.eval()
    e.eval()
    np.testing.assert_allclose(t(torch.tensor(x)).detach().numpy(),
                               e(ember.tensor(x)).detach().numpy(), rtol=1e-9)
    torch.nn.utils.remove_spectral_norm(t)
    ember.nn.utils.remove_spectral_norm(e)
    assert [n for n, _ in t.named_parameters()] == [n for n, _ in e.named_parameters()]
    np.testing.assert_allclose(t.weight.detach().numpy(), e.weight.detach().numpy(), rtol=1e-9)


def test_errors_match_torch():
    def error(lib, call):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)

    def twice(lib):
        m = lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2))
        lib.nn.utils.spectral_norm(m)

    for call in (twice, lambda lib: lib.nn.utils.remove_spectral_norm(lib.nn.Linear(2, 2)),
                 lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2),
                                                        n_power_iterations=0)):
        assert error(ember, call) == error(torch, call)
