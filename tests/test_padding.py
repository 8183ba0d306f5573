"""Padding layers against torch: reprs, outputs, gradients and errors."""
import numpy as np
import pytest

import ember
from parity import assert_close, same_error

torch = pytest.importorskip("torch")

CASES = [
    ("ZeroPad1d", (2,), 3), ("ZeroPad2d", ((1, 2, 0, 3),), 4), ("ZeroPad3d", (1,), 5),
    ("ConstantPad1d", (2, 3.5), 3), ("ConstantPad2d", ((1, 0, 2, 1), -1.0), 4),
    ("ConstantPad3d", (1, 0.5), 5),
    ("ReflectionPad1d", (2,), 3), ("ReflectionPad2d", ((1, 1, 2, 0),), 4),
    ("ReflectionPad3d", (1,), 5),
    ("ReplicationPad1d", (3,), 3), ("ReplicationPad2d", ((0, 2, 1, 1),), 4),
    ("ReplicationPad3d", (1,), 5),
    ("CircularPad1d", (2,), 3), ("CircularPad2d", ((1, 2, 2, 1),), 4),
    ("CircularPad3d", (1,), 5),
]


@pytest.mark.parametrize("name,args,ndim", CASES)
def test_padding_matches_torch(name, args, ndim):
    shape = (2, 3, 4, 5, 3)[:ndim]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    results = []
    for lib in (ember, torch):
        module = getattr(lib.nn, name)(*args)
        t = lib.tensor(x, requires_grad=True)
        out = module(t)
        (out * out).sum().backward()
        results.append((repr(module), tuple(module.padding), out, t.grad,
                        type(out.grad_fn).__name__))
    e, t = results
    assert e[:2] == t[:2]
    assert_close(e[2], t[2])
    assert_close(e[3], t[3])


@pytest.mark.parametrize("name", ["CircularPad2d", "CircularPad3d", "ReflectionPad1d", "ReflectionPad2d",
                                  "ReplicationPad1d", "ReplicationPad3d"])
def test_wrong_number_of_dimensions(name):
    same_error(lambda lib: getattr(lib.nn, name)(1)(lib.ones(3)))


def test_reflection_larger_than_input():
    same_error(lambda lib: lib.nn.ReflectionPad1d(3)(lib.ones(1, 2, 2)))
