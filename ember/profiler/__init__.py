"""``ember.profiler``: where the time goes, with torch.profiler's interface.

    from ember.profiler import profile, record_function

    with profile() as prof:
        with record_function("training"):
            for epoch in range(100):
                loss = loss_fn(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    print(prof.key_averages().table(sort_by="cpu_time_total", row_limit=10))
    prof.export_chrome_trace("trace.json")      # open in chrome://tracing or ui.perfetto.dev

While a profiler runs, every operation's forward (``ember::mm``), every backward node
(``MmBackward0``), every leaf's gradient accumulation, each optimizer's ``step`` and
``zero_grad`` and each ``record_function`` block is timed.  When none runs, nothing is: the
timing wrappers are put on the classes when the profiler starts and taken off when it stops, so
ordinary code does not pay even a check (``_hooks.py``).
"""
from .events import EventList, FunctionEvent, FunctionEventAvg
from .profile import ProfilerActivity, profile, record_function

__all__ = ["profile", "record_function", "ProfilerActivity", "EventList", "FunctionEvent",
           "FunctionEventAvg"]
