"""``ember.compile`` and ``ember.compiler``: torch's compiler entry points.  Today ``compile``
returns the function or module itself, so the compiled callable computes exactly what the
original does (a later version records and replays it)."""
import contextlib


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, name=None, disable=False, recompile_limit=None,
            isolate_recompiles=False, shapes_spec=None):
    """``compile(f)`` (or ``@compile(...)`` as a decorator factory): a callable that computes
    what ``f`` computes."""
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified "
                           "at the same time.")
    if model is None:
        def decorate(fn):
            return compile(fn, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                           options=options, disable=disable)
        return decorate
    if not callable(model):
        raise AssertionError("A callable function is expected, but {} is provided.".format(
            type(model)))
    return model


def disable(fn=None, recursive=True, *, reason=None):
    """Excludes ``fn`` from compilation: here the function itself."""
    if fn is None:
        return lambda f: f
    return fn


def is_compiling():
    """False: nothing is being compiled (always, in ember today)."""
    return False


is_dynamo_compiling = is_exporting = is_compiling


def reset():
    """Forgets compiled code: there is none to forget."""


def list_backends(exclude_tags=("debug", "experimental")):
    return []


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


@contextlib.contextmanager
def _stance(stance="default", *, skip_guard_eval_unsafe=False, force_backend=None):
    yield


def set_stance(stance="default", *, skip_guard_eval_unsafe=False, force_backend=None):
    """Changes how compiled code runs; nothing changes here (usable as a context manager)."""
    return _stance(stance)
