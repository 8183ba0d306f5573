"""ember.fft against torch.fft: every transform with n/s, dim and norm on real and complex
inputs (values, dtypes, graph nodes, gradients), gradcheck, frequencies and shifts, and
torch's errors."""
import numpy as np
import pytest

import ember
import ember.fft
from complex_parity import check_gradients, compare_complex, complex_sample, real_sample
from parity import error_of

torch = pytest.importorskip("torch")

NORMS = [None, "backward", "ortho", "forward"]

ONE_DIM = {                     # name: the calls (keyword arguments) to check
    "fft": [{}, {"n": 7}, {"n": 3}, {"dim": 0}],
    "ifft": [{}, {"n": 8}, {"n": 2, "dim": 0}],
    "rfft": [{}, {"n": 6}, {"n": 9}, {"dim": 0}],
    "irfft": [{}, {"n": 5}, {"n": 12}, {"dim": 0, "n": 4}],
    "hfft": [{}, {"n": 7}, {"dim": 0}],
    "ihfft": [{}, {"n": 4}, {"dim": 0}],
}
REAL_ONLY = {"rfft", "ihfft"}


def _inputs(name, dtype):
    real = real_sample((3, 5), np.float64 if dtype == "64" else np.float32, seed=3)
    z = complex_sample((3, 5), np.complex128 if dtype == "64" else np.complex64, seed=4)
    return [real] if name in REAL_ONLY else [real, z]


def _cases(table):
    for name, calls in table.items():
        for i, kwargs in enumerate(calls):
            yield pytest.param(name, kwargs, id="{}-{}".format(name, i))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("dtype", ["32", "64"])
@pytest.mark.parametrize("name,kwargs", list(_cases(ONE_DIM)))
def test_one_dimensional_transforms(name, kwargs, dtype, norm):
    for x in _inputs(name, dtype):
        compare_complex(lambda lib, t: getattr(lib.fft, name)(t, norm=norm, **kwargs), x,
                        rtol=1e-4 if dtype == "32" else 1e-7, atol=1e-4 if dtype == "32" else 1e-8)


MANY_DIMS = {
    "fft2": [{}, {"s": (4, 3)}, {"dim": (0, 2)}],
    "ifft2": [{}, {"s": (2, 6)}],
    "rfft2": [{}, {"s": (3, 7)}, {"dim": (2, 0)}],
    "irfft2": [{}, {"s": (3, 7)}, {"s": (2, 4)}],
    "hfft2": [{}, {"s": (3, 6)}],
    "ihfft2": [{}, {"s": (2, 5)}],
    "fftn": [{}, {"s": (3, 4)}, {"dim": 1}, {"s": (-1, 6), "dim": (0, 2)}],
    "ifftn": [{}, {"dim": (0, 1)}],
    "rfftn": [{}, {"s": (4, 4)}, {"dim": (1,)}],
    "irfftn": [{}, {"s": (2, 3, 8)}, {"dim": (0, 1)}],
    "hfftn": [{}, {"s": (4, 6)}],
    "ihfftn": [{}, {"dim": (1, 2)}],
}


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name,kwargs", list(_cases(MANY_DIMS)))
def test_transforms_over_several_dims(name, kwargs, norm):
    real = real_sample((2, 3, 5), seed=5)
    arrays = [real] if name.startswith(("rfft", "ihfft")) else \
        [real, complex_sample((2, 3, 5), seed=6)]
    for x in arrays:
        compare_complex(lambda lib, t: getattr(lib.fft, name)(t, norm=norm, **kwargs), x,
                        rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("dtype", ["bool", "int64", "int32", "float32", "float64", "complex64",
                                   "complex128"])
def test_output_dtypes(dtype):
    x = np.array([[1, 0, 2, 3], [0, 1, 1, 0]]).astype(dtype)
    for name in ("fft", "ifft", "irfft", "hfft", "fft2", "fftn", "irfftn"):
        compare_complex(lambda lib, t: getattr(lib.fft, name)(t), x, grad=False)
    if not np.dtype(dtype).kind == "c":
        for name in ("rfft", "ihfft", "rfftn", "ihfftn"):
            compare_complex(lambda lib, t: getattr(lib.fft, name)(t), x, grad=False)


GRADCHECKS = [
    ("fft", {}, "c"), ("fft", {"n": 7, "norm": "ortho"}, "r"), ("ifft", {"n": 3}, "c"),
    ("rfft", {}, "r"), ("rfft", {"n": 6, "norm": "forward"}, "r"), ("irfft", {}, "c"),
    ("irfft", {"n": 5, "norm": "ortho"}, "c"), ("irfft", {"n": 12}, "c"), ("hfft", {"n": 7}, "c"),
    ("ihfft", {}, "r"), ("fft2", {"s": (4, 3)}, "c"), ("rfft2", {}, "r"),
    ("irfft2", {"s": (3, 5)}, "c"), ("hfftn", {}, "c"), ("ihfftn", {"norm": "ortho"}, "r"),
    ("fftn", {}, "r"), ("fftshift", {}, "c"), ("ifftshift", {"dim": 0}, "c"),
]


@pytest.mark.parametrize("name,kwargs,kind", GRADCHECKS)
def test_gradcheck(name, kwargs, kind):
    x = complex_sample((3, 4), seed=7) if kind == "c" else real_sample((3, 4), seed=8)
    check_gradients(lambda lib, t: getattr(lib.fft, name)(t, **kwargs), x)


def test_node_names_match_torch():
    r, z = real_sample((5,)), complex_sample((3,))
    for fn in (lambda lib, t: lib.fft.fft(t), lambda lib, t: lib.fft.rfft(t),
               lambda lib, t: lib.fft.ihfft(t), lambda lib, t: lib.fft.fft2(t.reshape(1, 5))):
        compare_complex(fn, r)
    for fn in (lambda lib, t: lib.fft.irfft(t), lambda lib, t: lib.fft.hfft(t),
               lambda lib, t: lib.fft.ifft(t)):
        compare_complex(fn, z)


def test_out_argument():
    for lib in (ember, torch):
        out = lib.empty(4, dtype=lib.complex64)
        result = lib.fft.fft(lib.arange(4.), out=out)
        assert result is out
    np.testing.assert_allclose(out.numpy(), np.fft.fft(np.arange(4.)), atol=1e-6)


# ---------------------------------------------------------------- frequencies and shifts


FREQUENCIES = [
    lambda lib: lib.fft.fftfreq(5), lambda lib: lib.fft.fftfreq(4, d=0.5, dtype=lib.float64),
    lambda lib: lib.fft.fftfreq(1), lambda lib: lib.fft.fftfreq(0),
    lambda lib: lib.fft.fftfreq(8, 0.1),
    lambda lib: lib.fft.rfftfreq(5), lambda lib: lib.fft.rfftfreq(5, 2.0),
    lambda lib: lib.fft.rfftfreq(10, 1 / 3), lambda lib: lib.fft.fftfreq(4, requires_grad=True),
    lambda lib: lib.fft.fftshift(lib.arange(5)), lambda lib: lib.fft.ifftshift(lib.arange(5)),
    lambda lib: lib.fft.fftshift(lib.arange(6).reshape(2, 3), dim=1),
    lambda lib: lib.fft.ifftshift(lib.arange(12).reshape(3, 4)),
    lambda lib: lib.fft.fftshift(lib.arange(24).reshape(2, 3, 4), dim=(0, 2)),
]


@pytest.mark.parametrize("make", FREQUENCIES)
def test_frequencies_and_shifts_match_torch_exactly(make):
    e, t = make(ember), make(torch)
    assert repr(e) == repr(t)
    np.testing.assert_array_equal(e.detach().numpy(), t.detach().numpy())


# ---------------------------------------------------------------- errors


FFT_ERRORS = [
    'F.fft(x, norm="bad")', "F.fft(x, n=0)", "F.fft(x, n=-1)", "F.fft(x, dim=3)", "F.rfft(z)",
    "F.ihfft(z)", "F.fft(x.half())", "F.fft2(x[0])", "F.fftn(x, s=(4,), dim=(0, 1))",
    "F.fftn(x, dim=(0, 0))", "F.fftn(x, s=(2, 3, 4))", "F.fft(x, n=1.5)", "F.fft(x, dim=(0,))",
    "F.fft(3.0)", "F.fftfreq(-1)", "F.fft(T.ones(0))", "F.irfft(T.ones(1, dtype=T.cfloat))",
    "F.fft(x, out=T.empty(2, 3))", "F.rfftn(z)", "F.ihfft2(z)", "F.irfft(z, n=0)",
]


@pytest.mark.parametrize("code", FFT_ERRORS)
def test_errors_match_torch(code):
    def run(lib):
        env = {"T": lib, "F": lib.fft, "x": lib.ones(2, 3),
               "z": lib.ones(2, 3, dtype=lib.complex64)}
        return error_of(lambda: eval(code, env))
    e, t = run(ember), run(torch)
    assert t is not None
    assert e == t


def test_import_is_lazy():
    import subprocess
    import sys
    code = "import ember, sys; assert 'ember.fft' not in sys.modules; ember.fft.fft"
    subprocess.run([sys.executable, "-c", code], check=True)
