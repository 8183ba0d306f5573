"""The shared helpers in ``parity.py`` fail where ember and torch differ -- else the tests built
on them could not fail -- and importing them does not import torch.  Each case below runs code
that differs between the libraries only where ``lib is ember``; the helpers skip these tests
themselves where torch is missing."""
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import ember
from parity import (assert_close, assert_equal, backward_both, both, compare, compare_exact,
                    error_of, same, same_error, same_warnings)

X = np.arange(6.0).reshape(2, 3) / 4 - 0.5


def raise_(error):
    raise error


def test_importing_the_helpers_does_not_import_torch():
    code = ("import sys; sys.path.insert(0, {!r}); import parity; "
            "assert 'torch' not in sys.modules".format(str(Path(__file__).parent)))
    subprocess.run([sys.executable, "-c", code], check=True)


def test_same():
    assert same(lambda lib: lib.tensor([1, 2]).tolist()) == [1, 2]
    with pytest.raises(AssertionError):
        same(lambda lib: lib is ember)


def test_same_error():
    same_error(lambda lib: raise_(ValueError("bad")))
    with pytest.raises(AssertionError, match="torch raised nothing"):
        same_error(lambda lib: lib.zeros(2))
    with pytest.raises(AssertionError):                          # another text
        same_error(lambda lib: raise_(ValueError(lib.__name__)))
    with pytest.raises(AssertionError):                          # another type
        same_error(lambda lib: raise_(TypeError("bad") if lib is ember else ValueError("bad")))
    with pytest.raises(AssertionError):                          # only torch raises
        same_error(lambda lib, x: x.view(6) if lib is ember else x.view(5), X)
    same_error(lambda lib: raise_(ValueError(lib.__name__ + ".nn.Linear")), ember_as_torch=True)


def test_error_of():
    assert error_of(lambda: None) is None
    trailer = "bad\nException raised from f at f.cpp:1 (most recent call first):\nframe #0"
    assert error_of(lambda: raise_(RuntimeError(trailer))) == ("RuntimeError", "bad")


def test_same_warnings():
    same_warnings(lambda lib: None)
    with pytest.raises(AssertionError, match="torch gave no warning"):
        same_warnings(lambda lib: None, torch_warns=True)
    with pytest.raises(AssertionError):
        same_warnings(lambda lib: warnings.warn("only ember") if lib is ember else None)


def test_assert_close_and_assert_equal():
    e, t = both(lambda lib: lib.tensor(X))
    assert_close(e, t)
    assert_equal(e, t)
    assert_close(None, None)
    for other in (ember.tensor(X + 1e-3), ember.tensor(X, dtype=ember.float32),
                  ember.tensor(X[:1]), None):
        with pytest.raises(AssertionError):
            assert_close(other, t)
    with pytest.raises(AssertionError):
        assert_close(e, None)
    with pytest.raises(AssertionError):
        assert_equal(ember.tensor(X + 1e-12), t)
    with pytest.raises(AssertionError):
        assert_equal(ember.tensor(X, requires_grad=True), t)


def test_compare():
    compare(lambda lib, x: x * 2, X)
    with pytest.raises(AssertionError):                          # another node
        compare(lambda lib, x: x * 2 if lib is ember else x + x, X)
    with pytest.raises(AssertionError):                          # another gradient
        compare(lambda lib, x: x * 2 - x.detach() if lib is ember else x - 0 * x.detach(), X)
    with pytest.raises(AssertionError):                          # another second derivative
        compare(lambda lib, x: x + (x - x.detach()) ** 2 if lib is ember else x + 0 * x ** 2, X,
                double=True)


def test_compare_exact():
    def layout(lib, x):                  # the same values, node and view-ness; other strides
        return x.t().contiguous().t() if lib is ember else x.contiguous().t().t()
    compare_exact(layout, X, strides=False)
    with pytest.raises(AssertionError):
        compare_exact(layout, X)
    with pytest.raises(AssertionError):                          # a copy where torch has a view
        compare_exact(lambda lib, x: x.clone() if lib is ember else x[:], X, grad=False)


def test_backward_both_sends_the_same_gradient():
    e, t = both(lambda lib: lib.tensor(X, requires_grad=True))
    backward_both(e * 1, t * 1, seed=3)
    assert_close(e.grad, t.grad, rtol=0, atol=0)
    assert np.any(e.grad.numpy() != 1)
