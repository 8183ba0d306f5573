"""Lazy layers and uninitialized parameters against torch: reprs before and after the first
forward pass, state dicts, optimizers built before it, load_state_dict, errors."""
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _story(lib):
    """What a user sees of the lazy layers, as text."""
    out = []
    nn = lib.nn
    m = nn.LazyLinear(3)
    out += [repr(m), repr(m.weight), type(m.weight).__name__, list(m.state_dict())]
    opt = lib.optim.SGD(m.parameters(), lr=0.1)
    try:
        m.weight.shape
    except RuntimeError as exc:
        out.append(str(exc))
    y = m(lib.ones(2, 4))
    out += [repr(m), tuple(y.shape), type(m.weight).__name__]
    y.sum().backward()
    opt.step()
    c = nn.LazyConv2d(4, 3, padding=1, bias=False)
    out.append(repr(c))
    c(lib.ones(1, 2, 5, 5))
    out += [repr(c), tuple(c.weight.shape)]
    b = nn.LazyBatchNorm1d()
    out += [repr(b), list(b.state_dict())]
    b(lib.ones(4, 3))
    out.append(repr(b))
    i = nn.LazyInstanceNorm2d()
    out.append(repr(i))
    i(lib.ones(1, 3, 4, 4))
    out.append(repr(i))
    t = nn.LazyConvTranspose1d(2, 3, stride=2)
    out.append(repr(t))
    t(lib.ones(1, 5, 4))
    out += [repr(t), tuple(t.weight.shape)]
    m2 = nn.LazyLinear(3)
    m2.load_state_dict(nn.Linear(4, 3).state_dict())
    out += [repr(m2), tuple(m2.weight.shape)]
    out.append(repr(nn.UninitializedParameter()) + repr(nn.UninitializedBuffer()))
    out.append(nn.parameter.is_lazy(nn.LazyLinear(2).weight))
    return out


def test_story_matches_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _story(ember) == _story(torch)


def test_initialised_as_the_ordinary_layer():
    ember.manual_seed(3)
    lazy = ember.nn.LazyLinear(3)
    lazy(ember.ones(1, 4))
    ember.manual_seed(3)
    plain = ember.nn.Linear(4, 3)
    np.testing.assert_array_equal(lazy.weight.detach().numpy(), plain.weight.detach().numpy())
    np.testing.assert_array_equal(lazy.bias.detach().numpy(), plain.bias.detach().numpy())


def test_wrong_input_dimensions_match_torch():
    def error(lib):
        try:
            lib.nn.LazyConv2d(4, 3)(lib.ones(5, 5))
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc).replace("torch.Size", "Size")
    e, t = error(ember), error(torch)
    assert e[0] == t[0] and e[1].split(",")[0] == t[1].split(",")[0]
