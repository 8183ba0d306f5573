"""lr_scheduler parity: every scheduler's learning-rate (and momentum) sequence, state_dict,
warnings and errors, against torch."""
import math
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _optimizer(lib, name="SGD", groups=2, **kwargs):
    params = [{"params": [lib.zeros(2, requires_grad=True)], "lr": 0.1 * (i + 1)}
              for i in range(groups)]
    kwargs.setdefault("lr", 0.1)
    if name == "SGD":
        kwargs.setdefault("momentum", 0.9)
    return getattr(lib.optim, name)(params, **kwargs)


def _schedule(lib, make, steps, optimizer="SGD", metrics=None, groups=2):
    """lr (and momentum / beta1) of every group after construction and after each step."""
    opt = _optimizer(lib, optimizer, groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = make(lib.optim.lr_scheduler, opt)
        history = []
        for i in range(steps):
            history.append(_snapshot(opt, sched))
            opt.step()
            if metrics is None:
                sched.step()
            else:
                sched.step(metrics[i])
    history.append(_snapshot(opt, sched))
    return history, sched


def _snapshot(opt, sched):
    return ([float(g["lr"]) for g in opt.param_groups],
            [float(g.get("momentum", g.get("betas", (0,))[0])) for g in opt.param_groups],
            [float(x) for x in sched.get_last_lr()])


SCHEDULES = {
    "LambdaLR": (lambda S, o: S.LambdaLR(o, lambda e: 0.95 ** e), 60),
    "LambdaLR-list": (lambda S, o: S.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]),
                      30),
    "MultiplicativeLR": (lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97), 60),
    "StepLR": (lambda S, o: S.StepLR(o, step_size=7, gamma=0.5), 60),
    "MultiStepLR": (lambda S, o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3), 50),
    "ConstantLR": (lambda S, o: S.ConstantLR(o, factor=0.25, total_iters=6), 20),
    "LinearLR": (lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=11),
                 30),
    "ExponentialLR": (lambda S, o: S.ExponentialLR(o, gamma=0.93), 60),
    "PolynomialLR": (lambda S, o: S.PolynomialLR(o, total_iters=17, power=2.5), 30),
    "CosineAnnealingLR": (lambda S, o: S.CosineAnnealingLR(o, T_max=13, eta_min=0.001), 80),
    "CosineAnnealingWarmRestarts": (
        lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01), 80),
    "CosineAnnealingWarmRestarts-1": (
        lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=7), 40),
    "CyclicLR": (lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=5), 60),
    "CyclicLR-triangular2": (
        lambda S, o: S.CyclicLR(o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=4,
                                step_size_down=6, mode="triangular2"), 60),
    "CyclicLR-exp_range": (
        lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range",
                                gamma=0.97, cycle_momentum=False), 60),
    "CyclicLR-scale_fn": (
        lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=4, scale_fn=lambda x: 0.5 ** x,
                                scale_mode="iterations"), 40),
    "OneCycleLR": (lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=50), 50),
    "OneCycleLR-linear-3": (
        lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 1.0], epochs=5, steps_per_epoch=8,
                                  anneal_strategy="linear", three_phase=True, pct_start=0.25),
        40),
    "SequentialLR": (
        lambda S, o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=4),
                                        S.ExponentialLR(o, gamma=0.9),
                                        S.StepLR(o, step_size=3)], milestones=[5, 15]), 30),
    "ChainedScheduler": (
        lambda S, o: S.ChainedScheduler([S.ConstantLR(o, factor=0.5, total_iters=4),
                                         S.ExponentialLR(o, gamma=0.9)]), 20),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_matches_torch(name):
    make, steps = SCHEDULES[name]
    mine, se = _schedule(ember, make, steps)
    theirs, st = _schedule(torch, make, steps)
    for i, (a, b) in enumerate(zip(mine, theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15, err_msg="step {}".format(i))
    assert len(mine) == len(theirs)
    _same_state(se.state_dict(), st.state_dict())


@pytest.mark.parametrize("name", ["CyclicLR", "OneCycleLR"])
def test_beta1_cycles_with_adam(name):
    make, steps = SCHEDULES[name]
    mine, _ = _schedule(ember, make, steps, optimizer="Adam")
    theirs, _ = _schedule(torch, make, steps, optimizer="Adam")
    np.testing.assert_allclose(mine, theirs, rtol=1e-12)


def _same_state(se, st):
    assert list(se) == list(st)
    for key, value in st.items():
        mine = se[key]
        if key in ("_schedulers",):
            for a, b in zip(mine, value):
                _same_state(a, b)
        elif key in ("_scale_fn_ref", "_scale_fn_custom", "lr_lambdas"):
            assert (mine is None) == (value is None) or isinstance(value, list)
        elif isinstance(value, float) and math.isnan(value):
            assert math.isnan(mine)
        else:
            assert mine == value, key


@pytest.mark.parametrize("mode,threshold_mode", [("min", "rel"), ("min", "abs"), ("max", "rel"),
                                                  ("max", "abs")])
def test_reduce_lr_on_plateau(mode, threshold_mode):
    metrics = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
               0.6, 0.6, 0.6, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]

    def make(S, o):
        return S.ReduceLROnPlateau(o, mode=mode, factor=0.5, patience=2, threshold=0.05,
                                   threshold_mode=threshold_mode, cooldown=1,
                                   min_lr=[0.01, 0.02])

    mine, se = _schedule(ember, make, len(metrics), metrics=metrics)
    theirs, st = _schedule(torch, make, len(metrics), metrics=metrics)
    np.testing.assert_allclose(mine, theirs, rtol=1e-12)
    _same_state(se.state_dict(), st.state_dict())


def test_state_dict_round_trip():
    make, steps = SCHEDULES["CosineAnnealingLR"]
    _, sched = _schedule(ember, make, 10)
    state = sched.state_dict()
    opt = _optimizer(ember)
    fresh = ember.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=13, eta_min=0.001)
    fresh.load_state_dict(state)
    assert fresh.last_epoch == sched.last_epoch and fresh.get_last_lr() == sched.get_last_lr()
    assert "optimizer" not in state


def test_scheduler_before_optimizer_warning():
    messages = []
    for lib in (ember, torch):
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()
            opt.step()
            sched.step()
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1
    assert "before `optimizer.step()`" in messages[0][0]


def test_no_warning_in_the_right_order():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            sched.step()


def test_get_lr_outside_step_and_epoch_argument_warn():
    for lib in (ember, torch):
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.get_lr()
            opt.step()
            sched.step(3)
        if lib is ember:
            mine = [str(w.message) for w in caught], sched.get_last_lr()
        else:
            assert mine == ([str(w.message) for w in caught], sched.get_last_lr())


def test_last_epoch_resume():
    results = []
    for lib in (ember, torch):
        opt = _optimizer(lib)
        S = lib.optim.lr_scheduler
        with pytest.raises(KeyError) as e:
            S.StepLR(opt, step_size=2, last_epoch=3)
        first = S.StepLR(opt, step_size=2)
        opt.step()
        first.step()
        resumed = S.StepLR(opt, step_size=2, last_epoch=5)
        results.append((str(e.value), resumed.get_last_lr(), resumed.last_epoch))
    assert results[0] == results[1]


def test_lr_scheduler_with_ember_optimizer_only():
    with pytest.raises(TypeError, match="is not an Optimizer"):
        ember.optim.lr_scheduler.StepLR(object(), step_size=2)


SCHEDULER_ERRORS = [
    lambda S, o: S.ConstantLR(o, factor=1.5),
    lambda S, o: S.LinearLR(o, start_factor=0.0),
    lambda S, o: S.LinearLR(o, end_factor=1.5),
    lambda S, o: S.ReduceLROnPlateau(o, factor=1.0),
    lambda S, o: S.ReduceLROnPlateau(o, mode="avg"),
    lambda S, o: S.ReduceLROnPlateau(o, threshold_mode="x"),
    lambda S, o: S.ReduceLROnPlateau(o, min_lr=[0.1]),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    lambda S, o: S.CyclicLR(o, 0.1, 1.0, mode="x"),
    lambda S, o: S.CyclicLR(o, [0.1], 1.0),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=0),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=2.0),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="x"),
    lambda S, o: _over_step(S.OneCycleLR(o, max_lr=0.1, total_steps=3)),
    lambda S, o: S.LambdaLR(o, [lambda e: 1.0]),
    lambda S, o: S.MultiplicativeLR(o, 0.5),
    lambda S, o: S.SequentialLR(o, [], milestones=[]),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o, 3)], milestones=[]),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2), S.ReduceLROnPlateau(o)], milestones=[2]),
    lambda S, o: S.ChainedScheduler([]),
]


def _over_step(sched):
    for _ in range(5):
        sched.step()


@pytest.mark.parametrize("index", range(len(SCHEDULER_ERRORS)))
def test_errors_match_torch(index):
    raised = []
    for lib in (torch, ember):
        opt = _optimizer(lib)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception) as e:
                SCHEDULER_ERRORS[index](lib.optim.lr_scheduler, opt)
        raised.append((type(e.value).__name__, str(e.value)))
    assert raised[0] == raised[1]


def test_cyclic_lr_needs_momentum():
    for lib in (ember, torch):
        opt = lib.optim.Adagrad([lib.zeros(2, requires_grad=True)])
        with pytest.raises(ValueError, match="optimizer must support momentum"):
            lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)


def test_tensor_lr_is_filled_in_place():
    lr = ember.tensor(0.1)
    opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=lr)
    sched = ember.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] is lr
    assert abs(lr.item() - 0.05) < 1e-8


def test_names():
    S = ember.optim.lr_scheduler
    for name in torch.optim.lr_scheduler.__all__:
        if name not in ("SWALR",):
            assert hasattr(S, name), name
    assert issubclass(S._LRScheduler, S.LRScheduler)
