"""nn.utils.parametrize and nn.utils.parametrizations against torch: class swap, reprs,
state_dict keys both ways, values and gradients, right_inverse, caching, removal and errors."""
import copy
import pickle

import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _symmetric(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).mT

        def right_inverse(self, a):
            return a.triu()
    return Symmetric()


def _scale(lib):
    class Scale(lib.nn.Module):
        def forward(self, x):
            return x * 2
    return Scale()


def _split(lib):
    class Split(lib.nn.Module):
        def forward(self, a, b):
            return a + b

        def right_inverse(self, w):
            return w * 0.25, w * 0.75
    return Split()


def _linear(lib, shape=(3, 3), seed=0):
    lib.manual_seed(seed)
    return lib.nn.Linear(shape[1], shape[0])


def _grad_of(lib, module, x):
    out = module(lib.tensor(x, dtype=lib.float32))
    out.sum().backward()
    return out.detach().numpy(), {k: p.grad.numpy() for k, p in module.named_parameters()}


def _same_run(run, rtol=1e-5, atol=1e-6):
    e, t = run(ember), run(torch)
    assert e[0] == t[0]                              # texts: names, keys, reprs
    for a, b in zip(e[1:], t[1:]):
        if isinstance(a, dict):
            assert list(a) == list(b)
            for k in a:
                np.testing.assert_allclose(a[k], b[k], rtol=rtol, atol=atol)
        else:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def test_register_parametrization():
    x = np.random.default_rng(0).standard_normal((2, 3))

    def run(lib):
        P = lib.nn.utils.parametrize
        m = _linear(lib)
        P.register_parametrization(m, "weight", _symmetric(lib))
        texts = [type(m).__name__, repr(m), list(m.state_dict()), P.is_parametrized(m),
                 P.is_parametrized(m, "weight"), P.is_parametrized(m, "bias"),
                 P.type_before_parametrizations(m).__name__,
                 [n for n, _ in m.named_parameters()], type(m.weight.grad_fn).__name__]
        out, grads = _grad_of(lib, m, x)
        return texts, m.weight.detach().numpy(), out, grads
    _same_run(run)


def test_chained_parametrizations_and_right_inverse():
    def run(lib):
        P = lib.nn.utils.parametrize
        m = _linear(lib)
        P.register_parametrization(m, "weight", _symmetric(lib))
        P.register_parametrization(m, "weight", _scale(lib))
        value = lib.arange(9.0).reshape(3, 3)
        texts = [repr(m), list(m.state_dict())]
        try:
            m.weight = value                        # Scale has no right_inverse
        except RuntimeError as error:
            texts.append(str(error))
        return texts, m.weight.detach().numpy(), m.parametrizations.weight.original.detach().numpy()
    _same_run(run)


def test_assignment_goes_through_right_inverse():
    def run(lib):
        P = lib.nn.utils.parametrize
        m = _linear(lib)
        P.register_parametrization(m, "weight", _symmetric(lib))
        original = m.parametrizations.weight.original
        m.weight = lib.arange(9.0).reshape(3, 3)
        return ([m.parametrizations.weight.original is original],
                m.weight.detach().numpy(), original.detach().numpy())
    _same_run(run)


def test_several_originals():
    x = np.random.default_rng(1).standard_normal((2, 3))

    def run(lib):
        P = lib.nn.utils.parametrize
        m = _linear(lib)
        P.register_parametrization(m, "weight", _split(lib))
        texts = [list(m.state_dict()), [n for n, _ in m.named_parameters()]]
        out, grads = _grad_of(lib, m, x)
        m.weight = lib.ones(3, 3)
        texts.append(str(error_text(lambda: P.remove_parametrizations(m, "weight", False))))
        P.remove_parametrizations(m, "weight")
        texts += [type(m).__name__, list(m.state_dict()), type(m.weight).__name__]
        return texts, out, grads, m.weight.detach().numpy()
    _same_run(run)


def error_text(fn):
    try:
        fn()
    except Exception as error:                      # noqa: BLE001 (compared with torch's)
        return "{}: {}".format(type(error).__name__, error)
    return None


@pytest.mark.parametrize("leave_parametrized", [True, False])
def test_remove_parametrizations(leave_parametrized):
    def run(lib):
        P = lib.nn.utils.parametrize
        m = _linear(lib)
        P.register_parametrization(m, "weight", _symmetric(lib))
        P.register_parametrization(m, "bias", _scale(lib))
        P.remove_parametrizations(m, "weight", leave_parametrized=leave_parametrized)
        texts = [type(m).__name__, list(m.state_dict()), hasattr(m, "parametrizations")]
        P.remove_parametrizations(m, "bias", leave_parametrized=leave_parametrized)
        texts += [type(m).__name__, list(m.state_dict()), hasattr(m, "parametrizations"),
                  type(m.weight).__name__, repr(m)]
        return texts, m.weight.detach().numpy(), m.bias.detach().numpy()
    _same_run(run)


def test_state_dict_both_ways():
    def build(lib):
        m = _linear(lib, seed=3)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib))
        return m
    e, t = build(ember), build(torch)
    t.parametrizations.weight.original.data.normal_()
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    np.testing.assert_array_equal(e.weight.detach().numpy(), t.weight.detach().numpy())
    t2 = build(torch)
    t2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    np.testing.assert_array_equal(t2.weight.detach().numpy(), e.weight.detach().numpy())


def test_cached():
    calls = []

    class Counting(ember.nn.Module):
        def forward(self, x):
            calls.append(1)
            return x * 1

    m = ember.nn.Linear(2, 2)
    ember.nn.utils.parametrize.register_parametrization(m, "weight", Counting())
    calls.clear()
    with ember.nn.utils.parametrize.cached():
        first, second = m.weight, m.weight
    assert first is second and len(calls) == 1
    m.weight
    m.weight
    assert len(calls) == 3


def test_deepcopy_and_pickle():
    def run(lib):
        m = _linear(lib)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric(lib))
        c = copy.deepcopy(m)
        return [type(c).__name__, list(c.state_dict()), error_text(lambda: pickle.dumps(m))]
    same(lambda lib: run(lib))


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.utils.parametrize.register_parametrization(
        lib.nn.Linear(2, 2), "foo", _scale(lib)),
    lambda lib: lib.nn.utils.parametrize.remove_parametrizations(lib.nn.Linear(2, 2), "weight"),
])
def test_errors(case):
    same_error(case)


def test_shape_and_dtype_checks():
    class Flatten(ember.nn.Module):
        def forward(self, x):
            return x.reshape(-1)

    class TFlatten(torch.nn.Module):
        def forward(self, x):
            return x.reshape(-1)

    def run(lib, cls):
        m = _linear(lib)
        return error_text(lambda: lib.nn.utils.parametrize.register_parametrization(
            m, "weight", cls())), list(m.state_dict()), type(m).__name__
    assert run(ember, Flatten) == run(torch, TFlatten)

    def chained(lib, cls):
        m = _linear(lib)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _scale(lib))
        return error_text(lambda: lib.nn.utils.parametrize.register_parametrization(
            m, "weight", cls()))
    assert chained(ember, Flatten) == chained(torch, TFlatten)
    same(lambda lib: list(lib.nn.utils.parametrize.register_parametrization(
        _linear(lib), "weight", (Flatten if lib is ember else TFlatten)(), unsafe=True)
        .state_dict()))


# ---------------------------------------------------------------- parametrizations


@pytest.mark.parametrize("dim", [0, 1, None, -1])
def test_weight_norm(dim):
    x = np.random.default_rng(2).standard_normal((2, 3))

    def run(lib):
        m = lib.nn.utils.parametrizations.weight_norm(_linear(lib, (4, 3)), dim=dim)
        texts = [repr(m), list(m.state_dict()), type(m.weight.grad_fn).__name__,
                 [tuple(v.shape) for v in m.state_dict().values()]]
        out, grads = _grad_of(lib, m, x)
        return texts, m.weight.detach().numpy(), out, grads
    _same_run(run)


def test_weight_norm_gradcheck():
    from ember.nn.utils.parametrizations import WeightNormInterface
    rng = np.random.default_rng(3)
    v = ember.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    g = ember.tensor(rng.standard_normal((3, 1)), requires_grad=True)
    assert ember.autograd.gradcheck(lambda v, g: WeightNormInterface.apply(v, g, 0), (v, g))


@pytest.mark.parametrize("module", ["linear", "conv", "convT", "vector"])
def test_spectral_norm(module):
    x = np.random.default_rng(4).standard_normal((2, 3, 5, 5))

    def run(lib):
        lib.manual_seed(1)
        m = {"linear": lambda: lib.nn.Linear(5, 4), "conv": lambda: lib.nn.Conv2d(3, 4, 3),
             "convT": lambda: lib.nn.ConvTranspose2d(3, 4, 3),
             "vector": lambda: lib.nn.Linear(5, 4)}[module]()
        name = "bias" if module == "vector" else "weight"
        lib.nn.utils.parametrizations.spectral_norm(m, name=name, n_power_iterations=2)
        texts = [repr(m), list(m.state_dict())]
        inp = lib.tensor(x if module != "linear" and module != "vector" else x[:, 0, 0],
                         dtype=lib.float32)
        out = m(inp)
        out.sum().backward()
        state = {k: v.numpy() for k, v in m.state_dict().items()}
        m.eval()
        return texts, out.detach().numpy(), state, getattr(m, name).detach().numpy()
    _same_run(run, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
@pytest.mark.parametrize("orthogonal_map", [None, "matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("use_trivialization", [True, False])
def test_orthogonal(shape, orthogonal_map, use_trivialization):
    x = np.random.default_rng(5).standard_normal((2, shape[1]))

    def run(lib):
        m = lib.nn.utils.parametrizations.orthogonal(_linear(lib, shape), "weight",
                                                     orthogonal_map,
                                                     use_trivialization=use_trivialization)
        texts = [repr(m), list(m.state_dict()), type(m.weight.grad_fn).__name__]
        out, grads = _grad_of(lib, m, x)
        return texts, m.weight.detach().numpy(), out, grads
    _same_run(run, rtol=1e-4, atol=1e-5)


def test_orthogonal_assignment():
    q = np.linalg.qr(np.random.default_rng(6).standard_normal((4, 4)))[0].astype("float32")

    def run(lib):
        m = lib.nn.utils.parametrizations.orthogonal(_linear(lib, (4, 4)))
        m.weight = lib.tensor(q)
        return [list(m.state_dict())], m.weight.detach().numpy()
    _same_run(run, atol=1e-5)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(2, 2), "bias"),
    lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(2, 2), "foo"),
    lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(2, 2),
                                                         orthogonal_map="qr"),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), "foo"),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), dim=2),
    lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2),
                                                            n_power_iterations=0),
])
def test_parametrizations_errors(case):
    same_error(case)
