"""The recorder: the list of NumPy steps one call of a compiled function performed.

A step is ``(function, arguments, keyword arguments)`` with plain NumPy arrays as arguments;
running the steps again in order (the replay) recomputes every buffer in place.  A recorder
is active only inside ``with recorder:``; eager code never sees one (``current()`` is None).
While it is active, ``np.zeros``/``ones``/``empty``/``full`` and their ``_like`` forms hand out
traced buffers, so that arrays made "from nothing" and then filled (``g = np.zeros(shape);
g[i] = grad``) are recorded too, and the conversions (``np.asarray``, ``np.ascontiguousarray``
...), which NumPy does not dispatch, record the copies they make.  The recurrent layers' pool
of work arrays is set aside meanwhile: arrays allocated before the recording and written
through plain indexing would escape it.
"""
import numpy as np

from .._ops.creation import mt19937

_current = None


def current():
    """The active recorder, or None (always None in eager mode)."""
    return _current


def refuse(reason):
    """Marks the call being recorded as one a replay cannot reproduce (the first reason
    wins); the call itself still runs eagerly, so its results are right."""
    if _current is not None and _current.refused is None:
        _current.refused = reason


def suspend():
    """Stops logging while NumPy itself runs a logged function (its inner calls are part of
    the one logged step); returns the recorder for :func:`resume`."""
    global _current
    rec, _current = _current, None
    return rec


def resume(rec):
    global _current
    _current = rec


class Recorder:
    """Collects the steps of one call; ``buffers`` are the ids of the arrays the steps
    compute (everything else a step reads is live state or a constant)."""

    def __init__(self):
        self.steps = []
        self.buffers = {}
        self.made = {}           # id -> the fill step of each buffer made from nothing
        self.expectations = []   # the positions of the steps that check a value read
        self.refused = None
        self._saved = None

    def step(self, func, args, kwargs):
        self.steps.append((func, args, kwargs or None))
        out = kwargs.get("out") if kwargs else None
        for a in (out if type(out) is tuple else (out,)):
            if a is not None:
                self.buffer(a)

    def expect(self, method, array, args, value):
        """A value read into Python: the replay checks it reads the same one."""
        self.expectations.append(len(self.steps))
        self.steps.append((expect, (method, array, args, value), None))

    def buffer(self, array):
        """Notes an array that a step computes (by the object that owns its memory)."""
        root = memory_owner(array)
        self.buffers[id(root)] = root

    def make(self, array, fill):
        """A buffer made from nothing during the call: the replay fills it again with
        ``fill`` (None for ``np.empty``: its old contents are as good as any)."""
        self.buffer(array)
        if fill is not None:
            self.steps.append((np.copyto, (array, fill), None))
            self.made[id(array)] = self.steps[-1]
        from .traced import traced
        return traced(array)

    def draw(self, generator, n, words):
        """Random words drawn during the call: the replay draws the next ones from the same
        generator, as an eager call would."""
        if _current is not self:                # (drawn inside a logged NumPy call)
            return words
        self.steps.append((_draw, (generator, n, words), None))
        self.buffer(words)
        from .traced import traced
        return traced(words)

    def __enter__(self):
        global _current
        if _current is not None:
            raise RuntimeError("ember.compile: a recording is already active")
        _current = self
        mt19937.recording = self.draw
        self._saved = {name: getattr(np, name) for name in list(_CREATORS) + list(_CONVERTERS)}
        for name, make in _CREATORS.items():
            setattr(np, name, make(self._saved[name]))
        for name in _CONVERTERS:
            setattr(np, name, _converter(self._saved[name]))
        # the recurrent layers' pool of work arrays: a recording makes its own buffers
        from ..nn.functional import recurrent
        self._pool, recurrent._BUFFERS.free = recurrent._BUFFERS.free, {}
        return self

    def __exit__(self, *exc):
        global _current
        _current = None
        mt19937.recording = None
        for name, original in self._saved.items():
            setattr(np, name, original)
        from ..nn.functional import recurrent
        recurrent._BUFFERS.free = self._pool
        return False


def memory_owner(array):
    """The object that owns an array's memory (following ``base`` through views, also the
    non-array objects ``as_strided`` puts between a view and its array)."""
    while getattr(array, "base", None) is not None:
        array = array.base
    return array


class Diverged(Exception):
    """A replay read another value than the recorded call did (see ``expect``)."""


def expect(method, array, args, value):
    """A replay step: the value Python read during the recorded call must read the same."""
    if method(array, *args) != value:
        raise Diverged


def _draw(generator, n, words):
    np.copyto(words, generator.words32(n))


def _creator(fill_of):
    """Wraps a NumPy creation function so that, while recording, its result is a traced
    buffer the replay fills again."""
    def wrap(original):
        def create(*args, **kwargs):
            array = original(*args, **kwargs)
            rec = _current
            if rec is None or type(array) is not np.ndarray:
                return array
            return rec.make(array, fill_of(args, kwargs))
        create.__name__ = original.__name__
        create.__doc__ = original.__doc__
        return create
    return wrap


def _full_value(args, kwargs):
    from .traced import plain
    return plain(kwargs["fill_value"] if "fill_value" in kwargs else args[1])


def _converter(original):
    """Wraps a NumPy conversion (``np.ascontiguousarray`` ...): while recording, a copy it
    makes of an array (traced, or a plain view of traced memory such as ``as_strided``
    gives) is a step, and its result a traced buffer."""
    def convert(a, *args, **kwargs):
        result = original(a, *args, **kwargs)
        rec = _current
        if rec is None or not isinstance(a, np.ndarray) or not isinstance(result, np.ndarray):
            return result
        from .traced import _into, plain, traced
        source = np.ndarray.view(a, np.ndarray)
        copy = np.ndarray.view(result, np.ndarray)
        if np.may_share_memory(copy, source):   # no copy: the same memory, still traced
            return traced(copy) if getattr(a, "_ok", False) else result
        rec.buffer(copy)
        rec.steps.append((_into, (original, (source,) + plain(args), plain(kwargs), [copy]),
                          None))
        return traced(copy)
    convert.__name__ = original.__name__
    convert.__doc__ = original.__doc__
    return convert


_CONVERTERS = ("array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray")

_CREATORS = {
    "zeros": _creator(lambda a, k: 0), "zeros_like": _creator(lambda a, k: 0),
    "ones": _creator(lambda a, k: 1), "ones_like": _creator(lambda a, k: 1),
    "empty": _creator(lambda a, k: None), "empty_like": _creator(lambda a, k: None),
    "full": _creator(_full_value), "full_like": _creator(_full_value),
}


def refused_by(holder, reason):
    """Sets ``holder.refused`` (a recorder's or a plan's) unless a reason is already there."""
    if holder.refused is None:
        holder.refused = reason
