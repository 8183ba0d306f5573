"""Defects of issue 12 fixed after the fuzzer's first campaign, each checked against torch."""
import numpy as np
import pytest

import ember
from parity import compare, same, same_error

torch = pytest.importorskip("torch")

NAN = float("nan")


# ---------------------------------------------------------------- quantile's gradient in q


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_differentiates_a_tensor_q_as_torch(name, interpolation):
    """torch's linear interpolation depends on q (d/dq = (above - below) (n - 1)); the other
    modes do not, and q then gets no gradient at all."""
    x = np.array([[1., 5., 2., 8.], [3., NAN, 1., 0.], [NAN] * 4])
    q = np.array([0.3, 0.6, 0.0, 1.0])
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=1, interpolation=interpolation),
            x, q, grad=(False, True))
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=0, keepdim=True), x[:1].T, q)
    compare(lambda lib, x, q: getattr(lib, name)(x, q), x[0], np.array(0.4))


# ---------------------------------------------------------------- methods take sizes one by one


@pytest.mark.parametrize("call", [
    lambda x: x.tile(2, 1), lambda x: x.tile(2, 1, 1), lambda x: x.tile(dims=(2, 1)),
    lambda x: x.squeeze(1, 3), lambda x: x.squeeze(-1, 1), lambda x: x.squeeze_(1, 3),
    lambda x: x.count_nonzero(0, 1), lambda x: x.count_nonzero(dim=(0, 2)),
    lambda x: x.permute(dims=(3, 2, 1, 0)), lambda x: x.repeat(repeats=(2, 1, 1, 1)),
    lambda x: x.view(size=(3, 2)), lambda x: x.reshape(shape=(2, 3)),
    lambda x: x.expand(size=(2, 2, 1, 3, 1)), lambda x: x.flip(dims=(0, 2)),
    lambda x: x.view(dtype=torch_dtype(x, "int32")), lambda x: x.view(torch_dtype(x, "int16")),
    lambda x: x.squeeze(3).hsplit(0, 1), lambda x: x.squeeze(3).vsplit(1, 1),
    lambda x: x.dsplit(1, 2), lambda x: x.hsplit(1), lambda x: x.squeeze(3).hsplit((1, 2)),
])
def test_methods_take_dims_and_sizes_as_torch(call):
    same(lambda lib: [(tuple(t.shape), str(t.dtype), t.tolist()) for t in _tensors(
        call(lib.arange(12.).reshape(2, 1, 3, 2)[:, :, :, :1].contiguous()))])


def torch_dtype(x, name):
    """The dtype ``name`` of the library of tensor ``x``."""
    return getattr(ember if isinstance(x, ember.Tensor) else torch, name)


def _tensors(result):
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("call", [
    lambda x: x.tile(2, 1.5), lambda x: x.squeeze(1.5, 2), lambda x: x.permute(1, 0, dims=(0, 1)),
    lambda x: x.tile(),
])
def test_bad_dims_raise_torchs_exception_type(call):
    with pytest.raises(TypeError) as torchs:
        call(torch.zeros(2, 1, 3))
    with pytest.raises(torchs.type):
        call(ember.zeros(2, 1, 3))


# ---------------------------------------------------------------- float16: compute in float32, round once

_HALVES = (np.random.default_rng(0).standard_normal(4000) * np.repeat([0.01, 1, 10, 300], 1000)
           ).astype(np.float16).reshape(500, 8)
_HALVES[0, :4] = [1000, -7.1, 250, 0.5]              # squares beyond float16's range


def _rounded_as_torch(e, t):
    """ember's float16 result ``e`` is torch's ``t``: at most 2% of the elements a few units in
    the last place apart (float32's exp and tanh differ by a rounding between libraries)."""
    a, b = e.detach().numpy(), t.detach().numpy()
    assert str(e.dtype) == str(t.dtype) and a.shape == b.shape
    apart = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    units = np.abs(a[apart].astype(np.float64) - b[apart]) / np.spacing(np.abs(b[apart]))
    assert apart.mean() <= 0.02 and (units <= 4).all(), (np.argwhere(apart)[:5], units[:5])


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.sigmoid(x), lambda lib, x: lib.rsqrt(x.abs() + 1e-3),
    lambda lib, x: lib.deg2rad(x), lambda lib, x: lib.rad2deg(x), lambda lib, x: lib.sinc(x / 100),
    lambda lib, x: x.cumsum(0), lambda lib, x: (x / 100).cumprod(1),
    lambda lib, x: x.addcmul(x, x, value=0.1), lambda lib, x: x.addcdiv(x, x.abs() + 1, value=.3),
    lambda lib, x: lib.cumulative_trapezoid(x, dim=0), lambda lib, x: lib.vander(x[0] / 10),
    lambda lib, x: lib.nn.functional.silu(x / 10), lambda lib, x: lib.nn.functional.mish(x / 10),
    lambda lib, x: lib.nn.functional.softplus(x), lambda lib, x: lib.nn.functional.logsigmoid(x),
    lambda lib, x: lib.nn.functional.gelu(x, approximate="tanh"),
    lambda lib, x: lib.nn.functional.glu(x), lambda lib, x: lib.nn.functional.leaky_relu(x),
    lambda lib, x: lib.nn.functional.hardsigmoid(x), lambda lib, x: lib.nn.functional.hardswish(x),
    lambda lib, x: lib.nn.functional.selu(x),
    lambda lib, x: lib.nn.functional.celu(x, 0.7),
    lambda lib, x: lib.nn.functional.layer_norm(x, (8,)),
    lambda lib, x: lib.nn.functional.rms_norm(x, (8,)),
    lambda lib, x: lib.nn.functional.group_norm(x.reshape(50, 8, 10), 2),
    lambda lib, x: lib.nn.functional.batch_norm(x, None, None, training=True),
    lambda lib, x: lib.nn.functional.instance_norm(x.reshape(10, 8, 50)),
    lambda lib, x: lib.nn.functional.normalize(x), lambda lib, x: lib.nn.functional.normalize(x, dim=0),
    lambda lib, x: lib.nn.functional.cosine_similarity(x, x[:, :1] * 0.5 + 1),
    lambda lib, x: lib.nn.functional.local_response_norm(x.reshape(10, 8, 50), 3),
])
def test_float16_computes_in_float32_and_rounds_once_as_torch(call):
    """torch computes a float16 operation on the CPU in float32 and rounds once (a formula of
    several steps computed in float16 drifts by units in the last place, and squares overflow);
    composite functions (normalize, cosine_similarity, batch statistics) round after each of
    torch's steps."""
    _rounded_as_torch(call(ember, ember.tensor(_HALVES)), call(torch, torch.tensor(_HALVES)))


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.cdist(x, x), lambda lib, x: lib.pdist(x),
    lambda lib, x: lib.nn.functional.local_response_norm(x.reshape(1, 2, 2, 2), 2),
])
def test_float16_kernels_torch_lacks_raise_its_error(call):
    x = np.ones((4, 2), np.float16)
    with pytest.raises(NotImplementedError) as torchs:
        call(torch, torch.tensor(x))
    with pytest.raises(NotImplementedError, match=str(torchs.value).replace("'", ".")):
        call(ember, ember.tensor(x))


# ---------------------------------------------------------------- inf in windowed averages

INF = float("inf")
_WINDOWS = np.array([[[1., INF, 2., -INF, 3., 1., NAN, 2.], [1., 2., 3., 4., -INF, 6., 7., 8.]]])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("call", [
    lambda F, x: F.adaptive_avg_pool1d(x, 3), lambda F, x: F.adaptive_avg_pool1d(x, 5),
    lambda F, x: F.adaptive_avg_pool1d(x, 1),
    lambda F, x: F.adaptive_avg_pool2d(x.reshape(1, 4, 4), (3, 2)),
    lambda F, x: F.adaptive_avg_pool3d(x.reshape(1, 2, 2, 4), (1, 2, 3)),
    lambda F, x: F.local_response_norm(x.reshape(4, 2, 2).transpose(0, 1).contiguous(), 2),
    lambda F, x: F.local_response_norm(x.reshape(1, 4, 2, 2), 3, k=2.),
])
def test_windowed_averages_keep_inf_where_torch_does(call, dtype):
    """An inf makes its own windows inf (or nan with -inf), not every window nan."""
    try:
        t = call(torch.nn.functional, torch.tensor(_WINDOWS, dtype=getattr(torch, dtype)))
    except NotImplementedError:
        return                                  # (torch's 3-d pooling has no float16)
    e = call(ember.nn.functional, ember.tensor(_WINDOWS, dtype=getattr(ember, dtype)))
    assert str(e.dtype) == str(t.dtype)
    a, b = e.numpy().astype(np.float64), t.numpy().astype(np.float64)
    assert np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(a[np.isinf(b)], b[np.isinf(b)])
    assert np.allclose(a, b, equal_nan=True, rtol=1e-3)


# ---------------------------------------------------------------- empty tensors in saved files

_EMPTIES = [lambda L: L.zeros(2, 0, 3), lambda L: L.zeros(0, 3).t(), lambda L: L.zeros(3, 4)[:, 1:1],
            lambda L: L.zeros(1, 0).expand(5, 0), lambda L: L.zeros(2, 0, 3).permute(2, 0, 1),
            lambda L: L.zeros(0, 2, dtype=L.int64)]


@pytest.mark.parametrize("make", _EMPTIES)
def test_torchs_files_of_empty_tensors_load_with_their_strides(make, tmp_path):
    path = str(tmp_path / "empty.pt")
    torch.save(make(torch), path)
    loaded, original = ember.load(path), torch.load(path)
    assert (tuple(loaded.shape), str(loaded.dtype), loaded.stride()) == (
        tuple(original.shape), str(original.dtype), original.stride())


def test_an_empty_slice_is_saved_with_its_strides_in_its_base_storage(tmp_path):
    """torch writes an empty view as its strides into the storage it views (which NumPy
    keeps for a slice, not for a new empty array: those are written contiguous, as torch)."""
    path = str(tmp_path / "slice.pt")
    ember.save({"base": ember.arange(12.).reshape(3, 4), "view": ember.arange(12.).reshape(3, 4)[:, 1:1],
                "new": ember.zeros(2, 0, 3)}, path)
    loaded = torch.load(path)
    assert loaded["view"].stride() == (4, 1) and loaded["view"].untyped_storage().nbytes() == 48
    assert loaded["new"].stride() == torch.zeros(2, 0, 3).stride() == (3, 3, 1)


# ---------------------------------------------------------------- no Python error for a bad argument


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.elu("i,i->", inplace=True),
    lambda lib: lib.nn.functional.hardtanh(2, 1),
    lambda lib: lib.nn.functional.hardsigmoid("x", inplace=True),
    lambda lib: lib.nn.functional.hardswish(0, lib.tensor(1.)),
    lambda lib: lib.nn.functional.silu(2, lib.tensor(1.)),
    lambda lib: lib.nn.functional.selu(2), lambda lib: lib.nn.functional.mish(2),
    lambda lib: lib.nn.functional.celu(2),
    lambda lib: lib.nn.functional.max_unpool3d(lib.zeros(1, 1, 1, 1, 1), -5, 3),
    lambda lib: lib.nn.functional.instance_norm(lib.zeros(2, 2, 2), 2),
    lambda lib: lib.nn.functional.embedding(lib.tensor([1]), 1),
    lambda lib: lib.tensor(2).unique(dim=0), lambda lib: lib.tensor(2).unique_consecutive(dim=0),
    lambda lib: lib.tensor([1, 2]).unique(sorted=None),
    lambda lib: lib.tensor([1, 2]).unique(return_inverse=1, dim=0),
    lambda lib: lib.unique_consecutive(lib.tensor([1]), return_counts=lib.tensor(1)),
    lambda lib: lib.nn.functional.multilabel_soft_margin_loss(lib.tensor(0.), lib.tensor(-4), 1),
])
def test_bad_arguments_raise_torchs_error_not_a_python_one(call):
    same_error(call)


def test_multilabel_soft_margin_loss_takes_a_number_as_weight():
    compare(lambda lib, x: lib.nn.functional.multilabel_soft_margin_loss(
        x, lib.tensor([[1., 0, 1], [0, 1, 0]]), 2), np.array([[1., 2, 3], [0, 1, 2]]))


# ---------------------------------------------------------------- values the fuzzer found wrong


@pytest.mark.parametrize("values", [[1., INF], [INF], [INF, 1., 2.], [INF, INF], [-INF, INF],
                                    [[1., INF], [2., 3.]], [[INF, -0.5], [2., 3.]]])
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_var_mean_gives_torchs_running_mean_with_inf(values, name):
    """torch's var_mean and std_mean update a running mean: an inf followed by any other
    element gives nan (inf - inf), an inf at the end stays inf."""
    for dim in ([None, 0, 1] if isinstance(values[0], list) else [None]):
        e, t = both_results(lambda lib: getattr(lib, name)(lib.tensor(values), dim))
        for a, b in zip(e, t):
            assert np.array_equal(a.numpy(), b.numpy(), equal_nan=True)


def both_results(fn):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(ember), fn(torch)


@pytest.mark.parametrize("call", [
    lambda lib: lib.cov(lib.tensor([[1.5, 0., 2.]])),
    lambda lib: lib.corrcoef(lib.tensor([[5, 0, 1]], dtype=lib.uint8)),
    lambda lib: lib.trapezoid(lib.tensor([[0, 2147483647, -3], [-2147483648, -2147483648,
                                                                  2147483647]], dtype=lib.int32)),
    lambda lib: lib.trapezoid(lib.tensor([1., 2., 4.5]), dx=2.5),
])
def test_statistics_of_one_variable_and_trapezoid_of_integers_as_torch(call):
    e, t = both_results(call)
    assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
    assert np.allclose(e.numpy(), t.numpy())


@pytest.mark.parametrize("call", [
    lambda lib: lib.trapezoid(lib.tensor([True, False])),
    lambda lib: lib.trapezoid(lib.tensor([True, False]), lib.tensor([1., 2.])),
    lambda lib: lib.cumulative_trapezoid(lib.tensor([True, False])),
])
def test_trapezoid_refuses_bool(call):
    same_error(call)


def test_the_product_of_one_number_passes_the_gradient_through():
    for value in (INF, NAN, 0.0, 3.0):
        compare(lambda lib, x: x.prod(), np.array(value))
        compare(lambda lib, x: x.prod(0), np.array(value))


# ---------------------------------------------------------------- calls torch accepts


@pytest.mark.parametrize("call", [
    lambda lib: lib.tensor(0.0).sign(), lambda lib: lib.sgn(lib.tensor(-2.)),
    lambda lib: lib.tensor(NAN).sign_(),
    lambda lib: lib.tensor(1.0).broadcast_to(3), lambda lib: lib.tensor([1.]).broadcast_to(0),
    lambda lib: lib.sub(lib.tensor([1., 2.]), 2, 3), lambda lib: lib.rsub(lib.tensor([1., 2.]), 2, 3),
    lambda lib: lib.subtract(lib.tensor([1., 2.]), 2, 3), lambda lib: lib.tensor([1., 2.]).sub(2, 3),
    lambda lib: lib.add(lib.tensor([1., 2.]), 2, 3),
    lambda lib: lib.histogram(lib.tensor([0.25, 0.5, 2.])).hist,
    lambda lib: lib.cosine_similarity(lib.tensor(2.), lib.tensor(-3.), 0),
    lambda lib: lib.cosine_similarity(lib.tensor(-INF), lib.tensor(-1e30, dtype=lib.float64), -1),
])
def test_calls_torch_accepts(call):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # (torch's deprecated positional alpha)
        e, t = call(ember), call(torch)
    assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
    assert np.allclose(e.numpy(), t.numpy(), equal_nan=True)
