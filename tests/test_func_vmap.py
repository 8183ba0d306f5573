"""``ember.func.vmap`` (in_dims, out_dims, nesting, randomness, composition with grad: the
per-sample gradients of the tutorial), ``functional_call`` and ``stack_module_state``,
against ``torch.func``."""
import numpy as np
import pytest

import ember
from parity import error_of, same_tree

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(2)
B = RNG.standard_normal((5, 3))
C = RNG.standard_normal((3, 5))
V3 = RNG.standard_normal(3)
M = RNG.standard_normal((4, 3))


def test_vmap_of_a_dot_product():
    same_tree(lambda lib, a, b: lib.vmap(lib.dot)(a, b.t()), B, C)


@pytest.mark.parametrize("in_dims", [(0, 1), (0, None), (1, -1)])
def test_vmap_in_dims(in_dims):
    def run(lib, a, b):
        second = b.t() if in_dims[1] is None else b if in_dims[1] != -1 else b
        first = a if in_dims[0] != 1 else a.t()
        return lib.func.vmap(lambda x, y: (x * y).sum() if y.dim() == 1 else x @ y.t(),
                             in_dims=in_dims)(first, second)
    same_tree(run, B, C)


@pytest.mark.parametrize("out_dims", [0, 1, -1, (1, 0)])
def test_vmap_out_dims(out_dims):
    def run(lib, a, m):
        return lib.func.vmap(lambda x: (m @ x, x.sum()) if isinstance(out_dims, tuple)
                             else m @ x, out_dims=out_dims)(a)
    same_tree(run, B, M)


def test_vmap_out_dims_none_for_an_unbatched_output():
    same_tree(lambda lib, a, m: lib.func.vmap(lambda x: (x.exp(), m.sum()),
                                                out_dims=(0, None))(a), B, M)


def test_vmap_nested_in_dims_and_dict_outputs():
    def run(lib, a, c):
        def f(pair, scale):
            return {"s": (pair[0] * pair[1]).sum() * scale, "p": pair[0]}
        return lib.func.vmap(f, in_dims=((0, 1), None))((a, c), 2.0)
    same_tree(run, B, C)


def test_nested_vmap_is_an_outer_product():
    def run(lib, a, b):
        return lib.func.vmap(lib.func.vmap(lambda x, y: x * y, (None, 0)), (0, None))(a, b)
    same_tree(run, V3, B[0])


def test_vmap_passes_kwargs_unbatched():
    same_tree(lambda lib, a: lib.func.vmap(lambda x, *, p: x ** p)(a, p=3), B)


def test_vmap_of_matrix_functions():
    def run(lib, a):
        batch = a.reshape(5, 3, 1) * a.reshape(5, 1, 3) + lib.eye(3, dtype=lib.float64)
        return lib.func.vmap(lambda m: (m @ m.t()).trace())(batch)
    same_tree(run, B)


def test_vmap_gradient_flows_back_to_the_batch():
    def run(lib, a):
        a = a.clone().requires_grad_()
        lib.func.vmap(lambda x: (x.sin() * x).sum())(a).sum().backward()
        return a.grad
    same_tree(run, B)


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd", "grad"])
def test_vmap_of_transforms(transform):
    def run(lib, a):
        f = (lambda x: (x ** 3).sum()) if transform == "grad" else (lambda x: x.sin() * x)
        return lib.func.vmap(getattr(lib.func, transform)(f))(a)
    same_tree(run, B)


def test_grad_of_vmap():
    same_tree(lambda lib, a: lib.func.grad(lambda x: lib.func.vmap(
        lambda r: (r ** 2).sum().sqrt())(x).sum())(a), B)


def test_per_sample_gradients_of_an_mlp():
    """The torch.func tutorial: vmap(grad(loss)) over a batch gives each sample's gradient."""
    def run(lib, data):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 8), lib.nn.ReLU(), lib.nn.Linear(8, 4))
        model = model.double()
        params = {k: v.detach() for k, v in model.named_parameters()}
        buffers = {k: v.detach() for k, v in model.named_buffers()}
        targets = lib.tensor([0, 3, 1, 1, 2])

        def loss(params, buffers, sample, target):
            out = lib.func.functional_call(model, (params, buffers), (sample.unsqueeze(0),))
            return lib.nn.functional.cross_entropy(out, target.unsqueeze(0))

        per_sample = lib.func.vmap(lib.func.grad(loss), in_dims=(None, None, 0, 0))(
            params, buffers, data, targets)
        # the same numbers by one backward pass per sample
        one = {}
        for i in range(len(data)):
            model.zero_grad()
            lib.nn.functional.cross_entropy(model(data[i:i + 1]), targets[i:i + 1]).backward()
            for k, p in model.named_parameters():
                one.setdefault(k, []).append(p.grad.clone())
        return per_sample, {k: lib.stack(v) for k, v in one.items()}
    per_sample, looped = same_tree(run, B)
    for k in per_sample:
        np.testing.assert_allclose(per_sample[k], looped[k], rtol=1e-10, atol=1e-12)


def test_randomness_modes():
    def run(lib, a):
        lib.manual_seed(0)
        error = error_of(lambda: lib.func.vmap(lambda x: x + lib.rand(()))(a))
        same = lib.func.vmap(lambda x: x * 0 + lib.rand(()), randomness="same")(a)
        different = lib.func.vmap(lambda x: x * 0 + lib.rand(()), randomness="different")(a)
        return (error, bool((same == same[0]).all()),
                bool((different == different[0]).all()))
    assert same_tree(run, B) == (same_tree(run, B)[0], True, False)


ERRORS = {
    "sizes": lambda lib, a, c: lib.func.vmap(lambda x, y: x + y.sum())(a, c),
    "in_dim_out_of_range": lambda lib, a, c: lib.func.vmap(lambda x: x, in_dims=2)(a),
    "in_dims_structure": lambda lib, a, c: lib.func.vmap(lambda x, y: x, in_dims=(0,))(a, c),
    "in_dims_none": lambda lib, a, c: lib.func.vmap(lambda x: x, in_dims=None)(a),
    "in_dims_list": lambda lib, a, c: lib.func.vmap(lambda x, y: x, in_dims=[0, None])(a, 2.0),
    "in_dims_float": lambda lib, a, c: lib.func.vmap(lambda x: x, in_dims=0.5)(a),
    "nothing_batched": lambda lib, a, c: lib.func.vmap(lambda x: x, in_dims=(None,))(a),
    "number_batched": lambda lib, a, c: lib.func.vmap(lambda x, y: x, in_dims=(0, 0))(a, 2.0),
    "zero_dim": lambda lib, a, c: lib.func.vmap(lambda x: x)(a[0, 0]),
    "no_inputs": lambda lib, a, c: lib.func.vmap(lambda: 1)(),
    "non_tensor_output": lambda lib, a, c: lib.func.vmap(lambda x: 3.0)(a),
    "out_dims_structure": lambda lib, a, c: lib.func.vmap(lambda x: x, out_dims=(0, 1))(a),
    "out_dims_none_batched": lambda lib, a, c: lib.func.vmap(lambda x: x, out_dims=None)(a),
    "out_dim_out_of_range": lambda lib, a, c: lib.func.vmap(lambda x: x, out_dims=3)(a),
    "randomness_value": lambda lib, a, c: lib.func.vmap(lambda x: x, randomness="foo"),
    "chunk_size": lambda lib, a, c: lib.func.vmap(lambda x: x, chunk_size=0),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_vmap_errors_match_torch(name):
    e, t = (error_of(lambda: ERRORS[name](lib, lib.tensor(B), lib.tensor(C)))
            for lib in (ember, torch))
    assert t is not None and e == t


# ---------------------------------------------------------------- modules as functions

def test_functional_call_with_dicts_ties_and_strict():
    def run(lib, x):
        lib.manual_seed(0)
        model = lib.nn.Linear(3, 2).double()
        w = lib.ones(2, 3, dtype=lib.float64)
        b = lib.zeros(2, dtype=lib.float64)
        return (lib.func.functional_call(model, {"weight": w, "bias": b}, x),
                lib.func.functional_call(model, ({"weight": w}, {"bias": b}), (x,)),
                lib.func.functional_call(model, {"weight": w}, args=(x,), strict=False),
                model.weight.sum(),
                error_of(lambda: lib.func.functional_call(model, {"weight": w}, (x,),
                                                          strict=True)),
                error_of(lambda: lib.func.functional_call(model, ({"weight": w},
                                                                  {"weight": w}), (x,))),
                error_of(lambda: lib.func.functional_call(model, 3, (x,))))
    same_tree(run, B)


def test_stack_module_state_and_an_ensemble():
    def run(lib, x):
        lib.manual_seed(0)
        models = [lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4)).double()
                  for _ in range(3)]
        params, buffers = lib.func.stack_module_state(models)
        base = models[0]

        def one(p, b, data):
            return lib.func.functional_call(base, (p, b), (data,))
        out = lib.func.vmap(one, in_dims=(0, 0, None))(params, buffers, x)
        meta = {k: (tuple(v.shape), v.requires_grad, v.is_leaf) for k, v in params.items()}
        bmeta = {k: (tuple(v.shape), v.requires_grad) for k, v in buffers.items()}
        return out, meta, bmeta
    same_tree(run, B)


@pytest.mark.parametrize("models", [
    lambda lib: [],
    lambda lib: [lib.nn.Linear(2, 2), lib.nn.Linear(2, 3)],
    lambda lib: [lib.nn.Linear(2, 2), lib.nn.Linear(2, 2).eval()],
    lambda lib: [lib.nn.Linear(2, 2), lib.nn.Identity()],
    lambda lib: [lib.nn.Linear(2, 2), lib.nn.Linear(2, 2).requires_grad_(False)],
])
def test_stack_module_state_errors(models):
    e, t = (error_of(lambda: lib.func.stack_module_state(models(lib))) for lib in (ember, torch))
    assert t is not None and e == t


# ---------------------------------------------------------------- the vectorised path

def _counted(fn):
    """``fn`` and a list that grows by one per call of it."""
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)
    return counted, calls


BATCHED = {
    "elementwise": lambda lib, x, m: (x.sin() * 2 + x ** 2 - 1 / (1 + x.exp())).tanh(),
    "broadcast_with_unbatched": lambda lib, x, m: x + m[0] * x.sigmoid(),
    "where_and_clamp": lambda lib, x, m: lib.where(x > 0, x, -x).clamp(0.1, 0.9),
    "matrix_vector": lambda lib, x, m: m @ x,
    "vector_matrix": lambda lib, x, m: x @ m.t(),
    "outer_matmul": lambda lib, x, m: x.unsqueeze(1) @ x.unsqueeze(0),
    "dot": lambda lib, x, m: lib.dot(x, x),
    "linear": lambda lib, x, m: lib.nn.functional.linear(x, m, m[:, 0]),
    "linear_2d": lambda lib, x, m: lib.nn.functional.linear(x.unsqueeze(0), m, m[:, 0]),
    "reductions": lambda lib, x, m: lib.stack([x.sum(), x.mean(), lib.logsumexp(x, 0)]),
    "softmax": lambda lib, x, m: lib.log_softmax(x.reshape(1, 3), 1),
    "views": lambda lib, x, m: x.view(3, 1).expand(3, 2).t().reshape(-1)[1:4].flip(0),
    "transpose_permute": lambda lib, x, m: (x.unsqueeze(0) * m).permute(1, 0).transpose(0, 1),
    "select_squeeze": lambda lib, x, m: x.unsqueeze(0)[0].unsqueeze(-1).squeeze(),
    "cat_with_unbatched": lambda lib, x, m: lib.cat([x, m[0]]),
    "cumsum": lambda lib, x, m: x.cumsum(0),
    "mse_and_cross_entropy": lambda lib, x, m: lib.nn.functional.mse_loss(x, m[0]) +
    lib.nn.functional.cross_entropy(x.unsqueeze(0), lib.tensor([1])),
    "sort_runs_per_op": lambda lib, x, m: x.sort().values * 2,
    "under_no_grad": lambda lib, x, m: _no_grad(lib, lambda: x.t().unsqueeze(0) * 2),
}


def _no_grad(lib, fn):
    with lib.no_grad():
        return fn()


@pytest.mark.parametrize("name", sorted(BATCHED))
def test_vectorised_ops_run_the_function_once(name):
    def run(lib, x, m):
        counted, calls = _counted(lambda x: BATCHED[name](lib, x, m))
        return lib.func.vmap(counted)(x), len(calls)
    out, calls = same_tree(run, B, M[:, :3] if name != "matrix_vector" else M)
    assert calls == (1, 1) or calls == 1


def test_vectorised_gradients_match_torch():
    def run(lib, x, m):
        x = x.clone().requires_grad_()
        counted, calls = _counted(lambda r: (lib.tanh(m @ r) ** 2).sum())
        lib.func.vmap(counted)(x).sum().backward()
        return x.grad, len(calls)
    assert same_tree(run, B, M)[1] == 1


def test_per_sample_gradients_run_the_loss_once():
    def run(lib, data):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 6), lib.nn.Tanh(), lib.nn.Linear(6, 2))
        params = {k: v.detach() for k, v in model.double().named_parameters()}

        def loss(params, x, y):
            out = lib.func.functional_call(model, params, (x.unsqueeze(0),))
            return lib.nn.functional.cross_entropy(out, y.unsqueeze(0))
        counted, calls = _counted(loss)
        grads = lib.func.vmap(lib.func.grad(counted), in_dims=(None, 0, 0))(
            params, data, lib.tensor([0, 1, 1, 0, 1]))
        return grads, len(calls)
    assert same_tree(run, B)[1] == 1


def test_reading_a_batched_value_falls_back_to_the_loop():
    """``.item()`` and Python control flow on a sample's values: ember runs the samples one
    by one (torch refuses them); the values are each sample's."""
    counted, calls = _counted(lambda x: x * 2 if x.sum().item() > 0 else x * 0)
    x = ember.tensor(B)
    out = ember.func.vmap(counted)(x)
    expected = np.stack([r * 2 if r.sum() > 0 else r * 0 for r in B])
    np.testing.assert_allclose(out.numpy(), expected)
    assert len(calls) == 1 + len(B)             # the vectorised try, then one per sample


def test_detach_inside_vmap_keeps_the_samples_apart():
    out = ember.func.vmap(lambda x: x.detach() * 2)(ember.tensor(B))
    np.testing.assert_allclose(out.numpy(), B * 2)


A3 = RNG.standard_normal((4, 3, 3))
MORE = {
    "unbatched_output": lambda lib, a, x: lib.vmap(lambda v: lib.ones(2, dtype=lib.float64))(x),
    "new_zeros": lambda lib, a, x: lib.vmap(lambda v: v.new_zeros(2) + v[0])(x),
    "trace_per_op": lambda lib, a, x: lib.vmap(lib.trace)(a),
    "in_and_out_dim_1": lambda lib, a, x: lib.vmap(lambda v: v * 2, in_dims=1, out_dims=1)(a),
    "matrix_times_its_transpose": lambda lib, a, x: lib.vmap(lambda m: m @ m.T)(a),
    "mse_loss": lambda lib, a, x: lib.vmap(lambda v, w: lib.nn.functional.mse_loss(v, w))(
        x, x * 2),
    "max_with_dim": lambda lib, a, x: lib.vmap(lambda v: v.max(dim=0).values)(a),
    "argmax": lambda lib, a, x: lib.vmap(lambda v: v.argmax())(x),
    "shape_dependent_view": lambda lib, a, x: lib.vmap(
        lambda m: m.view(m.shape[0], -1).sum(1))(a),
    "hessian": lambda lib, a, x: lib.vmap(lib.func.hessian(lambda v: (v ** 3).sum()))(x),
    "vjp": lambda lib, a, x: lib.vmap(lambda v: lib.func.vjp(
        lambda u: u.sin() * u, v)[1](lib.ones_like(v))[0])(x),
    "grad_of_softmax": lambda lib, a, x: lib.vmap(lib.func.grad(lambda v: v.softmax(0)[0]))(x),
    "index_with_tensor": lambda lib, a, x: lib.vmap(lambda v: v[lib.tensor([2, 0])] * v[1])(x),
    "masked_fill": lambda lib, a, x: lib.vmap(lambda v: v.masked_fill(v > 0, 0.0))(x),
    "batched_index": lambda lib, a, x: lib.vmap(lambda v, i: v[i])(x, lib.tensor([0, 1, 2, 0])),
    "gelu": lambda lib, a, x: lib.vmap(lambda v: lib.nn.functional.gelu(v).mean())(x),
    "layer_norm": lambda lib, a, x: lib.vmap(lambda v: lib.nn.functional.layer_norm(v, (3,)))(x),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_vmapped_functions_match_torch(name):
    same_tree(lambda lib, a, x: MORE[name](lib, a, x), A3, A3[:, 0])


def test_a_batch_of_no_samples():
    same_tree(lambda lib, a: lib.func.vmap(lambda x: (x * 2).sum())(a[:0]), B)
