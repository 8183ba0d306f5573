"""optim.swa_utils against torch: AveragedModel (SWA, EMA by avg_fn and multi_avg_fn, buffers),
SWALR's annealed learning rates, update_bn, reprs, state_dict keys and errors."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.Linear(4, 1))


def _data(lib):
    rng = np.random.default_rng(1)
    return [(lib.tensor(rng.standard_normal((8, 3)), dtype=lib.float32),
             lib.tensor(rng.standard_normal((8, 1)), dtype=lib.float32)) for _ in range(4)]


AVERAGES = {
    "swa": lambda lib: {},
    "ema_multi": lambda lib: dict(multi_avg_fn=lib.optim.swa_utils.get_ema_multi_avg_fn(0.9)),
    "swa_multi": lambda lib: dict(multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn()),
    "ema": lambda lib: dict(avg_fn=lib.optim.swa_utils.get_ema_avg_fn(0.8)),
    "swa_fn": lambda lib: dict(avg_fn=lib.optim.swa_utils.get_swa_avg_fn()),
    "buffers": lambda lib: dict(use_buffers=True),
}


def _train(lib, kind, strategy="cos", anneal_epochs=3):
    model = _model(lib)
    averaged = lib.optim.swa_utils.AveragedModel(model, **AVERAGES[kind](lib))
    opt = lib.optim.SGD(model.parameters(), lr=0.5)
    sched = lib.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=anneal_epochs,
                                      anneal_strategy=strategy)
    data, lrs = _data(lib), []
    for x, y in data:
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
        sched.step()
        averaged.update_parameters(model)
        lrs.append(sched.get_last_lr())
    lib.optim.swa_utils.update_bn(data, averaged)
    state = {k: v.numpy() for k, v in averaged.state_dict().items()}
    return lrs, state, averaged(data[0][0]).detach().numpy(), sched.state_dict()


@pytest.mark.parametrize("kind", sorted(AVERAGES))
def test_averaged_model(kind):
    e, t = _train(ember, kind), _train(torch, kind)
    np.testing.assert_allclose(e[0], t[0], rtol=1e-12)
    assert list(e[1]) == list(t[1])
    for key in e[1]:
        assert e[1][key].dtype == t[1][key].dtype
        np.testing.assert_allclose(e[1][key], t[1][key], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(e[2], t[2], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 5])
def test_swalr(strategy, anneal_epochs):
    e, t = (_train(lib, "swa", strategy, anneal_epochs) for lib in (ember, torch))
    np.testing.assert_allclose(e[0], t[0], rtol=1e-12)
    assert sorted(e[3]) == sorted(t[3])
    assert e[3]["_anneal_strategy"] == t[3]["_anneal_strategy"]


def test_swalr_state_dict_round_trip():
    opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=1.0)
    sched = ember.optim.swa_utils.SWALR(opt, swa_lr=0.1, anneal_strategy="linear")
    other = ember.optim.swa_utils.SWALR(opt, swa_lr=0.1)
    other.load_state_dict(sched.state_dict())
    assert other.anneal_func(0.25) == 0.25


def test_repr_and_buffers():
    same(lambda lib: repr(lib.optim.swa_utils.AveragedModel(_model(lib))))
    same(lambda lib: [name for name, _ in
                      lib.optim.swa_utils.AveragedModel(_model(lib)).named_buffers()])
    same(lambda lib: str(lib.optim.swa_utils.AveragedModel(_model(lib)).n_averaged))


def test_update_bn_without_batchnorm_and_training_flag():
    def run(lib):
        model = lib.nn.Sequential(lib.nn.Linear(3, 2))
        lib.optim.swa_utils.update_bn(_data(lib), model)
        bn = _model(lib).eval()
        lib.optim.swa_utils.update_bn([x for x, _ in _data(lib)], bn)
        return bn.training, bn[1].momentum, bn[1].running_mean.numpy().round(5).tolist()
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib: lib.optim.swa_utils.get_ema_multi_avg_fn(1.5),
    lambda lib: lib.optim.swa_utils.get_ema_avg_fn(-0.1),
    lambda lib: lib.optim.swa_utils.AveragedModel(
        lib.nn.Linear(2, 2), avg_fn=lib.optim.swa_utils.get_swa_avg_fn(),
        multi_avg_fn=lib.optim.swa_utils.get_swa_multi_avg_fn()),
    lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(2, requires_grad=True)]), 0.1, anneal_strategy="exp"),
    lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(2, requires_grad=True)]), 0.1, anneal_epochs=-1),
    lambda lib: lib.optim.swa_utils.SWALR(
        lib.optim.SGD([lib.zeros(2, requires_grad=True)]), [0.1, 0.2]),
])
def test_errors(case):
    same_error(case)
