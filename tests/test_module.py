"""nn.Module and nn.Parameter against torch: registration, iteration, state_dict, conversion,
hooks, printing and error texts."""
import copy
import pickle
import types
import warnings
from collections import OrderedDict
from functools import partial

import pytest

import ember
import parity
from parity import arr, same

torch = pytest.importorskip("torch")

# Class paths in messages name each library's own modules: 'ember.nn...' reads as 'torch.nn...'.
error_of = partial(parity.error_of, ember_as_torch=True)
same_error = partial(parity.same_error, ember_as_torch=True)


def classes(lib):
    """The same small modules written against ``lib``."""
    nn = lib.nn
    ns = types.SimpleNamespace()

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(lib.ones(2, 1))
            self.b = nn.Parameter(lib.zeros(1))
            self.cache = lib.zeros(2)

        def forward(self, x):
            return x.matmul(self.w) + self.b

    class Affine(nn.Module):
        def __init__(self, n=2, m=3):
            super().__init__()
            self.weight = nn.Parameter(lib.arange(float(n * m)).reshape(m, n) / 10)
            self.bias = nn.Parameter(lib.zeros(m))

        def forward(self, x):
            return x.matmul(self.weight.t()) + self.bias

    class Act(nn.Module):
        def forward(self, x):
            return x * 2

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = Affine(2, 3)
            self.act = Act()
            self.fc2 = Affine(3, 1)
            self.register_buffer("steps", lib.zeros(1, dtype=lib.int64))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.fc2(self.act(self.fc1(x)))

    class TwoIn(nn.Module):
        def forward(self, x, y, scale=1.0):
            return x * y * scale

    class TwoOut(nn.Module):
        def forward(self, x, n):
            return x * 2, x * 3

    class NoFwd(nn.Module):
        pass

    class Scalar(nn.Module):
        def __init__(self):
            super().__init__()
            self.p = nn.Parameter(lib.tensor(1.0))

    ns.__dict__.update(Model=Model, Affine=Affine, Act=Act, Net=Net, TwoIn=TwoIn, TwoOut=TwoOut,
                       NoFwd=NoFwd, Scalar=Scalar)
    return ns


# ---------------------------------------------------------------- Parameter and Buffer


def test_parameter_repr_and_type():
    def run(lib):
        nn = lib.nn
        p = nn.Parameter(lib.tensor([1.0, 2.0, 3.0]))
        q = nn.Parameter(lib.tensor([1.0, 2.0]), requires_grad=False)
        d = nn.Parameter(lib.tensor([[1.5, -2.0]], dtype=lib.float64))
        return (repr(p), repr(q), repr(d), repr(nn.Parameter()), str(p), type(p).__name__,
                isinstance(p, lib.Tensor), isinstance(p, nn.parameter.Parameter),
                p.requires_grad, q.requires_grad, p.is_leaf, repr(p.data), type(p.data).__name__,
                type(p * 2).__name__, type(p.detach()).__name__, p.grad_fn)
    e = same(run)
    assert e[0] == "Parameter containing:\ntensor([1., 2., 3.], requires_grad=True)"


def test_parameter_shares_memory_and_stays_a_leaf():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        p = lib.nn.Parameter(y)
        with lib.no_grad():
            p.add_(1)
        with lib.no_grad():
            q = lib.nn.Parameter(lib.ones(2))
        return arr(y).tolist(), p.is_leaf, p.grad_fn, q.requires_grad
    same(run)


def test_parameter_errors():
    same_error(lambda lib: lib.nn.Parameter(lib.tensor([1, 2])))
    same_error(lambda lib: lib.nn.Parameter([1.0, 2.0]))


def test_parameter_deepcopy_and_pickle():
    def run(lib):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
        (p * p).sum().backward()
        c = copy.deepcopy(p)
        with lib.no_grad():
            c.mul_(10)
        r = pickle.loads(pickle.dumps(p))
        f = pickle.loads(pickle.dumps(lib.nn.Parameter(lib.ones(1), requires_grad=False)))
        return (type(c).__name__, c.requires_grad, c.grad, arr(p).tolist(), arr(c).tolist(),
                repr(r), r.grad, type(r).__name__, repr(f))
    same(run)


def test_buffer_assignment_registers_a_buffer():
    def run(lib):
        nn = lib.nn
        m = nn.Module()
        b = nn.Buffer(lib.ones(2))
        m.kept = b
        m.temp = nn.Buffer(lib.zeros(1), persistent=False)
        m.temp = lib.ones(1)                  # replacing keeps it a non-persistent buffer
        m.plain = lib.ones(3)
        return (isinstance(b, nn.Buffer), isinstance(lib.ones(1), nn.Buffer), type(b).__name__,
                [n for n, _ in m.named_buffers()], list(m.state_dict()),
                sorted(m._non_persistent_buffers_set), repr(m.temp), "plain" in m._buffers)
    same(run)


# ---------------------------------------------------------------- registration


def test_course_model_registers_parameters_only():
    def run(lib):
        m = classes(lib).Model()
        named = [(n, tuple(p.shape), p.requires_grad) for n, p in m.named_parameters()]
        out = m(lib.tensor([[1.0, 2.0]]))
        params = m.parameters()
        return (len(list(m.parameters())), named, repr(out), iter(params) is params,
                type(m.cache).__name__, "cache" in m.__dict__, list(m._parameters))
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib, m: setattr(m, "weight", lib.ones(2, 2)),
    lambda lib, m: setattr(m, "weight", 3),
    lambda lib, m: setattr(m, "weight", lib.nn.Module()),
    lambda lib, m: m.register_buffer("weight", lib.ones(1)),
    lambda lib, m: m.register_buffer("x.y", lib.ones(1)),
    lambda lib, m: m.register_buffer("", lib.ones(1)),
    lambda lib, m: m.register_buffer(1, lib.ones(1)),
    lambda lib, m: m.register_buffer("b", 3),
    lambda lib, m: m.register_parameter("bias2", lib.ones(1)),
    lambda lib, m: m.register_parameter("x.y", None),
    lambda lib, m: m.register_parameter("", None),
    lambda lib, m: m.register_parameter(3, None),
    lambda lib, m: m.register_parameter("foo", None),
    lambda lib, m: m.register_parameter("q", lib.nn.Parameter(lib.ones(1)) * 2),
    lambda lib, m: m.register_buffer("foo", None),
    lambda lib, m: m.add_module("foo", lib.nn.Module()),
    lambda lib, m: m.add_module("a.b", lib.nn.Module()),
    lambda lib, m: m.add_module("", lib.nn.Module()),
    lambda lib, m: m.add_module(1, lib.nn.Module()),
    lambda lib, m: m.add_module("weight", lib.nn.Module()),
    lambda lib, m: m.add_module("r", 3),
    lambda lib, m: m.add_module("r", OrderedDict()),
    lambda lib, m: m.nonexistent,
    lambda lib, m: delattr(m, "nonexistent"),
    lambda lib, m: m.get_submodule("a.b"),
    lambda lib, m: m.get_parameter("nope"),
    lambda lib, m: m.get_parameter("a.nope"),
    lambda lib, m: m.get_parameter("cache"),
    lambda lib, m: m.get_buffer("weight"),
    lambda lib, m: m.get_buffer("nope"),
    lambda lib, m: m.train(1),
    lambda lib, m: m.train("a"),
    lambda lib, m: m.to(lib.int64),
    lambda lib, m: m.cuda(),
    lambda lib, m: m.load_state_dict(3),
], ids=lambda case: None)
def test_module_errors(case):
    def make(lib):
        m = classes(lib).Affine()
        m.foo = 3
        m.cache = lib.ones(1)
        return m
    same_error(lambda lib: case(lib, make(lib)))


def test_assignment_before_init_and_bad_init_arguments():
    def cls(lib, body):
        class Early(lib.nn.Module):
            def __init__(self):
                body(self, lib)
        return Early

    same_error(lambda lib: cls(lib, lambda s, lib: setattr(s, "l", lib.nn.Module()))())
    same_error(lambda lib: cls(lib, lambda s, lib: setattr(s, "p", lib.nn.Parameter(
        lib.ones(1))))())
    same_error(lambda lib: cls(lib, lambda s, lib: s.register_buffer("b", lib.ones(1)))())
    same_error(lambda lib: cls(lib, lambda s, lib: s.register_parameter("b", None))())
    same_error(lambda lib: lib.nn.Module(3))
    same_error(lambda lib: lib.nn.Module(a=3))

    def early_plain(lib):
        class Plain(lib.nn.Module):
            def __init__(self):
                self.x = 3
                self.t = lib.ones(1)
                super().__init__()
        return Plain().x, Plain().training
    same(early_plain)


def test_setattr_moves_names_between_registries():
    def run(lib):
        nn = lib.nn
        m = nn.Module()
        m.a = 5
        m.a = nn.Parameter(lib.ones(1))             # plain attribute -> parameter
        m.b = nn.Module()
        m.b = None                                  # a child set to None stays declared
        m.register_buffer("c", lib.ones(1))
        m.c = nn.Parameter(lib.zeros(1))            # buffer -> parameter
        m.a = None
        m.d = nn.Parameter(lib.ones(1))
        m.d = nn.Module()                           # parameter -> ... refused
        return (list(m._parameters), list(m._buffers), list(m._modules), "a" in m.__dict__,
                m.a, m.b, repr(m))
    same_error(lambda lib: run(lib))

    def run2(lib):
        nn = lib.nn
        m = nn.Module()
        m.a = 5
        m.a = nn.Parameter(lib.ones(1))
        m.b = nn.Module()
        m.b = None
        m.register_buffer("c", lib.ones(1))
        m.c = nn.Parameter(lib.zeros(1))
        m.a = None
        m.e = nn.Module()
        m.e = nn.Module()
        m.register_buffer("f", lib.ones(1))
        m.f = None
        m.g = lib.ones(1)
        m.g = nn.Module()                           # plain attribute -> child module
        del m.c
        del m.g
        return (list(m._parameters), list(m._buffers), list(m._modules), "a" in m.__dict__,
                m.a, m.b, m.f, repr(m), list(m.state_dict()))
    same(run2)


def test_dir_lists_registered_names():
    def run(lib):
        m = classes(lib).Net()
        m.extra = 1
        names = dir(m)
        wanted = ["fc1", "fc2", "act", "steps", "scratch", "extra", "training", "forward",
                  "parameters", "state_dict", "zero_grad"]
        return [n in names for n in wanted], names == sorted(names)
    e = same(run)
    assert all(e[0])
    s = ember.nn.Sequential(ember.nn.Module())
    assert "0" not in dir(s)


# ---------------------------------------------------------------- walking the tree


def test_named_members_order_prefix_and_sharing():
    def run(lib):
        ns = classes(lib)
        nn = lib.nn
        net = ns.Net()
        net.again = net.fc1                        # the same module twice
        net.tied = nn.Module()
        net.tied.w = net.fc2.weight                # the same parameter twice
        net.none_child = None
        out = {}
        out["modules"] = [n for n, _ in net.named_modules()]
        out["modules_dup"] = [n for n, _ in net.named_modules(remove_duplicate=False)]
        out["modules_prefix"] = [n for n, _ in net.named_modules(prefix="net")]
        out["children"] = [n for n, _ in net.named_children()]
        out["n_children"] = len(list(net.children()))
        out["n_modules"] = len(list(net.modules()))
        out["params"] = [n for n, _ in net.named_parameters()]
        out["params_dup"] = [n for n, _ in net.named_parameters(remove_duplicate=False)]
        out["params_prefix"] = [n for n, _ in net.named_parameters(prefix="p")]
        out["params_local"] = [n for n, _ in net.fc1.named_parameters(recurse=False)]
        out["n_params"] = len(list(net.parameters()))
        out["n_params_local"] = len(list(net.parameters(recurse=False)))
        out["buffers"] = [n for n, _ in net.named_buffers()]
        out["buffers_local"] = [n for n, _ in net.fc1.named_buffers(recurse=False)]
        out["n_buffers"] = len(list(net.buffers()))
        out["params_are_same"] = [a is b for a, b in zip(net.parameters(),
                                                          (p for _, p in net.named_parameters()))]
        return out
    same(run)


def test_get_submodule_parameter_buffer():
    def run(lib):
        nn = lib.nn
        net = classes(lib).Net()
        seq = nn.Sequential(net, nn.Module())
        return (seq.get_submodule("") is seq, seq.get_submodule("0.fc1") is net.fc1,
                seq.get_parameter("0.fc2.bias") is net.fc2.bias,
                seq.get_buffer("0.steps") is net.steps)
    e = same(run)
    assert all(e)
    same_error(lambda lib: lib.nn.Sequential(lib.nn.Module()).get_submodule("5"))
    same_error(lambda lib: lib.nn.Sequential(classes(lib).Affine()).get_submodule("0.weight"))
    same_error(lambda lib: lib.nn.Sequential(classes(lib).Affine()).get_parameter("0.foo"))
    same_error(lambda lib: lib.nn.Sequential(classes(lib).Affine()).get_buffer("0.weight"))


def test_apply_train_eval_requires_grad_():
    def run(lib):
        net = classes(lib).Net()
        seen = []
        result = net.apply(lambda m: seen.append(type(m).__name__))
        modes = [net.eval() is net, net.training, net.fc1.training, net.act.training]
        net.fc1.train()
        modes += [net.training, net.fc1.training]
        net.train()
        modes += [net.act.training]
        net.requires_grad_(False)
        frozen = [p.requires_grad for p in net.parameters()]
        net.fc2.requires_grad_()
        partly = [p.requires_grad for p in net.parameters()]
        return result is net, seen, modes, frozen, partly
    same(run)


def test_zero_grad():
    def run(lib):
        net = classes(lib).Net()
        net(lib.ones(4, 2)).sum().backward()
        grad = net.fc1.weight.grad
        net.zero_grad(set_to_none=False)
        kept = [arr(p.grad).tolist() for p in net.parameters()]
        same_object = net.fc1.weight.grad is grad
        net.zero_grad()
        return kept, same_object, [p.grad for p in net.parameters()]
    same(run)


# ---------------------------------------------------------------- conversion


def test_dtype_conversions_keep_parameter_identity():
    def run(lib):
        net = classes(lib).Net()
        net(lib.ones(1, 2)).sum().backward()
        weight = net.fc1.weight
        out = []
        for convert in (lambda m: m.double(), lambda m: m.float(), lambda m: m.half(),
                        lambda m: m.to(lib.float64), lambda m: m.to("cpu"),
                        lambda m: m.to(lib.ones(1, dtype=lib.float32)),
                        lambda m: m.to("cpu", lib.float64), lambda m: m.to(dtype=lib.float32),
                        lambda m: m.cpu(), lambda m: m.type(lib.float64)):
            r = convert(net)
            out.append((r is net, str(net.fc1.weight.dtype), str(net.fc1.weight.grad.dtype),
                        str(net.steps.dtype), net.fc1.weight is weight,
                        type(net.fc1.weight).__name__, net.fc1.weight.requires_grad))
        return out
    same(run)


def test_type_converts_integer_buffers_and_empty_module_cuda():
    def run(lib):
        net = classes(lib).Net()
        net.type(lib.float64)
        empty = lib.nn.Module()
        return (str(net.steps.dtype), empty.cuda() is empty, empty.to("cuda") is empty,
                error_of(lambda: classes(lib).Affine().to("cuda", lib.float64)))
    same(run)


def test_deepcopy_and_pickle_of_a_model():
    def run(lib):
        net = classes(lib).Net()
        net(lib.ones(1, 2)).sum().backward()
        twin = copy.deepcopy(net)
        with lib.no_grad():
            twin.fc1.weight.add_(1)
        seq = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Linear(3, 1))
        revived = pickle.loads(pickle.dumps(seq))
        return (twin.fc1.weight is net.fc1.weight, twin.fc1.weight.grad,
                arr(net.fc1.weight).tolist() != arr(twin.fc1.weight).tolist(),
                list(twin.state_dict()), type(twin.fc1.weight).__name__,
                [arr(p).tolist() for p in revived.parameters()] ==
                [arr(p).tolist() for p in seq.parameters()], list(revived.state_dict()),
                twin._non_persistent_buffers_set)
    same(run)


# ---------------------------------------------------------------- state_dict


def test_state_dict_keys_values_and_metadata():
    def run(lib):
        nn = lib.nn
        net = nn.Sequential(classes(lib).Net(), nn.Sequential(classes(lib).Affine(3, 1)))
        net[0].fc2.bias = None
        sd = net.state_dict()
        kv = net.state_dict(keep_vars=True)
        pre = net.state_dict(prefix="model.")
        return (type(sd).__name__, list(sd), list(sd._metadata.items()), list(pre),
                list(pre._metadata), [(arr(v).tolist(), str(v.dtype)) for v in sd.values()],
                [v.requires_grad for v in sd.values()], [type(v).__name__ for v in kv.values()],
                kv["0.fc1.weight"] is net[0].fc1.weight)
    same(run)


def test_state_dict_shares_memory_and_positional_args():
    def run(lib):
        m = classes(lib).Affine()
        sd = m.state_dict()
        with lib.no_grad():
            m.weight.add_(1)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            old = m.state_dict(None, "x.")
        return (arr(sd["weight"]).tolist() == arr(m.weight).tolist(), list(old),
                [(c.category.__name__, str(c.message)) for c in w])
    same(run)


def test_load_state_dict_copies_in_place():
    def run(lib):
        ns = classes(lib)
        src, dst = ns.Net(), ns.Net()
        with lib.no_grad():
            for p in src.parameters():
                p.mul_(3).add_(1)
            src.steps.fill_(7)
        weight = dst.fc1.weight
        result = dst.load_state_dict(src.state_dict())
        return (repr(result), str(result), weight is dst.fc1.weight, arr(dst.fc1.weight).tolist(),
                arr(dst.steps).tolist(), dst.fc1.weight.requires_grad, dst.fc1.weight.is_leaf,
                weight._version > 0)
    e = same(run)
    assert e[0] == "<All keys matched successfully>"


@pytest.mark.parametrize("state", [
    lambda lib: {"weight": lib.ones(3, 2)},
    lambda lib: {"weight": lib.ones(3, 2), "bias": lib.ones(3), "extra": lib.ones(1)},
    lambda lib: {"weight": lib.ones(2, 2), "bias": lib.ones(3), "x": 1},
    lambda lib: {"weight": 3, "bias": lib.ones(3)},
    lambda lib: {"weight": lib.ones(3, 2), "bias": lib.ones(4), "a.b": lib.ones(1)},
], ids=["missing", "unexpected", "size", "not-tensor", "several"])
@pytest.mark.parametrize("strict", [True, False])
def test_load_state_dict_errors(state, strict):
    def run(lib):
        m = classes(lib).Affine()
        result = error_of(lambda: m.load_state_dict(state(lib), strict=strict))
        if result is None:
            return repr(m.load_state_dict(state(lib), strict=strict))
        return result
    same(run)


def test_load_state_dict_nested_message():
    same_error(lambda lib: lib.nn.Sequential(classes(lib).Affine(1, 1), classes(lib).Act())
               .load_state_dict({"0.weight": lib.ones(1, 1), "foo.bias": 1, "1.x": 2}))


def test_load_state_dict_assign_conversions_and_scalars():
    def run(lib):
        ns = classes(lib)
        m = ns.Affine()
        m.bias.requires_grad_(False)
        old = m.weight
        m.load_state_dict({"weight": lib.ones(3, 2, dtype=lib.float64), "bias": lib.ones(3)},
                          assign=True)
        assigned = (m.weight is old, str(m.weight.dtype), type(m.weight).__name__,
                    m.weight.requires_grad, m.bias.requires_grad)
        m2 = ns.Affine()
        m2.load_state_dict({"weight": lib.ones(3, 2, dtype=lib.int64), "bias": lib.ones(3)})
        s = ns.Scalar()
        r = s.load_state_dict({"p": lib.tensor([5.0])})
        return assigned, str(m2.weight.dtype), arr(m2.weight).tolist(), repr(s.p), repr(r)
    same(run)


def test_load_state_dict_without_metadata_and_saved_roundtrip():
    def run(lib):
        net = classes(lib).Net()
        sd = dict(net.state_dict())                 # a plain dict: no _metadata
        other = classes(lib).Net()
        return repr(other.load_state_dict(sd)), repr(other.load_state_dict(net.state_dict()))
    same(run)


def test_incompatible_keys_named_tuple():
    keys = ember.nn.Linear(1, 1).load_state_dict({"bias": ember.ones(1), "x": ember.ones(1)},
                                                 strict=False)
    assert keys.missing_keys == ["weight"] and keys.unexpected_keys == ["x"]
    missing, unexpected = keys
    assert missing == ["weight"]
    assert repr(keys) == "_IncompatibleKeys(missing_keys=['weight'], unexpected_keys=['x'])"


# ---------------------------------------------------------------- calling and forward hooks


def test_call_runs_forward_and_missing_forward_error():
    def run(lib):
        ns = classes(lib)
        m = ns.TwoIn()
        x = lib.tensor([1.0, 2.0])
        return (arr(m(x, x, scale=3.0)).tolist(), arr(m.__call__(x, y=x)).tolist(),
                error_of(lambda: ns.NoFwd()(x)), error_of(lambda: ns.NoFwd()()))
    same(run)


def test_forward_pre_hooks_and_hooks():
    def run(lib):
        log = []
        m = classes(lib).TwoIn()
        x = lib.tensor([1.0, 2.0])
        h1 = m.register_forward_pre_hook(lambda mod, args: log.append(("pre", len(args))))
        h2 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 10, args[1]))
        h3 = m.register_forward_hook(lambda mod, args, out: log.append(
            ("post", arr(args[0]).tolist(), arr(out).tolist())))
        h4 = m.register_forward_hook(lambda mod, args, out: out + 1)
        h5 = m.register_forward_hook(lambda mod, args, out: log.append("first"), prepend=True)
        out1 = arr(m(x, x)).tolist()
        for h in (h1, h2, h3, h4, h5):
            h.remove()
        h1.remove()                                 # removing twice is fine
        out2 = arr(m(x, x)).tolist()
        single = m.register_forward_pre_hook(lambda mod, args: None)
        single.remove()
        return log, out1, out2, isinstance(h1.id, int), h2.id > h1.id
    same(run)


def test_forward_pre_hook_single_value_and_kwargs_hooks():
    def run(lib):
        log = []
        m = classes(lib).Act()
        x = lib.tensor([1.0, 2.0])
        h = m.register_forward_pre_hook(lambda mod, args: args[0] + 1)
        a = arr(m(x)).tolist()
        h.remove()
        h = m.register_forward_pre_hook(
            lambda mod, args, kwargs: ((kwargs["x"],), {}), with_kwargs=True)
        b = arr(m(x=x)).tolist()
        h.remove()
        with m.register_forward_hook(lambda mod, args, kwargs, out: log.append(
                (len(args), sorted(kwargs))) or out * 0, with_kwargs=True):
            c = arr(m(x=x)).tolist()
        d = arr(m(x)).tolist()
        m.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
        return a, b, c, d, log, error_of(lambda: m(x))
    same(run)


def test_always_call_forward_hook():
    def run(lib):
        log = []

        class Boom(lib.nn.Module):
            def forward(self, x):
                raise ValueError("boom")
        m = Boom()
        m.register_forward_hook(lambda mod, args, out: log.append(("always", out)),
                                always_call=True)
        m.register_forward_hook(lambda mod, args, out: log.append("normal"))
        return error_of(lambda: m(lib.ones(1))), log
    same(run)


# ---------------------------------------------------------------- backward hooks


def _hook_log(lib, log, name):
    def show(grads):
        return [None if g is None else arr(g).tolist() for g in grads]

    def full(mod, grad_input, grad_output):
        log.append((name, show(grad_input), show(grad_output)))

    def pre(mod, grad_output):
        log.append((name + "-pre", show(grad_output)))
    return full, pre


@pytest.mark.parametrize("x_grad,y_grad", [(True, True), (False, True), (True, False)])
def test_full_backward_hooks_two_inputs(x_grad, y_grad):
    def run(lib):
        log = []
        m = classes(lib).TwoIn()
        full, pre = _hook_log(lib, log, "m")
        m.register_full_backward_hook(full)
        m.register_full_backward_pre_hook(pre)
        x = lib.tensor([1.0, 2.0], requires_grad=x_grad)
        y = lib.tensor([3.0, -1.0], requires_grad=y_grad)
        out = m(x * 1, y * 1, scale=2.0)
        (out * lib.tensor([1.0, 10.0])).sum().backward()
        leaf = x if x_grad else y
        return log, type(out.grad_fn).__name__, arr(leaf.grad).tolist()
    same(run)


def test_full_backward_hook_without_input_grads_warns():
    def run(lib):
        log = []
        net = classes(lib).Affine()
        full, pre = _hook_log(lib, log, "affine")
        net.register_full_backward_hook(full)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            net(lib.ones(1, 2)).sum().backward()
        return log, [str(c.message)[:60] for c in w]
    same(run)


def test_backward_hooks_change_gradients():
    def run(lib):
        ns = classes(lib)
        m = ns.TwoIn()
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0, gi[1] * 2))
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([3.0, 4.0], requires_grad=True)
        m(x, y).sum().backward()
        a = ns.Affine()
        a.register_full_backward_pre_hook(lambda mod, go: (go[0] * 0,))
        z = lib.ones(1, 2, requires_grad=True)
        a(z).sum().backward()
        return (arr(x.grad).tolist(), arr(y.grad).tolist(), arr(z.grad).tolist(),
                arr(a.weight.grad).tolist())
    same(run)


def test_backward_hooks_with_tuple_output_and_non_tensor_argument():
    def run(lib):
        log = []
        m = classes(lib).TwoOut()
        full, pre = _hook_log(lib, log, "two")
        m.register_full_backward_hook(full)
        x = lib.ones(2, requires_grad=True)
        a, b = m(x, 4)
        a.sum().backward()
        return log, type(a.grad_fn).__name__, a.grad_fn is b.grad_fn, arr(x.grad).tolist()
    same(run)


def test_backward_hooks_in_nested_model_and_no_grad():
    def run(lib):
        log = []
        ns = classes(lib)
        net = ns.Net()
        for name, mod in net.named_children():
            full, pre = _hook_log(lib, log, name)
            mod.register_full_backward_hook(full)
        x = lib.tensor([[1.0, -1.0]], requires_grad=True)
        net(x).sum().backward()
        with lib.no_grad():
            out = net(x)
        return log, out.grad_fn, arr(x.grad).tolist()
    same(run)


# ---------------------------------------------------------------- printing


def test_repr_of_nested_modules():
    def run(lib):
        nn = lib.nn
        ns = classes(lib)

        class Multi(nn.Module):
            def extra_repr(self):
                return "first line\nsecond line"

        class Single(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = Multi()

            def extra_repr(self):
                return "k=3"
        net = ns.Net()
        net.empty = None
        net.deep = nn.Sequential(Single(), nn.Sequential(Multi()))
        return repr(net), repr(Multi()), repr(ns.Model()), str(nn.Module()), repr(Single())
    same(run)
