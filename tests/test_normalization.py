"""Normalisation layers against torch: F.batch_norm, instance_norm, layer_norm, group_norm,
rms_norm, local_response_norm, normalize and their modules (outputs, running statistics, all
gradients, node names, reprs, state_dict keys, errors)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
import ember.nn as nn
import ember.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

SETTINGS = settings(max_examples=25, deadline=None)


def pair(array, requires_grad=False):
    """The same values as an ember and a torch tensor."""
    e = ember.tensor(array, requires_grad=requires_grad)
    t = torch.tensor(array, requires_grad=requires_grad)
    return e, t


def close(e, t, rtol=1e-5, atol=1e-6):
    assert e is not None and t is not None
    t = t.detach().numpy()
    assert e.shape == t.shape
    assert e.dtype.name == str(t.dtype)
    np.testing.assert_allclose(e.detach().numpy(), t, rtol=rtol, atol=atol)


def run_both(ember_fn, torch_fn, arrays, grad_seed=0, **tol):
    """Runs both functions on the same inputs (None stays None), backpropagates the same random
    upstream gradient, and compares the outputs and the gradient of every input."""
    es, ts = [], []
    for a in arrays:
        if a is None:
            es.append(None)
            ts.append(None)
        else:
            e, t = pair(a, requires_grad=a.dtype.kind == "f")
            es.append(e)
            ts.append(t)
    out_e, out_t = ember_fn(*es), torch_fn(*ts)
    close(out_e, out_t, **tol)
    assert type(out_e.grad_fn).__name__ == type(out_t.grad_fn).__name__
    up = np.random.default_rng(grad_seed).standard_normal(out_t.shape).astype(arrays[0].dtype)
    out_e.backward(ember.tensor(up))
    out_t.backward(torch.tensor(up))
    for e, t in zip(es, ts):
        if e is not None and e.requires_grad:
            close(e.grad, t.grad, **tol)
    return es, ts


def normal(shape, seed=0, dtype=np.float64, scale=1.0, shift=0.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale + shift).astype(dtype)


channel_shapes = st.tuples(st.integers(2, 4), st.integers(1, 4),
                           st.lists(st.integers(1, 3), min_size=0, max_size=2))


# ---------------------------------------------------------------- batch_norm


@SETTINGS
@given(shape=channel_shapes, affine=st.booleans(), track=st.booleans(),
       momentum=st.sampled_from([0.1, 0.5, 1.0]), seed=st.integers(0, 100))
def test_batch_norm_training_matches_torch(shape, affine, track, momentum, seed):
    n, c, rest = shape
    x = normal((n, c, *rest), seed, scale=2.0, shift=1.0)
    w = normal((c,), seed + 1) if affine else None
    b = normal((c,), seed + 2) if affine else None
    rm_e, rm_t = pair(normal((c,), seed + 3)) if track else (None, None)
    rv_e, rv_t = pair(np.abs(normal((c,), seed + 4)) + 0.5) if track else (None, None)
    run_both(lambda x, w, b: F.batch_norm(x, rm_e, rv_e, w, b, True, momentum),
             lambda x, w, b: TF.batch_norm(x, rm_t, rv_t, w, b, True, momentum),
             [x, w, b], seed)
    if track:
        close(rm_e, rm_t)
        close(rv_e, rv_t)


@SETTINGS
@given(shape=channel_shapes, affine=st.booleans(), seed=st.integers(0, 100))
def test_batch_norm_eval_matches_torch(shape, affine, seed):
    n, c, rest = shape
    x = normal((n, c, *rest), seed)
    w = normal((c,), seed + 1) if affine else None
    b = normal((c,), seed + 2) if affine else None
    rm = normal((c,), seed + 3)
    rv = np.abs(normal((c,), seed + 4)) + 0.5
    run_both(lambda x, w, b: F.batch_norm(x, ember.tensor(rm), ember.tensor(rv), w, b, False),
             lambda x, w, b: TF.batch_norm(x, torch.tensor(rm), torch.tensor(rv), w, b, False),
             [x, w, b], seed)


def test_batch_norm_float32():
    x = normal((8, 3, 5), dtype=np.float32, scale=3.0, shift=2.0)
    w, b = normal((3,), 1, np.float32), normal((3,), 2, np.float32)
    rm_e, rm_t = pair(np.zeros(3, np.float32))
    rv_e, rv_t = pair(np.ones(3, np.float32))
    run_both(lambda x, w, b: F.batch_norm(x, rm_e, rv_e, w, b, True),
             lambda x, w, b: TF.batch_norm(x, rm_t, rv_t, w, b, True), [x, w, b],
             rtol=1e-4, atol=1e-5)
    close(rm_e, rm_t)
    close(rv_e, rv_t)


def test_batch_norm_updates_running_stats_in_place():
    rm, rv = ember.zeros(2), ember.ones(2)
    version = rm._version
    x = ember.tensor([[1.0, 2.0], [3.0, 6.0]])
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    assert rm.tolist() == [1.0, 2.0]
    assert rv.tolist() == [0.5 + 0.5 * 2.0, 0.5 + 0.5 * 8.0]     # unbiased: divided by n - 1
    assert rm._version == version + 1
    F.batch_norm(x, rm, rv, training=False, momentum=0.5)
    assert rm.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.batch_norm(ember.randn(1, 3), None, None, training=True), ValueError,
     "Expected more than 1 value per channel when training, got input size "
     "torch.Size([1, 3])"),
    (lambda: F.batch_norm(ember.randn(4, 3), None, None), RuntimeError,
     "running_mean must be defined in evaluation mode"),
    (lambda: F.batch_norm(ember.randn(4, 3), ember.zeros(4), ember.ones(4), training=True),
     RuntimeError, "running_mean should contain 3 elements not 4"),
    (lambda: F.batch_norm(ember.randn(4, 3), None, None, ember.ones(2), training=True),
     RuntimeError, "weight should contain 3 elements not 2"),
    (lambda: F.batch_norm(ember.randn(4, 3), ember.zeros(3), None, training=True), ValueError,
     "running_mean and running_var must either both be None or neither be None"),
    (lambda: F.batch_norm(ember.randn(4, 3), None, None, training=True, eps=0), ValueError,
     "batch_norm eps must be positive during training, but got 0"),
    (lambda: F.batch_norm(ember.ones(4, 3, dtype=ember.int64), None, None, training=True),
     NotImplementedError, "\"batch_norm\" not implemented for 'Long'"),
    (lambda: F.batch_norm(ember.randn(5), None, None, training=True), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: F.batch_norm(ember.randn(4, 3, dtype=ember.float64), None, None, ember.ones(3),
                          training=True),
     RuntimeError, "mixed dtype (CPU): all inputs must share same datatype."),
    (lambda: F.batch_norm(ember.randn(4, 3), ember.zeros(3, dtype=ember.float64),
                          ember.ones(3, dtype=ember.float64), training=True),
     RuntimeError, "mixed dtype (CPU): expect parameter to have scalar type of Float"),
    (lambda: F.layer_norm(ember.randn(4, 3), (3,), ember.ones(3, dtype=ember.float64)),
     RuntimeError, "mixed dtype (CPU): expect parameter to have scalar type of Float"),
    (lambda: F.batch_norm(ember.randn(4, 3), ember.zeros(3), ember.ones(3), training=True,
                          momentum=None),
     TypeError, "batch_norm(): argument 'momentum' (position 7) must be float, not NoneType"),
])
def test_batch_norm_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


# ---------------------------------------------------------------- instance_norm


@SETTINGS
@given(shape=channel_shapes, affine=st.booleans(), track=st.booleans(), seed=st.integers(0, 100))
def test_instance_norm_matches_torch(shape, affine, track, seed):
    n, c, rest = shape
    if math.prod(rest) == 1:
        rest = [2]
    x = normal((n, c, *rest), seed, scale=2.0)
    w = normal((c,), seed + 1) if affine else None
    b = normal((c,), seed + 2) if affine else None
    rm_e, rm_t = pair(normal((c,), seed + 3)) if track else (None, None)
    rv_e, rv_t = pair(np.abs(normal((c,), seed + 4)) + 0.5) if track else (None, None)
    run_both(lambda x, w, b: F.instance_norm(x, rm_e, rv_e, w, b, momentum=0.3),
             lambda x, w, b: TF.instance_norm(x, rm_t, rv_t, w, b, momentum=0.3), [x, w, b],
             seed)
    if track:
        close(rm_e, rm_t)
        close(rv_e, rv_t)
        run_both(lambda x, w, b: F.instance_norm(x, rm_e, rv_e, w, b, use_input_stats=False),
                 lambda x, w, b: TF.instance_norm(x, rm_t, rv_t, w, b, use_input_stats=False),
                 [x, w, b], seed)


def test_instance_norm_error():
    with pytest.raises(ValueError) as info:
        F.instance_norm(ember.randn(2, 3, 1))
    assert str(info.value) == ("Expected more than 1 spatial element when training, got input "
                               "size torch.Size([2, 3, 1])")


# ---------------------------------------------------------------- layer_norm, group_norm


@SETTINGS
@given(lead=st.lists(st.integers(1, 3), max_size=2), norm=st.lists(st.integers(1, 4), min_size=1,
                                                                   max_size=2),
       affine=st.sampled_from(["both", "weight", "none"]), seed=st.integers(0, 100))
def test_layer_norm_matches_torch(lead, norm, affine, seed):
    x = normal((*lead, *norm), seed, scale=3.0, shift=-1.0)
    w = normal(norm, seed + 1) if affine != "none" else None
    b = normal(norm, seed + 2) if affine == "both" else None
    run_both(lambda x, w, b: F.layer_norm(x, norm, w, b, eps=1e-4),
             lambda x, w, b: TF.layer_norm(x, norm, w, b, eps=1e-4), [x, w, b], seed)


def test_layer_norm_float32():
    x = normal((4, 6), dtype=np.float32, scale=5.0)
    run_both(lambda x, w, b: F.layer_norm(x, (6,), w, b),
             lambda x, w, b: TF.layer_norm(x, (6,), w, b),
             [x, normal((6,), 1, np.float32), normal((6,), 2, np.float32)], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.layer_norm(ember.randn(4, 3, 5), (6,)), RuntimeError,
     "Given normalized_shape=[6], expected input with shape [*, 6], but got input of "
     "size[4, 3, 5]"),
    (lambda: F.layer_norm(ember.randn(4, 3, 5), (3, 6)), RuntimeError,
     "Given normalized_shape=[3, 6], expected input with shape [*, 3, 6], but got input of "
     "size[4, 3, 5]"),
    (lambda: F.layer_norm(ember.randn(4, 3, 5), (5,), ember.ones(4)), RuntimeError,
     "Expected weight to be of same shape as normalized_shape, but got weight of shape [4] and "
     "normalized_shape = [5]"),
    (lambda: F.layer_norm(ember.randn(4, 5), 5), TypeError,
     "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int"),
    (lambda: F.layer_norm(ember.ones(4, 3, dtype=ember.int64), (3,)), NotImplementedError,
     "\"LayerNormKernelImpl\" not implemented for 'Long'"),
    (lambda: F.group_norm(ember.randn(4, 3, 5), 2), RuntimeError,
     "Expected number of channels in input to be divisible by num_groups, but got input of "
     "shape [4, 3, 5] and num_groups=2"),
    (lambda: F.group_norm(ember.randn(3), 1), RuntimeError,
     "Expected at least 2 dimensions for input tensor but received 1"),
    (lambda: F.group_norm(ember.randn(4, 3, 5), 3, ember.ones(4)), RuntimeError,
     "Expected weight to be a vector of size equal to the number of channels in input, but got "
     "weight of shape [4] and input of shape [4, 3, 5]"),
    (lambda: F.group_norm(ember.randn(1, 3), 3), ValueError,
     "Expected more than 1 value per channel when training, got input size [1, 3]"),
    (lambda: F.rms_norm(ember.randn(4, 3, 5), (3, 6)), RuntimeError,
     "Given normalized_shape=[3, 6], expected input with shape [*3, 6], but got input of "
     "size[4, 3, 5]"),
    (lambda: F.local_response_norm(ember.randn(2, 3), 2), ValueError,
     "Expected 3D or higher dimensionality                          input (got 2 dimensions)"),
    (lambda: F.normalize(ember.ones(3, 2, dtype=ember.int64)), RuntimeError,
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
])
def test_shape_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


@SETTINGS
@given(n=st.integers(1, 3), groups=st.integers(1, 3), per_group=st.integers(1, 3),
       rest=st.lists(st.integers(1, 3), max_size=2), affine=st.booleans(),
       seed=st.integers(0, 100))
def test_group_norm_matches_torch(n, groups, per_group, rest, affine, seed):
    c = groups * per_group
    if per_group * math.prod(rest) == 1:
        rest = [2]
    x = normal((n, c, *rest), seed, scale=2.0, shift=0.5)
    w = normal((c,), seed + 1) if affine else None
    b = normal((c,), seed + 2) if affine else None
    run_both(lambda x, w, b: F.group_norm(x, groups, w, b),
             lambda x, w, b: TF.group_norm(x, groups, w, b), [x, w, b], seed)


# ---------------------------------------------------------------- rms_norm, lrn, normalize


@SETTINGS
@given(lead=st.lists(st.integers(1, 3), max_size=2), norm=st.lists(st.integers(1, 4), min_size=1,
                                                                   max_size=2),
       weighted=st.booleans(), eps=st.sampled_from([None, 1e-3]), seed=st.integers(0, 100))
def test_rms_norm_matches_torch(lead, norm, weighted, eps, seed):
    x = normal((*lead, *norm), seed, scale=2.0)
    w = normal(norm, seed + 1) if weighted else None
    run_both(lambda x, w: F.rms_norm(x, norm, w, eps), lambda x, w: TF.rms_norm(x, norm, w, eps),
             [x, w], seed)


@pytest.mark.filterwarnings("ignore:Mismatch dtype between input and weight")
def test_rms_norm_with_a_weight_of_another_dtype():
    """Computed in the input's dtype (torch casts at the end: its node is a ToCopy)."""
    for x_dtype, w_dtype in [(np.float32, np.float64), (np.float64, np.float32)]:
        (xe, we), (xt, wt) = zip(pair(normal((3, 4), 0, x_dtype), True),
                                 pair(normal((4,), 1, w_dtype), True))
        out_e, out_t = F.rms_norm(xe, (4,), we), TF.rms_norm(xt, (4,), wt)
        close(out_e, out_t, rtol=1e-5)
        out_e.sum().backward()
        out_t.sum().backward()
        close(xe.grad, xt.grad, rtol=1e-5, atol=1e-6)
        close(we.grad, wt.grad, rtol=1e-5, atol=1e-6)


@SETTINGS
@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 6),
                       st.lists(st.integers(1, 3), min_size=1, max_size=3)),
       size=st.integers(1, 5), seed=st.integers(0, 100))
def test_local_response_norm_matches_torch(shape, size, seed):
    n, c, rest = shape
    x = normal((n, c, *rest), seed, scale=3.0)
    run_both(lambda x: F.local_response_norm(x, size, alpha=0.3, beta=0.6, k=2.0),
             lambda x: TF.local_response_norm(x, size, alpha=0.3, beta=0.6, k=2.0), [x], seed)


@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), data=st.data(),
       p=st.sampled_from([1.0, 2.0, 3.0, 0.5, math.inf]), seed=st.integers(0, 100))
def test_normalize_matches_torch(shape, data, p, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = normal(shape, seed)
    run_both(lambda x: F.normalize(x, p, dim), lambda x: TF.normalize(x, p, dim), [x], seed)


def test_normalize_below_eps():
    x = np.array([[1e-14, -2e-14], [3.0, 4.0]])
    run_both(lambda x: F.normalize(x, eps=1e-12), lambda x: TF.normalize(x, eps=1e-12), [x])


# ---------------------------------------------------------------- finite differences


def _double(shape, seed=0):
    return ember.tensor(normal(shape, seed), requires_grad=True)


@pytest.mark.parametrize("fn, shapes", [
    (lambda x, w, b: F.batch_norm(x, None, None, w, b, True), [(4, 2, 3), (2,), (2,)]),
    (lambda x, w, b: F.batch_norm(x, ember.zeros(2, dtype=ember.float64),
                                  ember.ones(2, dtype=ember.float64), w, b), [(4, 2), (2,), (2,)]),
    (lambda x, w, b: F.layer_norm(x, (3,), w, b), [(2, 3), (3,), (3,)]),
    (lambda x, w, b: F.group_norm(x, 2, w, b), [(2, 4, 2), (4,), (4,)]),
    (lambda x, w, b: F.instance_norm(x, weight=w, bias=b), [(2, 2, 3), (2,), (2,)]),
    (lambda x, w: F.rms_norm(x, (3,), w), [(2, 3), (3,)]),
    (lambda x: F.local_response_norm(x, 3), [(2, 4, 2)]),
    (lambda x: F.normalize(x, 3.0), [(2, 3)]),
])
def test_gradcheck_and_gradgradcheck(fn, shapes):
    inputs = [_double(s, i) for i, s in enumerate(shapes)]
    assert ember.autograd.gradcheck(fn, inputs)
    assert ember.autograd.gradgradcheck(fn, inputs)


# ---------------------------------------------------------------- modules


def copy_params(module_e, module_t):
    """Gives the ember module the torch module's parameters and buffers."""
    with ember.no_grad():
        for name, value in module_t.state_dict().items():
            getattr(module_e, name).copy_(ember.tensor(value.numpy()))


def compare_module(module_e, module_t, x, steps=1, rtol=1e-5, atol=1e-6):
    """Runs both modules ``steps`` times on ``x`` (with the same upstream gradients); compares
    outputs, input and parameter gradients and the state dicts after each step."""
    copy_params(module_e, module_t)
    for step in range(steps):
        xe, xt = pair(x + step, requires_grad=True)
        out_e, out_t = module_e(xe), module_t(xt)
        close(out_e, out_t, rtol, atol)
        assert type(out_e.grad_fn).__name__ == type(out_t.grad_fn).__name__
        up = normal(out_t.shape, step, x.dtype)
        out_e.backward(ember.tensor(up))
        out_t.backward(torch.tensor(up))
        close(xe.grad, xt.grad, rtol, atol)
        for (name, pe), (_, pt) in zip(module_e.named_parameters(), module_t.named_parameters()):
            close(pe.grad, pt.grad, rtol, atol)
        state_e, state_t = module_e.state_dict(), module_t.state_dict()
        assert list(state_e) == list(state_t)
        for key in state_t:
            close(state_e[key], state_t[key], rtol, atol)


@pytest.mark.parametrize("name, shape", [("BatchNorm1d", (5, 3)), ("BatchNorm1d", (4, 3, 6)),
                                         ("BatchNorm2d", (2, 3, 4, 5)),
                                         ("BatchNorm3d", (2, 3, 2, 2, 3))])
@pytest.mark.parametrize("kwargs", [{}, {"momentum": None}, {"affine": False},
                                    {"track_running_stats": False}, {"bias": False},
                                    {"eps": 1e-3, "momentum": 0.5}])
def test_batch_norm_modules(name, shape, kwargs):
    module_e, module_t = getattr(nn, name)(3, **kwargs), getattr(torch.nn, name)(3, **kwargs)
    assert repr(module_e) == repr(module_t)
    x = normal(shape, 1, np.float32, scale=2.0, shift=1.0)
    compare_module(module_e, module_t, x, steps=3, rtol=1e-4, atol=1e-5)
    module_e.eval()
    module_t.eval()
    compare_module(module_e, module_t, x, rtol=1e-4, atol=1e-5)


def test_batch_norm_module_counts_batches_and_resets():
    bn = nn.BatchNorm1d(2)
    for _ in range(3):
        bn(ember.randn(4, 2))
    assert bn.num_batches_tracked.item() == 3
    assert bn.num_batches_tracked.dtype == ember.int64
    bn.eval()
    bn(ember.randn(4, 2))
    assert bn.num_batches_tracked.item() == 3
    bn.reset_running_stats()
    assert bn.running_mean.tolist() == [0.0, 0.0] and bn.running_var.tolist() == [1.0, 1.0]
    assert bn.num_batches_tracked.item() == 0


def test_batch_norm_module_loads_old_checkpoint_without_counter():
    bn = nn.BatchNorm1d(2)
    state = bn.state_dict()
    del state["num_batches_tracked"]
    state._metadata[""] = {"version": 1}
    assert repr(bn.load_state_dict(state)) == "<All keys matched successfully>"


@pytest.mark.parametrize("module, x, message", [
    (nn.BatchNorm1d(3), ember.randn(2, 3, 4, 5), "expected 2D or 3D input (got 4D input)"),
    (nn.BatchNorm2d(3), ember.randn(2, 3, 4), "expected 4D input (got 3D input)"),
    (nn.BatchNorm3d(3), ember.randn(2, 3, 4), "expected 5D input (got 3D input)"),
    (nn.BatchNorm1d(3), ember.randn(1, 3),
     "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])"),
    (nn.InstanceNorm1d(3), ember.randn(3), "expected 2D or 3D input (got 1D input)"),
    (nn.InstanceNorm2d(3, affine=True), ember.randn(2, 4, 3, 3),
     "expected input's size at dim=1 to match num_features (3), but got: 4."),
])
def test_module_errors(module, x, message):
    with pytest.raises(ValueError) as info:
        module(x)
    assert str(info.value) == message


def test_group_norm_module_error():
    with pytest.raises(ValueError) as info:
        nn.GroupNorm(2, 3)
    assert str(info.value) == "num_channels (3) must be divisible by num_groups (2)"


@pytest.mark.parametrize("name, shape", [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)),
                                         ("InstanceNorm2d", (2, 3, 4, 4)),
                                         ("InstanceNorm3d", (3, 2, 2, 3))])
@pytest.mark.parametrize("kwargs", [{}, {"affine": True}, {"track_running_stats": True}])
def test_instance_norm_modules(name, shape, kwargs):
    module_e, module_t = getattr(nn, name)(3, **kwargs), getattr(torch.nn, name)(3, **kwargs)
    assert repr(module_e) == repr(module_t)
    x = normal(shape, 2, np.float32, scale=2.0, shift=1.0)
    compare_module(module_e, module_t, x, steps=2, rtol=1e-4, atol=1e-5)
    module_e.eval()
    module_t.eval()
    compare_module(module_e, module_t, x, rtol=1e-4, atol=1e-5)


def test_instance_norm_warns_on_channel_mismatch():
    with pytest.warns(UserWarning, match="input's size at dim=1 does not match num_features"):
        nn.InstanceNorm1d(4)(ember.randn(2, 3, 5))


@pytest.mark.parametrize("make", [
    lambda m: m.LayerNorm(4), lambda m: m.LayerNorm([3, 4], eps=1e-3),
    lambda m: m.LayerNorm(4, elementwise_affine=False), lambda m: m.LayerNorm(4, bias=False),
    lambda m: m.GroupNorm(1, 3), lambda m: m.GroupNorm(3, 3, affine=False),
    lambda m: m.RMSNorm(4), lambda m: m.RMSNorm([3, 4], eps=1e-5),
    lambda m: m.RMSNorm(4, elementwise_affine=False),
    lambda m: m.LocalResponseNorm(2), lambda m: m.LocalResponseNorm(3, 0.2, 0.5, 2.0),
])
def test_per_sample_normalization_modules(make):
    module_e, module_t = make(nn), make(torch.nn)
    assert repr(module_e) == repr(module_t)
    with torch.no_grad():                    # parameters other than the initial ones
        for p in module_t.parameters():
            p.copy_(torch.randn(p.shape))
    x = normal((2, 3, 4), 3, np.float32, scale=2.0)
    compare_module(module_e, module_t, x, rtol=1e-4, atol=1e-5)
    module_e.eval()
    module_t.eval()
    compare_module(module_e, module_t, x, rtol=1e-4, atol=1e-5)


def test_default_parameters_and_dtype():
    ln = nn.LayerNorm(3, dtype=ember.float64)
    assert ln.weight.dtype == ember.float64 and ln.weight.tolist() == [1.0] * 3
    assert ln.bias.tolist() == [0.0] * 3
    bn = nn.BatchNorm2d(2)
    assert bn.weight.requires_grad and not bn.running_mean.requires_grad
    assert [name for name, _ in bn.named_parameters()] == ["weight", "bias"]
    assert [name for name, _ in bn.named_buffers()] == ["running_mean", "running_var",
                                                        "num_batches_tracked"]
