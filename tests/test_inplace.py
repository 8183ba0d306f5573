"""In-place operations (ember/_ops/inplace.py) against torch: results, dtype and shape checks
(with the tensor left unchanged after an error), the leaf and version-counter rules, and the
graph that a recorded in-place change leaves behind."""
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

torch = pytest.importorskip("torch")

import ember  # noqa: E402
from parity import compare, error_of, same_error  # noqa: E402

# NumPy's inf/nan warnings, which ember silences with a filter that pytest's collection drops
# (test_arithmetic checks in a fresh process that none reach the user)
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered:RuntimeWarning")

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64"]


def _values(rng, shape, dtype):
    if dtype == "bool":
        return np.asarray(rng.integers(0, 2, shape).astype(bool))
    if dtype.startswith("float"):
        return np.asarray((rng.integers(-6, 7, shape) / 2).astype(dtype))
    return np.asarray(rng.integers(0 if dtype == "uint8" else -4, 5, shape).astype(dtype))


_AUGMENTED = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "&=": operator.iand,
    "|=": operator.ior, "^=": operator.ixor,
}
_METHODS = {
    "add_": lambda t, o: t.add_(o), "add_alpha": lambda t, o: t.add_(o, alpha=2),
    "sub_": lambda t, o: t.sub_(o), "sub_alpha": lambda t, o: t.sub_(o, alpha=-1),
    "mul_": lambda t, o: t.mul_(o), "div_": lambda t, o: t.div_(o),
    "div_floor": lambda t, o: t.div_(o, rounding_mode="floor"),
    "pow_": lambda t, o: t.pow_(o), "remainder_": lambda t, o: t.remainder_(o),
    "fmod_": lambda t, o: t.fmod_(o), "floor_divide_": lambda t, o: t.floor_divide_(o),
    "eq_": lambda t, o: t.eq_(o), "lt_": lambda t, o: t.lt_(o),
    "logical_and_": lambda t, o: t.logical_and_(o), "bitwise_or_": lambda t, o: t.bitwise_or_(o),
    "copy_": lambda t, o: t.copy_(o), "fill_": lambda t, o: t.fill_(o),
    "clamp_": lambda t, o: t.clamp_(min=o), "lerp_": lambda t, o: t.lerp_(o, 0.5),
}
_OPS = {**{k: (lambda f: lambda t, o: f(t, o))(f) for k, f in _AUGMENTED.items()}, **_METHODS}


def _run(lib, name, base, other):
    t = lib.tensor(base)
    o = lib.tensor(other) if isinstance(other, np.ndarray) else other
    out = _OPS[name](t, o)
    return t, out


@settings(max_examples=50, deadline=None)
@given(name=st.sampled_from(sorted(_OPS)), self_dtype=st.sampled_from(DTYPES),
       other=st.one_of(st.sampled_from(DTYPES), st.sampled_from([2, -1, 0.5, True])),
       shapes=st.sampled_from([((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), ()), ((3,), (2, 3)),
                               ((2, 1), (2, 3)), ((), ())]),
       seed=st.integers(0, 2 ** 16))
def test_inplace_matches_torch(name, self_dtype, other, shapes, seed):
    """The same result in the same tensor, or the same error with the tensor unchanged."""
    rng = np.random.default_rng(seed)
    base = _values(rng, shapes[0], self_dtype)
    if isinstance(other, str):
        other = _values(rng, shapes[1], other)
    expected = error_of(lambda: _run(torch, name, base, other))
    if expected is not None:
        t = ember.tensor(base)
        o = ember.tensor(other) if isinstance(other, np.ndarray) else other
        got = error_of(lambda: _OPS[name](t, o))
        if expected[0] == "TypeError":         # the texts of torch's argument parser vary
            assert got[0] == "TypeError"
        else:
            assert got == expected
        assert np.array_equal(t.numpy(), base, equal_nan=True) and t._version == 0
        return
    te, oe = _run(ember, name, base, other)
    tt, ot = _run(torch, name, base, other)
    assert oe is te and ot is tt
    assert str(te.dtype) == str(tt.dtype) and tuple(te.shape) == tuple(tt.shape)
    tol = 2e-3 if te.dtype == ember.float16 else 1e-6
    np.testing.assert_allclose(te.numpy().astype(float), tt.numpy().astype(float), rtol=tol,
                               atol=tol, equal_nan=True)
    assert te._version == tt._version


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("fn", [
    lambda lib, x: x.add_(1.5), lambda lib, x: x.mul_(lib.ones(3)), lambda lib, x: x.div_(2),
    lambda lib, x: x.sqrt_(), lambda lib, x: x.sigmoid_(), lambda lib, x: x.exp_(),
    lambda lib, x: x.clamp_(0.5), lambda lib, x: x.bool().add_(1),
    lambda lib, x: x.float().add_(lib.ones(2, 3)), lambda lib, x: x.float().add_(lib.ones(2)),
    lambda lib, x: x.float()[None].add_(lib.ones(2, 3)),
    lambda lib, x: x.float().expand(2, 3).add_(1),
    lambda lib, x: x.float().expand(2, 3).copy_(lib.ones(2, 3)),
    lambda lib, x: x.float().copy_(lib.ones(4)), lambda lib, x: x.float().copy_(lib.ones(2, 3)),
    lambda lib, x: x.float().copy_([1, 2, 3]), lambda lib, x: x.float().fill_(lib.ones(3)),
    lambda lib, x: x.float().fill_("a"), lambda lib, x: x.to(lib.uint8).fill_(300),
    lambda lib, x: x.to(lib.int8).fill_(1e10), lambda lib, x: x.float().float_power_(2),
    lambda lib, x: x.bool().sub_(True), lambda lib, x: x.bool().neg_(), lambda lib, x: x.frac_(),
    lambda lib, x: x.float().bitwise_and_(1), lambda lib, x: x.float().__ior__(1),
    lambda lib, x: x.__imod__(0), lambda lib, x: x.__ifloordiv__(0),
    lambda lib, x: x.float().lerp_(x, 0.5),
])
def test_errors_leave_the_tensor_unchanged(fn):
    same_error(fn, np.array([1, 2, 3]))
    t = ember.tensor([1, 2, 3])
    error_of(lambda: fn(ember, t))
    assert t.tolist() == [1, 2, 3] and t._version == 0


def test_leaf_that_requires_grad():
    for fn in (lambda lib, x: x.add_(1), lambda lib, x: x.relu_(), lambda lib, x: x.zero_(),
               lambda lib, x: x.fill_(2), lambda lib, x: x.copy_(x.detach() * 2),
               lambda lib, x: x.__imul__(2), lambda lib, x: x[0:2].mul_(2),
               lambda lib, x: x[0].fill_(1), lambda lib, x: x.view(3, 1).clamp_(0, 1)):
        same_error(lambda lib, x: fn(lib, x.requires_grad_()), np.array([1.0, 2.0, 3.0]))
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    with ember.no_grad():
        x.mul_(2).add_(1)
    assert x.tolist() == [3.0, 5.0] and x.is_leaf and x.grad_fn is None
    x.detach().zero_()                              # shares memory and version, no check
    x.data.add_(1)
    assert x.tolist() == [1.0, 1.0] and x._version == 3


def test_version_counter_and_views():
    for lib in (torch, ember):
        x = lib.zeros(2, 3)
        v = x[1]
        v.add_(1)
        x.mul_(2)
        x += 1
        x.t().sub_(lib.ones(3, 2))
        assert x._version == 4 and v._version == 4
        assert x.tolist() == [[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]]


def test_saved_tensor_modified_in_place():
    def sigmoid_case(lib, x):
        y = x.requires_grad_().sigmoid()
        y.mul_(2)
        y.sum().backward()

    def input_case(lib, x):
        y = x.requires_grad_() * 1
        z = y * y
        y.add_(1)
        z.sum().backward()

    def detached_case(lib, x):
        x.requires_grad_()
        z = x.sin()
        x.detach().add_(1)
        z.sum().backward()
    def inplace_case(lib, x):
        y = (x.requires_grad_() * 1).sqrt_().log_()      # sqrt_ saved its output: y itself
        y.sum().backward()
    for fn in (sigmoid_case, input_case, detached_case, inplace_case):
        same_error(fn, np.array([1.0, 2.0, 3.0]))


# ---------------------------------------------------------------- recorded in-place changes


@pytest.mark.parametrize("fn", [
    lambda lib, x, w: (x * 1).mul_(2), lambda lib, x, w: (x * 1).mul_(w),
    lambda lib, x, w: (x * 1).add_(w, alpha=-2), lambda lib, x, w: (x * 1).sub_(w),
    lambda lib, x, w: (x * 1).div_(w), lambda lib, x, w: (x * 1).pow_(2),
    lambda lib, x, w: (x * 1).relu_(), lambda lib, x, w: (x * 1).sigmoid_(),
    lambda lib, x, w: (x * 1).tanh_(), lambda lib, x, w: (x * 1).exp_(),
    lambda lib, x, w: (x * 1).abs_(), lambda lib, x, w: (x * 1).clamp_(-0.5, 0.5),
    lambda lib, x, w: (x * 1).clamp_(min=w), lambda lib, x, w: (x * 1).neg_(),
    lambda lib, x, w: (x * 1).lerp_(w, 0.25), lambda lib, x, w: (x * 1).square_(),
    lambda lib, x, w: (x * 1).floor_(), lambda lib, x, w: (x * 1).frac_(),
    lambda lib, x, w: (x * 1).fill_(2), lambda lib, x, w: (x * 1).zero_(),
    lambda lib, x, w: (x * 1).fill_(w[0]), lambda lib, x, w: lib.zeros(2, 3).fill_(w[1]),
    lambda lib, x, w: (x * 1).copy_(w), lambda lib, x, w: lib.zeros(2, 3).copy_(w),
    lambda lib, x, w: lib.zeros(2, 3, dtype=lib.float64).copy_(x),
    lambda lib, x, w: lib.zeros(2, 3).add_(w), lambda lib, x, w: (x * 1).__iadd__(w),
    lambda lib, x, w: (x * 1).__imul__(w).__isub__(x), lambda lib, x, w: (x * 1).__ipow__(w),
    lambda lib, x, w: (x * 1).__itruediv__(2), lambda lib, x, w: (x * 1).__imod__(1.5),
    lambda lib, x, w: (x * 1).sqrt_() * 2, lambda lib, x, w: (x * 1).round_(decimals=1),
    lambda lib, x, w: (x * 1).addcmul_(x, w, value=0.5), lambda lib, x, w: (x * 1).addcdiv_(w, x),
])
def test_recorded_inplace_gradients_and_nodes(fn):
    x = np.array([[0.5, 1.5, 2.0], [3.0, 0.25, 1.0]], np.float32)
    w = np.array([1.5, -2.0, 0.5], np.float32)
    compare(fn, x, w)


def test_floor_divide_in_place_has_no_derivative():
    re, rt = compare(lambda lib, x: (x.requires_grad_() * 1).__ifloordiv__(2),
                     np.array([1.0, 3.0]), grad=False)
    assert type(re.grad_fn).__name__ == "NotImplemented"


def test_inplace_on_a_tensor_that_does_not_require_grad_records_the_other_operand():
    w = ember.tensor([1.0, 2.0], requires_grad=True)
    buf = ember.zeros(2)
    buf += w * 3
    assert buf.requires_grad and type(buf.grad_fn).__name__ == "AddBackward0"
    buf.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_fill_values_follow_torch():
    for fn in (lambda lib, x: x.to(lib.uint8).fill_(-1), lambda lib, x: x.bool().fill_(2),
               lambda lib, x: x.long().fill_(2.7), lambda lib, x: x.long().fill_(lib.tensor(2.5)),
               lambda lib, x: x.fill_(lib.tensor(2, dtype=lib.int64)),
               lambda lib, x: x.fill_(np.float64(0.25)), lambda lib, x: x.long().copy_(x - 2.5),
               lambda lib, x: x.bool().copy_(x - 1), lambda lib, x: x.zero_()):
        compare(fn, np.array([1.0, 2.0, 3.0]), grad=False)


def test_augmented_assignment_keeps_the_object():
    for lib in (torch, ember):
        x = lib.tensor([5, 7])
        y = x
        x //= 2
        x %= 2
        x |= 4
        x &= 5
        x ^= 1
        x **= 2
        x += 1
        x -= 1
        x *= 3
        assert x is y and x.tolist() == [75, 48]
