"""``ember.compile`` and ``ember.compiler``: torch's compiler entry points.

``compile(f)`` records the NumPy work of a call of ``f`` (forward, ``backward()``, optimizer
step) and replays it on later calls whose guards hold; see docs/compile.md and
``ember/_compiler``."""
import contextlib
import functools

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
_BACKENDS = ("inductor", "eager", "aot_eager", "cudagraphs")


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, name=None, disable=False, recompile_limit=None,
            isolate_recompiles=False, shapes_spec=None):
    """``compile(f)`` (or ``@compile(...)`` as a decorator factory): a callable that computes
    what ``f`` computes, replaying recorded NumPy work where it can (a module gives an
    ``OptimizedModule``).  ``fullgraph``, ``dynamic``, ``options`` ... are accepted and
    change nothing: a call that cannot be replayed runs eagerly."""
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified "
                           "at the same time.")
    if mode is not None and mode not in _MODES:
        raise RuntimeError("Unrecognized mode={}, should be one of: {}".format(
            mode, ", ".join(_MODES)))
    if isinstance(backend, str) and backend not in _BACKENDS:
        raise InvalidBackend("Invalid backend: {!r}, see `torch._dynamo.list_backends()` for "
                             "available backends.".format(backend))
    if model is None:
        def decorate(fn):
            return compile(fn, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                           options=options, disable=disable)
        return decorate
    if not callable(model):
        raise AssertionError("A callable function is expected, but {} is provided.".format(
            type(model)))
    if disable:
        return model
    from .nn import Module
    if isinstance(model, Module):
        from ._compiler.module import OptimizedModule
        return OptimizedModule(model)
    from ._compiler.compiled import Compiled
    compiled = Compiled(model)

    @functools.wraps(model)
    def compile_wrapper(*args, **kwargs):
        return compiled(*args, **kwargs)
    compile_wrapper._ember_compiled = compiled
    return compile_wrapper


class InvalidBackend(RuntimeError):
    """torch._dynamo.exc.InvalidBackend: ``backend=`` names no backend."""


def disable(fn=None, recursive=True, *, reason=None):
    """Excludes ``fn`` from compilation: here the function itself."""
    if fn is None:
        return lambda f: f
    return fn


def is_compiling():
    """False: ember's recorder runs the function's own Python code, as eager mode does."""
    return False


is_dynamo_compiling = is_exporting = is_compiling


def reset():
    """Forgets every recording of every compiled function (they record again on their next
    calls)."""
    from ._compiler.compiled import reset_all
    reset_all()


def list_backends(exclude_tags=("debug", "experimental")):
    return []


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


@contextlib.contextmanager
def _stance(previous):
    try:
        yield
    finally:
        from ._compiler.compiled import _stance as current
        current[0] = previous


def set_stance(stance="default", *, skip_guard_eval_unsafe=False, force_backend=None):
    """Changes how compiled code runs: ``"force_eager"`` runs every compiled function eagerly
    (no recording, no replay); other stances run as ``"default"``.  Usable as a context
    manager, which puts the previous stance back."""
    from ._compiler.compiled import _stance as current
    previous = current[0]
    current[0] = stance
    return _stance(previous)
