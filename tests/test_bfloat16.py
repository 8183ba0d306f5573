"""bfloat16 and the float8 dtypes (ember/_lowprec.py, ember/_lowprec_math.py) against torch:
creation, casting, printing, promotion, values of the common ops, autograd, finfo, .pth files."""
import io
import subprocess
import sys

import numpy as np
import pytest

import ember
from parity import both, error_of, same

torch = pytest.importorskip("torch")
pytest.importorskip("ml_dtypes")

FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz"]
LOW = ["bfloat16"] + FLOAT8


def _data(seed=0, shape=(5, 7)):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _bits(t):
    """The values of a tensor of either library, exactly, as float64 (bfloat16 fits)."""
    return t.detach().double().numpy()


def test_importing_ember_does_not_import_ml_dtypes():
    code = ("import sys, ember; assert 'ml_dtypes' not in sys.modules; "
            "print(ember.bfloat16, ember.float8_e5m2)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["torch.bfloat16", "torch.float8_e5m2"]


def test_without_ml_dtypes_using_bfloat16_says_what_to_install():
    code = ("import sys; sys.modules['ml_dtypes'] = None\n"
            "import ember\n"
            "assert ember.bfloat16.is_floating_point and ember.bfloat16.itemsize == 2\n"
            "for make in (lambda: ember.tensor([1.0], dtype=ember.bfloat16),\n"
            "             lambda: ember.ones(2).to(ember.bfloat16), lambda: ember.ones(2).bfloat16()):\n"
            "    try:\n"
            "        make()\n"
            "    except ModuleNotFoundError as e:\n"
            "        print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines == ["torch.bfloat16 needs the ml_dtypes package, which is not installed: pip "
                     "install ml_dtypes (or pip install 'ember[lowprec]')"] * 3


@pytest.mark.parametrize("name", LOW)
def test_dtype_attributes(name):
    e, t = getattr(ember, name), getattr(torch, name)
    assert repr(e) == repr(t)
    assert (e.is_floating_point, e.is_signed, e.itemsize) == (t.is_floating_point, t.is_signed,
                                                               t.itemsize)
    fe, ft = ember.finfo(e), torch.finfo(t)
    if name == "float8_e5m2fnuz":       # torch says 0.125; the gap above 1 is 0.25 (2 mantissa bits)
        assert (fe.eps, ft.eps) == (0.25, 0.125)
        fe.eps = ft.eps
    assert repr(fe) == repr(ft)
    assert ember.finfo(e).bits == torch.finfo(t).bits


def test_creation_printing_and_casts():
    values = [[1.2345, 2.5, -3.0, 1e-3], [1e10, -1e-10, 0.0, 7.0]]
    for make in (lambda lib: lib.tensor(values, dtype=lib.bfloat16),
                 lambda lib: lib.tensor(values).to(lib.bfloat16),
                 lambda lib: lib.tensor(values).bfloat16(),
                 lambda lib: lib.tensor(values, dtype=lib.float64).to(dtype=lib.bfloat16),
                 lambda lib: lib.zeros(2, 3, dtype=lib.bfloat16),
                 lambda lib: lib.arange(5).to(lib.bfloat16),
                 lambda lib: lib.tensor(3.14159, dtype=lib.bfloat16),
                 lambda lib: lib.full((2,), 1 / 3, dtype=lib.bfloat16)):
        e, t = both(make)
        assert str(e) == str(t)
        assert e.dtype == ember.bfloat16 and e.type() == t.type()
        np.testing.assert_array_equal(_bits(e), _bits(t))
        assert same(lambda lib: make(lib).float().tolist())
        assert same(lambda lib: make(lib).to(lib.int64).tolist())
    assert same(lambda lib: lib.tensor(3.14159, dtype=lib.bfloat16).item())
    assert same(lambda lib: str(lib.ones(2, 2, dtype=lib.bfloat16, requires_grad=True)))


@pytest.mark.parametrize("name", FLOAT8)
def test_float8_store_cast_and_print(name):
    data = [[0.1, 1.0, -2.5], [30.0, 1e-3, 7.0]]
    make = lambda lib: lib.tensor(data).to(getattr(lib, name))       # noqa: E731
    assert same(lambda lib: str(make(lib)))
    assert same(lambda lib: make(lib).float().tolist())
    assert same(lambda lib: str(make(lib).to(lib.bfloat16)))


@pytest.mark.parametrize("a,b", [("bfloat16", "float16"), ("bfloat16", "float32"),
                                 ("bfloat16", "float64"), ("bfloat16", "int64"),
                                 ("bfloat16", "bool"), ("bfloat16", "uint8"),
                                 ("bfloat16", "bfloat16"), ("float8_e4m3fn", "float8_e4m3fn")])
def test_promotion(a, b):
    assert same(lambda lib: repr(lib.promote_types(getattr(lib, a), getattr(lib, b))))
    assert same(lambda lib: repr(lib.promote_types(getattr(lib, b), getattr(lib, a))))


def test_promotion_of_tensors_and_numbers():
    for fn in (lambda lib, x: x + 2, lambda lib, x: x * 2.5, lambda lib, x: lib.arange(3) + x,
               lambda lib, x: x + lib.tensor(1.5, dtype=lib.float64),
               lambda lib, x: x + lib.ones(3, dtype=lib.float16),
               lambda lib, x: x + lib.ones(3), lambda lib, x: x / 3, lambda lib, x: x > 1,
               lambda lib, x: lib.cat([x, lib.ones(3)])):
        assert same(lambda lib: repr(fn(lib, lib.tensor([1.0, 2.0, 3.0]).bfloat16())))


@pytest.mark.parametrize("name", FLOAT8)
def test_float8_promotion_is_refused(name):
    for other in ("float32", "bfloat16", "int64"):
        e, t = both(lambda lib: error_of(lambda: lib.promote_types(getattr(lib, name),
                                                                   getattr(lib, other))))
        assert e == t and e is not None


# ops whose bfloat16 results are bit for bit torch's (torch computes in float32 and rounds)
OPS = {
    "add": lambda F, x, y: x + y, "sub": lambda F, x, y: x - y, "mul": lambda F, x, y: x * y,
    "div": lambda F, x, y: x / y, "add_number": lambda F, x, y: x + 0.1,
    "mul_number": lambda F, x, y: x * 0.3, "div_number": lambda F, x, y: x / 0.3,
    "pow": lambda F, x, y: x.abs() ** 0.7, "square": lambda F, x, y: x ** 2,
    "exp": lambda F, x, y: x.exp(), "log": lambda F, x, y: x.abs().log(),
    "tanh": lambda F, x, y: x.tanh(), "sigmoid": lambda F, x, y: x.sigmoid(),
    "sqrt": lambda F, x, y: x.abs().sqrt(), "relu": lambda F, x, y: x.relu(),
    "sin": lambda F, x, y: x.sin(), "abs": lambda F, x, y: x.abs(),
    "reciprocal": lambda F, x, y: x.reciprocal(), "clamp": lambda F, x, y: x.clamp(-0.5, 0.5),
    "sum": lambda F, x, y: x.sum(), "sum_dim": lambda F, x, y: x.sum(1),
    "mean": lambda F, x, y: x.mean(), "mean_dim": lambda F, x, y: x.mean(0),
    "max": lambda F, x, y: x.max(1).values, "prod": lambda F, x, y: x.prod(1),
    "var": lambda F, x, y: x.var(1), "std": lambda F, x, y: x.std(),
    "norm": lambda F, x, y: x.norm(), "cumsum": lambda F, x, y: x.cumsum(1),
    "mm": lambda F, x, y: x @ y.T, "bmm": lambda F, x, y: x[None] @ y.T[None],
    "addmm": lambda F, x, y: x[:, :5].addmm(x, y.T),
    "linear": lambda F, x, y: F.linear(x, y, y[:, 0]), "softmax": lambda F, x, y: x.softmax(1),
    "gelu": lambda F, x, y: F.gelu(x), "silu": lambda F, x, y: F.silu(x),
    "mse_loss": lambda F, x, y: F.mse_loss(x, y), "layer_norm": lambda F, x, y: F.layer_norm(
        x, (7,)), "where": lambda F, x, y: x.where(x > 0, y),
    "cross_entropy": lambda F, x, y: F.cross_entropy(x, (y[:, 0] > 0).long()),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_values_match_torch_exactly(name):
    a, b = _data(1), _data(2)
    e, t = both(lambda lib: OPS[name](lib.nn.functional, lib.tensor(a).bfloat16(),
                                      lib.tensor(b).bfloat16()))
    assert e.dtype == ember.bfloat16 and t.dtype == torch.bfloat16
    np.testing.assert_array_equal(_bits(e), _bits(t))


def test_mixed_matrix_product_is_refused_as_in_torch():
    e, t = both(lambda lib: error_of(lambda: lib.ones(2, 2).bfloat16() @ lib.ones(2, 2)))
    assert e == t and e is not None


def test_autograd_through_bfloat16():
    a, w = _data(3, (4, 6)), _data(4, (6, 3))
    results = []
    for lib in (ember, torch):
        x = lib.tensor(a).bfloat16().requires_grad_()
        m = lib.tensor(w).requires_grad_()
        loss = ((x @ m.bfloat16()).sigmoid() * 0.5).sum() + (x * x).mean()
        loss.backward()
        results.append((loss, x.grad, m.grad, type(loss.grad_fn).__name__))
    (le, xe, me, ne), (lt, xt, mt, nt) = results
    assert ne == nt and le.dtype == ember.bfloat16 and xe.dtype == ember.bfloat16
    assert me.dtype == ember.float32
    np.testing.assert_array_equal(_bits(le), _bits(lt))
    # gradients: within a few bfloat16 steps (ember keeps the saved results of the ops it computes
    # in float32 unrounded, torch saves them rounded)
    np.testing.assert_allclose(_bits(xe), _bits(xt), rtol=2 ** -5, atol=4e-3)
    np.testing.assert_allclose(_bits(me), _bits(mt), rtol=2 ** -5, atol=4e-3)


def test_module_to_bfloat16_trains():
    results = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        model = lib.nn.Linear(3, 2).to(lib.bfloat16)
        opt = lib.optim.SGD(model.parameters(), lr=0.5)
        x = lib.tensor(_data(5, (8, 3))).bfloat16()
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(x), lib.zeros(8, 2, dtype=lib.bfloat16))
            loss.backward()
            opt.step()
        results.append((model.weight.dtype, loss.item()))
    (de, le), (dt, lt) = results
    assert repr(de) == repr(dt)
    assert le == pytest.approx(lt, rel=2 ** -6)


def test_pth_files_interchange_with_torch(tmp_path):
    t = torch.tensor([1.5, 2.25, -3.0]).bfloat16()
    torch.save({"x": t, "p": torch.nn.Parameter(t.clone())}, tmp_path / "t.pth")
    loaded = ember.load(tmp_path / "t.pth")
    assert loaded["x"].dtype == ember.bfloat16 and isinstance(loaded["p"], ember.nn.Parameter)
    assert str(loaded["x"]) == str(t)
    ember.manual_seed(0)
    model = ember.nn.Linear(2, 3).to(ember.bfloat16)
    ember.save(model.state_dict(), tmp_path / "e.pth")
    back = torch.load(tmp_path / "e.pth")
    assert back["weight"].dtype == torch.bfloat16
    np.testing.assert_array_equal(back["weight"].double().numpy(), _bits(model.weight))
    buffer = io.BytesIO()
    ember.save(loaded, buffer)
    buffer.seek(0)
    assert str(torch.load(buffer)["x"]) == str(t)


def test_float8_files_are_refused_clearly():
    buffer = io.BytesIO()
    torch.save({"w": torch.ones(2).to(torch.float8_e4m3fn)}, buffer)
    buffer.seek(0)
    with pytest.raises(Exception, match="nothing from the file was run"):
        ember.load(buffer)
