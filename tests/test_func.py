"""``ember.func``: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian and linearize
against ``torch.func`` -- values, structures, composition and torch's errors."""
import numpy as np
import pytest

import ember
from parity import error_of, same_tree

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1)
X = RNG.standard_normal(4)
Y = RNG.standard_normal(4)
M = RNG.standard_normal((3, 4))


def f_scalar(lib, x):
    return (x.sin() * x ** 2).sum() + x.exp().mean()


def f_vector(lib, x):
    return lib.tanh(x) * x.sum() + x ** 3


def f_two(lib, x, y):
    return (x * y.cos()).sum() + (x ** 2 * y).sum()


# ---------------------------------------------------------------- grad and friends

def test_grad():
    same_tree(lambda lib, x: lib.func.grad(lambda x: f_scalar(lib, x))(x), X)


@pytest.mark.parametrize("argnums", [0, 1, -1, (0, 1), (1,)])
def test_grad_argnums(argnums):
    same_tree(lambda lib, x, y: lib.func.grad(lambda x, y: f_two(lib, x, y),
                                                argnums=argnums)(x, y), X, Y)


def test_grad_has_aux_and_grad_and_value():
    def run(lib, x):
        def f(x):
            return f_scalar(lib, x), {"double": x * 2}
        return (lib.func.grad(f, has_aux=True)(x),
                lib.func.grad_and_value(f, has_aux=True)(x),
                lib.func.grad_and_value(lambda x: f_scalar(lib, x))(x))
    same_tree(run, X)


def test_grad_of_a_dict_of_tensors():
    def run(lib, w, b):
        def f(params, x):
            return ((x @ params["w"].t() + params["b"]) ** 2).sum()
        return lib.func.grad(f)({"w": w, "b": b}, lib.ones(2, 4, dtype=lib.float64))
    same_tree(run, M, Y[:3])


def test_grad_of_grad_is_the_second_derivative():
    def run(lib, x):
        g = lib.func.grad(lambda x: (x ** 3).sum())
        return lib.func.grad(lambda x: g(x).sum())(x)
    np.testing.assert_allclose(same_tree(run, X), 6 * X)


def test_grad_result_needs_grad_only_when_something_outside_does():
    def run(lib, x):
        w = lib.ones(4, dtype=lib.float64, requires_grad=True)
        g = lib.func.grad(lambda x: (x ** 2).sum())
        plain = g(x)
        closure = lib.func.grad(lambda x: (x * w).sum() + (x ** 2).sum())(x)
        unrelated = lib.func.grad(lambda x: (x ** 2).sum() + w.sum())(x)
        outer = g(x.clone().requires_grad_())
        return (plain.requires_grad, closure.requires_grad, unrelated.requires_grad,
                outer.requires_grad)
    assert same_tree(run, X) == (False, True, False, True)


def test_grad_inside_no_grad_still_works():
    def run(lib, x):
        with lib.no_grad():
            return lib.func.grad(lambda x: f_scalar(lib, x))(x)
    same_tree(run, X)


def test_grad_flows_through_the_result_to_outer_autograd():
    def run(lib, x):
        x = x.clone().requires_grad_()
        g = lib.func.grad(lambda x: (x.sin() * x).sum())(x)
        g.sum().backward()
        return x.grad
    same_tree(run, X)


# ---------------------------------------------------------------- vjp, jvp, linearize

def test_vjp():
    def run(lib, x, v):
        out, fn = lib.func.vjp(lambda x: f_vector(lib, x), x)
        return out, fn(v), fn(v * 2)
    same_tree(run, X, Y)


def test_vjp_of_two_outputs_and_aux():
    def run(lib, x, y):
        out, fn, aux = lib.func.vjp(lambda x, y: ((x * y, x.sum()), y.exp()), x, y,
                                    has_aux=True)
        return out, fn((lib.ones_like(x), lib.tensor(2.0, dtype=lib.float64))), aux
    same_tree(run, X, Y)


def test_jvp():
    def run(lib, x, v):
        return lib.func.jvp(lambda x: f_vector(lib, x), (x,), (v,))
    same_tree(run, X, Y)


def test_jvp_of_two_inputs_and_aux():
    def run(lib, x, y):
        return lib.func.jvp(lambda x, y: ((x * y).sum(), x.exp()), (x, y), (y, x),
                            has_aux=True)
    same_tree(run, X, Y)


def test_linearize():
    def run(lib, x, v):
        out, fn = lib.func.linearize(lambda x: f_vector(lib, x), x)
        return out, fn(v), fn(x)
    same_tree(run, X, Y)


# ---------------------------------------------------------------- Jacobians and Hessians

@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
def test_jacobian(transform):
    same_tree(lambda lib, x: getattr(lib.func, transform)(lambda x: f_vector(lib, x))(x), X)


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
def test_jacobian_shapes_argnums_and_outputs(transform):
    def run(lib, m, x):
        def f(m, x):
            return m @ x, (m ** 2).sum(0)
        return getattr(lib.func, transform)(f, argnums=(0, 1))(m, x)
    same_tree(run, M, X)


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
def test_jacobian_has_aux(transform):
    def run(lib, x):
        return getattr(lib.func, transform)(lambda x: (x.sin(), x.cos()), has_aux=True)(x)
    same_tree(run, X)


def test_hessian():
    h = same_tree(lambda lib, x: lib.func.hessian(lambda x: f_scalar(lib, x))(x), X)
    np.testing.assert_allclose(h, h.T, atol=1e-12)


def test_hessian_of_two_arguments():
    same_tree(lambda lib, x, y: lib.func.hessian(lambda x, y: f_two(lib, x, y),
                                                   argnums=(0, 1))(x, y), X, Y)


@pytest.mark.parametrize("outer", ["jacrev", "jacfwd"])
def test_jacobian_of_jacrev(outer):
    same_tree(lambda lib, x: getattr(lib.func, outer)(lib.func.jacrev(
        lambda x: f_vector(lib, x)))(x), X)


def test_jacobian_of_a_module_output_wrt_its_parameters():
    def run(lib, x):
        lib.manual_seed(0)
        model = lib.nn.Linear(4, 2).double()
        params = {k: v.detach() for k, v in model.named_parameters()}
        return lib.func.jacrev(lambda p: lib.func.functional_call(model, p, (x,)))(params)
    same_tree(run, X)


# ---------------------------------------------------------------- torch's errors

ERRORS = {
    "grad_non_scalar": lambda lib, x: lib.func.grad(lambda x: x * 2)(x),
    "grad_non_tensor_output": lambda lib, x: lib.func.grad(lambda x: 3.0)(x),
    "grad_tuple_output": lambda lib, x: lib.func.grad(lambda x: (x.sum(), x))(x),
    "grad_bad_aux": lambda lib, x: lib.func.grad(lambda x: x.sum(), has_aux=True)(x),
    "argnum_out_of_range": lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=1)(x),
    "argnums_float": lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=1.0)(x),
    "argnums_empty": lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=())(x),
    "argnums_repeated": lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=(0, 0))(x),
    "grad_integer_input": lambda lib, x: lib.func.grad(lambda x: x.sum())(x.long()),
    "grad_number_input": lambda lib, x: lib.func.grad(lambda x: x)(3.0),
    "vjp_non_tensor_output": lambda lib, x: lib.func.vjp(lambda a: 3.0, x),
    "vjp_bad_aux": lambda lib, x: lib.func.vjp(lambda a: a, x, has_aux=True),
    "vjp_cotangent_shape": lambda lib, x: lib.func.vjp(lambda a: a * 2, x)[1](lib.ones(2)),
    "vjp_cotangent_structure": lambda lib, x: lib.func.vjp(lambda a: a, x)[1]((x, x)),
    "jvp_primals_not_tuple": lambda lib, x: lib.func.jvp(lambda a: a * 2, x, x),
    "jvp_tangents_not_tuple": lambda lib, x: lib.func.jvp(lambda a: a, (x,), x),
    "jvp_structure": lambda lib, x: lib.func.jvp(lambda a, b: a, (x, x), (x,)),
    "jvp_size": lambda lib, x: lib.func.jvp(lambda a: a * 2, (x,), (lib.ones(2),)),
    "jvp_number_primal": lambda lib, x: lib.func.jvp(lambda a: a, (2.0,), (2.0,)),
    "jvp_non_tensor_output": lambda lib, x: lib.func.jvp(lambda a: 2.0, (x,), (x,)),
    "jacrev_non_tensor_output": lambda lib, x: lib.func.jacrev(lambda a: 3.0)(x),
    "jacrev_bad_aux": lambda lib, x: lib.func.jacrev(lambda a: a, has_aux=True)(x),
    "jacrev_chunk_size": lambda lib, x: lib.func.jacrev(lambda a: a, chunk_size=0)(x),
    "jacfwd_non_tensor_output": lambda lib, x: lib.func.jacfwd(lambda a: 2.0)(x),
    "jacfwd_randomness": lambda lib, x: lib.func.jacfwd(lambda a: a, randomness="foo")(x),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_torch(name):
    e, t = (error_of(lambda: ERRORS[name](lib, lib.tensor(X))) for lib in (ember, torch))
    assert t is not None and e == t


def test_names_and_signatures_match_torch():
    import inspect
    for name in torch.func.__all__:
        if name in ("replace_all_batch_norm_modules_", "functionalize", "rearrange",
                    "debug_unwrap"):
            continue
        te, tt = getattr(ember.func, name), getattr(torch.func, name)
        assert list(inspect.signature(te).parameters) == list(inspect.signature(tt).parameters)
    assert ember.vmap is ember.func.vmap
