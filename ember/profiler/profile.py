"""``profile`` and ``record_function``: starting and stopping the recording, and named blocks."""
import contextlib
import enum
import threading
import time

from . import _hooks
from .events import EventList, FunctionEvent

__all__ = ["profile", "record_function", "ProfilerActivity"]


class ProfilerActivity(enum.Enum):
    """What to profile: ember runs on the CPU, so ``CUDA`` adds nothing."""
    CPU = 0
    CUDA = 1


class _Recorder:
    """Collects the events of one profiler run; each thread has its stack of open calls."""

    def __init__(self):
        self.events = []
        self.local = threading.local()
        self.origin = time.perf_counter_ns()

    def begin(self, name, kind="cpu_op"):
        stack = getattr(self.local, "stack", None)
        if stack is None:
            stack = self.local.stack = []
        parent = stack[-1] if stack else None
        event = FunctionEvent(len(self.events), name, threading.get_ident(),
                              (time.perf_counter_ns() - self.origin) / 1000, parent=parent,
                              kind=kind)
        self.events.append(event)
        if parent is not None:
            parent.cpu_children.append(event)
        stack.append(event)
        return event

    def end(self, event):
        event.time_range_end = (time.perf_counter_ns() - self.origin) / 1000
        stack = self.local.stack
        while stack and stack.pop() is not event:   # an inner call left by an exception
            pass


_active = None          # the running profiler's _Recorder, or None


class profile:
    """Records the time of every operation run inside ``with profile() as prof:``.

    Takes torch.profiler.profile's arguments; ember measures CPU time only, so ``activities``,
    ``record_shapes``, ``profile_memory``, ``with_stack``, ``with_flops`` and ``with_modules``
    change nothing.  ``on_trace_ready(prof)`` is called when the profiler stops."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None,
                 record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, experimental_config=None, execution_trace_observer=None,
                 acc_events=False, custom_trace_id_callback=None):
        if schedule is not None:
            raise NotImplementedError("ember.profiler.profile does not support schedule= "
                                      "(profile the steps you want inside the with block)")
        self.on_trace_ready = on_trace_ready
        self.recorder = None
        self._events = None

    def start(self):
        global _active
        if _active is not None:
            raise RuntimeError("ember.profiler: another profiler is already running")
        self.recorder = _active = _Recorder()
        _hooks.install(self.recorder)

    def stop(self):
        global _active
        if self.recorder is None or _active is not self.recorder:
            return
        _hooks.uninstall()
        _active = None
        self._events = EventList(e for e in self.recorder.events
                                 if e.time_range_end is not None)
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def step(self):
        """Marks the end of a training step (used with schedules, which ember lacks)."""

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def events(self):
        """Every timed call, in the order they started."""
        if self._events is None:
            raise RuntimeError("the profiler has not finished: read its events after the "
                               "with block")
        return self._events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        """The calls grouped by name: count, total and self time (see ``EventList.table``)."""
        return self.events().key_averages()

    def export_chrome_trace(self, path):
        self.events().export_chrome_trace(path)


class record_function(contextlib.ContextDecorator):
    """Times a block (``with record_function("forward"):``) or a function (as a decorator)
    under ``name``, when a profiler runs; the operations inside are its children."""

    def __init__(self, name, args=None):
        self.name = name
        self.args = args
        self._event = None

    def __enter__(self):
        recorder = _active
        if recorder is not None:
            self._event = (recorder, recorder.begin(self.name, "user_annotation"))
        return self

    def __exit__(self, *exc):
        if self._event is not None:
            recorder, event = self._event
            self._event = None
            recorder.end(event)
        return False
