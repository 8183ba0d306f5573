"""Complex numbers against torch: dtypes and promotion, creation, printing, the complex
functions (complex, polar, real, imag, angle, conj ...), elementwise maths, errors, and
gradients (torch's conjugate Wirtinger convention, gradcheck in complex128)."""
import numpy as np
import pytest

import ember
from complex_parity import check_gradients, compare_complex, complex_sample, real_sample
from parity import error_of, same_error, same_warnings, warnings_of

torch = pytest.importorskip("torch")

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
         "complex64", "complex128"]


# ---------------------------------------------------------------- dtypes and promotion


def test_dtype_names_aliases_and_properties():
    for name in ("complex64", "complex128", "cfloat", "cdouble"):
        e, t = getattr(ember, name), getattr(torch, name)
        assert repr(e) == repr(t)
        assert (e.is_complex, e.is_floating_point, e.is_signed, e.itemsize) == \
            (t.is_complex, t.is_floating_point, t.is_signed, t.itemsize)
        assert repr(e.to_real()) == repr(t.to_real())
    assert ember.cfloat is ember.complex64 and ember.cdouble is ember.complex128
    for name in ("float32", "float64", "complex64"):
        assert repr(getattr(ember, name).to_complex()) == repr(getattr(torch, name).to_complex())
    assert not ember.float32.is_complex


@pytest.mark.parametrize("a", NAMES)
def test_promote_types_with_complex(a):
    for b in ("complex64", "complex128"):
        for x, y in ((a, b), (b, a)):
            assert repr(ember.promote_types(getattr(ember, x), getattr(ember, y))) == \
                repr(torch.promote_types(getattr(torch, x), getattr(torch, y)))


RESULT_TYPE_CASES = [
    lambda lib: lib.result_type(lib.ones(2), 1j),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.float64), 1j),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.int32), 1j),
    lambda lib: lib.result_type(lib.tensor(True), 1j),
    lambda lib: lib.result_type(lib.ones(2), lib.tensor(1j, dtype=lib.complex128)),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.float64), lib.tensor(1j)),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.int32), lib.tensor(1j, dtype=lib.complex128)),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.complex64),
                                lib.tensor(1., dtype=lib.float64)),
    lambda lib: lib.result_type(lib.ones(2, dtype=lib.complex64), 2.0),
    lambda lib: lib.result_type(lib.tensor(1.), lib.tensor(1j)),
    lambda lib: lib.result_type(lib.tensor(1., dtype=lib.float64), 1j),
    lambda lib: (lib.ones(2, dtype=lib.complex64) + lib.ones(2, dtype=lib.float64)).dtype,
    lambda lib: (lib.arange(3) * 1j).dtype,
    lambda lib: (lib.ones(2, dtype=lib.float64) * (1 + 1j)).dtype,
]


@pytest.mark.parametrize("case", RESULT_TYPE_CASES)
def test_result_type_with_complex(case):
    assert repr(case(ember)) == repr(case(torch))


def test_default_complex_dtype_follows_the_default_float():
    for lib in (ember, torch):
        lib.set_default_dtype(lib.float64)
    try:
        assert repr(ember.tensor([1j]).dtype) == repr(torch.tensor([1j]).dtype)
        assert repr(ember.tensor([1j])) == repr(torch.tensor([1j]))
        assert repr(ember.tensor([1j], dtype=ember.complex64)) == \
            repr(torch.tensor([1j], dtype=torch.complex64))
    finally:
        for lib in (ember, torch):
            lib.set_default_dtype(lib.float32)


# ---------------------------------------------------------------- creation


CREATION = [
    lambda lib: lib.tensor([1 + 2j]), lambda lib: lib.tensor(1 - 2j),
    lambda lib: lib.tensor([1, 2j, True]), lambda lib: lib.tensor([[1.5, 2j], [3, 4]]),
    lambda lib: lib.tensor([1, 2], dtype=lib.cfloat),
    lambda lib: lib.tensor([1j], dtype=lib.cdouble), lambda lib: lib.tensor(np.array([1 + 1j, 2])),
    lambda lib: lib.from_numpy(np.array([1j], np.complex64)),
    lambda lib: lib.zeros(2, 3, dtype=lib.cfloat), lambda lib: lib.ones(2, dtype=lib.complex128),
    lambda lib: lib.full((2,), 1 + 1j), lambda lib: lib.full((2,), 2, dtype=lib.cfloat),
    lambda lib: lib.eye(2, dtype=lib.cfloat), lambda lib: lib.ones_like(lib.tensor([1j])),
    lambda lib: lib.tensor([1j]).new_zeros(2), lambda lib: lib.zeros(2, dtype=lib.cfloat).fill_(2j),
    lambda lib: lib.zeros(2).fill_(2 + 0j), lambda lib: lib.tensor([1, 2]).to(lib.complex64),
    lambda lib: lib.tensor([1j, 2]).to(lib.complex128),
    lambda lib: lib.tensor([1j, 2]).masked_fill(lib.tensor([True, False]), 3j),
    lambda lib: lib.cat([lib.tensor([1j]), lib.ones(2)]),
    lambda lib: lib.tensor([1 + 2j, 3]).requires_grad_(),
]


@pytest.mark.parametrize("make", CREATION)
def test_creation_matches_torch(make):
    e, t = make(ember), make(torch)
    assert repr(e) == repr(t)
    assert e.is_complex() == t.is_complex() and ember.is_complex(e) == torch.is_complex(t)


def test_conversions_to_python_and_numpy():
    for make in (lambda lib: lib.tensor([1 + 2j, -3j]), lambda lib: lib.tensor(1 - 1j)):
        e, t = make(ember), make(torch)
        assert e.tolist() == t.tolist()
        assert e.numpy().dtype == t.numpy().dtype
    assert ember.tensor(1 + 2j).item() == torch.tensor(1 + 2j).item() == 1 + 2j
    assert complex(ember.tensor(2j)) == 2j


def test_casting_complex_to_real_warns_as_torch():
    same_warnings(lambda lib: lib.tensor([1 + 2j]).float(), torch_warns=True)
    e = ember.tensor([1 + 2j, 3 - 1j])
    assert warnings_of(lambda: e.to(ember.float64)) == \
        [("UserWarning", "Casting complex values to real discards the imaginary part")]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(3,), (5, 4), (40,), (7, 3)])
def test_random_complex_tensors_draw_torch_values(dtype, shape):
    for fn in ("randn", "rand"):
        torch.manual_seed(5)
        ember.manual_seed(5)
        t = getattr(torch, fn)(*shape, dtype=getattr(torch, dtype))
        e = getattr(ember, fn)(*shape, dtype=getattr(ember, dtype))
        assert str(e.dtype) == str(t.dtype)
        np.testing.assert_array_equal(e.numpy(), t.numpy())


# ---------------------------------------------------------------- printing


PRINTED = [
    "T.tensor([1+2j])", "T.tensor(1-2j)", "T.tensor([[1+2j, -3.5-1e-5j], [0, 1e10j]])",
    "T.tensor([1+2j, 3-4j], dtype=T.complex128, requires_grad=True)", "T.tensor([1.5+2j, 3-4j])",
    "T.tensor([1e-5+2j, 3-4j])", "T.tensor([float('nan')+2j, float('inf')-4j])",
    "T.zeros(2, 3, dtype=T.cfloat)", "T.tensor([12345.678+1j])", "T.tensor([-0.0-0.0j, 1j])",
    "T.tensor([[1+1j]*3]*2, requires_grad=True) * 2", "T.tensor([1e20+1e-20j, 1-1j])",
    "T.tensor([[0.1+0.2j]*30]*40)", "T.tensor([0.1+0.2j]*100)", "T.tensor([], dtype=T.cfloat)",
    "T.zeros(0, 2, dtype=T.cdouble)", "T.tensor(3j, dtype=T.complex128)",
    "T.tensor([1.123456+2.5j, -100.25-3j])", "T.tensor([[[1+1j, 2], [3, 4j]]])",
    "T.tensor([1e-5j, 2e-3j])", "T.tensor([complex('nan+nanj'), complex('-inf-infj')])",
    "T.tensor([1+1j]*2000)", "T.tensor([[1e-8+123456j, 2]]*3)",
]


@pytest.mark.parametrize("code", PRINTED)
def test_printing_matches_torch(code):
    assert repr(eval(code, {"T": ember})) == repr(eval(code, {"T": torch}))


def test_printing_with_options_matches_torch():
    for lib in (ember, torch):
        lib.set_printoptions(precision=2, sci_mode=True)
    try:
        assert repr(ember.tensor([1.5 + 2j, -3j])) == repr(torch.tensor([1.5 + 2j, -3j]))
    finally:
        for lib in (ember, torch):
            lib.set_printoptions(profile="default")


# ---------------------------------------------------------------- the complex functions


Z = complex_sample((2, 3))
R = real_sample((2, 3), seed=1)
R2 = real_sample((2, 3), seed=2)

FUNCTIONS = {
    "complex": (lambda lib, a, b: lib.complex(a, b), (R, R2)),
    "complex_f32": (lambda lib, a, b: lib.complex(a, b), (R.astype(np.float32),
                                                            R2.astype(np.float32))),
    "complex_broadcast": (lambda lib, a, b: lib.complex(a, b[:1]), (R, R2)),
    "polar": (lambda lib, a, b: lib.polar(a.abs(), b), (R, R2)),
    "real": (lambda lib, z: z.real * 2, (Z,)),
    "imag": (lambda lib, z: z.imag, (Z,)),
    "torch.real": (lambda lib, z: lib.real(z), (Z,)),
    "real_of_real": (lambda lib, x: lib.real(x), (R,)),
    "angle": (lambda lib, z: z.angle(), (Z,)),
    "angle_real": (lambda lib, x: lib.angle(x), (R,)),
    "conj": (lambda lib, z: z.conj() * z.sin(), (Z,)),
    "conj_physical": (lambda lib, z: lib.conj_physical(z), (Z,)),
    "abs": (lambda lib, z: z.abs(), (Z,)),
    "sgn": (lambda lib, z: z.sgn(), (Z,)),
    "view_as_real": (lambda lib, z: lib.view_as_real(z), (Z,)),
    "view_as_real_transposed": (lambda lib, z: lib.view_as_real(z.t()), (Z,)),
    "view_as_complex": (lambda lib, x: lib.view_as_complex(x.reshape(3, 2)), (R,)),
    "adjoint": (lambda lib, z: z.adjoint(), (Z,)),
    "mH": (lambda lib, z: z.mH, (Z,)),
    "H": (lambda lib, z: z.H, (Z,)),
    "mul": (lambda lib, z, x: z * x * (2 - 1j), (Z, R)),
    "div": (lambda lib, z, x: z / (x + 3) + 1 / z, (Z, R)),
    "add_sub": (lambda lib, z, x: z + x - 2j - z.sub(x, alpha=1j), (Z, R)),
    "pow": (lambda lib, z: z ** 2.5 + z ** 2 + 2 ** z, (Z,)),
    "pow_complex": (lambda lib, z: z ** z, (Z,)),
    "exp_log": (lambda lib, z: z.exp() + z.log() + z.sqrt() + z.rsqrt(), (Z,)),
    "trig": (lambda lib, z: z.sin() + z.cos() + z.tanh() + z.sigmoid() + z.atan(), (Z,)),
    "reciprocal_square": (lambda lib, z: z.reciprocal() + z.square() - z.neg(), (Z,)),
    "sum_mean": (lambda lib, z: z.sum() * z.mean() + z.sum(0).prod(), (Z,)),
    "cumsum": (lambda lib, z: z.cumsum(1), (Z,)),
    "matmul": (lambda lib, z, x: z @ z.mT + z.real @ x.t(), (Z, R)),
    "dot": (lambda lib, z: z[0].dot(z[1]), (Z,)),
    "where": (lambda lib, z: lib.where(z.real > 0, z, 0), (Z,)),
    "indexing": (lambda lib, z: z[:, 1:] * z[0, 0], (Z,)),
    "to_real": (lambda lib, x: x.to(lib.complex128) * 1j, (R,)),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_complex_functions_values_and_gradients(name):
    fn, arrays = FUNCTIONS[name]
    compare_complex(fn, *arrays)


GRADCHECKED = ["complex", "polar", "real", "imag", "angle", "conj", "abs", "sgn",
               "view_as_real", "view_as_complex", "adjoint", "mul", "div", "pow", "exp_log",
               "trig", "sum_mean", "matmul", "where"]


@pytest.mark.parametrize("name", GRADCHECKED)
def test_gradcheck_in_complex128(name):
    fn, arrays = FUNCTIONS[name]
    check_gradients(fn, *arrays)


def test_the_gradient_is_the_conjugate_wirtinger_derivative():
    # For L = |z|^2 torch's gradient is 2z (dL/dx + i dL/dy), and for L = Re(f(z)) with f
    # holomorphic it is conj(f'(z)).
    z = ember.tensor([1 + 2j, -0.5 + 1j], dtype=ember.complex128, requires_grad=True)
    (z * z.conj()).real.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), 2 * z.detach().numpy())
    z.grad = None
    z.exp().real.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), np.conj(np.exp(z.detach().numpy())))


def test_node_names_match_torch():
    z = complex_sample((3,))
    for fn in (lambda lib, z: z.real, lambda lib, z: z.imag, lambda lib, z: z.conj(),
               lambda lib, z: z.conj_physical(), lambda lib, z: z.angle(),
               lambda lib, z: lib.view_as_real(z), lambda lib, z: z.abs()):
        compare_complex(fn, z)


def test_backward_of_a_complex_scalar_is_torch_error():
    same_error(lambda lib: lib.tensor(1j, requires_grad=True).mul(2).backward())
    same_error(lambda lib: lib.autograd.grad(lib.tensor(1j, requires_grad=True) * 2,
                                             [lib.tensor(1j, requires_grad=True)]))


# ---------------------------------------------------------------- views and the conjugate bit


def test_real_and_imag_are_views_and_can_be_assigned():
    results = []
    for lib in (ember, torch):
        v = lib.tensor([1 + 2j, 3 - 1j])
        v.real = lib.tensor([5., 6.])
        v.imag[0] = 9
        r = v.real
        r[1] = -1
        vr = lib.view_as_real(v)
        vr[0, 0] = 7
        c = lib.view_as_complex(lib.zeros(2, 2))
        c.imag[1] = 4
        results.append((v.tolist(), c.tolist(), r.stride(), r.is_contiguous(),
                        r._base is v))
    assert results[0] == results[1]


def test_the_conjugate_bit():
    for lib in (ember, torch):
        x = lib.tensor([1 + 2j, 3 - 1j])
        r = lib.tensor([1., 2.])
        state = (x.conj().is_conj(), x.conj().conj().is_conj(), lib.is_conj(x),
                 x.resolve_conj() is x, x.conj().resolve_conj().is_conj(),
                 lib.conj_physical(x).is_conj(), r.conj() is r, lib.real(r) is r,
                 x.is_neg(), lib.resolve_neg(x) is x)
        if lib is ember:
            ember_state = state
    assert ember_state == state


# ---------------------------------------------------------------- errors


ERRORS = [
    "x < x", "x > 1", "x.ge(x)", "x <= 1j", "x.max()", "x.max(0)", "x.min(1)", "x.argmax()",
    "x.argmin()", "x.amax()", "x.amin()", "x.clamp(0, 1)", "x.clamp(max=1)", "x.clamp_(0, 1)",
    "T.relu(x)", "T.clamp(x, min=T.zeros(1))", "T.maximum(x, x)", "T.minimum(x, x)",
    "x.clamp_min(T.zeros(1))", "x.round()", "x.floor()", "x.ceil()", "x.trunc()",
    "x.floor_()", "x.sort(0)", "x.argsort()", "x.topk(1)", "x.sign()", "T.atan2(x, x)",
    "x.imag.add_(x)", "T.ones(2).add_(x[0])", "T.tensor([1, 2]).add_(x[0])",
    "T.full((2,), 1j, dtype=T.float32)", "T.zeros(2).fill_(1j)",
    "T.zeros(2, dtype=T.int64).fill_(1j)", "T.zeros(2, dtype=T.float64).fill_(1j)",
    "T.complex(r, r.double())", "T.complex(T.tensor([1, 2]), T.tensor([1, 2]))",
    "T.complex(x, x)", "T.complex(r, T.ones(3))", "T.complex(r, 1.0)",
    "T.polar(T.tensor([1, 2]), T.tensor([1, 2]))", "r.imag", "T.view_as_real(r)",
    "T.view_as_real(x.conj())", "T.view_as_complex(T.ones(3, 3))",
    "T.view_as_complex(T.ones(3, 2, dtype=T.int64))", "T.view_as_complex(T.ones(2, 3).t())",
    "x[0].adjoint()", "x[0].mH", "x[0].H", "T.ones(2, 2, 2, dtype=T.cfloat).H", "x @ r[:, None]",
    "T.tensor([1, 2], requires_grad=True)", "x.mean(dtype=T.int64)",
]


@pytest.mark.parametrize("code", ERRORS)
def test_errors_match_torch(code):
    def run(lib):
        env = {"T": lib, "x": lib.tensor([[1 + 2j, 3 - 1j]]), "r": lib.tensor([1., -2.])}
        return error_of(lambda: eval(code, env))
    e, t = run(ember), run(torch)
    assert t is not None
    assert e == t


def test_ember_has_no_complex32():
    with pytest.raises(TypeError, match="complex32"):
        ember.complex(ember.ones(2, dtype=ember.float16), ember.ones(2, dtype=ember.float16))
