"""Quantized tensors against torch: integer representations bit for bit (rounding ties to even,
saturation, NaN), printing, accessors, errors; fake quantization's values and gradients."""
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

import ember
from parity import both, error_of

torch = pytest.importorskip("torch")
warnings.filterwarnings("ignore", message=".*quantiz.*", category=UserWarning)

QDTYPES = ["quint8", "qint8", "qint32"]
RANGES = {"quint8": (0, 255), "qint8": (-128, 127), "qint32": (-2 ** 31, 2 ** 31 - 1)}


def _values(seed, n, scale, zero_point):
    """Random float32 values, half of them exactly (or nearly) halfway between two steps."""
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(n) * 60 * scale).astype(np.float32)
    k = rng.integers(-300, 300, n // 2)
    x[: n // 2] = ((k + 0.5 - zero_point) * np.float32(scale)).astype(np.float32)
    return x


def _per_tensor(lib, x, scale, zero_point, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.quantize_per_tensor(lib.tensor(x), scale, zero_point, getattr(lib, name))


@pytest.mark.parametrize("name", QDTYPES)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 300),
       scale=st.floats(1e-3, 2.0), zero_point=st.integers(-20, 300))
def test_quantize_per_tensor_int_repr_equals_torch(name, seed, n, scale, zero_point):
    lo, hi = RANGES[name]
    zero_point = min(max(zero_point, lo), hi)
    x = _values(seed, n, scale, zero_point)
    e, t = both(lambda lib: _per_tensor(lib, x, scale, zero_point, name))
    assert np.array_equal(e.int_repr().numpy(), t.int_repr().numpy())
    assert e.int_repr().dtype.name == str(t.int_repr().dtype)[6:]
    assert np.array_equal(e.dequantize().numpy(), t.dequantize().numpy())


@pytest.mark.parametrize("name", QDTYPES)
def test_saturation_and_nan(name):
    x = np.array([np.nan, np.inf, -np.inf, 1e10, -1e10, 3e9, 126.9, -200.0], np.float32)
    e, t = both(lambda lib: _per_tensor(lib, x, 0.5, 3, name))
    assert np.array_equal(e.int_repr().numpy(), t.int_repr().numpy())


@pytest.mark.parametrize("name", QDTYPES)
@given(seed=st.integers(0, 2 ** 32 - 1), axis=st.integers(0, 2), channels=st.integers(1, 5))
def test_quantize_per_channel_int_repr_equals_torch(name, seed, axis, channels):
    rng = np.random.default_rng(seed)
    shape = [3, 4, 2]
    shape[axis] = channels
    scales = rng.uniform(1e-3, 1, channels)
    lo, hi = RANGES[name]
    zero_points = rng.integers(max(lo, -50), min(hi, 50) + 1, channels)
    bshape = [1, 1, 1]
    bshape[axis] = -1
    ties = (rng.integers(-100, 100, shape) + 0.5) * scales.astype(np.float32).reshape(bshape)
    x = np.where(rng.random(shape) < 0.5, ties, rng.standard_normal(shape) * 30).astype(
        np.float32)

    def run(lib):
        return lib.quantize_per_channel(lib.tensor(x), lib.tensor(scales, dtype=lib.float64),
                                        lib.tensor(zero_points), axis, getattr(lib, name))
    e, t = both(run)
    assert np.array_equal(e.int_repr().numpy(), t.int_repr().numpy())
    assert np.array_equal(e.dequantize().numpy(), t.dequantize().numpy())
    assert repr(e) == repr(t)


@pytest.mark.parametrize("make", [
    lambda lib: lib.quantize_per_tensor(lib.tensor([[-1.0, 0.5, 2.25], [0.1, 0.2, 100.0]]),
                                        0.1, 10, lib.quint8),
    lambda lib: lib.quantize_per_tensor(lib.tensor(1.5), 0.5, 0, lib.qint32),
    lambda lib: lib.quantize_per_tensor(lib.zeros(0), 0.1, 0, lib.qint8),
    lambda lib: lib.quantize_per_tensor(lib.ones(2, 0), 0.1, 0, lib.qint8),
    lambda lib: lib.quantize_per_tensor(lib.arange(2000.0).reshape(40, 50) / 100, 0.1, 3,
                                        lib.qint32),
    lambda lib: lib.quantize_per_tensor(lib.tensor([1.0, 2.0]), lib.tensor(0.1),
                                        lib.tensor(2), lib.quint8),
    lambda lib: lib.quantize_per_channel(lib.tensor([[-1.0, 0.5, 2.25], [0.1, 0.2, 100.0]]),
                                         lib.tensor([0.1, 0.2], dtype=lib.float64),
                                         lib.tensor([0, 1]), 0, lib.qint8),
])
def test_printing_equals_torch(make):
    e, t = both(make)
    assert repr(e) == repr(t)
    assert str(e) == str(t)


@pytest.mark.parametrize("expr", [
    "q.q_scale()", "q.q_zero_point()", "str(q.qscheme())", "str(q.dtype)", "q.is_quantized",
    "q.element_size()", "q.type()", "repr(q.int_repr())", "repr(q.dequantize())",
    "repr(lib.dequantize(q))", "repr(q.relu())", "repr(q.view(-1))", "repr(q.reshape(3, 2))",
    "repr(q[1])", "repr(q.flatten())", "repr(q.clone())", "repr(q.transpose(0, 1))",
    "repr(q.unsqueeze(0))", "tuple(q.shape)", "q.dim()", "q.numel()", "q.stride()",
    "repr(c.q_per_channel_scales())", "repr(c.q_per_channel_zero_points())",
    "c.q_per_channel_axis()", "str(c.qscheme())", "str(lib.per_channel_symmetric)",
    "str(lib.per_tensor_symmetric)", "str(lib.per_channel_affine_float_qparams)",
    "str(lib.quint4x2)", "lib.qint8.is_floating_point", "lib.qint32.itemsize",
])
def test_accessors_equal_torch(expr):
    def run(lib):
        x = lib.tensor([[-1.0, 0.5, 2.25], [0.1, 0.2, 100.0]])
        q = lib.quantize_per_tensor(x, 0.1, 10, lib.quint8)
        c = lib.quantize_per_channel(x, lib.tensor([0.1, 0.2], dtype=lib.float64),
                                     lib.tensor([0, 1]), 0, lib.qint8)
        return eval(expr, {"q": q, "c": c, "lib": lib})
    e, t = both(run)
    assert e == t


@pytest.mark.parametrize("expr", [
    "lib.quantize_per_tensor(lib.randn(3), 0.1, 0, lib.float)",
    "lib.quantize_per_tensor(lib.tensor([1, 2]), 0.1, 0, lib.qint8)",
    "lib.quantize_per_tensor(lib.randn(3).double(), 0.1, 0, lib.qint8)",
    "lib.quantize_per_tensor(lib.randn(3), 0.1, 300, lib.quint8)",
    "lib.quantize_per_tensor(lib.randn(3), 0.1, -1, lib.quint8)",
    "lib.quantize_per_channel(lib.randn(2, 3), lib.tensor([0.1, 0.2, 0.3]),"
    " lib.tensor([0, 0, 0]), 0, lib.quint8)",
    "lib.quantize_per_channel(lib.randn(2, 3), lib.tensor([0.1, 0.2, 0.3]),"
    " lib.tensor([0, 0, 0]), 2, lib.quint8)",
    "lib.quantize_per_channel(lib.randn(2, 3), lib.tensor([0.1, 0.2, 0.3]),"
    " lib.tensor([0, 0, 300]), 1, lib.quint8)",
    "lib.quantize_per_tensor(lib.randn(3), 0.1, 0, lib.qint8).q_per_channel_scales()",
    "lib.quantize_per_channel(lib.randn(2, 3), lib.tensor([0.1, 0.2, 0.3]),"
    " lib.tensor([0, 0, 0]), 1, lib.quint8).q_scale()",
])
def test_errors_equal_torch(expr):
    e, t = both(lambda lib: error_of(lambda: eval(expr, {"lib": lib})))
    assert t is not None and e == t


# ---------------------------------------------------------------- fake quantization


@given(seed=st.integers(0, 2 ** 32 - 1), scale=st.floats(1e-2, 1.0),
       zero_point=st.integers(0, 255), qmin_qmax=st.sampled_from([(0, 255), (0, 127),
                                                                   (-128, 127)]))
def test_fake_quantize_per_tensor_values_and_gradient(seed, scale, zero_point, qmin_qmax):
    qmin, qmax = qmin_qmax
    zero_point = min(max(zero_point, qmin), qmax)
    x = _values(seed, 64, scale, zero_point)

    def run(lib, as_tensor):
        t = lib.tensor(x, requires_grad=True)
        s = lib.tensor([scale]) if as_tensor else scale
        z = lib.tensor([zero_point], dtype=lib.int32) if as_tensor else zero_point
        y = lib.fake_quantize_per_tensor_affine(t, s, z, qmin, qmax)
        (y * lib.arange(64.0)).sum().backward()
        return y.detach().numpy(), t.grad.numpy(), type(y.grad_fn).__name__
    for as_tensor in (False, True):
        e, t = both(lambda lib: run(lib, as_tensor))
        assert np.array_equal(e[0], t[0])
        assert np.array_equal(e[1], t[1])
        assert e[2] == t[2]


def test_fake_quantize_per_channel_values_and_gradient():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((4, 3, 5)) * 3).astype(np.float32)
    scales = rng.uniform(0.01, 0.1, 3).astype(np.float32)
    zero_points = np.array([0, 10, -5], np.int32)

    def run(lib):
        t = lib.tensor(x, requires_grad=True)
        y = lib.fake_quantize_per_channel_affine(t, lib.tensor(scales), lib.tensor(zero_points),
                                                 1, -128, 127)
        (y * y).sum().backward()
        return y.detach().numpy(), t.grad.numpy(), type(y.grad_fn).__name__
    e, t = both(run)
    assert np.array_equal(e[0], t[0])
    assert np.allclose(e[1], t[1])
    assert e[2] == t[2]


@pytest.mark.parametrize("expr", [
    "lib.fake_quantize_per_tensor_affine(lib.randn(3), 0.1, 300, 0, 255)",
    "lib.fake_quantize_per_tensor_affine(lib.randn(3), 0.1, 3, 10, 5)",
    "lib.fake_quantize_per_channel_affine(lib.randn(3, 1), lib.tensor([0.1]),"
    " lib.tensor([3]), 1, 0, 255)",
])
def test_fake_quantize_errors_equal_torch(expr):
    e, t = both(lambda lib: error_of(lambda: eval(expr, {"lib": lib})))
    assert t is not None and e == t


def test_import_ember_loads_no_quantization():
    script = ("import sys, ember\n"
              "print(sorted(m for m in sys.modules if 'quant' in m or m.startswith('ember.ao')))\n"
              "ember.qint8\n"
              "print('ember._quantized' in sys.modules, 'ember.ao.quantization' in sys.modules)\n"
              "import ember.quantization, ember.nn.quantized.dynamic\n"
              "print(ember.quantization.MinMaxObserver is ember.ao.quantization.MinMaxObserver,"
              " ember.nn.quantized.dynamic.Linear is ember.ao.nn.quantized.dynamic.Linear)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "True False", "True True"]


def test_ordinary_ops_see_the_real_values():
    q = ember.quantize_per_tensor(ember.tensor([-1.0, 0.5, 2.25]), 0.1, 10, ember.quint8)
    y = q * 2
    assert type(y) is ember.Tensor and y.dtype is ember.float32
    assert np.array_equal(y.numpy(), q.dequantize().numpy() * 2)
