"""Forward-mode AD (``autograd.forward_ad``): the dual-level API, the JVP rules of the common
ops against torch's tangents, and torch's errors."""
import numpy as np
import pytest

import ember
from parity import error_of, same_error

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
U = RNG.standard_normal((3, 4))          # the tangent of X
Y = RNG.standard_normal((3, 4))
V = RNG.standard_normal((3, 4))          # the tangent of Y
W = RNG.standard_normal((4, 2))
POS = np.abs(X) + 0.5
TARGET = np.array([1, 0, 3])


def _jvp(lib, fn, primals, tangents):
    """``(output, tangent)`` of ``fn`` at ``primals`` along ``tangents`` (NumPy arrays)."""
    fwd = lib.autograd.forward_ad
    with fwd.dual_level():
        duals = [fwd.make_dual(lib.tensor(p), lib.tensor(t)) for p, t in zip(primals, tangents)]
        out = fn(lib, *duals)
        primal, tangent = fwd.unpack_dual(out)
        return primal.detach().numpy().copy(), None if tangent is None else \
            tangent.detach().numpy().copy()


CASES = {
    "add": (lambda lib, x, y: x + y, (X, Y)),
    "sub_alpha": (lambda lib, x, y: lib.sub(x, y, alpha=2.5), (X, Y)),
    "rsub": (lambda lib, x, y: 3 - x, (X, Y)),
    "mul": (lambda lib, x, y: x * y, (X, Y)),
    "mul_number": (lambda lib, x, y: x * 3.5, (X, Y)),
    "div": (lambda lib, x, y: x / (y * y + 1), (X, Y)),
    "neg": (lambda lib, x, y: -x, (X, Y)),
    "pow_number": (lambda lib, x, y: x ** 3, (X, Y)),
    "pow_tensor": (lambda lib, x, y: x ** y, (POS, Y)),
    "number_pow": (lambda lib, x, y: 2.0 ** x, (X, Y)),
    "exp": (lambda lib, x, y: x.exp(), (X, Y)),
    "log": (lambda lib, x, y: x.log(), (POS, Y)),
    "log1p": (lambda lib, x, y: lib.log1p(x), (POS, Y)),
    "sqrt": (lambda lib, x, y: x.sqrt(), (POS, Y)),
    "rsqrt": (lambda lib, x, y: x.rsqrt(), (POS, Y)),
    "sin": (lambda lib, x, y: x.sin(), (X, Y)),
    "cos": (lambda lib, x, y: x.cos(), (X, Y)),
    "tan": (lambda lib, x, y: x.tan(), (X, Y)),
    "tanh": (lambda lib, x, y: x.tanh(), (X, Y)),
    "sigmoid": (lambda lib, x, y: x.sigmoid(), (X, Y)),
    "relu": (lambda lib, x, y: lib.relu(x), (X, Y)),
    "leaky_relu": (lambda lib, x, y: lib.nn.functional.leaky_relu(x, 0.1), (X, Y)),
    "gelu": (lambda lib, x, y: lib.nn.functional.gelu(x), (X, Y)),
    "gelu_tanh": (lambda lib, x, y: lib.nn.functional.gelu(x, approximate="tanh"), (X, Y)),
    "silu": (lambda lib, x, y: lib.nn.functional.silu(x), (X, Y)),
    "softplus": (lambda lib, x, y: lib.nn.functional.softplus(x), (X, Y)),
    "abs": (lambda lib, x, y: x.abs(), (X, Y)),
    "clamp": (lambda lib, x, y: x.clamp(-0.5, 0.5), (X, Y)),
    "softmax": (lambda lib, x, y: x.softmax(1), (X, Y)),
    "log_softmax": (lambda lib, x, y: lib.log_softmax(x, 0), (X, Y)),
    "logsumexp": (lambda lib, x, y: lib.logsumexp(x, 1), (X, Y)),
    "matmul": (lambda lib, x, y: x @ y.t(), (X, Y)),
    "mm": (lambda lib, x, y: lib.mm(x, y.T), (X, Y)),
    "linear": (lambda lib, x, y: lib.nn.functional.linear(x, y[:2], y[2, :2]), (X, Y)),
    "linear_no_bias": (lambda lib, x, y: lib.nn.functional.linear(x, y), (X, Y)),
    "sum": (lambda lib, x, y: (x * y).sum(), (X, Y)),
    "sum_dim": (lambda lib, x, y: x.sum(1, keepdim=True), (X, Y)),
    "mean": (lambda lib, x, y: x.mean(), (X, Y)),
    "mean_dim": (lambda lib, x, y: x.mean(0), (X, Y)),
    "view": (lambda lib, x, y: x.view(2, 6), (X, Y)),
    "reshape_of_transpose": (lambda lib, x, y: x.t().reshape(12), (X, Y)),
    "transpose": (lambda lib, x, y: x.transpose(0, 1), (X, Y)),
    "permute": (lambda lib, x, y: x.reshape(3, 2, 2).permute(2, 0, 1), (X, Y)),
    "unsqueeze_squeeze": (lambda lib, x, y: x.unsqueeze(1).squeeze(), (X, Y)),
    "expand": (lambda lib, x, y: x[:, :1].expand(3, 5), (X, Y)),
    "slice": (lambda lib, x, y: x[1:, ::2], (X, Y)),
    "select": (lambda lib, x, y: x[2], (X, Y)),
    "index_tensor": (lambda lib, x, y: x[lib.tensor([2, 0, 2])], (X, Y)),
    "index_mask": (lambda lib, x, y: x[x > 0], (X, Y)),
    "cat": (lambda lib, x, y: lib.cat([x, y, x], 1), (X, Y)),
    "stack": (lambda lib, x, y: lib.stack([x, y]), (X, Y)),
    "where": (lambda lib, x, y: lib.where(x > y, x, y), (X, Y)),
    "masked_fill": (lambda lib, x, y: x.masked_fill(y > 0, 2.0), (X, Y)),
    "mse_loss": (lambda lib, x, y: lib.nn.functional.mse_loss(x, y), (X, Y)),
    "mse_loss_sum": (lambda lib, x, y: lib.nn.functional.mse_loss(x, y, reduction="sum"),
                     (X, Y)),
    "cross_entropy": (lambda lib, x, y: lib.nn.functional.cross_entropy(
        x, lib.tensor(TARGET)), (X, Y)),
    "mlp": (lambda lib, x, y: (lib.tanh(x @ y.t()) ** 2).mean(1).exp(), (X, Y)),
    "gather": (lambda lib, x, y: x.gather(1, lib.tensor([[0, 3], [1, 1], [2, 0]])), (X, Y)),
    "index_select": (lambda lib, x, y: x.index_select(1, lib.tensor([3, 0])), (X, Y)),
    "take": (lambda lib, x, y: lib.take(x, lib.tensor([0, 5, 11])), (X, Y)),
    "masked_select": (lambda lib, x, y: x.masked_select(y > 0), (X, Y)),
    "roll": (lambda lib, x, y: x.roll(1, 0), (X, Y)),
    "repeat": (lambda lib, x, y: x.repeat(2, 1), (X, Y)),
    "diagonal": (lambda lib, x, y: x.diagonal(), (X, Y)),
    "split": (lambda lib, x, y: x.split(2, 1)[1], (X, Y)),
    "cumsum": (lambda lib, x, y: x.cumsum(1), (X, Y)),
    "addmv": (lambda lib, x, y: lib.addmv(y[:, 0], x, y[0], beta=0.5, alpha=2.0), (X, Y)),
    "baddbmm": (lambda lib, x, y: lib.baddbmm(x.reshape(3, 2, 2), x.reshape(3, 2, 2),
                                              y.reshape(3, 2, 2), alpha=0.5), (X, Y)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tangents_match_torch(name):
    fn, (a, b) = CASES[name]
    for tangents in ((U, V), (U, np.zeros_like(V))):
        (pe, te), (pt, tt) = (_jvp(lib, fn, (a, b), tangents) for lib in (ember, torch))
        np.testing.assert_allclose(pe, pt, rtol=1e-10, atol=1e-12)
        assert tt is not None and te is not None
        np.testing.assert_allclose(te, tt, rtol=1e-9, atol=1e-11)


def test_tangent_is_the_directional_derivative():
    """J u by finite differences agrees with the forward-mode tangent."""
    fn, (a, b) = CASES["mlp"]
    _, tangent = _jvp(ember, fn, (a, b), (U, V))
    h = 1e-6
    up = fn(ember, ember.tensor(a + h * U), ember.tensor(b + h * V)).numpy()
    down = fn(ember, ember.tensor(a - h * U), ember.tensor(b - h * V)).numpy()
    np.testing.assert_allclose(tangent, (up - down) / (2 * h), rtol=1e-6, atol=1e-8)


def test_outputs_without_tangent_inputs_have_none():
    fwd = ember.autograd.forward_ad
    with fwd.dual_level():
        d = fwd.make_dual(ember.tensor(X), ember.tensor(U))
        plain = ember.tensor(Y).exp()
        assert fwd.unpack_dual(plain).tangent is None
        assert fwd.unpack_dual(d > 0).tangent is None          # bool results carry none
        assert fwd.unpack_dual(d.argmax()).tangent is None


def test_levels_and_unpacking_like_torch():
    def run(lib):
        fwd = lib.autograd.forward_ad
        x = lib.tensor(X)
        with fwd.dual_level() as level:
            d = fwd.make_dual(x, lib.tensor(U))
            packed = fwd.unpack_dual(d)
            y = d * 2
            inside = fwd.unpack_dual(y).tangent is not None
        after = fwd.unpack_dual(y)
        return (level, type(packed).__name__, packed._fields, d._base is x, d.requires_grad,
                inside, after.tangent, fwd.unpack_dual(x).tangent)
    assert run(ember) == run(torch)


def test_enter_and_exit_by_hand():
    fwd = ember.autograd.forward_ad
    level = fwd.enter_dual_level()
    try:
        assert level == 0
        d = fwd.make_dual(ember.tensor(X), ember.tensor(U))
        assert fwd.unpack_dual(d.sin()).tangent is not None
    finally:
        fwd.exit_dual_level(level=level)
    assert ember.autograd.op._transform is None
    assert fwd.unpack_dual(d).tangent is None


def test_dual_of_a_tensor_requiring_grad_is_differentiable():
    """Forward over reverse: a tangent computed from tensors that require grad has a graph."""
    fwd = ember.autograd.forward_ad
    x = ember.tensor(X, requires_grad=True)
    with fwd.dual_level():
        d = fwd.make_dual(x, ember.tensor(U))
        tangent = fwd.unpack_dual((d * d).sum()).tangent       # 2 sum(x u)
    tangent.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * U)


@pytest.mark.parametrize("fn", [
    lambda lib: lib.autograd.forward_ad.make_dual(lib.ones(3), lib.ones(3)),
    lambda lib: lib.autograd.forward_ad.exit_dual_level(),
])
def test_errors_outside_a_level(fn):
    same_error(lambda lib: fn(lib))


@pytest.mark.parametrize("fn", [
    lambda lib, fwd: fwd.make_dual(lib.ones(3), lib.ones(2)),
    lambda lib, fwd: fwd.make_dual(lib.ones(3, dtype=lib.long), lib.ones(3, dtype=lib.long)),
    lambda lib, fwd: fwd.enter_dual_level(),
    lambda lib, fwd: fwd.make_dual(fwd.make_dual(lib.ones(3), lib.ones(3)), lib.ones(3)),
    lambda lib, fwd: fwd.unpack_dual(fwd.make_dual(lib.ones(3), lib.ones(3)), level=5),
    lambda lib, fwd: fwd.unpack_dual(lib.ones(3), level=5).tangent.sum(),
    lambda lib, fwd: fwd.exit_dual_level(level=3),
])
def test_errors_inside_a_level(fn):
    def run(lib):
        fwd = lib.autograd.forward_ad
        with fwd.dual_level():
            return error_of(lambda: fn(lib, fwd))
    e, t = run(ember), run(torch)
    assert t is not None and e == t


def test_an_op_without_a_rule_raises_torchs_error():
    def run(lib):
        fwd = lib.autograd.forward_ad
        with fwd.dual_level():
            d = fwd.make_dual(lib.ones(3) * 0.5, lib.ones(3))
            return error_of(lambda: lib.igamma(d, d))
    e, t = run(ember), run(torch)
    assert t is not None and e == t


def test_tangent_dtype_follows_the_tangent_given():
    def run(lib):
        fwd = lib.autograd.forward_ad
        with fwd.dual_level():
            d = fwd.make_dual(lib.ones(3), lib.ones(3, dtype=lib.float64))
            return str(fwd.unpack_dual(d).tangent.dtype), str(fwd.unpack_dual(d).primal.dtype)
    assert run(ember) == run(torch)


def test_functional_jvp_still_matches_torch():
    f = lambda lib, x: (x.sin() * x).sum(0)               # noqa: E731
    e = ember.autograd.functional.jvp(lambda x: f(ember, x), ember.tensor(X), ember.tensor(U))
    t = torch.autograd.functional.jvp(lambda x: f(torch, x), torch.tensor(X), torch.tensor(U))
    for a, b in zip(e, t):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10)
