"""torch.optim parity: each optimizer follows torch's trajectory step by step; state_dict
layouts, reprs, errors and the Optimizer base class behave as torch's."""
import copy
import pickle
import warnings

import numpy as np
import pytest

import ember
import ember.nn.functional as F

torch = pytest.importorskip("torch")

rng = np.random.RandomState(0)
W0 = rng.randn(5, 3).astype(np.float32)
B0 = rng.randn(3).astype(np.float32)
X = rng.randn(8, 5).astype(np.float32)
Y = rng.randn(8, 3).astype(np.float32)


def _loss(lib, w, b, maximize):
    x, y = lib.tensor(X), lib.tensor(Y)
    functional = F if lib is ember else torch.nn.functional
    loss = functional.mse_loss(x @ w + b, y)
    return -loss if maximize else loss


def trajectory(lib, name, kwargs, steps=50, groups=False):
    """Parameters after each of ``steps`` steps on a small least-squares problem."""
    w = lib.tensor(W0.copy(), requires_grad=True)
    b = lib.tensor(B0.copy(), requires_grad=True)
    params = ([{"params": [w]}, {"params": [b], "lr": kwargs.get("lr", 0.01) * 0.5}]
              if groups else [w, b])
    opt = getattr(lib.optim, name)(params, **kwargs)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, w, b, kwargs.get("maximize", False)).backward()
        opt.step()
        history.append((w.detach().numpy().copy(), b.detach().numpy().copy()))
    return history, opt, (w, b)


CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.8, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("SGD", dict(lr=0.05, weight_decay=0.3, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Adam", dict(lr=0.02, betas=(0.5, 0.9), maximize=True, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.5, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.005, momentum=0.5, centered=True, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.1)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, weight_decay=0.1)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
]


def _id(config):
    name, kwargs = config
    return name + "-" + "-".join("{}={}".format(k, v) for k, v in kwargs.items())


@pytest.mark.parametrize("config", CONFIGS, ids=[_id(c) for c in CONFIGS])
def test_follows_torch_trajectory(config):
    name, kwargs = config
    mine, opt_e, _ = trajectory(ember, name, kwargs)
    theirs, opt_t, _ = trajectory(torch, name, kwargs)
    for step, ((we, be), (wt, bt)) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(we, wt, rtol=2e-5, atol=2e-6, err_msg="step {}".format(step))
        np.testing.assert_allclose(be, bt, rtol=2e-5, atol=2e-6, err_msg="step {}".format(step))
    assert repr(opt_e) == repr(opt_t)
    _same_layout(opt_e.state_dict(), opt_t.state_dict())


@pytest.mark.parametrize("config", CONFIGS[::3], ids=[_id(c) for c in CONFIGS[::3]])
def test_parameter_groups_follow_torch(config):
    name, kwargs = config
    mine, opt_e, _ = trajectory(ember, name, kwargs, steps=20, groups=True)
    theirs, opt_t, _ = trajectory(torch, name, kwargs, steps=20, groups=True)
    np.testing.assert_allclose(mine[-1][0], theirs[-1][0], rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(mine[-1][1], theirs[-1][1], rtol=2e-5, atol=2e-6)
    assert repr(opt_e) == repr(opt_t)
    _same_layout(opt_e.state_dict(), opt_t.state_dict())


def _same_layout(se, st):
    """Same keys, same hyper-parameters, same state entries with the same types and shapes."""
    assert list(se) == list(st) == ["state", "param_groups"]
    assert se["param_groups"] == st["param_groups"]
    for ge, gt in zip(se["param_groups"], st["param_groups"]):
        assert list(ge) == list(gt)
    assert list(se["state"]) == list(st["state"])
    for key in st["state"]:
        assert list(se["state"][key]) == list(st["state"][key])
        for name, value in st["state"][key].items():
            mine = se["state"][key][name]
            if isinstance(value, torch.Tensor):
                assert isinstance(mine, ember.Tensor), name
                assert str(mine.dtype) == str(value.dtype), name
                assert tuple(mine.shape) == tuple(value.shape), name
                np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=1e-4, atol=1e-5)
            else:
                assert mine == value


def test_adam_step_is_a_0d_float32_tensor():
    _, opt, (w, b) = trajectory(ember, "Adam", {}, steps=3)
    step = opt.state_dict()["state"][0]["step"]
    assert isinstance(step, ember.Tensor) and step.dtype == ember.float32 and step.dim() == 0
    assert step.item() == 3.0
    ember.set_default_dtype(ember.float64)
    _, opt, _ = trajectory(ember, "Adam", {}, steps=1)
    assert opt.state[opt.param_groups[0]["params"][0]]["step"].dtype == ember.float64


def test_sgd_without_momentum_keeps_no_state():
    _, opt, _ = trajectory(ember, "SGD", dict(lr=0.1), steps=2)
    assert opt.state_dict()["state"] == {}
    assert isinstance(opt.state, __import__("collections").defaultdict)


@pytest.mark.parametrize("config", [c for c in CONFIGS if c[0] != "SGD" or c[1].get("momentum")],
                         ids=[_id(c) for c in CONFIGS if c[0] != "SGD" or c[1].get("momentum")])
def test_state_dict_round_trip(config):
    name, kwargs = config
    full, _, _ = trajectory(ember, name, kwargs, steps=20)
    _, opt, (w, b) = trajectory(ember, name, kwargs, steps=10)
    saved = copy.deepcopy(opt.state_dict())
    w2 = ember.tensor(w.detach().numpy().copy(), requires_grad=True)
    b2 = ember.tensor(b.detach().numpy().copy(), requires_grad=True)
    fresh = getattr(ember.optim, name)([w2, b2], **kwargs)
    fresh.load_state_dict(saved)
    assert repr(fresh) == repr(opt)
    for _ in range(10):
        fresh.zero_grad()
        _loss(ember, w2, b2, kwargs.get("maximize", False)).backward()
        fresh.step()
    np.testing.assert_allclose(w2.detach().numpy(), full[-1][0], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(b2.detach().numpy(), full[-1][1], rtol=1e-6, atol=1e-7)


def test_load_state_dict_casts_state_but_not_step():
    _, opt, (w, b) = trajectory(ember, "Adam", {}, steps=2)
    state = opt.state_dict()
    w64 = ember.tensor(W0.astype(np.float64), requires_grad=True)
    b64 = ember.tensor(B0.astype(np.float64), requires_grad=True)
    opt64 = ember.optim.Adam([w64, b64])
    opt64.load_state_dict(state)
    s = opt64.state[w64]
    assert s["exp_avg"].dtype == ember.float64 and s["step"].dtype == ember.float32
    assert opt64.param_groups[0]["params"][0] is w64


def test_load_state_dict_errors_match_torch():
    for lib in (ember, torch):
        a = lib.zeros(2, requires_grad=True)
        b = lib.zeros(2, requires_grad=True)
        one = lib.optim.SGD([a], lr=0.1)
        two = lib.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
        pair = lib.optim.SGD([a, b], lr=0.1)
        with pytest.raises(ValueError) as e1:
            one.load_state_dict(two.state_dict())
        with pytest.raises(ValueError) as e2:
            one.load_state_dict(pair.state_dict())
        if lib is ember:
            mine = (str(e1.value), str(e2.value))
        else:
            assert mine == (str(e1.value), str(e2.value))


def test_state_dict_from_torch_layout_loads():
    """A state dict with torch's layout (lists of ids, per-id state) loads into ember."""
    _, opt_t, _ = trajectory(torch, "SGD", dict(lr=0.1, momentum=0.9), steps=3)
    st = opt_t.state_dict()
    converted = {"state": {k: {n: ember.tensor(v.numpy()) for n, v in s.items()}
                           for k, s in st["state"].items()},
                 "param_groups": st["param_groups"]}
    w = ember.tensor(W0, requires_grad=True)
    b = ember.tensor(B0, requires_grad=True)
    opt = ember.optim.SGD([w, b], lr=0.5, momentum=0.1)
    opt.load_state_dict(converted)
    assert opt.param_groups[0]["lr"] == 0.1
    np.testing.assert_array_equal(opt.state[w]["momentum_buffer"].numpy(),
                                  st["state"][0]["momentum_buffer"].numpy())


# ----------------------------------------------------------------------------- base class

def test_zero_grad():
    for lib in (ember, torch):
        w = lib.ones(3, requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1)
        (w * 2).sum().backward()
        opt.zero_grad()
        assert w.grad is None
        (w * 2).sum().backward()
        g = w.grad
        opt.zero_grad(set_to_none=False)
        assert w.grad is g and w.grad.tolist() == [0.0, 0.0, 0.0]
        assert not w.grad.requires_grad


def test_parameters_with_no_grad_are_skipped():
    for lib in (ember, torch):
        w = lib.ones(3, requires_grad=True)
        frozen = lib.ones(3, requires_grad=True)
        opt = lib.optim.Adam([w, frozen], lr=0.1)
        (w * 2).sum().backward()
        opt.step()
        assert frozen.tolist() == [1.0, 1.0, 1.0]
        assert len(opt.state) == 1 and frozen not in opt.state


def test_step_bumps_the_version_counter():
    for lib in (ember, torch):
        w = lib.ones(3, requires_grad=True)
        for name in ("SGD", "Adam", "RMSprop"):
            opt = getattr(lib.optim, name)([w], lr=0.1)
            before = w._version
            (w * 2).sum().backward()
            opt.step()
            assert w._version == before + 1
            opt.zero_grad()
    w = ember.ones(3, requires_grad=True)
    y = w * w
    opt = ember.optim.SGD([w], lr=0.1)
    (w * 1).sum().backward()
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_closure():
    for lib in (ember, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.25)

        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss

        with lib.no_grad():
            loss = opt.step(closure)
        assert loss.item() == 2.0 and w.tolist() == [0.5, 0.5]


def test_add_param_group():
    results = []
    for lib in (ember, torch):
        a = lib.ones(2, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([a], lr=0.1, momentum=0.9)
        opt.add_param_group({"params": b, "lr": 0.5})
        (a.sum() + b.sum()).backward()
        opt.step()
        results.append((repr(opt), a.tolist(), b.tolist(), opt.state_dict()["param_groups"]))
    assert results[0] == results[1]


def test_named_parameters_groups():
    for lib in (ember, torch):
        a = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([("a", a)], lr=0.1)
        assert opt.param_groups[0]["param_names"] == ["a"]
        assert opt.state_dict()["param_groups"][0]["param_names"] == ["a"]


def test_step_hooks():
    calls = []
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)
    h1 = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o is opt)))
    h2 = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", o is opt)))
    w.sum().backward()
    opt.step()
    assert calls == [("pre", True), ("post", True)]
    h1.remove()
    h2.remove()
    opt.step()
    assert len(calls) == 2
    from ember.optim.optimizer import register_optimizer_step_post_hook
    handle = register_optimizer_step_post_hook(lambda o, a, k: calls.append("global"))
    try:
        opt.step()
    finally:
        handle.remove()
    assert calls[-1] == "global"


def test_state_dict_hooks():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)
    opt.register_state_dict_post_hook(lambda o, sd: dict(sd, extra=1))
    assert opt.state_dict()["extra"] == 1
    seen = []
    opt.register_load_state_dict_post_hook(lambda o: seen.append(True))
    opt.load_state_dict(ember.optim.SGD([w], lr=0.2).state_dict())
    assert seen == [True] and opt.param_groups[0]["lr"] == 0.2


def test_pickle_and_deepcopy():
    _, opt, (w, b) = trajectory(ember, "Adam", {}, steps=2)
    clone = copy.deepcopy(opt)
    assert repr(clone) == repr(opt)
    assert clone.state_dict()["state"][0]["step"].item() == 2.0


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                  "Adamax", "NAdam", "RAdam"])
def test_defaults_repr_and_docstring(name):
    e = getattr(ember.optim, name)([ember.zeros(2, requires_grad=True)])
    t = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)])
    assert repr(e) == repr(t)
    assert e.defaults == t.defaults
    assert list(e.defaults) == list(t.defaults)
    assert "p" in type(e).__doc__ and "Args" in type(e).__doc__


def test_lr_as_tensor():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=ember.tensor(0.5))
    w.sum().backward()
    opt.step()
    assert w.tolist() == [0.5, 0.5]


ERRORS = [
    lambda L: L.optim.SGD([]),
    lambda L: L.optim.SGD([], lr=0.1),
    lambda L: L.optim.SGD(L.zeros(2, requires_grad=True), lr=0.1),
    lambda L: L.optim.Adam(L.zeros(2, dtype=L.float64, requires_grad=True)),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], lr=-1),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True) * 2], lr=0.1),
    lambda L: L.optim.SGD([1.0], lr=0.1),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], momentum=-0.5),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], weight_decay=-1e-3),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], nesterov=True),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], momentum=0.9, dampening=0.1,
                          nesterov=True),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)]).add_param_group(
        {"params": {L.zeros(2, requires_grad=True)}}),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], lr=-0.1),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], eps=-1.0),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], betas=(1.0, 0.9)),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], betas=(0.9, -0.1)),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], betas=(0, 0.9)),
    lambda L: L.optim.Adam([L.zeros(2, requires_grad=True)], weight_decay=-1),
    lambda L: L.optim.AdamW([L.zeros(2, requires_grad=True)], betas=(0.9, 1.5)),
    lambda L: L.optim.RMSprop([L.zeros(2, requires_grad=True)], alpha=-1),
    lambda L: L.optim.RMSprop([L.zeros(2, requires_grad=True)], momentum=-1),
    lambda L: L.optim.Adagrad([L.zeros(2, requires_grad=True)], lr_decay=-1),
    lambda L: L.optim.Adagrad([L.zeros(2, requires_grad=True)], initial_accumulator_value=-1),
    lambda L: L.optim.Adadelta([L.zeros(2, requires_grad=True)], rho=1.5),
    lambda L: L.optim.Adamax([L.zeros(2, requires_grad=True)], eps=-1),
    lambda L: L.optim.NAdam([L.zeros(2, requires_grad=True)], momentum_decay=-1),
    lambda L: L.optim.RAdam([L.zeros(2, requires_grad=True)], betas=(0.9, 1.0)),
    lambda L: L.optim.SGD([{"params": [L.zeros(2, requires_grad=True)]}, "x"], lr=0.1),
    lambda L: _twice(L),
    lambda L: L.optim.SGD([L.zeros(2, requires_grad=True)], lr=0.1).add_param_group(
        {"params": [("a", L.zeros(2, requires_grad=True))]}),
]


def _twice(L):
    w = L.zeros(2, requires_grad=True)
    L.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_torch(index):
    with pytest.raises(Exception) as te:
        ERRORS[index](torch)
    with pytest.raises(Exception) as ee:
        ERRORS[index](ember)
    assert type(ee.value) is type(te.value)
    assert str(ee.value) == str(te.value)


def test_duplicate_parameter_warning():
    for lib in (ember, torch):
        w = lib.zeros(2, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.optim.SGD([w, w], lr=0.1)
        assert "duplicate parameters" in str(caught[0].message)


def test_module_parameters_train():
    """The usual loop with nn.Module parameters and a loss module."""
    model = ember.nn.Linear(5, 3)
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = ember.nn.MSELoss()
    x, y = ember.tensor(X), ember.tensor(Y)
    losses = []
    for _ in range(30):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.7


def test_optim_namespace():
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                 "RAdam", "Optimizer", "lr_scheduler"):
        assert hasattr(ember.optim, name)
    from torch.optim.optimizer import required
    assert repr(ember.optim.optimizer.required) == repr(required)
    assert pickle.loads(pickle.dumps(ember.optim.SGD([ember.zeros(1, requires_grad=True)],
                                                     lr=0.1).state_dict()))


def test_loading_a_capturable_group_keeps_step_as_float32_tensor():
    # torch casts `step` to float32 for capturable/fused groups (CPU torch cannot run those)
    p = ember.nn.Parameter(ember.ones(2))
    opt = ember.optim.Adam([p])
    p.grad = ember.ones(2)
    opt.step()
    state = opt.state_dict()
    state["param_groups"][0]["capturable"] = True
    other = ember.optim.Adam([ember.nn.Parameter(ember.ones(2))])
    other.load_state_dict(state)
    step = other.state_dict()["state"][0]["step"]
    assert isinstance(step, ember.Tensor) and step.dtype == ember.float32 and step.item() == 1.0
