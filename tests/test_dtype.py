"""Type promotion: ember's tables against torch.promote_types and torch.result_type."""
import itertools

import pytest

import ember
from parity import DTYPES

torch = pytest.importorskip("torch")



@pytest.mark.parametrize("a,b", list(itertools.product(DTYPES, DTYPES)))
def test_promote_types(a, b):
    e = ember.promote_types(getattr(ember, a), getattr(ember, b))
    t = torch.promote_types(getattr(torch, a), getattr(torch, b))
    assert repr(e) == repr(t)


def _make(lib, dtype, kind):
    d = getattr(lib, dtype)
    return lib.ones(2, dtype=d) if kind == "dim" else lib.ones((), dtype=d)


@pytest.mark.parametrize("a,b", list(itertools.product(DTYPES, DTYPES)))
@pytest.mark.parametrize("kinds", [("dim", "zero"), ("zero", "dim"), ("zero", "zero")])
def test_result_type_of_tensors(a, b, kinds):
    e = ember.result_type(_make(ember, a, kinds[0]), _make(ember, b, kinds[1]))
    t = torch.result_type(_make(torch, a, kinds[0]), _make(torch, b, kinds[1]))
    assert repr(e) == repr(t)


@pytest.mark.parametrize("a", DTYPES)
@pytest.mark.parametrize("scalar", [True, 2, 2.5])
@pytest.mark.parametrize("kind", ["dim", "zero"])
def test_result_type_with_python_numbers(a, scalar, kind):
    e = ember.result_type(_make(ember, a, kind), scalar)
    t = torch.result_type(_make(torch, a, kind), scalar)
    assert repr(e) == repr(t)


def test_default_dtype_drives_python_floats():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        e = ember.result_type(ember.ones(2, dtype=ember.int32), 2.5)
        t = torch.result_type(torch.ones(2, dtype=torch.int32), 2.5)
        assert repr(e) == repr(t) == "torch.float64"
    finally:
        ember.set_default_dtype(ember.float32)
        torch.set_default_dtype(torch.float32)


def test_set_default_dtype_rejects_integers():
    with pytest.raises(TypeError):
        ember.set_default_dtype(ember.int64)
