"""pixel_shuffle, pixel_unshuffle, channel_shuffle and their layers against torch."""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")

CASES = [("pixel_shuffle", (2, 8, 2, 3), 2), ("pixel_shuffle", (9, 1, 2), 3),
         ("pixel_unshuffle", (1, 2, 4, 6), 2), ("channel_shuffle", (2, 6, 3), 3),
         ("channel_shuffle", (2, 4, 2, 2), 2)]


@pytest.mark.parametrize("name,shape,factor", CASES)
def test_matches_torch(name, shape, factor):
    x = np.random.default_rng(0).standard_normal(shape)
    res = []
    for lib in (torch, ember):
        t = lib.tensor(x, requires_grad=True)
        out = getattr(lib.nn.functional, name)(t, factor)
        (out * lib.tensor(np.arange(out.numel()).reshape(out.shape) * 1.0)).sum().backward()
        res.append((out, t.grad))
    (to, tg), (eo, eg) = res
    np.testing.assert_array_equal(to.detach().numpy(), eo.detach().numpy())
    np.testing.assert_array_equal(tg.numpy(), eg.numpy())
    assert type(to.grad_fn).__name__ == type(eo.grad_fn).__name__
    assert gradcheck(lambda t: getattr(ember.nn.functional, name)(t, factor),
                     (ember.tensor(x, requires_grad=True),))


def test_layers_and_torch_namespace():
    for cls, arg in (("PixelShuffle", 2), ("PixelUnshuffle", 3), ("ChannelShuffle", 2)):
        assert repr(getattr(torch.nn, cls)(arg)) == repr(getattr(ember.nn, cls)(arg))
    x = ember.randn(1, 4, 2, 2)
    assert ember.pixel_shuffle(x, 2).shape == (1, 1, 4, 4)
    assert ember.nn.PixelUnshuffle(2)(ember.nn.PixelShuffle(2)(x)).equal(x)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.pixel_shuffle(lib.zeros(2, 3), 2),
    lambda lib: lib.nn.functional.pixel_shuffle(lib.zeros(1, 5, 2, 2), 2),
    lambda lib: lib.nn.functional.pixel_shuffle(lib.zeros(1, 4, 2, 2), 0),
    lambda lib: lib.nn.functional.pixel_unshuffle(lib.zeros(1, 4, 3, 2), 2),
    lambda lib: lib.nn.functional.pixel_unshuffle(lib.zeros(1, 4, 2, 3), 2),
    lambda lib: lib.nn.functional.channel_shuffle(lib.zeros(1, 5, 2), 2),
    lambda lib: lib.nn.functional.channel_shuffle(lib.zeros(5), 2),
    lambda lib: lib.nn.functional.channel_shuffle(lib.zeros(1, 4, 2), 0),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
