"""The parts of numbers (``float_parts.py``: copysign, signbit, frexp, ldexp, nextafter,
heaviside, deg2rad, rad2deg) and integer functions (``integers.py``: gcd, lcm, shifts) against
torch: values, dtypes, gradients, node names, in-place twins, operators and errors."""
import numpy as np
import pytest

import ember
from parity import compare, gradcheck, same_error

torch = pytest.importorskip("torch")

A = np.array([[1.5, -2.0, 0.0], [-0.0, 3.25, -7.5]])
B = np.array([[-1.0, 3.0, -2.0], [1.0, -0.0, 2.0]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_functions_match_torch(dtype):
    a, b = A.astype(dtype), B.astype(dtype)
    compare(lambda lib, x, y: lib.copysign(x, y), a, b)
    compare(lambda lib, x: x.copysign(-1.0), a)
    compare(lambda lib, x: lib.signbit(x), a, grad=False)
    # (torch's gradient of ldexp(x, e) for a negative integer e is 0: it computes 2 ** e in
    # integers; ember's is 2 ** e, the derivative, so only e >= 0 is compared)
    compare(lambda lib, x, e: lib.ldexp(x, e), a, np.array([2, 1, 3]), grad=[True, False])
    compare(lambda lib, x, e: lib.ldexp(x, e), a, np.array([2, 1, -3]), grad=False)
    compare(lambda lib, x, y: lib.ldexp(x, y), a, b)
    compare(lambda lib, x, y: lib.nextafter(x, y), a, b)
    compare(lambda lib, x: lib.deg2rad(x), a)
    compare(lambda lib, x: x.rad2deg(), a)
    compare(lambda lib, x, v: lib.heaviside(x, v), a, np.array([0.5], dtype=dtype), grad=False)
    compare(lambda lib, x: tuple(lib.frexp(x)), a)


def test_gradchecks():
    gradcheck(lambda lib, x, y: lib.ldexp(x, y), A[:, :2] + 0.5, B[:, :2], double=False)
    gradcheck(lambda lib, x: lib.copysign(x, -1.0), A[:, :2], double=False)
    gradcheck(lambda lib, x: lib.frexp(x).mantissa, A[:, :2] + 0.3, double=False)


def test_integer_inputs_and_types():
    ints = np.array([[3, -4, 0], [12, 7, -8]])
    compare(lambda lib, x: lib.deg2rad(x), ints, grad=False)
    compare(lambda lib, x, y: lib.copysign(x, y), ints, -ints, grad=False)
    compare(lambda lib, x: lib.signbit(x), ints, grad=False)
    compare(lambda lib, x, y: lib.ldexp(x, y), ints, np.abs(ints) % 4, grad=False)
    compare(lambda lib, x, v: lib.heaviside(x, v), ints, np.array([7]), grad=False)
    r = ember.frexp(ember.tensor([8.0, 0.3]))
    assert repr(r) == repr(torch.frexp(torch.tensor([8.0, 0.3])))


def test_gcd_lcm_and_shifts_match_torch():
    a = np.array([[12, -18, 0, 7], [100, 35, -64, 1]])
    b = np.array([[18, 12, 5, 0], [75, -49, 3, 63]])
    for fn in (lambda lib, x, y: lib.gcd(x, y), lambda lib, x, y: lib.lcm(x, y),
               lambda lib, x, y: lib.bitwise_left_shift(x, y % 70 - 3),
               lambda lib, x, y: lib.bitwise_right_shift(x, y % 70 - 3),
               lambda lib, x, y: x << (y % 5), lambda lib, x, y: x >> (y % 5),
               lambda lib, x, y: 3 << (y % 5), lambda lib, x, y: x.gcd(y),
               lambda lib, x, y: lib.gcd(x.to(lib.int8), y.to(lib.int16))):
        compare(fn, a, b, grad=False)
    for dtype in ("uint8", "int8", "int16", "int32"):
        x = np.array([200, 7, 1, 128]).astype(dtype)
        compare(lambda lib, t: t >> 1, x, grad=False)
        compare(lambda lib, t: t << 3, x, grad=False)


def test_in_place_twins():
    for fn in (lambda lib: lib.tensor([12, 9]).gcd_(lib.tensor([8, 6])),
               lambda lib: lib.gcd_(lib.tensor([12]), lib.tensor([8])),
               lambda lib: lib.tensor([12, 9]).lcm_(lib.tensor([8, 6])),
               lambda lib: lib.tensor([1, 2]).bitwise_left_shift_(2),
               lambda lib: lib.tensor([16, 2]).bitwise_right_shift_(lib.tensor([2, 1])),
               lambda lib: lib.tensor([1.0, 2.0]).ldexp_(lib.tensor([3, 1])),
               lambda lib: lib.tensor([1.0, -2.0]).copysign_(-1.0),
               lambda lib: lib.tensor([180.0]).deg2rad_(),
               lambda lib: lib.rad2deg_(lib.tensor([1.0])),
               lambda lib: lib.tensor([1.0]).nextafter_(lib.tensor([2.0])),
               lambda lib: lib.tensor([-1.0, 0.0, 2.0]).heaviside_(lib.tensor([0.5]))):
        e, t = fn(ember), fn(torch)
        np.testing.assert_array_equal(e.numpy(), t.numpy())
        assert str(e.dtype) == str(t.dtype)
    x = ember.tensor([1, 2])
    x <<= 2
    x >>= 1
    assert x.tolist() == [2, 4]


def test_errors_are_torchs():
    same_error(lambda lib: lib.gcd(lib.tensor([1.5]), lib.tensor([2.0])))
    same_error(lambda lib: lib.gcd(lib.tensor([True]), lib.tensor([True])))
    same_error(lambda lib: lib.bitwise_left_shift(lib.tensor([1.0]), 1))
    same_error(lambda lib: lib.frexp(lib.tensor([8, 3])))
    same_error(lambda lib: lib.nextafter(lib.tensor([1]), lib.tensor([2])))
    same_error(lambda lib: lib.heaviside(lib.tensor([1.0]), lib.tensor([1])))

    def heaviside_backward(lib):
        x = lib.tensor([1.0, -1.0], requires_grad=True)
        lib.heaviside(x, lib.tensor([0.5])).sum().backward()
    same_error(heaviside_backward)
