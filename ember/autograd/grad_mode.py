"""Grad modes: whether operations record the graph that ``backward()`` walks.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work as context
managers and as decorators.  As in torch, the mode belongs to a thread: a ``no_grad`` block in
one thread leaves the others recording, and a new thread starts with recording on.

Every operation reads the mode before it decides to build a graph node, so the read must cost
next to nothing: ``state()`` returns the calling thread's :class:`_Modes` (one C call that reads
a context variable, then a slot), and ``state().enabled`` is the test.  A thread reads the
shared defaults until it first changes a mode; then it gets modes of its own (``_own``).
(A context variable rather than ``threading.local``: reading it is about three times cheaper.)
"""
import functools
from contextvars import ContextVar
from _thread import get_ident

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
           "is_inference_mode_enabled"]


class _Modes:
    """One thread's modes.  ``enabled``: operations record the graph; ``inference``: inside
    ``inference_mode``; ``arrays``: the engine is running a backward pass on NumPy arrays (so
    backward formulas and ``saved_tensors`` get arrays rather than tensors, see graph.py)."""

    __slots__ = ("enabled", "inference", "arrays", "thread")

    def __init__(self, thread, enabled=True, inference=False, arrays=False):
        self.thread = thread
        self.enabled = enabled
        self.inference = inference
        self.arrays = arrays


_DEFAULTS = _Modes(None)        # read by every thread that has changed nothing; never written
_current = ContextVar("ember_grad_modes", default=_DEFAULTS)
state = _current.get            # state() -> the calling thread's modes, for reading


def _own():
    """The calling thread's modes, for writing (made on the thread's first change).  A mode
    object keeps them (``self._modes``) to restore them in the same thread."""
    modes = _current.get()
    thread = get_ident()
    if modes.thread != thread:
        # the defaults, or the modes of the thread whose context this one was started with
        # (``asyncio.to_thread`` copies it): this thread continues from them on its own
        modes = _Modes(thread, modes.enabled, modes.inference, modes.arrays)
        _current.set(modes)
    return modes


def is_grad_enabled():
    """True when operations record the autograd graph (in this thread)."""
    return state().enabled


def is_inference_mode_enabled():
    return state().inference


class _DecoratorContextManager:
    """Base for grad modes usable as ``with mode():`` and ``@mode()`` (or bare ``@mode``)."""

    def __call__(self, func):
        import inspect                     # only when decorating: it is slow to import
        if inspect.isclass(func):
            raise RuntimeError("Grad mode decorators cannot decorate classes")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    with self.clone():
                        response = gen.send(request)
            return generator

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_DecoratorContextManager):
    """Context manager (and decorator) that turns gradient recording off.

    Inside it, results have ``requires_grad=False`` even when the inputs require grad; use it
    for evaluation and for updating parameters by hand."""

    def __new__(cls, orig_func=None):
        if orig_func is None or not callable(orig_func):
            return super().__new__(cls)
        return cls()(orig_func)          # used as a bare decorator: @no_grad

    def __init__(self, orig_func=None):
        self.prev = False

    def __enter__(self):
        modes = self._modes = _own()
        self.prev = modes.enabled
        modes.enabled = False

    def __exit__(self, *exc):
        self._modes.enabled = self.prev


class enable_grad(_DecoratorContextManager):
    """Context manager (and decorator) that turns gradient recording on inside ``no_grad``."""

    def __new__(cls, orig_func=None):
        if orig_func is None or not callable(orig_func):
            return super().__new__(cls)
        return cls()(orig_func)

    def __init__(self, orig_func=None):
        self.prev = False

    def __enter__(self):
        modes = self._modes = _own()
        self.prev = modes.enabled
        modes.enabled = True

    def __exit__(self, *exc):
        self._modes.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Turns recording on or off; works as a function call, a context manager and a decorator."""

    def __init__(self, mode):
        modes = self._modes = _own()
        self.prev = modes.enabled
        self.mode = bool(mode)
        modes.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        self._modes.enabled = self.prev

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` (ember keeps no extra bookkeeping to skip); ``inference_mode(False)``
    leaves the mode unchanged."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __init__(self, mode=True):
        self.mode = mode
        self.prev = (True, False)

    def __enter__(self):
        modes = self._modes = _own()
        self.prev = (modes.enabled, modes.inference)
        if self.mode:
            modes.enabled = False
            modes.inference = True

    def __exit__(self, *exc):
        self._modes.enabled, self._modes.inference = self.prev

    def clone(self):
        return self.__class__(self.mode)
