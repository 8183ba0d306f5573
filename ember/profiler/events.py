"""The profiler's records: one :class:`FunctionEvent` per timed call, their averages per name
(:class:`FunctionEventAvg`), and :class:`EventList`, which prints them as torch's table and
writes them as a Chrome trace."""
import json

__all__ = ["FunctionEvent", "FunctionEventAvg", "EventList"]

COLUMNS = [("Self CPU %", "self_percent"), ("Self CPU", "self_cpu_time_total"),
           ("CPU total %", "total_percent"), ("CPU total", "cpu_time_total"),
           ("CPU time avg", "cpu_time"), ("# of Calls", "count")]
COLUMN_WIDTH = 12


class FunctionEvent:
    """One timed call: its name, start and end (microseconds), thread, and the calls it made
    (``cpu_children``); its self time is its time less its children's."""

    def __init__(self, id, name, thread, start_us, end_us=None, parent=None, kind="cpu_op"):
        self.id, self.name, self.thread = id, name, thread
        self.time_range_start, self.time_range_end = start_us, end_us
        self.cpu_parent = parent
        self.cpu_children = []
        self.kind = kind

    key = property(lambda self: self.name)
    count = property(lambda self: 1)

    @property
    def cpu_time_total(self):
        return self.time_range_end - self.time_range_start

    @property
    def self_cpu_time_total(self):
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    cpu_time = cpu_time_total

    def __repr__(self):
        return "<FunctionEvent id={} name={} cpu_time={}>".format(
            self.id, self.name, _format_time(self.cpu_time_total))


class FunctionEventAvg:
    """The events of one name together: their count, total and self time; ``cpu_time`` is the
    average total time of one call."""

    def __init__(self, key):
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0

    def add(self, event):
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self):
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return "<FunctionEventAvg key={} self_cpu_time={} cpu_time={}>".format(
            self.key, _format_time(self.self_cpu_time_total), _format_time(self.cpu_time))


class EventList(list):
    """A list of events (or of their averages) that prints itself as torch's table."""

    def key_averages(self):
        """One :class:`FunctionEventAvg` per name, in the order the names first occur."""
        averages = {}
        for event in self:
            averages.setdefault(event.key, FunctionEventAvg(event.key)).add(event)
        return EventList(averages.values())

    @property
    def self_cpu_time_total(self):
        return sum(event.self_cpu_time_total for event in self)

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75,
              max_name_column_width=55, max_shapes_column_width=80, header=None,
              top_level_events_only=False):
        """torch's table: a row per entry (sorted by the attribute ``sort_by``, descending, at
        most ``row_limit`` rows), self and total time with their share of all the self time,
        the average time of a call and the number of calls."""
        rows = list(self)
        if top_level_events_only:
            rows = [e for e in rows if getattr(e, "cpu_parent", None) is None]
        if sort_by is not None:
            rows.sort(key=lambda e: getattr(e, sort_by), reverse=True)
        if row_limit is not None and row_limit >= 0:
            rows = rows[:row_limit]
        total = self.self_cpu_time_total
        name_width = min(max([len(e.key) for e in self] + [4]) + 4, max_name_column_width)
        widths = [name_width] + [COLUMN_WIDTH] * len(COLUMNS)
        rule = "".join("-" * w + "  " for w in widths)
        lines = [rule, _row(["Name"] + [title for title, _ in COLUMNS], widths), rule]
        for e in rows:
            name = e.key if len(e.key) <= name_width else e.key[:name_width - 3] + "..."
            lines.append(_row([name, _percent(e.self_cpu_time_total, total),
                               _format_time(e.self_cpu_time_total),
                               _percent(e.cpu_time_total, total),
                               _format_time(e.cpu_time_total), _format_time(e.cpu_time),
                               str(e.count)], widths))
        lines += [rule, "Self CPU time total: " + _format_time(total), ""]
        if header is not None:
            lines = ["=" * len(rule), header] + lines
        return "\n".join(lines)

    def __str__(self):
        return self.table()

    def export_chrome_trace(self, path):
        """Writes the events as a Chrome trace (JSON): chrome://tracing or ui.perfetto.dev
        draw each call as a bar on its thread's timeline, nested calls under their caller."""
        events = [{"ph": "X", "cat": e.kind, "name": e.name, "pid": 0, "tid": e.thread,
                   "ts": e.time_range_start, "dur": e.cpu_time_total, "args": {}}
                  for e in self if isinstance(e, FunctionEvent)]
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"traceEvents": events, "displayTimeUnit": "ms",
                       "traceName": str(path)}, f)


def _row(cells, widths):
    return "".join(cell.rjust(width) + "  " for cell, width in zip(cells, widths))


def _percent(part, whole):
    return "{:.2f}%".format(100 * part / whole if whole else 0.0)


def _format_time(us):
    """``12.457ms``: microseconds, milliseconds or seconds, three decimals (torch's format)."""
    if us >= 1e6:
        return "{:.3f}s".format(us / 1e6)
    if us >= 1e3:
        return "{:.3f}ms".format(us / 1e3)
    return "{:.3f}us".format(us)
