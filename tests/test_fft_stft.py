"""Window functions and the short-time Fourier transform (stft, istft) against torch: values,
dtypes, gradients, errors and warnings."""
import numpy as np
import pytest

import ember
from complex_parity import check_gradients, compare_complex, complex_sample, real_sample
from parity import error_of

torch = pytest.importorskip("torch")

WINDOWS = [("hann_window", {}), ("hamming_window", {}), ("blackman_window", {}),
           ("bartlett_window", {}), ("kaiser_window", {}), ("kaiser_window", {"beta": 5.0}),
           ("hamming_window", {"alpha": 0.5, "beta": 0.4})]


@pytest.mark.parametrize("name,kwargs", WINDOWS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows_match_torch(name, kwargs, dtype, periodic):
    # The cosines are rounded correctly from float64; torch's vectorised cosine is not always,
    # so a value may differ in its last bit (the bartlett window has no cosine: exact).  torch
    # computes a float32 Kaiser window in float32 (its error is a few units of 1e-7).
    atol = 0 if name == "bartlett_window" else 2e-7 if dtype == "float32" else 4e-15
    if name == "kaiser_window":
        atol = 1e-6 if dtype == "float32" else 1e-14
    for n in list(range(0, 20)) + [64, 101, 400]:
        t = getattr(torch, name)(n, periodic, dtype=getattr(torch, dtype), **kwargs)
        e = getattr(ember, name)(n, periodic, dtype=getattr(ember, dtype), **kwargs)
        assert str(e.dtype) == str(t.dtype) and tuple(e.shape) == tuple(t.shape)
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=0, atol=atol)


def test_window_defaults_and_requires_grad():
    for name, _ in WINDOWS[:5]:
        e, t = getattr(ember, name)(5), getattr(torch, name)(5)
        assert str(e.dtype) == str(t.dtype)
        e, t = getattr(ember, name)(3, requires_grad=True), getattr(torch, name)(3,
                                                                                requires_grad=True)
        assert e.requires_grad == t.requires_grad and e.is_leaf


WINDOW_ERRORS = ["T.{}(-1)", "T.{}(4, dtype=T.int64)", "T.{}(2.5)", "T.{}(4, dtype=T.int32)"]


@pytest.mark.parametrize("code", WINDOW_ERRORS)
@pytest.mark.parametrize("name", ["hann_window", "hamming_window", "blackman_window",
                                  "bartlett_window", "kaiser_window"])
def test_window_errors_match_torch(code, name):
    e = error_of(lambda: eval(code.format(name), {"T": ember}))
    t = error_of(lambda: eval(code.format(name), {"T": torch}))
    assert t is not None and e == t


# ---------------------------------------------------------------- stft and istft


SIGNAL = real_sample((40,), seed=11)
BATCH = real_sample((2, 30), seed=12)

STFT = {
    "hann": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(8, dtype=x.dtype),
                                     return_complex=True), SIGNAL),
    "hop3": (lambda lib, x: lib.stft(x, 8, hop_length=3, window=lib.hann_window(8,
                                     dtype=x.dtype), return_complex=True), SIGNAL),
    "short_window": (lambda lib, x: lib.stft(x, 10, win_length=6, window=lib.hamming_window(
        6, dtype=x.dtype), return_complex=True), SIGNAL),
    "no_window_win_length": (lambda lib, x: lib.stft(x, 8, win_length=5, return_complex=True),
                             SIGNAL),
    "not_centered": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(8, dtype=x.dtype),
                                             center=False, return_complex=True), SIGNAL),
    "constant_pad": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(8, dtype=x.dtype),
                                             pad_mode="constant", return_complex=True), SIGNAL),
    "two_sided_normalized": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(
        8, dtype=x.dtype), onesided=False, normalized=True, return_complex=True), SIGNAL),
    "batch": (lambda lib, x: lib.stft(x, 6, window=lib.hann_window(6, dtype=x.dtype),
                                      return_complex=True), BATCH),
    "method": (lambda lib, x: x.stft(8, window=lib.hann_window(8, dtype=x.dtype),
                                     return_complex=True), SIGNAL),
    "complex_input": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(8, dtype=lib.float64)),
                      complex_sample((30,), seed=13)),
    "real_view": (lambda lib, x: lib.stft(x, 8, window=lib.hann_window(8, dtype=x.dtype),
                                          return_complex=False), SIGNAL),
}


@pytest.mark.parametrize("name", STFT)
def test_stft_values_and_gradients(name):
    fn, x = STFT[name]
    compare_complex(fn, x, rtol=1e-7, atol=1e-8, nodes=False)


ISTFT = {
    "hann": (lambda lib, s: lib.istft(s, 8, window=lib.hann_window(8, dtype=lib.float64)),
             (8, 2)),
    "hop3_length": (lambda lib, s: lib.istft(s, 8, hop_length=3, window=lib.hann_window(
        8, dtype=lib.float64), length=30), (8, 3)),
    "length_longer": (lambda lib, s: lib.istft(s, 8, window=lib.hann_window(
        8, dtype=lib.float64), length=40), (8, 2)),
    "two_sided": (lambda lib, s: lib.istft(s, 8, window=lib.hann_window(8, dtype=lib.float64),
                                           onesided=False), (8, 2)),
    "complex_output": (lambda lib, s: lib.istft(s, 8, window=lib.hann_window(
        8, dtype=lib.float64), onesided=False, return_complex=True), (8, 2)),
    "normalized": (lambda lib, s: lib.istft(s, 8, window=lib.hann_window(8, dtype=lib.float64),
                                            normalized=True), (8, 2)),
    "method": (lambda lib, s: s.istft(8, window=lib.hann_window(8, dtype=lib.float64)),
               (8, 2)),
}


def _spectrum(n_fft, hop, onesided):
    """A spectrum made by torch's stft of a random signal, as a NumPy array."""
    x = torch.tensor(real_sample((32,), seed=14))
    s = torch.stft(x, n_fft, hop_length=hop, window=torch.hann_window(n_fft, dtype=x.dtype),
                   onesided=onesided, return_complex=True)
    return s.numpy()


@pytest.mark.parametrize("name", ISTFT)
def test_istft_values_and_gradients(name):
    fn, (n_fft, hop) = ISTFT[name]
    compare_complex(fn, _spectrum(n_fft, hop, name not in ("two_sided", "complex_output")),
                    rtol=1e-7, atol=1e-8, nodes=False)


def test_istft_inverts_stft():
    x = ember.tensor(real_sample((50,), seed=15))
    window = ember.hann_window(16, dtype=ember.float64)
    spectrum = ember.stft(x, 16, hop_length=4, window=window, return_complex=True)
    np.testing.assert_allclose(ember.istft(spectrum, 16, hop_length=4, window=window,
                                           length=50).numpy(), x.numpy(), atol=1e-12)


def test_stft_gradcheck():
    check_gradients(lambda lib, x, w: lib.stft(x, 6, hop_length=2, window=w,
                                               return_complex=True),
                    real_sample((14,), seed=16), real_sample((6,), seed=17))
    check_gradients(lambda lib, s: lib.istft(s, 6, hop_length=2,
                                             window=lib.hann_window(6, dtype=lib.float64)),
                    _spectrum(6, 2, True)[:, :5].copy())


STFT_ERRORS = [
    "T.stft(x, 8)", "T.stft(x, 8, hop_length=0, window=w, return_complex=True)",
    "T.stft(x, 8, win_length=9, window=w, return_complex=True)",
    "T.stft(x, 8, win_length=4, window=w, return_complex=True)",
    "T.stft(T.ones(2, 3, 16), 8, window=w, return_complex=True)",
    "T.stft(x, 40, window=T.ones(40), return_complex=True)", "T.stft(x, 0, return_complex=True)",
    "T.stft(x, 8, window=T.ones(7), return_complex=True)",
    "T.stft(x, 8, window=w, onesided=True, return_complex=True, center=True, align_to_window=True)",
    "T.istft(T.ones(5, 3), 8, window=w)",
    "T.istft(T.stft(x, 8, window=w, return_complex=True, center=False), 8, window=w, center=False)",
    "T.istft(T.stft(x, 8, window=w, return_complex=True), 8, window=w, return_complex=True)",
    "T.istft(T.stft(x, 8, window=w, return_complex=True), 6, window=T.ones(6))",
]


@pytest.mark.parametrize("code", STFT_ERRORS)
def test_stft_errors_match_torch(code):
    def run(lib):
        env = {"T": lib, "x": lib.arange(16.), "w": lib.hann_window(8)}
        return error_of(lambda: eval(code, env))
    e, t = run(ember), run(torch)
    assert t is not None
    assert e == t


_WARNING_PROGRAM = """
import warnings, {lib}
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    for _ in range(2):
        s = {lib}.stft({lib}.arange(16.), 8, return_complex=False)
        {lib}.istft({lib}.view_as_complex(s), 8)
print([str(w.message).split(" (Triggered internally")[0] for w in caught])
"""


def test_stft_warnings_match_torch_once_per_process():
    import subprocess
    import sys
    printed = [subprocess.run([sys.executable, "-c", _WARNING_PROGRAM.format(lib=lib)],
                              capture_output=True, text=True, check=True).stdout
               for lib in ("ember", "torch")]
    assert printed[0] == printed[1]
    assert printed[0].count("A window was not provided") == 2
