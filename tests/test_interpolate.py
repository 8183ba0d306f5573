"""F.interpolate and the Upsample layers against torch: values, gradients, node names, reprs
and errors."""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")

CASES = [
    ("nearest", (1, 2, 5), dict(scale_factor=2)),
    ("nearest", (1, 2, 5, 4), dict(size=(7, 3))),
    ("nearest", (1, 1, 3, 4, 2), dict(scale_factor=1.5)),
    ("nearest-exact", (1, 2, 5, 4), dict(size=(3, 7))),
    ("linear", (2, 2, 5), dict(scale_factor=2.5)),
    ("bilinear", (1, 2, 5, 4), dict(size=(7, 3))),
    ("bilinear", (1, 2, 5, 4), dict(scale_factor=2, align_corners=True)),
    ("bilinear", (1, 2, 5, 4), dict(scale_factor=0.7, recompute_scale_factor=True)),
    ("bicubic", (1, 2, 5, 4), dict(size=(8, 6))),
    ("bicubic", (1, 2, 5, 4), dict(scale_factor=2, align_corners=True)),
    ("trilinear", (1, 1, 3, 4, 2), dict(scale_factor=2)),
    ("area", (1, 2, 6, 4), dict(size=(3, 2))),
]


@pytest.mark.parametrize("mode,shape,kwargs", CASES)
def test_matches_torch(mode, shape, kwargs):
    x = np.random.default_rng(0).standard_normal(shape)
    res = []
    for lib in (torch, ember):
        t = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.interpolate(t, mode=mode, **kwargs)
        (out * lib.tensor(np.arange(out.numel()).reshape(out.shape) % 7 * 1.0)).sum().backward()
        res.append((out, t.grad))
    (to, tg), (eo, eg) = res
    np.testing.assert_allclose(to.detach().numpy(), eo.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tg.numpy(), eg.numpy(), rtol=1e-10, atol=1e-12)
    assert type(to.grad_fn).__name__ == type(eo.grad_fn).__name__
    assert gradcheck(lambda t: ember.nn.functional.interpolate(t, mode=mode, **kwargs),
                     (ember.tensor(x, requires_grad=True),))


def test_layers():
    for make in (lambda nn: nn.Upsample(scale_factor=2),
                 lambda nn: nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True),
                 lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
                 lambda nn: nn.UpsamplingBilinear2d(size=3)):
        t, e = make(torch.nn), make(ember.nn)
        assert repr(t) == repr(e)
        x = np.random.default_rng(1).standard_normal((1, 2, 3, 5)).astype(np.float32)
        np.testing.assert_allclose(t(torch.tensor(x)).numpy(), e(ember.tensor(x)).numpy(),
                                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.nn.functional.interpolate(x, mode="nearest", align_corners=True),
    lambda lib, x: lib.nn.functional.interpolate(x),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, scale_factor=2),
    lambda lib, x: lib.nn.functional.interpolate(x[0], scale_factor=2, mode="bilinear"),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=2, mode="foo"),
    lambda lib, x: lib.nn.functional.interpolate(x, size=(1, 2, 3)),
    lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=(1, 2, 3)),
    lambda lib, x: lib.nn.functional.interpolate(x, size=3, recompute_scale_factor=True),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib, lib.zeros(1, 2, 5, 4))
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
