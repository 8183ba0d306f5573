"""torch.amp.GradScaler("cpu") (ember/amp/grad_scaler.py) against torch: the scale's life over
clean and overflowing steps, unscale_, step, update, state_dict, the disabled scaler, errors."""
import numpy as np
import pytest

import ember
from parity import both, error_of, warnings_of

torch = pytest.importorskip("torch")


def _setup(lib, dtype="float32", **kwargs):
    lib.manual_seed(0)
    model = lib.nn.Linear(3, 2).to(getattr(lib, dtype))
    opt = lib.optim.SGD(model.parameters(), lr=0.1)
    return model, opt, lib.amp.GradScaler("cpu", **kwargs)


def _train(lib, losses_scale, **kwargs):
    """Steps with loss multipliers from ``losses_scale`` (inf makes an overflow); the record of
    scale, growth tracker, step results and weights after each step."""
    model, opt, scaler = _setup(lib, **kwargs)
    x = lib.tensor(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)
    record, weights = [], []
    for factor in losses_scale:
        opt.zero_grad()
        loss = model(x).pow(2).mean() * factor
        scaler.scale(loss).backward()
        result = scaler.step(opt)
        scaler.update()
        record.append((scaler.get_scale(), scaler.state_dict()["_growth_tracker"], result))
        weights.append(model.weight.detach().numpy().copy())
    return record, weights


def test_scale_grows_backs_off_and_skips_overflowing_steps():
    factors = [1.0, 1.0, float("inf"), 1.0, 1.0, 1.0, float("nan"), 1.0]
    (e, we), (t, wt) = both(lambda lib: _train(lib, factors, init_scale=8.0, growth_interval=2))
    assert e == t
    np.testing.assert_allclose(we, wt, rtol=1e-5, atol=1e-6)
    assert (we[2] == we[1]).all() and (we[6] == we[5]).all()      # the skipped steps


def test_growth_stops_at_the_float32_limit():
    e, t = both(lambda lib: _train(lib, [1.0, 1.0], init_scale=2.0 ** 127, growth_interval=1)[0])
    assert e == t


def test_unscale_then_clip_then_step():
    def run(lib):
        model, opt, scaler = _setup(lib, init_scale=1024.0)
        loss = model(lib.ones(2, 3)).sum()
        scaled = scaler.scale(loss)
        scaled.backward()
        before = model.weight.grad.clone()
        scaler.unscale_(opt)
        lib.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        scaler.step(opt)
        scaler.update()
        return (scaled.item(), before.tolist(), model.weight.grad.tolist(),
                model.weight.detach().tolist(), type(scaled.grad_fn).__name__)
    e, t = both(run)
    assert e == t


def test_scale_of_lists_and_tuples():
    def run(lib):
        scaler = lib.amp.GradScaler("cpu", init_scale=4.0)
        out = scaler.scale([lib.tensor(1.0), (lib.tensor(2.0), lib.tensor(3.0))])
        return repr(out)
    e, t = both(run)
    assert e == t


def test_bfloat16_gradients_are_unscaled():
    pytest.importorskip("ml_dtypes")

    def run(lib):
        model, opt, scaler = _setup(lib, "bfloat16", init_scale=256.0)
        scaler.scale(model(lib.ones(2, 3, dtype=lib.bfloat16)).sum()).backward()
        scaler.unscale_(opt)
        return str(model.weight.grad)
    e, t = both(run)
    assert e == t


def test_state_dict_round_trip_and_update_with_a_new_scale():
    def run(lib):
        model, opt, scaler = _setup(lib, init_scale=8.0, growth_interval=5)
        fresh = scaler.state_dict()
        scaler.scale(model(lib.ones(1, 3)).sum()).backward()
        scaler.step(opt)
        scaler.update()
        saved = scaler.state_dict()
        other = lib.amp.GradScaler("cpu")
        other.load_state_dict(saved)
        scaler.update(3.0)
        after_float = scaler.get_scale()
        scaler.update(lib.tensor(5.0))
        return (fresh, saved, other.state_dict(), after_float, scaler.get_scale(),
                other.get_growth_factor(), other.get_backoff_factor(), other.get_growth_interval(),
                other.is_enabled())
    e, t = both(run)
    assert e == t


def test_disabled_scaler_does_nothing():
    def run(lib):
        model, opt, _ = _setup(lib)
        scaler = lib.amp.GradScaler("cpu", enabled=False)
        loss = model(lib.ones(1, 3)).sum()
        same = scaler.scale(loss) is loss
        loss.backward()
        return (same, scaler.step(opt), scaler.update(), scaler.unscale_(opt),
                scaler.state_dict(), scaler.get_scale(), scaler.is_enabled(),
                model.weight.detach().tolist())
    e, t = both(run)
    assert e == t


def test_cuda_scaler_is_disabled_with_torch_warning():
    e, t = both(lambda lib: (warnings_of(lambda: lib.amp.GradScaler()),
                             lib.amp.GradScaler("cpu").is_enabled()))
    assert e == t and e[0]


def test_deprecated_cpu_amp_grad_scaler_warns_as_torch():
    e, t = both(lambda lib: warnings_of(lambda: lib.cpu.amp.GradScaler()))
    assert e == t and e


def _misuse(lib, case):
    model, opt, scaler = _setup(lib)
    if case == "unscale before scale":
        return scaler.unscale_(opt)
    if case == "update before scale":
        return scaler.update()
    if case == "step before scale":
        return scaler.step(opt)
    if case == "empty state dict":
        return scaler.load_state_dict({})
    if case == "bad new scale":
        scaler.scale(lib.ones(1))
        return scaler.update(lib.tensor([5.0, 6.0]))
    if case == "no inf checks":
        scaler.scale(lib.ones(1))
        return scaler.step(opt)
    if case == "float16 gradients":
        half = lib.nn.Linear(3, 2).to(lib.float16)
        opt = lib.optim.SGD(half.parameters(), lr=0.1)
        scaler.scale(half(lib.ones(1, 3, dtype=lib.float16)).sum()).backward()
        return scaler.unscale_(opt)
    scaler.scale(model(lib.ones(1, 3)).sum()).backward()
    if case == "closure":
        return scaler.step(opt, closure=lambda: 0)
    scaler.unscale_(opt)
    if case == "unscale twice":
        return scaler.unscale_(opt)
    scaler.step(opt)
    if case == "step twice":
        return scaler.step(opt)
    if case == "unscale after step":
        return scaler.unscale_(opt)
    raise AssertionError(case)


@pytest.mark.parametrize("case", [
    "unscale before scale", "update before scale", "step before scale", "empty state dict",
    "bad new scale", "no inf checks", "float16 gradients", "closure", "unscale twice",
    "step twice", "unscale after step"])
def test_misuse_raises_as_torch(case):
    e, t = both(lambda lib: error_of(lambda: _misuse(lib, case)))
    assert e == t and e is not None


def test_ember_scaler_is_the_public_class():
    assert ember.amp.GradScaler.__module__ == "ember.amp.grad_scaler"
    assert issubclass(ember.cpu.amp.GradScaler, ember.amp.GradScaler)
