"""Dropout: statistics of the masks (fraction dropped, scaling, mean kept), whole-channel masks
for the feature variants, alpha dropout's values, eval identity, reproducibility, in-place use,
node names, errors and the modules' reprs, checked against torch where it is deterministic."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F
from parity import node_name, same_error, same_warnings

torch = pytest.importorskip("torch")
TF = torch.nn.functional

SETTINGS = settings(max_examples=20, deadline=None)
N = 20000                   # elements for the statistical checks: std of a fraction < 0.0036


@SETTINGS
@given(p=st.floats(0.05, 0.95), dtype=st.sampled_from([np.float32, np.float64]))
def test_dropout_statistics_and_scaling(p, dtype):
    x = ember.ones(N, dtype=ember.float32 if dtype == np.float32 else ember.float64,
                   requires_grad=True)
    out = F.dropout(x, p)
    values = out.detach().numpy()
    kept = values != 0
    assert abs(1 - kept.mean() - p) < 0.02                       # fraction zeroed ~ p
    reference = TF.dropout(torch.ones(N, dtype=torch.float32 if dtype == np.float32
                                      else torch.float64), p)
    scale = reference.numpy()[reference.numpy() != 0][0]         # torch's 1 / (1 - p)
    assert np.all(values[kept] == scale)
    assert abs(values.mean() - 1) < 0.1 / (1 - p) ** 0.5         # the mean is kept
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)        # gradient: the same mask
    assert node_name(out) == node_name(reference.requires_grad_() * 1) == "MulBackward0"


def test_dropout_eval_and_edge_probabilities_match_torch():
    x = ember.randn(5, requires_grad=True)
    assert F.dropout(x, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert nn.Dropout().eval()(x) is x
    zeros = F.dropout(x, 1.0)
    assert zeros.tolist() == [0.0] * 5 and node_name(zeros) == "MulBackward0"
    empty = ember.ones(0)
    assert F.dropout(empty) is empty
    assert F.alpha_dropout(x) is x                              # training defaults to False


def test_dropout_is_reproducible_with_manual_seed():
    ember.manual_seed(3)
    a = F.dropout(ember.ones(100))
    ember.manual_seed(3)
    b = F.dropout(ember.ones(100))
    c = F.dropout(ember.ones(100))
    assert a.tolist() == b.tolist() != c.tolist()


@pytest.mark.parametrize("fn, shape, lead", [(F.dropout1d, (40, 50, 6), 2),
                                             (F.dropout1d, (2000, 6), 1),
                                             (F.dropout2d, (40, 50, 3, 2), 2),
                                             (F.dropout3d, (40, 50, 2, 2, 2), 2),
                                             (F.dropout3d, (2000, 2, 2, 2), 1)])
def test_feature_dropout_zeroes_whole_channels(fn, shape, lead):
    """``lead`` dimensions (batch and channel, or only channel) index the channels."""
    x = ember.ones(*shape, requires_grad=True)
    out = fn(x, 0.3)
    assert out.shape == x.shape
    values = out.detach().numpy()
    per_channel = values.reshape(int(np.prod(shape[:lead])), -1)
    assert np.all(per_channel == per_channel[:, :1])
    assert abs((per_channel[:, 0] == 0).mean() - 0.3) < 0.05
    assert set(np.unique(values)) <= {0.0, np.float32(1) / np.float32(0.7)}
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)


def test_feature_dropout_shapes_and_warnings_match_torch():
    same_error(lambda lib: lib.nn.functional.dropout1d(lib.randn(5)))
    for name, shape in [("dropout2d", (2, 3, 4)), ("dropout2d", (2, 3, 4, 5, 6)),
                        ("dropout3d", (2, 3, 4))]:
        same_warnings(lambda lib: getattr(lib.nn.functional, name)(lib.randn(*shape)),
                      torch_warns=True)
    with pytest.raises(RuntimeError) as info, pytest.warns(UserWarning):
        F.dropout2d(ember.randn(5))
    assert str(info.value) == "Feature dropout requires at least 2 dimensions in the input"


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_alpha_dropout_values_and_statistics(p):
    ours = F.alpha_dropout(ember.ones(N), p, training=True).numpy()
    theirs = TF.alpha_dropout(torch.ones(N), p, training=True).numpy()
    assert set(np.unique(ours)) == set(np.unique(theirs))       # kept and dropped values
    assert abs((ours == ours.min()).mean() - p) < 0.02
    x = ember.randn(N, requires_grad=True)
    out = F.alpha_dropout(x, p, training=True)
    values = out.detach().numpy()
    assert abs(values.mean()) < 0.05 and abs(values.std() - 1) < 0.05
    assert node_name(out) == "AddBackward0"
    out.sum().backward()
    xt = torch.randn(N, requires_grad=True)
    TF.alpha_dropout(xt, p, training=True).sum().backward()
    np.testing.assert_allclose(np.unique(x.grad.numpy()), np.unique(xt.grad.numpy()))


def test_feature_alpha_dropout_channels():
    out = F.feature_alpha_dropout(ember.ones(200, 30, 4), 0.5, training=True).numpy()
    assert np.all(out == out[:, :, :1])
    reference = TF.feature_alpha_dropout(torch.ones(200, 30, 4), 0.5, training=True).numpy()
    assert set(np.unique(out)) == set(np.unique(reference))


def test_inplace():
    leaf = ember.ones(5, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        F.dropout(leaf, inplace=True)
    assert str(info.value) == ("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
    x = leaf * 1
    out = F.dropout(x, inplace=True)
    assert out is x and node_name(out) == "MulBackward0"
    out.sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), out.detach().numpy())
    y = ember.ones(4, 6, 2, 2)
    assert F.dropout2d(y, inplace=True) is y
    assert node_name(F.alpha_dropout(leaf * 1, inplace=True, training=True)) == "AddBackward0"
    z = ember.ones(30, 5)
    result = F.dropout1d(z, 0.5, inplace=True)             # one sample of 30 channels
    assert result is z and 0 < (z.numpy() == 0).mean() < 1
    assert np.all(z.numpy() == z.numpy()[:, :1])


@pytest.mark.parametrize("p", [-0.1, 1.1])
@pytest.mark.parametrize("name", ["dropout", "dropout1d", "dropout2d", "dropout3d",
                                  "alpha_dropout", "feature_alpha_dropout"])
def test_probability_errors(name, p):
    with pytest.raises(ValueError) as info:
        getattr(F, name)(ember.ones(2, 3, 4), p)
    assert str(info.value) == "dropout probability has to be between 0 and 1, but got " + str(p)


@pytest.mark.parametrize("name", ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d",
                                  "AlphaDropout", "FeatureAlphaDropout"])
def test_modules(name):
    for args in [(), (0.2,), (0.3, True)]:
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    with pytest.raises(ValueError) as info:
        getattr(nn, name)(1.5)
    assert str(info.value) == "dropout probability has to be between 0 and 1, but got 1.5"
    module = getattr(nn, name)(0.5)
    x = ember.ones(*{"Dropout1d": (8, 6, 4), "Dropout3d": (8, 6, 2, 4, 4)}.get(name, (8, 6, 4, 4)))
    assert (module(x).numpy() != 1).any()                  # training: something changes
    module.eval()
    assert module(x) is x
    assert list(module.state_dict()) == []
