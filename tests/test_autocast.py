"""torch.autocast on the CPU (ember/amp/autocast_mode.py) against torch: which ops run in the
autocast dtype and which in float32, the state functions, nesting, the decorator, warnings."""
import threading

import numpy as np
import pytest

import ember
from parity import both, error_of, warnings_of

torch = pytest.importorskip("torch")
pytest.importorskip("ml_dtypes")


def _inputs(lib, dtype):
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((4, 4)).astype(np.float32)).to(dtype)
    v = lib.tensor(rng.standard_normal(4).astype(np.float32)).to(dtype)
    image = lib.tensor(rng.standard_normal((1, 2, 5, 5)).astype(np.float32)).to(dtype)
    w = lib.tensor(rng.standard_normal((3, 2, 3, 3)).astype(np.float32)).to(dtype)
    return x, v, image, w


# run with float32 inputs: torch casts them to the autocast dtype
LOWER = {
    "mm": lambda lib, F, x, v, im, w: lib.mm(x, x),
    "matmul_operator": lambda lib, F, x, v, im, w: x @ x,
    "matmul_method": lambda lib, F, x, v, im, w: x.matmul(x),
    "bmm": lambda lib, F, x, v, im, w: lib.bmm(x[None], x[None]),
    "addmm": lambda lib, F, x, v, im, w: lib.addmm(x, x, x),
    "baddbmm": lambda lib, F, x, v, im, w: lib.baddbmm(x[None], x[None], x[None]),
    "addbmm": lambda lib, F, x, v, im, w: lib.addbmm(x, x[None], x[None]),
    "linear": lambda lib, F, x, v, im, w: F.linear(x, x, v),
    "conv1d": lambda lib, F, x, v, im, w: F.conv1d(im[:, :, 0], w[:, :, 0]),
    "conv2d": lambda lib, F, x, v, im, w: F.conv2d(im, w),
    "conv_transpose2d": lambda lib, F, x, v, im, w: F.conv_transpose2d(im, w.transpose(0, 1)),
    "prelu": lambda lib, F, x, v, im, w: F.prelu(x, lib.tensor([0.1])),
    "einsum": lambda lib, F, x, v, im, w: lib.einsum("ij,jk->ik", x, x),
    "tensordot": lambda lib, F, x, v, im, w: lib.tensordot(x, x, 1),
    "vecdot": lambda lib, F, x, v, im, w: lib.linalg.vecdot(x, x),
    "sdpa": lambda lib, F, x, v, im, w: F.scaled_dot_product_attention(x[None], x[None], x[None]),
    "Linear": lambda lib, F, x, v, im, w: lib.nn.Linear(4, 2)(x),
    "Conv2d": lambda lib, F, x, v, im, w: lib.nn.Conv2d(2, 3, 3)(im),
    # not on the list: stay float32
    "mv": lambda lib, F, x, v, im, w: lib.mv(x, v), "dot": lambda lib, F, x, v, im, w: lib.dot(v, v),
    "add": lambda lib, F, x, v, im, w: x + x, "relu": lambda lib, F, x, v, im, w: x.relu(),
    "softmax": lambda lib, F, x, v, im, w: x.softmax(0),
}

# run with bfloat16 inputs: torch casts them to float32
FLOAT32 = {
    "mse_loss": lambda lib, F, x, v, im, w: F.mse_loss(x, x),
    "cross_entropy": lambda lib, F, x, v, im, w: F.cross_entropy(x, lib.tensor([0, 1, 2, 3])),
    "nll_loss": lambda lib, F, x, v, im, w: F.nll_loss(x, lib.tensor([0, 1, 2, 3])),
    "l1_loss": lambda lib, F, x, v, im, w: F.l1_loss(x, x),
    "smooth_l1_loss": lambda lib, F, x, v, im, w: F.smooth_l1_loss(x, x),
    "huber_loss": lambda lib, F, x, v, im, w: F.huber_loss(x, x),
    "bce": lambda lib, F, x, v, im, w: F.binary_cross_entropy(x.sigmoid(), x.sigmoid()),
    "bce_logits": lambda lib, F, x, v, im, w: F.binary_cross_entropy_with_logits(x, x),
    "kl_div": lambda lib, F, x, v, im, w: F.kl_div(x, x),
    "prod": lambda lib, F, x, v, im, w: x.prod(), "cdist": lambda lib, F, x, v, im, w: lib.cdist(x, x),
    "trace": lambda lib, F, x, v, im, w: x.trace(),
    "inverse": lambda lib, F, x, v, im, w: lib.inverse(x + 4 * lib.eye(4, dtype=x.dtype)),
    "margin_ranking": lambda lib, F, x, v, im, w: F.margin_ranking_loss(v, v, v),
    "soft_margin": lambda lib, F, x, v, im, w: F.soft_margin_loss(x, x),
    "hinge": lambda lib, F, x, v, im, w: F.hinge_embedding_loss(x, x),
    "poisson_nll": lambda lib, F, x, v, im, w: F.poisson_nll_loss(x, x),
    "triplet": lambda lib, F, x, v, im, w: F.triplet_margin_loss(x, x, x),
    "multi_margin": lambda lib, F, x, v, im, w: F.multi_margin_loss(x, lib.tensor([0, 1, 2, 3])),
    "quantile": lambda lib, F, x, v, im, w: lib.quantile(x, 0.5),
    "max_pool3d": lambda lib, F, x, v, im, w: F.max_pool3d(im, 1),
    "avg_pool3d": lambda lib, F, x, v, im, w: F.avg_pool3d(im, 1),
    "adaptive_avg_pool3d": lambda lib, F, x, v, im, w: F.adaptive_avg_pool3d(im, 1),
    "pad_reflect": lambda lib, F, x, v, im, w: F.pad(im, (1, 1, 1, 1), mode="reflect"),
    "pad_replicate": lambda lib, F, x, v, im, w: F.pad(im, (1, 1, 1, 1), mode="replicate"),
    "linalg_inv": lambda lib, F, x, v, im, w: lib.linalg.inv(x + 4 * lib.eye(4, dtype=x.dtype)),
    # not on the list: stay bfloat16
    "pad_constant": lambda lib, F, x, v, im, w: F.pad(im, (1, 1)),
    "softmax": lambda lib, F, x, v, im, w: x.softmax(0), "sum": lambda lib, F, x, v, im, w: x.sum(),
    "layer_norm": lambda lib, F, x, v, im, w: F.layer_norm(x, (4,)),
    "max_pool2d": lambda lib, F, x, v, im, w: F.max_pool2d(im, 1),
    "norm": lambda lib, F, x, v, im, w: x.norm(), "gelu": lambda lib, F, x, v, im, w: F.gelu(x),
}


def _dtype_under_autocast(lib, fn, input_dtype, autocast_dtype):
    lib.manual_seed(0)
    with lib.autocast("cpu", dtype=autocast_dtype):
        out = fn(lib, lib.nn.functional, *_inputs(lib, getattr(lib, input_dtype)))
    return repr(out.dtype)


@pytest.mark.parametrize("name", sorted(LOWER))
@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_lower_precision_list(name, dtype):
    e, t = both(lambda lib: _dtype_under_autocast(lib, LOWER[name], "float32",
                                                  getattr(lib, dtype)))
    assert e == t


@pytest.mark.parametrize("name", sorted(FLOAT32))
def test_float32_list(name):
    e, t = both(lambda lib: _dtype_under_autocast(lib, FLOAT32[name], "bfloat16",
                                                  lib.bfloat16))
    assert e == t


def test_values_and_gradients_of_a_model_under_autocast():
    rng = np.random.default_rng(1)
    data = rng.standard_normal((6, 4)).astype(np.float32)
    results = []
    for lib in (ember, torch):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 2))
        x = lib.tensor(data)
        with lib.autocast(device_type="cpu"):
            out = model(x)
            loss = lib.nn.functional.mse_loss(out, lib.zeros(6, 2))
        loss.backward()
        results.append((out, loss, model[0].weight.grad))
    (oe, le, ge), (ot, lt, gt) = results
    assert oe.dtype == ember.bfloat16 and le.dtype == ember.float32 and ge.dtype == ember.float32
    np.testing.assert_array_equal(oe.float().detach().numpy(), ot.float().detach().numpy())
    np.testing.assert_allclose(le.item(), lt.item(), rtol=1e-6)
    np.testing.assert_allclose(ge.numpy(), gt.numpy(), rtol=2 ** -6, atol=1e-3)
    assert type(oe.grad_fn).__name__ == type(ot.grad_fn).__name__


def _states(lib):
    seen = [lib.is_autocast_enabled("cpu"), lib.is_autocast_enabled()]
    with lib.autocast("cpu"):
        seen += [lib.is_autocast_enabled("cpu"), lib.is_autocast_enabled(),
                 repr(lib.get_autocast_dtype("cpu"))]
        with lib.autocast("cpu", enabled=False):
            seen += [lib.is_autocast_enabled("cpu"), repr((lib.ones(2, 2) @ lib.ones(2, 2)).dtype)]
        with lib.autocast("cpu", dtype=lib.float16):
            seen += [repr(lib.get_autocast_dtype("cpu"))]
        seen += [repr(lib.get_autocast_dtype("cpu")), repr((lib.ones(2, 2) @ lib.ones(2, 2)).dtype)]
    seen += [lib.is_autocast_enabled("cpu"), repr(lib.get_autocast_dtype("cpu")),
             repr(lib.get_autocast_dtype("cuda")), repr((lib.ones(2, 2) @ lib.ones(2, 2)).dtype)]
    return seen


def test_state_functions_and_nesting():
    e, t = both(_states)
    assert e == t


def test_decorator_and_spellings():
    def run(lib):
        @lib.autocast("cpu")
        def f(x):
            return repr((x @ x).dtype), lib.is_autocast_enabled("cpu")

        @lib.amp.autocast("cpu", enabled=False)
        def g(x):
            return repr((x @ x).dtype)

        with lib.amp.autocast(device_type="cpu"):
            inside = repr((lib.ones(2, 2) @ lib.ones(2, 2)).dtype)
        return f(lib.ones(2, 2)), g(lib.ones(2, 2)), inside, f.__name__, lib.is_autocast_enabled(
            "cpu")
    e, t = both(run)
    assert e == t


def test_deprecated_cpu_amp_autocast_warns_as_torch():
    def run(lib):
        def body():
            with lib.cpu.amp.autocast():
                return (lib.ones(2, 2) @ lib.ones(2, 2)).dtype
        return warnings_of(body)
    e, t = both(run)
    assert e == t and e


@pytest.mark.parametrize("make", [
    lambda lib: lib.autocast("cpu", dtype=lib.float32),
    lambda lib: lib.autocast("cuda"),
])
def test_unsupported_autocast_warns_and_disables(make):
    def run(lib):
        def body():
            with make(lib):
                return lib.is_autocast_enabled("cpu")
        return warnings_of(body), lib.is_autocast_enabled("cpu")
    e, t = both(run)
    assert e == t and e[0]


@pytest.mark.parametrize("call", [
    lambda lib: lib.autocast("xpu2"), lambda lib: lib.autocast(device_type=3),
    lambda lib: lib.get_autocast_dtype("foo"), lambda lib: lib.is_autocast_enabled("foo"),
])
def test_errors(call):
    e, t = both(lambda lib: error_of(lambda: call(lib)))
    assert e == t and e is not None


def test_out_and_inplace_calls_are_not_cast():
    def run(lib):
        with lib.autocast("cpu"):
            out = lib.empty(2, 2)
            lib.mm(lib.ones(2, 2), lib.ones(2, 2), out=out)
            x = lib.ones(2, 2)
            x.addmm_(lib.ones(2, 2), lib.ones(2, 2))
        return repr(out.dtype), repr(x.dtype)
    e, t = both(run)
    assert e == t


def test_autocast_is_per_thread():
    seen = {}

    def other():
        seen["other"] = ember.is_autocast_enabled("cpu")
        seen["dtype"] = (ember.ones(2, 2) @ ember.ones(2, 2)).dtype

    with ember.autocast("cpu"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert ember.is_autocast_enabled("cpu")
    assert seen == {"other": False, "dtype": ember.float32}
