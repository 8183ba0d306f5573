"""``ember.profiler``: torch.profiler's interface, every op's forward and backward timed, the
table in torch's layout, Chrome traces; nothing left behind when it stops.  (Times are checked
for their structure -- totals, nesting -- never against a clock.)"""
import json
import re

import pytest

import ember
from ember.autograd.op import Op, OpBackward
from ember.profiler import profile, record_function


def train(epochs=5):
    ember.manual_seed(0)
    w = ember.randn(3, 1, requires_grad=True)
    x, y = ember.randn(8, 3), ember.randn(8, 1)
    optimizer = ember.optim.SGD([w], lr=0.1)
    for _ in range(epochs):
        loss = ember.nn.functional.mse_loss(x @ w, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test_every_forward_backward_and_step_is_counted():
    with profile() as prof:
        with record_function("training"):
            train(5)
    counts = {e.key: e.count for e in prof.key_averages()}
    assert counts == {"training": 1, "ember::mm": 5, "ember::mse_loss": 5, "MseLossBackward0": 5,
                      "MmBackward0": 5, "AccumulateGrad": 5, "Optimizer.step#SGD.step": 5,
                      "Optimizer.zero_grad#SGD.zero_grad": 5}


def test_nesting_and_self_time():
    with profile() as prof:
        with record_function("outer"):
            with record_function("inner"):
                ember.ones(2, requires_grad=True).exp()
    events = {e.name: e for e in prof.events()}
    outer, inner, exp = events["outer"], events["inner"], events["ember::exp"]
    assert inner.cpu_parent is outer and exp.cpu_parent is inner
    assert outer.time_range_start <= inner.time_range_start <= exp.time_range_start
    assert exp.time_range_end <= inner.time_range_end <= outer.time_range_end
    assert outer.self_cpu_time_total == pytest.approx(outer.cpu_time_total - inner.cpu_time_total)
    total = prof.key_averages().self_cpu_time_total
    assert total == pytest.approx(outer.cpu_time_total)


def test_the_wrappers_are_gone_after_the_profiler_stops():
    apply, backward = Op.__dict__["apply"], OpBackward.__dict__["apply"]
    step = ember.optim.SGD.__dict__["step"]
    with pytest.raises(ZeroDivisionError):
        with profile():
            assert Op.__dict__["apply"] is not apply
            1 / 0
    assert Op.__dict__["apply"] is apply and OpBackward.__dict__["apply"] is backward
    assert ember.optim.SGD.__dict__["step"] is step
    with record_function("nothing runs"):       # no profiler: records nothing, fails nothing
        train(1)


def test_one_profiler_at_a_time_and_no_schedules():
    with profile():
        with pytest.raises(RuntimeError, match="already running"):
            profile().start()
    with pytest.raises(NotImplementedError, match="schedule"):
        profile(schedule=lambda step: None)
    with pytest.raises(RuntimeError, match="after the with block"):
        profile().events()


def test_record_function_as_a_decorator_and_on_trace_ready():
    seen = []

    @record_function("step")
    def step():
        return ember.ones(2).sum()

    with profile(on_trace_ready=seen.append) as prof:
        step()
        step()
    assert seen == [prof]
    assert {e.key: e.count for e in prof.key_averages()}["step"] == 2


def test_table_in_torchs_layout():
    torch = pytest.importorskip("torch")
    long_name = "x" * 60                        # both cut the name column to 55 characters
    with torch.profiler.profile() as expected:
        with torch.profiler.record_function(long_name):
            torch.ones(2).exp()
    with profile() as got:
        with record_function(long_name):
            ember.ones(2).exp()
    theirs = expected.key_averages().table(sort_by="cpu_time_total", row_limit=1).splitlines()
    ours = got.key_averages().table(sort_by="cpu_time_total", row_limit=1).splitlines()
    assert ours[:3] == theirs[:3]               # the rules and the header
    time = r"\d+\.\d{3}(us|ms|s)"
    pattern = r" *x{52}\.\.\.  +\d+\.\d\d%  +T  +100\.00%  +T  +T  +1  ".replace("T", time)
    assert re.fullmatch(pattern, ours[3]) and re.fullmatch(pattern, theirs[3])
    assert ours[4] == theirs[4] and re.fullmatch("Self CPU time total: " + time, ours[5])
    assert len(ours) == len(theirs)


def test_sorting_and_row_limit():
    with profile() as prof:
        train(3)
    table = prof.key_averages().table(sort_by="count", row_limit=2).splitlines()
    assert len(table) == 3 + 2 + 2             # rules and header, 2 rows, rule and total
    with pytest.raises(AttributeError):
        prof.key_averages().table(sort_by="no_such_column")


def test_chrome_trace(tmp_path):
    with profile() as prof:
        with record_function("epoch"):
            train(1)
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    trace = json.loads(path.read_text())
    events = trace["traceEvents"]
    assert {e["ph"] for e in events} == {"X"}
    epoch = next(e for e in events if e["name"] == "epoch")
    assert epoch["cat"] == "user_annotation"
    for e in events:
        assert epoch["ts"] <= e["ts"] and e["ts"] + e["dur"] <= epoch["ts"] + epoch["dur"] + 1e-6
    assert sum(e["name"] == "ember::mm" for e in events) == 1


def test_linreg_profile(ember_cmd, in_tmp):
    status, out, _ = ember_cmd("linreg", "--profile", "--epochs", "20", "--lang", "en")
    assert status == 0
    start = out.index("where the time went (ember.profiler, 20 epochs):")
    header = out[start + 2].split()
    assert header[:4] == ["Name", "Self", "CPU", "%"]
    rows = {line.strip().split("  ")[0] for line in out[start + 4:start + 20]}
    assert "training (all epochs)" in rows and "ember::mm" in rows and "MmBackward0" in rows
    assert any(line.startswith("Self CPU time total: ") for line in out)
