"""Printing: ``repr``/``str``/``format`` of tensors, character for character against torch 2.13."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember
from ember._tensor_str import parameter_repr
from parity import both

torch = pytest.importorskip("torch")

NAN, INF = math.nan, math.inf
FLOATS = ["float16", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


@pytest.fixture(autouse=True)
def _default_print_options():
    """Every test starts and ends with the default options and default dtype in both libraries."""
    torch.set_printoptions(profile="default")
    ember.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    yield
    torch.set_printoptions(profile="default")
    ember.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    ember.set_default_dtype(ember.float32)


def tensor_pair(array, requires_grad=False):
    """The same NumPy array as an ember and a torch tensor."""
    array = np.asarray(array)          # NumPy arithmetic turns 0-d arrays into scalars
    return both(lambda lib: lib.tensor(array, requires_grad=requires_grad))


def assert_same_repr(array, requires_grad=False, op=None):
    """repr and str agree with torch's for ``array`` (optionally after ``op``, to get a grad_fn)."""
    e, t = tensor_pair(array, requires_grad)
    if op is not None:
        e, t = op(e), op(t)
    assert repr(e) == repr(t)
    assert str(e) == repr(e)


def set_options(**options):
    torch.set_printoptions(**options)
    ember.set_printoptions(**options)


# ---------------------------------------------------------------- explicit cases

@pytest.mark.parametrize("dtype", FLOATS + INTS + ["bool"])
@pytest.mark.parametrize("shape", [(), (1,), (4,), (2, 3), (2, 1, 3), (0,), (0, 3), (2, 0, 1)])
def test_every_dtype_and_shape(dtype, shape):
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) * 3 - 2
    assert_same_repr(values.astype(dtype))


@pytest.mark.parametrize("values", [
    6.0, -6.5, 0.0, -0.0, 1e20, 1e-20, NAN, INF, -INF,          # 0-d
    [1.0, 2.0], [0.1, -0.5], [1000.0, 1.0], [1001.0, 1.0],    # whole numbers vs fixed point
    [1e8, 1.0], [1.1e8, 1.0], [123456789.0], [1e10, 1.0],     # large: scientific
    [1e-4, 1.5], [9.9e-5, 1.5], [1e-5, 1.0], [1e-40, 1.0],    # small: scientific
    [0.0, NAN], [1.0, INF], [-0.0], [NAN, 1.5, -INF], [NAN, INF, -INF], [0.0, 0.0],
    [[1.5, -2.25], [1e3, 3.0]], [[-1.0, 20.0], [300.0, 4.0]], [[1e-3, -1e3], [0.5, 2.0]],
])
def test_float_notation_and_alignment(values):
    for dtype in FLOATS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)      # 1e20 overflows float16
            assert_same_repr(np.array(values, dtype=dtype))


def test_integer_and_bool_alignment():
    assert_same_repr(np.array([[1, -20], [300, 4]], dtype=np.int16))
    assert_same_repr(np.array([-128, 127], dtype=np.int8))
    assert_same_repr(np.array([[True, False], [False, True]]))
    assert_same_repr(np.array([2 ** 62, -1], dtype=np.int64))


@pytest.mark.parametrize("shape", [(2000,), (1001,), (40, 50), (2, 1000), (10, 20, 15),
                                   (7, 7, 7, 7), (1, 1200), (1200, 1)])
@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_summarised(shape, dtype):
    values = (np.arange(np.prod(shape)).reshape(shape) - 500) / 7
    assert_same_repr(values.astype(dtype))


@pytest.mark.parametrize("length", [17, 18, 19, 30, 100])
def test_long_rows_wrap(length):
    assert_same_repr(np.arange(length, dtype=np.float32))
    assert_same_repr(np.arange(length * 3, dtype=np.float32).reshape(3, length) / 3)
    assert_same_repr(np.arange(length * 4, dtype=np.float64).reshape(2, 2, length) * -1e5)


def test_grad_suffixes():
    assert_same_repr(np.array([1.0, 2.0]), requires_grad=True)
    assert_same_repr(np.array(3.0), requires_grad=True)
    assert_same_repr(np.array([1.0, 2.0]), requires_grad=True, op=lambda x: x * 2)
    assert_same_repr(np.array([1.0, 2.0]), requires_grad=True, op=lambda x: (x * 2).sum())
    assert_same_repr(np.zeros((0, 3)), requires_grad=True, op=lambda x: x * 2)
    assert_same_repr(np.ones(30), requires_grad=True, op=lambda x: x * 2)        # float64
    assert_same_repr(np.ones((3, 30)), requires_grad=True, op=lambda x: x * 2)
    assert_same_repr(np.ones((3, 30), dtype=np.float16), requires_grad=True)


@pytest.mark.parametrize("length", range(10, 22))
def test_suffix_line_breaks(length):
    """Rows of every length around the point where the suffixes stop fitting on the last line."""
    for dtype in ("float32", "float64", "int32"):
        assert_same_repr(np.arange(length, dtype=dtype))
        assert_same_repr(np.arange(length, dtype=dtype).reshape(1, length))
        if dtype != "int32":
            assert_same_repr(np.arange(length, dtype=dtype), requires_grad=True)
            assert_same_repr(np.arange(length, dtype=dtype), requires_grad=True,
                             op=lambda x: x * 1)


def test_empty_tensors():
    for dtype in FLOATS + INTS + ["bool"]:
        for shape in [(0,), (0, 3), (3, 0), (2, 0, 1)]:
            assert_same_repr(np.zeros(shape, dtype=dtype))
    assert_same_repr(np.zeros(0), requires_grad=True)
    assert repr(ember.tensor([])) == "tensor([])"


def test_dtype_suffix_follows_the_default_dtype():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    for dtype in FLOATS + INTS + ["bool"]:
        assert_same_repr(np.array([1.5, 2.0]).astype(dtype))
        assert_same_repr(np.zeros((0, 2), dtype=dtype))
    assert "dtype=torch.float32" in repr(ember.tensor([1.0, 2.0], dtype=ember.float32))


def test_print_options():
    set_options(precision=2)
    assert_same_repr(np.array([1.12345, 2.0]))
    set_options(threshold=5)
    assert_same_repr(np.arange(10))
    set_options(edgeitems=1, threshold=5)
    assert_same_repr(np.arange(60.0).reshape(3, 4, 5))
    set_options(linewidth=40)
    assert_same_repr(np.arange(30.0).reshape(2, 15))
    set_options(profile="short")
    assert_same_repr(np.arange(2000.0) / 3)
    set_options(profile="full")
    assert_same_repr(np.arange(1500))
    set_options(profile="default")
    assert_same_repr(np.arange(2000.0) / 3)
    set_options(profile="no such profile")         # torch ignores it
    assert_same_repr(np.arange(2000.0) / 3)


def test_sci_mode_forced_and_reset_by_every_call():
    set_options(sci_mode=True)
    assert_same_repr(np.array([1.0, 2.0]))
    set_options(precision=2)                       # sci_mode goes back to automatic
    assert_same_repr(np.array([1.0, 2.0]))
    set_options(sci_mode=False)
    assert_same_repr(np.array([1e-8, 2.0]))
    assert_same_repr(np.array([1e-8, 2e10]))
    assert_same_repr(np.array([NAN, 3.0, 1e-9]))
    for forced in (True, False):                   # nothing to decide on: "0." whatever is forced
        set_options(sci_mode=forced)
        assert_same_repr(np.array([0.0, NAN, -INF]))
        assert_same_repr(np.array([[1e-300, 1e300], [5e-324, 1.0]]))


def test_edgeitems_zero_shows_the_size():
    set_options(edgeitems=0)
    assert_same_repr(np.arange(2000.0))
    assert_same_repr(np.arange(2000.0).reshape(40, 50))
    assert_same_repr(np.arange(10.0))
    assert_same_repr(np.zeros((0, 2)))


def test_parameter_repr():
    for values in ([1.0, 2.5], [[1e-5, 3.0]] * 20, 3.0, []):
        e = ember.tensor(values, requires_grad=True)
        assert parameter_repr(e) == repr(torch.nn.Parameter(torch.tensor(values)))


def test_format():
    for value in (2.5, 0.1, -3.0):
        e, t = tensor_pair(np.array(value, dtype=np.float32))
        for spec in ("", ".2f", "8.3e", ">10"):
            assert format(e, spec) == format(t, spec)
    e, t = tensor_pair(np.array(2.5), requires_grad=True)
    assert f"{e:.3f}" == f"{t:.3f}" and f"{e}" == f"{t}"
    e, t = tensor_pair(np.array(7))
    assert f"{e:04d}" == f"{t:04d}"
    e, t = tensor_pair(np.array([1.0, 2.0]))
    assert f"{e}" == f"{t}"
    messages = []
    for tensor in (e, t):
        with pytest.raises(TypeError) as error:
            f"{tensor:.2f}"
        messages.append(str(error.value))
    assert messages[0] == messages[1] == "unsupported format string passed to Tensor.__format__"


# ---------------------------------------------------------------- random tensors

def _values(kind):
    """Floats of one family of magnitudes, so that each notation is drawn often."""
    return {
        "whole": st.integers(-2000, 2000).map(float),
        "unit": st.floats(-10, 10, allow_nan=False),
        "wide": st.floats(-1e12, 1e12, allow_nan=False),
        "tiny": st.floats(-1e-3, 1e-3, allow_nan=False),
        "special": st.sampled_from([0.0, -0.0, NAN, INF, -INF, 1.0, -1.5, 1e-5, 1e9]),
    }[kind]


@st.composite
def arrays(draw, max_side=6):
    dtype = draw(st.sampled_from(FLOATS + INTS + ["bool"]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=max_side))
    kinds = draw(st.lists(st.sampled_from(["whole", "unit", "wide", "tiny", "special"]),
                          min_size=1, max_size=2))
    values = draw(hnp.arrays(np.float64, shape, elements=st.one_of(*map(_values, kinds))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if dtype in INTS:
            info = np.iinfo(dtype)
            values = np.clip(np.nan_to_num(values), info.min, info.max)
        return values.astype(dtype)


@settings(max_examples=50, deadline=None)
@given(arrays())
def test_random_tensors(array):
    assert_same_repr(array)
    if array.dtype.kind == "f":
        assert_same_repr(array, requires_grad=True)
        assert_same_repr(array, requires_grad=True, op=lambda x: x * 1)


@settings(max_examples=50, deadline=None)
@given(arrays(max_side=9), st.integers(1, 6), st.integers(0, 60), st.integers(0, 3),
       st.integers(10, 120), st.sampled_from([None, True, False]), st.booleans())
def test_random_tensors_and_options(array, precision, threshold, edgeitems, linewidth,
                                    sci_mode, requires_grad):
    set_options(precision=precision, threshold=threshold, edgeitems=edgeitems,
                linewidth=linewidth, sci_mode=sci_mode)
    assert_same_repr(array, requires_grad=requires_grad and array.dtype.kind == "f")
