"""A pytest plugin (loaded by conftest.py) that proves ember's two ways of recording an op equal.

``Op.apply`` records the common calls -- one tensor followed by plain arguments, or two tensors
-- with short specialised functions (``op._record_one``, ``op._record_two``) and everything else
with the general one (``op._apply_general``).  The short ones exist only for speed, so they must
build exactly the graph the general one builds.  While the suite runs, this plugin keeps the
inputs of the first recorded call of every ``Op`` class (the whole suite is its corpus: every
op, from ``ember`` and ``ember.nn.functional``, with the arguments its own tests give it).  At
the end it replays each such call through the specialised path and through the general path,
on fresh copies of the inputs and the same random seed, and compares:

* the graph node: its name, ``needs_input_grad``, ``next_functions`` (which input each edge
  leads to, and the input number) and the outputs' ``output_nr``;
* the outputs: values, dtypes, ``requires_grad``; the values the node saved for backward;
* the gradients of every input, from the same upstream gradient, on arrays and (with
  ``create_graph=True``) on tensors.

Any difference fails the run; the summary says how many op classes were checked, and lists the
``Op`` classes the suite never records at all.  It works with pytest-xdist: each worker checks
its own calls and the controller adds the reports up.
"""
import importlib
import pkgutil

import numpy as np
import pytest

import ember
from ember.autograd import op as _op

_first_calls = {}        # Op class -> (path name, snapshot of the arguments)
_general_seen = set()    # names of Op classes recorded through the general path
_reports = []            # reports of the xdist workers (controller only)


def _snapshot(args):
    """The arguments, with each tensor as (array copy, requires_grad) to rebuild it later."""
    return [("tensor", a._array.copy(), a._requires_grad) if isinstance(a, ember.Tensor)
            else ("value", a) for a in args]


def _rebuild(snapshot):
    args = []
    for kind, value, *requires_grad in snapshot:
        if kind == "tensor":
            value = ember.from_numpy(value.copy())
            if requires_grad[0]:
                value.requires_grad_()
        args.append(value)
    return args


def _watch(fast, name, make_args):
    def recorder(cls, *call):
        if cls not in _first_calls:
            _first_calls[cls] = (name, _snapshot(make_args(*call)))
        return fast(cls, *call)
    return recorder


def _watch_general(general):
    def recorder(cls, args):
        _general_seen.add(_name(cls))
        return general(cls, args)
    return recorder


def pytest_configure(config):
    _op._record_one = _watch(_op._record_one, "_record_one", lambda a, rest: (a,) + tuple(rest))
    _op._record_two = _watch(_op._record_two, "_record_two", lambda a, b: (a, b))
    _op._apply_general = _watch_general(_op._apply_general)


def _name(cls):
    return cls.__module__ + "." + cls.__qualname__


def _run(cls, args, general):
    """Records ``cls`` on ``args`` through the general path, or through Op.apply (which takes
    the specialised one for these arguments); returns a description of everything made."""
    ember.manual_seed(1234)
    out = _op._apply_general(cls, args) if general else cls.apply(*args)
    outs = out if isinstance(out, tuple) else (out,)
    node = next((o.grad_fn for o in outs if o.grad_fn is not None), None)
    tensors = [a for a in args if isinstance(a, ember.Tensor)]
    leaves = [a for a in tensors if a.requires_grad]
    graph = None
    if node is not None:
        edges = tuple(None if child is None else
                      (type(child).__name__, nr,
                       next((i for i, t in enumerate(tensors) if t is child.variable), "?")
                       if type(child).__name__ == "AccumulateGrad" else "?")
                      for child, nr in node.next_functions)
        saved = node.saved_tensors if node._saved is not None else ()
        graph = (type(node).__name__, tuple(bool(n) for n in node.needs_input_grad), edges,
                 tuple((o.grad_fn is node, o._output_nr) for o in outs),
                 tuple(_values(s) for s in saved))
    values = tuple((_values(o), o.requires_grad) for o in outs)
    grads = None
    differentiable = [o for o in outs if o.grad_fn is not None]
    if differentiable and leaves:
        rng = np.random.default_rng(0)
        ups = [ember.from_numpy(rng.standard_normal(o.shape).astype(o._array.dtype))
               for o in differentiable]
        grads = []
        for create_graph in (False, True):
            try:
                got = ember.autograd.grad(differentiable, leaves, ups, retain_graph=True,
                                          create_graph=create_graph, allow_unused=True)
                grads.append(tuple(None if g is None else _values(g) for g in got))
            except Exception as e:             # noqa: BLE001 -- both paths must agree on it
                grads.append(("raised", type(e).__name__, str(e)))
    return graph, values, grads


def _values(t):
    array = t.detach().numpy() if isinstance(t, ember.Tensor) else np.asarray(t)
    return str(array.dtype), array.shape, array.tobytes()


def _check_all():
    """Replays every kept call through both paths; returns (checked names, mismatches)."""
    checked, mismatches = [], []
    done = set()
    while len(done) < len(_first_calls):   # replaying records more ops (double backward)
        cls = next(c for c in _first_calls if c not in done)
        done.add(cls)
        path, snapshot = _first_calls[cls]
        try:
            fast = _run(cls, _rebuild(snapshot), general=False)
            general = _run(cls, _rebuild(snapshot), general=True)
        except Exception as e:                 # noqa: BLE001 -- reported as a mismatch
            mismatches.append("{} ({}): {}: {}".format(_name(cls), path, type(e).__name__, e))
            continue
        for part, a, b in zip(("graphs", "outputs", "gradients"), fast, general):
            if a != b:
                mismatches.append("{} ({}): the {} differ:\n  {}: {}\n  _apply_general: {}"
                                  .format(_name(cls), path, part, path, _short(a), _short(b)))
        checked.append(_name(cls))
    return checked, mismatches


def _short(x):
    text = repr(x)
    return text if len(text) < 400 else text[:400] + "..."


def _all_op_classes():
    for package in (ember, ember.nn.functional):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".__main__" not in info.name:
                importlib.import_module(info.name)
    found, stack = set(), [_op.Op]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    # a class with subclasses of its own is a family's base (``_Rounding``), not an op
    return {_name(c) for c in found if c.__module__.startswith("ember.")
            and not c.__subclasses__()}


def pytest_sessionfinish(session, exitstatus):
    try:
        checked, mismatches = _check_all()
    except Exception:                          # noqa: BLE001 -- a failure of the check itself
        import traceback
        checked, mismatches = [], ["the recording check failed:\n" + traceback.format_exc()]
    report = {"checked": checked, "mismatches": mismatches, "general": sorted(_general_seen)}
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:             # an xdist worker: the controller sums up
        workeroutput["recording_check"] = report
        return
    _reports.append(report)
    if any(r["mismatches"] for r in _reports):
        session.exitstatus = 1


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    report = getattr(node, "workeroutput", {}).get("recording_check")
    if report is not None:
        _reports.append(report)


def pytest_terminal_summary(terminalreporter):
    if not _reports:
        return
    checked = set().union(*(r["checked"] for r in _reports))
    general = set().union(*(r["general"] for r in _reports))
    mismatches = sorted(set().union(*(r["mismatches"] for r in _reports)))
    write = terminalreporter.write_line
    never = sorted(_all_op_classes() - checked - general)
    write("recording check: {} Op classes recorded through a specialised path matched the "
          "general path; {} more were recorded only by the general path; {} were never "
          "recorded by this run{}".format(len(checked), len(general - checked), len(never),
                                           ": " + ", ".join(never) if 0 < len(never) <= 10
                                           else "."))
    for m in mismatches:
        write("recording mismatch: " + m, red=True)
