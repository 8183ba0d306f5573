"""Elementwise functions (ember/_ops/exponential.py, trigonometric.py, error_function.py,
rounding.py, clamping.py, predicates.py) against torch: values, dtypes, gradients and their
conventions at kinks, graph node names, error texts; erf and friends to float64 precision."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

torch = pytest.importorskip("torch")

import ember  # noqa: E402
from parity import compare, gradcheck, same_error, same_warnings  # noqa: E402

# NumPy's inf/nan warnings, which ember silences with a filter that pytest's collection drops
# (test_arithmetic checks in a fresh process that none reach the user)
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered:RuntimeWarning")

# name -> (values inside the domain, whether torch's result has the input's integer dtype)
UNARY = {
    "exp": "any", "exp2": "any", "expm1": "any", "log": "positive", "log2": "positive",
    "log10": "positive", "log1p": "above-1", "sqrt": "positive", "rsqrt": "positive",
    "sin": "any", "cos": "any", "tan": "any", "asin": "unit", "acos": "unit", "atan": "any",
    "sinh": "any", "cosh": "any", "tanh": "any", "asinh": "any", "acosh": "above1",
    "atanh": "unit", "sigmoid": "any", "logit": "unit-positive", "erf": "any", "erfc": "any",
    "erfinv": "unit", "abs": "any", "absolute": "any", "sign": "any", "sgn": "any",
    "floor": "any", "ceil": "any", "round": "any", "trunc": "any", "fix": "any", "frac": "any",
    "relu": "any", "nan_to_num": "any", "neg": "any", "reciprocal": "positive",
    "arcsin": "unit", "arctanh": "unit", "square": "any", "sinc": "any",
}


def _domain(kind, rng, shape):
    x = rng.uniform(-3, 3, shape)
    if kind == "positive":
        return np.abs(x) + 0.1
    if kind == "above-1":
        return np.abs(x) - 0.9
    if kind == "above1":
        return np.abs(x) + 1.1
    if kind == "unit":
        return np.clip(x / 3.5, -0.95, 0.95)
    if kind == "unit-positive":
        return np.clip(np.abs(x) / 3.5, 0.05, 0.95)
    return x


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_functions_match_torch(name, dtype):
    x = _domain(UNARY[name], np.random.default_rng(0), (3, 4)).astype(dtype)
    grad = name != "sgn"            # torch's sgn gradient is a "ZeroTensor" numpy cannot read
    compare(lambda lib, t: getattr(lib, name)(t), x, grad=grad)
    compare(lambda lib, t: getattr(t, name)(), x, grad=grad)


@pytest.mark.parametrize("name", sorted(n for n in UNARY if hasattr(torch.Tensor, n + "_")))
def test_unary_inplace_twins_match_torch(name):
    """``x.exp_()`` (and ``torch.exp_(x)`` where torch has it) writes ``exp(x)`` into ``x``."""
    x = _domain(UNARY[name], np.random.default_rng(3), (2, 3)).astype("float32")
    compare(lambda lib, t: getattr(t.clone(), name + "_")(), x, grad=False)
    assert hasattr(ember, name + "_") == hasattr(torch, name + "_")
    if hasattr(torch, name + "_"):
        compare(lambda lib, t: getattr(lib, name + "_")(t.clone()), x, grad=False)


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["int64", "int8", "uint8", "bool", "float16"])
def test_unary_functions_of_other_dtypes(name, dtype):
    """Integers become float32 for the transcendental functions and keep their dtype for the
    rest; some refuse bool or integers, with torch's error."""
    x = np.array([[0, 1, 2], [3, 1, 0]]).astype(dtype)
    fn = lambda lib, t: getattr(lib, name)(t)                     # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch_result = getattr(torch, name)(torch.tensor(x))
        except Exception:                                        # noqa: BLE001
            same_error(fn, x)
            return
    tol = 1e-3 if torch_result.dtype == torch.float16 else 1e-6
    compare(fn, x, rtol=tol, atol=tol, grad=name != "sgn")


@settings(max_examples=40, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 6), elements=st.floats(-30, 30)),
       name=st.sampled_from(["exp", "expm1", "sin", "tanh", "sigmoid", "erf", "erfc", "atan",
                             "abs", "floor", "round", "frac", "asinh", "relu"]))
def test_unary_random_values(x, name):
    # gradients like 1 - tanh(x)**2 cancel digits: one ulp of difference in tanh(9) between
    # NumPy and torch is a relative 4e-9 in its gradient
    compare(lambda lib, t: getattr(lib, name)(t), x, rtol=1e-7, atol=1e-15)


# ---------------------------------------------------------------- the error function


def test_erf_family_to_float64_precision():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.standard_normal(20000) * 3, np.linspace(-8, 8, 4001),
                        [0.0, -0.0, 1e-300, 26.0, 27.5, 40.0, np.inf, -np.inf, np.nan]])
    for name in ("erf", "erfc"):
        e = getattr(ember, name)(ember.tensor(x)).numpy()
        t = getattr(torch, name)(torch.tensor(x)).numpy()
        np.testing.assert_allclose(e, t, rtol=5e-15, atol=1e-300, equal_nan=True)
    y = np.concatenate([rng.uniform(-1, 1, 20000), 1 - 10.0 ** -rng.uniform(1, 15.9, 2000),
                        [0.0, 1.0, -1.0, 1.5, -2.0, np.nan, 1e-300]])
    e = ember.erfinv(ember.tensor(y)).numpy()
    t = torch.erfinv(torch.tensor(y)).numpy()
    np.testing.assert_allclose(e, t, rtol=5e-14, atol=1e-300, equal_nan=True)
    finite = np.abs(y) < 1
    np.testing.assert_allclose(ember.erf(ember.tensor(e[finite])).numpy(), y[finite],
                               rtol=2e-15, atol=1e-300)


def test_erf_in_float32():
    x = np.random.default_rng(2).standard_normal(5000).astype(np.float32) * 4
    for name in ("erf", "erfc"):
        compare(lambda lib, t: getattr(lib, name)(t), x, rtol=2e-6, atol=1e-30)
    compare(lambda lib, t: lib.erfinv(t), np.tanh(x) * 0.999, rtol=2e-6, atol=1e-30)


# ---------------------------------------------------------------- gradient conventions


@pytest.mark.parametrize("fn, x", [
    (lambda lib, t: t.abs(), [-1.0, 0.0, 2.0]),
    (lambda lib, t: t.sinc(), [-1.0, 0.0, 2.0]),
    (lambda lib, t: t.relu(), [-1.0, 0.0, 2.0]),
    (lambda lib, t: t.sqrt(), [0.0, 4.0, -1.0]),
    (lambda lib, t: t.rsqrt(), [0.0, 4.0, -1.0]),
    (lambda lib, t: t.log(), [0.0, 4.0, -1.0]),
    (lambda lib, t: t.sign(), [-1.0, 0.0, 2.0]),
    (lambda lib, t: t.clamp(0, 1), [-1.0, 0.0, 0.5, 1.0, 2.0, math.nan]),
    (lambda lib, t: t.clamp(1, 0), [-1.0, 0.0, 0.5, 1.0, 2.0]),
    (lambda lib, t: t.clamp(min=0.5), [-1.0, 0.5, 2.0]),
    (lambda lib, t: t.clamp(max=0.5), [-1.0, 0.5, 2.0]),
    (lambda lib, t: t.clamp_min(0.5), [-1.0, 0.5, 2.0]),
    (lambda lib, t: t.clamp_max(0.5), [-1.0, 0.5, 2.0]),
    (lambda lib, t: t.clip(-0.5, 0.5), [-1.0, -0.5, 0.5, 2.0]),
    (lambda lib, t: t.asin(), [-1.0, 0.0, 1.0]),
    (lambda lib, t: t.acosh(), [1.0, 2.0]),
    (lambda lib, t: t.atanh(), [-1.0, 0.0, 1.0]),
    (lambda lib, t: t.erfinv(), [-1.0, 0.0, 0.5, 1.0]),
    (lambda lib, t: t.logit(), [2.0, -1.0, 0.5, 0.0, 1.0]),
    (lambda lib, t: t.logit(0.1), [0.0, 0.05, 0.1, 0.5, 0.9, 1.0]),
    (lambda lib, t: t.nan_to_num(), [math.nan, math.inf, -math.inf, 1.0]),
    (lambda lib, t: t.nan_to_num(1.0, 2.0, -3.0), [math.nan, math.inf, -math.inf, 1.0]),
    (lambda lib, t: t.reciprocal(), [0.0, 2.0]),
    (lambda lib, t: t.log1p(), [-1.0, 2.0]),
    (lambda lib, t: t.frac(), [0.5, -1.5, 2.25]),
    (lambda lib, t: t.round(decimals=1), [0.25, 1.55, -2.35]),
    (lambda lib, t: t.sigmoid(), [-100.0, 0.0, 100.0]),
    (lambda lib, t: t.tan(), [0.0, 1.0, -1.2]),
])
def test_gradient_conventions(fn, x):
    compare(fn, np.array(x))
    compare(fn, np.array(x, np.float32))


NAN = math.nan


@pytest.mark.parametrize("fn, x, y", [
    (lambda lib, a, b: lib.maximum(a, b), [1.0, 2.0, 3.0, NAN], [1.0, 1.0, 4.0, 0.0]),
    (lambda lib, a, b: lib.minimum(a, b), [1.0, 2.0, 3.0, NAN], [1.0, 1.0, 4.0, 0.0]),
    (lambda lib, a, b: lib.fmax(a, b), [1.0, NAN, 3.0, NAN], [1.0, 1.0, NAN, NAN]),
    (lambda lib, a, b: lib.fmin(a, b), [1.0, NAN, 3.0, NAN], [1.0, 1.0, NAN, NAN]),
    (lambda lib, a, b: lib.atan2(a, b), [0.0, 1.0, -1.0, 0.0], [0.0, 0.0, 2.0, -3.0]),
    (lambda lib, a, b: lib.hypot(a, b), [0.0, 3.0], [0.0, 4.0]),
    (lambda lib, a, b: lib.xlogy(a, b), [0.0, 0.0, 2.0, 0.0, 1.0], [0.0, -1.0, 3.0, NAN, 0.0]),
    (lambda lib, a, b: lib.logaddexp(a, b), [0.0, -800.0, 800.0], [1.0, -800.0, 0.0]),
    (lambda lib, a, b: lib.logaddexp2(a, b), [0.0, -800.0, 800.0], [1.0, -800.0, 0.0]),
    (lambda lib, a, b: a.clamp(b, b + 1), [-1.0, 0.0, 0.5, 1.0, 2.0], [0.0, 0.0, 0.0, 0.0, 1.0]),
    (lambda lib, a, b: a.clamp(b, 0.5 - b), [-1.0, 0.0, 0.5, 1.0, 2.0], [0.0, 1.0, 0.0, 2.0, 1.0]),
    (lambda lib, a, b: a.clamp(min=b), [-1.0, 0.0, 0.5, 2.0], [0.0, 0.0, 0.0, 2.0]),
    (lambda lib, a, b: a.clamp(max=b), [-1.0, 0.0, 0.5, 2.0], [0.0, 0.0, 0.0, 2.0]),
    (lambda lib, a, b: a.clamp_min(b), [-1.0, 0.0, 0.5, 2.0], [0.0, 0.0, 0.0, 2.0]),
    (lambda lib, a, b: a.clamp_max(b), [-1.0, 0.0, 0.5, 2.0], [0.0, 0.0, 0.0, 2.0]),
    (lambda lib, a, b: a.lerp(b, 0.3), [0.0, 1.0], [2.0, 3.0]),
    (lambda lib, a, b: a.lerp(b, 0.7), [0.0, 1.0], [2.0, 3.0]),
    (lambda lib, a, b: a.lerp(b, b), [0.0, 1.0], [2.0, 0.25]),
    (lambda lib, a, b: lib.where(a > 0, a, b), [-1.0, 1.0], [2.0, 3.0]),
])
def test_binary_gradient_conventions(fn, x, y):
    compare(fn, np.array(x), np.array(y))


def test_maximum_ties_split_the_gradient():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    ember.maximum(x, ember.tensor([1.0, 1.0])).sum().backward()
    assert x.grad.tolist() == [0.5, 1.0]


# ---------------------------------------------------------------- clamp


@pytest.mark.parametrize("fn", [
    lambda lib, t: t.clamp(0, 2), lambda lib, t: t.clamp(0.5), lambda lib, t: t.clamp(max=1.5),
    lambda lib, t: t.clamp(lib.tensor(0.5, dtype=lib.float64)),
    lambda lib, t: t.clamp(lib.tensor([0.5, 0.0, 0.0], dtype=lib.float64)),
    lambda lib, t: lib.clamp_min(t, 1.5), lambda lib, t: lib.clamp_max(t, 1),
    lambda lib, t: lib.clamp(t.to(lib.int8), -1, 1), lambda lib, t: t.bool().clamp(0, 1),
])
def test_clamp_dtypes(fn):
    compare(fn, np.array([0, 1, 2]))
    compare(fn, np.array([0.25, 1.0, 2.5], np.float32))


@pytest.mark.parametrize("fn", [
    lambda lib, t: t.clamp(), lambda lib, t: t.clamp(lib.zeros(2)),
    lambda lib, t: t.to(lib.int8).clamp(1000), lambda lib, t: lib.maximum(t, 2),
    lambda lib, t: lib.lerp(t, t.long(), 0.5), lambda lib, t: lib.lerp(t.long(), t.long(), 0.5),
    lambda lib, t: lib.lerp(t, t, t.double()), lambda lib, t: lib.where(t, t, t),
    lambda lib, t: lib.where(t > 0, t), lambda lib, t: lib.where(t > 0, t, lib.ones(2)),
    lambda lib, t: lib.where(t > 0, t.to(lib.int8), 1000),
    lambda lib, t: lib.hypot(t.long(), t.long()),
    lambda lib, t: lib.isclose(t, t.double()), lambda lib, t: lib.isclose(t, 1.0),
    lambda lib, t: t.long().frac(), lambda lib, t: t.bool().floor(), lambda lib, t: t.bool().abs(),
    lambda lib, t: t.bool().relu(), lambda lib, t: t.long().round(decimals=1),
    lambda lib, t: lib.atan2(t, 2), lambda lib, t: lib.addcdiv(t, t.long(), t.long()),
    lambda lib, t: lib.addcmul(t, t, lib.ones(2)), lambda lib, t: lib.logaddexp(t.long(), t.long()),
])
def test_error_texts(fn):
    same_error(fn, np.array([0.5, 1.0, 2.0], np.float32))


@pytest.mark.parametrize("fn", [
    lambda lib, t: t.clamp("a"), lambda lib, t: t.clamp(lib.zeros(3), 1.0),
    lambda lib, t: t.clamp(min=1.0, max=lib.ones(3)), lambda lib, t: lib.clamp(t, None, "b"),
])
def test_clamp_mixing_numbers_and_tensors_is_a_type_error(fn):
    for lib in (torch, ember):
        with pytest.raises(TypeError, match="clamp\\(\\) received an invalid combination"):
            fn(lib, lib.ones(3))


# ---------------------------------------------------------------- lerp, where, maximum ...


@pytest.mark.parametrize("fn", [
    lambda lib, a, b: lib.lerp(a, b, 0.5), lambda lib, a, b: lib.lerp(a, b, 1.0),
    lambda lib, a, b: lib.lerp(a, b, -0.25), lambda lib, a, b: lib.lerp(a, b, b.sigmoid()),
    lambda lib, a, b: lib.lerp(a, b, lib.tensor(0.75)),
    lambda lib, a, b: lib.lerp(a, b[0], lib.tensor([[0.5], [2.0]])),
    lambda lib, a, b: lib.maximum(a, b[0]), lambda lib, a, b: lib.minimum(a, b.double()),
    lambda lib, a, b: lib.fmax(a, b), lambda lib, a, b: lib.fmin(a, b.long()),
    lambda lib, a, b: lib.atan2(a, b), lambda lib, a, b: lib.arctan2(a.long(), b.long()),
    lambda lib, a, b: lib.hypot(a, b), lambda lib, a, b: lib.xlogy(a, b.abs()),
    lambda lib, a, b: lib.xlogy(a, 2.5), lambda lib, a, b: lib.xlogy(2.0, b.abs()),
    lambda lib, a, b: lib.xlogy(a.long(), b.long()), lambda lib, a, b: lib.xlogy(a, 0.0),
    lambda lib, a, b: lib.xlogy(a, -1.0),
    lambda lib, a, b: lib.where(a > b, a, b), lambda lib, a, b: lib.where(a > b, a, 0.5),
    lambda lib, a, b: lib.where(a > b, 2, b), lambda lib, a, b: lib.where(a > b, 1, 2),
    lambda lib, a, b: lib.where(a > b, 1.0, 2), lambda lib, a, b: lib.where(a > b, True, False),
    lambda lib, a, b: lib.where(a > b, a.double(), b), lambda lib, a, b: a.where(a > b, b),
    lambda lib, a, b: lib.where(a > b, a, lib.tensor(2.0, dtype=lib.float64)),
    lambda lib, a, b: lib.where((a > b)[0], a, b.long()),
    lambda lib, a, b: lib.where(a > b, a.to(lib.int8), 100),
    lambda lib, a, b: lib.where(a > 0), lambda lib, a, b: lib.where(a[0, 0] > -10),
    lambda lib, a, b: lib.addcmul(a, a, b, value=0.5), lambda lib, a, b: a.addcmul(b[0], b),
    lambda lib, a, b: lib.addcdiv(a, a, b + 3, value=-2), lambda lib, a, b: a.addcdiv(b, a + 5),
    lambda lib, a, b: lib.addcmul(a.long(), b.long(), b.long(), value=0.5),
    lambda lib, a, b: lib.addcmul(a, b.long(), b.double()),
    lambda lib, a, b: lib.logaddexp(a, b), lambda lib, a, b: lib.logaddexp2(a, b.double()),
])
def test_two_argument_functions(fn):
    a = np.array([[0.5, -1.5, 2.0], [0.0, 3.0, -0.25]], np.float32)
    b = np.array([[1.5, -1.5, 0.5], [2.0, -1.0, 0.0]], np.float32)
    compare(fn, a, b)


def test_where_with_uint8_condition_warns():
    same_warnings(lambda lib, c: lib.where(c, lib.ones(2), lib.zeros(2)),
                  np.array([1, 0], np.uint8))
    with pytest.warns(UserWarning):
        assert ember.where(ember.tensor([1, 0], dtype=ember.uint8), 1.0, 0.0).tolist() == [1, 0]


@pytest.mark.parametrize("fn", [
    lambda lib, a, b: lib.isnan(a), lambda lib, a, b: lib.isinf(a),
    lambda lib, a, b: lib.isposinf(a), lambda lib, a, b: lib.isneginf(a),
    lambda lib, a, b: lib.isfinite(a), lambda lib, a, b: lib.isreal(a),
    lambda lib, a, b: lib.isnan(a.long()), lambda lib, a, b: lib.isfinite(a.bool()),
    lambda lib, a, b: lib.isclose(a, b), lambda lib, a, b: lib.isclose(a, b, equal_nan=True),
    lambda lib, a, b: lib.isclose(a, b, rtol=0.5, atol=0.2),
    lambda lib, a, b: lib.isclose(a.long(), b.long()),
])
def test_tests_of_values(fn):
    a = np.array([1.0, math.nan, math.inf, -math.inf, 0.0, 1e-9])
    b = np.array([1.0 + 1e-6, math.nan, math.inf, math.inf, 0.3, 0.0])
    compare(fn, a, b)


def test_allclose_and_equal():
    pairs = [([1.0, 2.0], [1.0, 2.0 + 1e-7]), ([1.0, math.nan], [1.0, math.nan]),
             ([1.0, 2.0], [1.0, 2.1]), ([1.0], [1.0, 1.0])]
    for a, b in pairs:
        te, tt = (ember.tensor(a), ember.tensor(b)), (torch.tensor(a), torch.tensor(b))
        assert ember.equal(*te) == torch.equal(*tt)
        if len(a) == len(b) or len(a) == 1:
            assert ember.allclose(*te) == torch.allclose(*tt)
            assert ember.allclose(*te, equal_nan=True) == torch.allclose(*tt, equal_nan=True)
    assert ember.equal(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 2.0], dtype=ember.float64))
    assert not ember.equal(ember.ones(2), ember.ones(1, 2))


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 2, 3])
def test_round_decimals(decimals):
    x = np.array([1234.5678, 0.125, 2.5, -3.455, 0.0049, -0.5, 1.5])
    compare(lambda lib, t: lib.round(t, decimals=decimals), x)
    compare(lambda lib, t: lib.round(t, decimals=decimals), x.astype(np.float32))


def test_rounding_halves_to_even_and_keeps_integers():
    compare(lambda lib, t: t.round(), np.array([0.5, 1.5, 2.5, -0.5, -1.5]))
    for name in ("floor", "ceil", "round", "trunc", "sign", "abs", "relu"):
        re, rt = compare(lambda lib, t: getattr(t, name)(), np.array([-2, 0, 3], np.int32))
        assert re.dtype == ember.int32


# ---------------------------------------------------------------- gradcheck


@pytest.mark.parametrize("fn", [
    lambda lib, x, w: x.exp() + x.exp2() + x.expm1(),
    lambda lib, x, w: w.log() + w.log2() + w.log10() + w.log1p(),
    lambda lib, x, w: w.sqrt() + w.rsqrt(),
    lambda lib, x, w: x.sin() + x.cos() + x.tan(),
    lambda lib, x, w: (x / 4).asin() + (x / 4).acos() + x.atan(),
    lambda lib, x, w: x.sinh() + x.cosh() + x.tanh(),
    lambda lib, x, w: x.asinh() + (w + 1).acosh() + (x / 4).atanh(),
    lambda lib, x, w: x.sigmoid() + (x.sigmoid() * 0.9).logit() + (x / 4).logit(0.2),
    lambda lib, x, w: x.erf() + x.erfc() + (x / 4).erfinv(),
    lambda lib, x, w: x.abs() + x.frac() + x.relu(),
    lambda lib, x, w: x.clamp(-1, 1) + x.clamp_min(0.2) + x.clamp_max(0.4),
    lambda lib, x, w: x.clamp(w - 2, w) + x.clamp(min=w - 1.05) + x.clamp_max(w),
    lambda lib, x, w: lib.maximum(x, w) + lib.minimum(x, w) + lib.fmax(x, w) + lib.fmin(x, w),
    lambda lib, x, w: lib.atan2(x, w) + lib.hypot(x, w),
    lambda lib, x, w: lib.xlogy(x, w) + lib.xlogy(x, 2.5) + lib.xlogy(3.0, w),
    lambda lib, x, w: lib.lerp(x, w, 0.3) + lib.lerp(x, w, w.sigmoid()),
    lambda lib, x, w: lib.where(x > 0, x, w) + lib.where(x > 0.5, 1.0, x),
    lambda lib, x, w: x.nan_to_num() * w,
    lambda lib, x, w: lib.addcmul(x, x, w, value=0.3) + lib.addcdiv(w, x, w, value=-1.5),
    lambda lib, x, w: lib.logaddexp(x, w) + lib.logaddexp2(x, w),
])
def test_gradcheck(fn):
    x = np.array([[0.3, -1.2, 2.1], [1.7, -0.4, 0.9]])
    w = np.array([1.3, 2.2, 0.6])
    gradcheck(fn, x, w)


def test_out_argument():
    out = ember.empty(3)
    assert ember.exp(ember.zeros(3), out=out) is out and out.tolist() == [1.0, 1.0, 1.0]
    same_error(lambda lib, t: lib.exp(t, out=lib.empty(3, dtype=lib.long)),
               np.zeros(3, np.float32))
    out = ember.empty(2, dtype=ember.float64)
    assert ember.clamp(ember.tensor([-1.0, 2.0]), 0, 1, out=out).tolist() == [0.0, 1.0]
