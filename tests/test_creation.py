"""Making tensors, against torch: values, dtypes, shapes, sharing memory, warnings and errors."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember

torch = pytest.importorskip("torch")


def outcome(lib, expr):
    """What ``expr`` gives with ``L = lib``: a description of the result (or the error), and
    the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = eval(expr, {"L": lib, "np": np})
        except Exception as e:      # noqa: BLE001 - we compare whatever was raised
            result = ("error", type(e).__name__, str(e).split("\nException raised from")[0])
        else:
            result = describe(result)
    texts = [str(w.message).split(" (Triggered internally")[0] for w in caught]
    return result, texts


def describe(r):
    if isinstance(r, (torch.Tensor, ember.Tensor)):
        a = r.detach().numpy()
        return ("tensor", str(r.dtype), tuple(r.shape), a.tolist(), r.requires_grad,
                r.is_leaf)
    if isinstance(r, (tuple, list)):
        return tuple(describe(x) for x in r)
    return r


def same(expr):
    e, t = outcome(ember, expr), outcome(torch, expr)
    assert repr(e) == repr(t), "{}\nember: {}\ntorch: {}".format(expr, e, t)


TENSOR = [
    "L.tensor(1)", "L.tensor(1.5)", "L.tensor(True)", "L.tensor([1, 2])", "L.tensor([1., 2])",
    "L.tensor([True, 1])", "L.tensor([True, 1.5])", "L.tensor([[1, 2], [3, 4]])", "L.tensor(())",
    "L.tensor([])", "L.tensor([[]])", "L.tensor([[], []])", "L.tensor([[], [1]])",
    "L.tensor((1, 2.))", "L.tensor(range(3))", "L.tensor([(1, 2), (3, 4)])",
    "L.tensor(np.array([1, 2], dtype=np.int32))", "L.tensor(np.array([1., 2]))",
    "L.tensor(np.array([[1, 2], [3, 4]]).T)", "L.tensor(np.array(2.0))",
    "L.tensor(np.float32(2))", "L.tensor(np.float64(2))", "L.tensor(np.int32(2))",
    "L.tensor(np.int64(2))", "L.tensor(np.bool_(True))", "L.tensor([np.float64(1.), 2.])",
    "L.tensor([np.float32(1.), 2.])", "L.tensor([np.int32(1), 2])",
    "L.tensor([np.float64(1.), np.float64(2.)])", "L.tensor([np.array([1, 2]), [3, 4]])",
    "L.tensor([L.tensor(1.), L.tensor(2.)])", "L.tensor([L.tensor(1), L.tensor(2)])",
    "L.tensor([L.tensor(1, dtype=L.int32), L.tensor(2, dtype=L.int32)])",
    "L.tensor([L.tensor(1., dtype=L.float64), 2.])", "L.tensor([L.tensor([1.]), L.tensor([2.])])",
    "L.tensor([[L.tensor(1.), 2]])", "L.tensor([L.tensor(1., requires_grad=True), 2.])",
    "L.tensor(L.tensor([1., 2]))", "L.tensor(L.tensor([1., 2]), dtype=L.float64)",
    "L.tensor(L.tensor([1., 2], requires_grad=True))", "L.tensor(L.tensor([1, 2]), dtype=L.bool)",
    "L.tensor([1, 2], dtype=L.float32)", "L.tensor([1.7, -2.7], dtype=L.int64)",
    "L.tensor([1.7, 0], dtype=L.bool)", "L.tensor([-1], dtype=L.uint8)",
    "L.tensor(-255, dtype=L.uint8)", "L.tensor(1.5, dtype=L.uint8)",
    "L.tensor([True], dtype=L.float32)",
    "L.tensor(np.array([1, 2]), dtype=L.float32)", "L.tensor(np.array([300]), dtype=L.uint8)",
    "L.tensor([[1, 2], [3, 4]], dtype=L.float64)", "L.tensor([1, 2], dtype=L.float16)",
    "L.tensor(3.5, dtype=float)", "L.tensor(3, dtype=int)", "L.tensor(3, dtype=bool)",
    "L.tensor(1e300, dtype=L.float32)", "L.tensor(1e10, dtype=L.float16)",
    "L.tensor([2**62, 1.5])", "L.tensor([2**63], dtype=L.float32)",
    "L.tensor([1, 2], device='cpu')", "L.tensor([1., 2], requires_grad=True)",
    "L.tensor(1., requires_grad=True)", "L.tensor([0.1, 0.2, 0.3]).tolist()",
]

TENSOR_ERRORS = [
    "L.tensor([300], dtype=L.uint8)", "L.tensor(1e10, dtype=L.int32)", "L.tensor(2**63)",
    "L.tensor(2**64)", "L.tensor([2**63])", "L.tensor(float('nan'), dtype=L.int64)",
    "L.tensor(2**40, dtype=L.int32)", "L.tensor(-129, dtype=L.int8)",
    "L.tensor(-256, dtype=L.uint8)", "L.tensor(-1.5, dtype=L.uint8)",
    "L.tensor([1, 2], requires_grad=True)", "L.tensor([True], requires_grad=True)",
    "L.tensor([[1, 2], [3]])", "L.tensor([[1, 2], 3])", "L.tensor([1, [2, 3]])",
    "L.tensor([[[1, 2]], [[3]]])", "L.tensor([[[1, 2], [3, 4]], [[5, 6]]])",
    "L.tensor([[1], [2, 3]])", "L.tensor([[1, 2], []])", "L.tensor([[[1]], [2]])",
    "L.tensor([[1, 2], [3, 4], [5]])", "L.tensor([(1, 2), (3,)])", "L.tensor([[1, [2]], [3, 4]])",
    "L.tensor([[1, 2], [3, [4]]])", "L.tensor([[1., 2], [3, [4]]])",
    "L.tensor([[True, 2], [3, [4]]])",
    "L.tensor([L.tensor([1., 2]), L.tensor([2.])])", "L.tensor([np.array([1, 2]), np.array([3])])",
    "L.tensor([np.array([1, 2]), [3]])", "L.tensor('abc')", "L.tensor(['a'])", "L.tensor([1, 'a'])",
    "L.tensor([[1, 2], 'ab'])", "L.tensor(None)", "L.tensor([None])", "L.tensor({1: 2})",
    "L.tensor({1, 2})", "L.tensor(np.array(['a']))", "L.tensor(np.array([1], dtype=object))",
    "L.tensor(np.array([[1, 2], [3, 4]])[:, ::-1])", "L.tensor(np.array([1., 2.], dtype='>f4'))",
    "L.tensor([1, 2], dtype=np.float32)",
]

OTHER = [
    "L.as_tensor([1, 2])", "L.as_tensor([1., 2], dtype=L.float64)", "L.as_tensor(np.array([1, 2]))",
    "L.as_tensor(L.tensor([1, 2]), dtype=L.float32)", "L.as_tensor(3)",
    "L.as_tensor(np.float64(3))",
    "L.asarray([1, 2])", "L.asarray(np.array([1., 2]))", "L.asarray([1., 2], dtype=L.float64)",
    "L.asarray(np.float64(3))", "L.asarray(3.)", "L.asarray([L.tensor(1.), L.tensor(2.)])",
    "L.asarray([1., 2.], requires_grad=True)",
    "L.from_numpy(np.array([1, 2], dtype=np.int16))", "L.from_numpy(np.zeros((2, 3))[:, ::2])",
    "L.from_numpy(np.zeros((2, 3))[:, ::2]).stride()", "L.from_numpy(np.array(1.5))",
    "L.from_numpy(np.array([[1, 2], [3, 4]])[:, ::-1])", "L.from_numpy(np.array(['a']))",
    "L.from_numpy([1, 2])", "L.from_numpy(np.float64(1))",
    "L.from_numpy(np.array([1], dtype=object))",
    "L.from_numpy(np.array([1., 2.], dtype='>f8'))",
    "L.zeros(2, 3)", "L.zeros((2, 3))", "L.zeros([2, 3])", "L.zeros(L.Size([2, 3]))", "L.zeros(())",
    "L.zeros([])", "L.zeros(0)", "L.zeros(2, dtype=L.int32)", "L.zeros(2, requires_grad=True)",
    "L.zeros(2, dtype=float)", "L.zeros(2, dtype=int)", "L.zeros(2, dtype=bool)",
    "L.zeros(np.int64(2))",
    "L.zeros(L.tensor(2))", "L.zeros((2, L.tensor(3)))", "L.zeros(size=(2, 3))", "L.zeros(2.0)",
    "L.zeros(-1, 2)", "L.zeros((2, -3))", "L.zeros(2, dtype=np.float32)", "L.zeros(2, None)",
    "L.zeros('a')", "L.zeros()", "L.zeros(2, dtype=L.int64, requires_grad=True)",
    "L.ones(2, 3)", "L.ones(3, dtype=L.bool)", "L.ones((2,), dtype=L.uint8)", "L.ones(-1)",
    "L.empty(2, 3).shape", "L.empty((0,)).shape", "L.empty(2, dtype=L.int64).dtype", "L.empty(-2)",
    "L.full((2, 3), 1.5)", "L.full((2,), 7)", "L.full((2,), True)",
    "L.full([2, 2], 3, dtype=L.float32)",
    "L.full((2,), 1.5, dtype=L.int64)", "L.full((2,), L.tensor(3.))", "L.full((2,), L.tensor(3))",
    "L.full((2,), 1.5, requires_grad=True)", "L.full((2,), np.float64(1.5))",
    "L.full((2,), np.int32(1))",
    "L.full((), 2.)", "L.full((2,), float('inf'))", "L.full(2, 3.)",
    "L.full((2,), 300, dtype=L.uint8)",
    "L.full((2,), 'a')", "L.full((-1,), 1.)",
    "L.zeros_like(L.ones(2, 3))", "L.zeros_like(L.ones(2, dtype=L.int32))",
    "L.ones_like(L.ones(2), dtype=L.float64)", "L.full_like(L.ones(2, dtype=L.int64), 2.7)",
    "L.full_like(L.ones(2), 7)", "L.empty_like(L.ones(2, 3)).shape",
    "L.zeros_like(L.ones(2), requires_grad=True)", "L.ones_like(L.ones(3, 2).t()).stride()",
    "L.zeros_like(3)", "L.full_like(L.ones(2, dtype=L.uint8), 300)",
    "L.ones(2, 3).new_zeros(2)", "L.ones(2, dtype=L.int32).new_ones((2, 2))",
    "L.ones(2, dtype=L.int32).new_full((2,), 1.5)", "L.ones(2, dtype=L.float64).new_tensor([1, 2])",
    "L.ones(2, dtype=L.float64).new_tensor([1, 2], dtype=L.int32)", "L.ones(2).new_empty(3).shape",
    "L.ones(2).new_zeros(2, requires_grad=True)", "L.ones(2).new_zeros(size=(1,))",
    "L.ones(2).new_tensor(L.ones(2, dtype=L.int64))",
    "L.ones(2, dtype=L.int64).new_zeros(2, dtype=L.float32)",
    "L.ones(2).new_ones(())", "L.ones(2).new_zeros()",
    "L.eye(3)", "L.eye(2, 3)", "L.eye(3, dtype=L.int64)", "L.eye(0)",
    "L.eye(3, requires_grad=True)",
    "L.eye(n=2, m=1)", "L.eye(-1)", "L.eye(2, -1)", "L.eye(2.0)",
    "L.scalar_tensor(3)", "L.scalar_tensor(3, dtype=L.int64)", "L.scalar_tensor(True)",
    "L.is_tensor(L.ones(1))", "L.is_tensor(1)", "L.numel(L.ones(2, 3))",
    "L.is_floating_point(L.ones(1))",
    "L.is_nonzero(L.tensor([1]))", "L.is_nonzero(L.tensor([1, 2]))", "L.is_nonzero(L.tensor([]))",
]

RANGES = [
    "L.arange(5)", "L.arange(1, 4)", "L.arange(0, 1, 0.1)", "L.arange(1, 2.5, 0.5)", "L.arange(5.)",
    "L.arange(0, 10, 3)", "L.arange(10, 0, -3)", "L.arange(1, 1)", "L.arange(5, dtype=L.float64)",
    "L.arange(0.5, 3, dtype=L.int64)", "L.arange(-1.5, 1, 0.7)", "L.arange(0, 1, 1/3)",
    "L.arange(0, 0.3, 0.1)", "L.arange(1e-3)", "L.arange(L.tensor(3))", "L.arange(L.tensor(3.))",
    "L.arange(0., 5, requires_grad=True)", "L.arange(np.int64(3))", "L.arange(np.float64(3))",
    "L.arange(start=1, end=3)", "L.arange(end=3)", "L.arange(0, 10, 2, dtype=L.uint8)",
    "L.arange(0.1, 0.9, 0.2)", "L.arange(-3, 3, 0.6)", "L.arange(0, 1.0001, 0.05)",
    "L.arange(-5, 5, 0.1)", "L.arange(0, 2, 0.01, dtype=L.float64)", "L.arange(0, 7, 1.5)",
    "L.arange(0, 1, 0)", "L.arange(0, -1, 0.3)", "L.arange(5, 0)", "L.arange(-3)",
    "L.arange(0, 2.5, 0.5, dtype=L.int64)",
    "L.arange(float('inf'))", "L.arange(3, dtype=L.bool)", "L.arange(0, 5, requires_grad=True)",
    "L.range(0, 3)", "L.range(0, 1, 0.25)", "L.range(0, 3, dtype=L.int64)", "L.range(0, 1, 0.3)",
    "L.range(3)", "L.range(0, -1, 1)", "L.range(0, 1, 0)",
    "L.linspace(0, 1, 5)", "L.linspace(0, 1, 7)", "L.linspace(-1, 1, 11)",
    "L.linspace(0, 10, 5, dtype=L.int64)",
    "L.linspace(0, 1, 1)", "L.linspace(0, 1, 0)", "L.linspace(0, 1, 5, dtype=L.float64)",
    "L.linspace(3, -2, 17)", "L.linspace(L.tensor(0.), L.tensor(1.), 3)",
    "L.linspace(0.1, 0.7, 100)",
    "L.linspace(0, 1, 5, requires_grad=True)", "L.linspace(-10, 10, 1000)",
    "L.linspace(0, 2, steps=3)",
    "L.linspace(0, 1, -1)", "L.linspace(0, 1, 2.0)", "L.linspace(0, 1, L.tensor(3))",
    "L.logspace(0, 2, 3)", "L.logspace(0, 1, 5, base=2)", "L.logspace(-2, 2, 9, dtype=L.float64)",
    "L.logspace(0, 3, 4, dtype=L.int64)", "L.logspace(0.1, 0.5, 33)", "L.logspace(0, 1, 1)",
    "L.logspace(0, 1, 2.0)",
]


@pytest.mark.parametrize("expr", TENSOR + TENSOR_ERRORS + OTHER + RANGES)
def test_matches_torch(expr):
    same(expr)


@settings(max_examples=60, deadline=None)
@given(st.floats(-20, 20, allow_nan=False).map(lambda v: round(v, 2)),
       st.floats(-20, 20, allow_nan=False).map(lambda v: round(v, 2)),
       st.floats(0.01, 3).map(lambda v: round(v, 3)), st.sampled_from(["float32", "float64"]))
def test_arange_and_linspace_are_bitwise_torch(start, end, step, dtype):
    """The same length and the same bits, so that they print the same."""
    if start > end:
        step = -step
    same("L.arange({!r}, {!r}, {!r}, dtype=L.{})".format(start, end, step, dtype))
    n = int(abs(end - start) / abs(step)) % 300
    same("L.linspace({!r}, {!r}, {}, dtype=L.{})".format(start, end, n, dtype))


@st.composite
def ragged(draw, depth=0):
    """Nested lists of numbers whose lengths may disagree."""
    if depth == 3 or draw(st.booleans()) and depth:
        return draw(st.integers(-3, 3) | st.floats(-2, 2).map(lambda v: round(v, 2)))
    return draw(st.lists(ragged(depth + 1), min_size=0, max_size=3))


@settings(max_examples=60, deadline=None)
@given(ragged())
def test_nested_lists_and_their_errors(data):
    same("L.tensor({!r})".format(data))


def test_copy_construct_warns_like_torch():
    same("L.tensor(L.ones(2))")
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        ember.tensor(ember.ones(2))


def test_range_warns_that_it_is_deprecated():
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        ember.range(0, 2)


def test_tensor_copies_from_numpy_shares():
    a = np.zeros(3, dtype=np.float32)
    t, s, u = ember.tensor(a), ember.from_numpy(a), ember.as_tensor(a)
    a[0] = 5
    assert t[0].item() == 0 and s[0].item() == 5 and u[0].item() == 5
    s[1] = 7                                 # and the other way round
    assert a[1] == 7
    assert ember.as_tensor(a, dtype=ember.float64)[0].item() == 5
    x = ember.ones(2)
    assert ember.as_tensor(x) is x and ember.asarray(x) is x
    assert ember.asarray(x, copy=True) is not x


def test_from_numpy_warns_for_read_only_arrays():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match="The given NumPy array is not writable"):
        ember.from_numpy(a)


def test_out_argument_is_written():
    out = ember.empty(0)
    r = ember.zeros(2, 3, out=out)
    assert r is out and tuple(out.shape) == (2, 3)
    ember.arange(4, out=out)
    assert out.tolist() == [0., 1., 2., 3.]


def test_complex_data_makes_complex_tensors():
    for data, dtype in ((1 + 2j, ember.complex64), ([1 + 2j], ember.complex64),
                        (np.array([1 + 1j]), ember.complex128)):
        assert ember.tensor(data).dtype is dtype
    assert ember.from_numpy(np.array([1 + 1j], np.complex64)).dtype is ember.complex64


def test_unsupported_unsigned_arrays_give_a_clear_error():
    with pytest.raises(TypeError, match="ember has no uint16 dtype"):
        ember.tensor(np.array([1], dtype=np.uint16))


def test_zeros_with_requires_grad_is_a_leaf():
    w = ember.zeros(2, 3, requires_grad=True)
    assert w.requires_grad and w.is_leaf and w.grad_fn is None
    (w * 2).sum().backward()
    assert w.grad.tolist() == [[2.] * 3] * 2
