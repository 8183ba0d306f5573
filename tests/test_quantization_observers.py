"""Observers, FakeQuantize and QConfig against torch: the same data gives the same recorded
ranges and the same ``calculate_qparams``, bit for bit."""
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

import ember
import ember.ao.quantization as eq

torch = pytest.importorskip("torch")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import torch.ao.quantization as tq

warnings.filterwarnings("ignore", message=".*(quantiz|reduce_range|must run observer).*")


def _observe(make, batches):
    """(ember observer, torch observer) after seeing the same float32 batches."""
    obs = []
    for lib, ns in ((ember, eq), (torch, tq)):
        o = make(lib, ns)
        for b in batches:
            o(lib.tensor(b))
        obs.append(o)
    return obs


def _same_qparams(e, t):
    es, ez = e.calculate_qparams()
    ts, tz = t.calculate_qparams()
    assert np.array_equal(es.numpy(), ts.numpy()), (es, ts)
    assert np.array_equal(ez.numpy(), tz.numpy()), (ez, tz)
    assert es.dtype.name == str(ts.dtype)[6:] and ez.dtype.name == str(tz.dtype)[6:]


def _batches(seed, n, shape=(4, 5)):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(shape) * rng.uniform(0.1, 10) + rng.uniform(-3, 3)).astype(
        np.float32) for _ in range(n)]


PER_TENSOR = [
    lambda lib, ns: ns.MinMaxObserver(),
    lambda lib, ns: ns.MinMaxObserver(dtype=lib.qint8, qscheme=lib.per_tensor_symmetric),
    lambda lib, ns: ns.MinMaxObserver(quant_min=0, quant_max=127),
    lambda lib, ns: ns.MinMaxObserver(reduce_range=True),
    lambda lib, ns: ns.MinMaxObserver(dtype=lib.quint8, qscheme=lib.per_tensor_symmetric),
    lambda lib, ns: ns.MinMaxObserver(dtype=lib.qint32),
    lambda lib, ns: ns.MovingAverageMinMaxObserver(),
    lambda lib, ns: ns.MovingAverageMinMaxObserver(averaging_constant=0.3, dtype=lib.qint8,
                                                   qscheme=lib.per_tensor_symmetric),
    lambda lib, ns: ns.HistogramObserver(),
    lambda lib, ns: ns.HistogramObserver(reduce_range=True),
    lambda lib, ns: ns.HistogramObserver(bins=256, dtype=lib.qint8,
                                         qscheme=lib.per_tensor_symmetric),
]
PER_CHANNEL = [
    lambda lib, ns: ns.PerChannelMinMaxObserver(),
    lambda lib, ns: ns.PerChannelMinMaxObserver(ch_axis=1, dtype=lib.qint8,
                                                qscheme=lib.per_channel_symmetric),
    lambda lib, ns: ns.MovingAveragePerChannelMinMaxObserver(averaging_constant=0.5),
]


@pytest.mark.parametrize("make", PER_TENSOR + PER_CHANNEL)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 4))
def test_calculate_qparams_equals_torch(make, seed, n):
    e, t = _observe(make, _batches(seed, n))
    _same_qparams(e, t)
    assert np.array_equal(e.min_val.numpy(), t.min_val.numpy())
    assert np.array_equal(e.max_val.numpy(), t.max_val.numpy())


@pytest.mark.parametrize("make", PER_TENSOR + PER_CHANNEL)
def test_unobserved_and_constant_inputs(make):
    e, t = _observe(make, [])
    _same_qparams(e, t)
    e, t = _observe(make, [np.zeros((4, 5), np.float32), np.full((4, 5), 2, np.float32)])
    _same_qparams(e, t)


def test_histogram_keeps_torch_histogram():
    e, t = _observe(lambda lib, ns: ns.HistogramObserver(bins=64), _batches(3, 3))
    assert np.allclose(e.histogram.numpy(), t.histogram.numpy(), atol=1e-4)


@pytest.mark.parametrize("make", [
    lambda lib, ns: ns.MinMaxObserver(),
    lambda lib, ns: ns.PerChannelMinMaxObserver(),
    lambda lib, ns: ns.HistogramObserver(),
    lambda lib, ns: ns.FakeQuantize(),
])
def test_reprs_equal_torch(make):
    e, t = _observe(make, _batches(0, 2))
    assert repr(e) == repr(t)


@pytest.mark.parametrize("make", [
    lambda lib, ns: ns.default_fake_quant(),
    lambda lib, ns: ns.default_weight_fake_quant(),
    lambda lib, ns: ns.default_per_channel_weight_fake_quant(),
])
def test_fake_quantize_module_equals_torch(make):
    batches = _batches(5, 3, shape=(3, 4))
    outs = []
    for lib, ns in ((ember, eq), (torch, tq)):
        fq = make(lib, ns)
        ys = []
        for b in batches:
            x = lib.tensor(b, requires_grad=True)
            y = fq(x)
            y.sum().backward()
            ys.append((y.detach().numpy(), x.grad.numpy()))
        fq.disable_observer()
        ys.append((fq(lib.tensor(batches[0])).numpy(), None))
        outs.append((ys, fq.scale.numpy(), fq.zero_point.numpy(), repr(fq)))
    (ye, se, ze, re), (yt, st_, zt, rt) = outs
    for (a, ga), (b, gb) in zip(ye, yt):
        assert np.array_equal(a, b)
        assert ga is None or np.array_equal(ga, gb)
    assert np.array_equal(se, st_) and np.array_equal(ze, zt)
    assert re == rt


def _no_paths(text):
    """A repr with each class's module path dropped (ember's classes live in ember.ao...)."""
    return re.sub(r"<class '[\w.]*\.(\w+)'>", r"<class '\1'>", text)


def test_qconfig_contents():
    for name in ("default_qconfig", "default_dynamic_qconfig", "default_qat_qconfig"):
        e, t = getattr(eq, name), getattr(tq, name)
        assert _no_paths(repr(e)) == _no_paths(repr(t))
    e, t = eq.get_default_qconfig("x86"), tq.get_default_qconfig("x86")
    assert type(e.activation()).__name__ == type(t.activation()).__name__ == "HistogramObserver"
    assert e.activation().reduce_range and e.weight().qscheme is ember.per_channel_symmetric
    with pytest.raises(ValueError, match="QConfig received observer instance"):
        eq.QConfig(activation=eq.MinMaxObserver(), weight=eq.default_weight_observer)


def test_observer_errors_equal_torch():
    for lib, ns in ((ember, eq), (torch, tq)):
        with pytest.raises(NotImplementedError, match="Cannot reduce range for symmetric"):
            ns.MinMaxObserver(qscheme=lib.per_tensor_symmetric, reduce_range=True)
        with pytest.raises(NotImplementedError, match="MinMaxObserver's qscheme only support"):
            ns.MinMaxObserver(qscheme=lib.per_channel_affine)
