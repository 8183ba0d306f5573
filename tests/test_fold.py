"""F.unfold / F.fold and nn.Unfold / nn.Fold against torch."""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")

CASES = [dict(kernel_size=2), dict(kernel_size=(2, 3), padding=1, stride=(2, 1), dilation=(1, 2)),
         dict(kernel_size=3, stride=2)]


@pytest.mark.parametrize("kwargs", CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_unfold_and_fold_match_torch(kwargs, batched):
    shape = (2, 3, 6, 5) if batched else (3, 6, 5)
    x = np.random.default_rng(0).standard_normal(shape)
    res = []
    for lib in (torch, ember):
        t = lib.tensor(x, requires_grad=True)
        cols = lib.nn.functional.unfold(t, **kwargs)
        img = lib.nn.functional.fold(cols * 2, (6, 5), **kwargs)
        (img * img).sum().backward()
        res.append((cols, img, t.grad))
    for a, b in zip(res[0], res[1]):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)
    for a, b in zip(res[0][:2], res[1][:2]):
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    if batched:
        x = ember.tensor(x, requires_grad=True)
        assert gradcheck(lambda t: ember.nn.functional.fold(
            ember.nn.functional.unfold(t, **kwargs) ** 2, (6, 5), **kwargs), (x,))


def test_layers():
    assert repr(torch.nn.Unfold(2, padding=1)) == repr(ember.nn.Unfold(2, padding=1))
    assert repr(torch.nn.Fold((4, 5), 2)) == repr(ember.nn.Fold((4, 5), 2))


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.fold(lib.zeros(1, 5, 4), (3, 3), 2),
    lambda lib: lib.nn.functional.fold(lib.zeros(1, 8, 5), (3, 3), 2),
    lambda lib: lib.nn.functional.unfold(lib.zeros(1, 1, 2, 2), 3),
    lambda lib: lib.nn.functional.unfold(lib.zeros(1, 1, 2, 2), 0),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
