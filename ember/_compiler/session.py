"""Recording one call of a compiled function, and replaying it.

``record`` runs the function eagerly -- its results are the eager results -- with the arrays of
every tensor it can reach swapped for traced views of the same memory, and returns a
:class:`Plan`: the logged NumPy steps, plus what a replay must do besides them (copy the
arguments' data in, put back each parameter's ``.grad``, bump version counters as the eager
in-place writes did, and build the return value).  The plan's ``signature`` describes the steps
with every constant spelled out: two recordings with equal signatures did the same work, which
is how a value that escaped the tracer (and so was frozen into a constant) is caught.
"""
import functools

import numpy as np

from .._tensor import Tensor
from ..autograd.graph import RELEASED
from . import recorder as _rec
from .traced import TracedArray, _into, traced
from .watch import Guards


class Plan:
    """A recorded call, ready to replay: ``run(args)`` performs the call's NumPy work on the
    recorded buffers and returns what the call returned."""

    def __init__(self, steps, guards):
        self.guards = guards
        self.calls = [functools.partial(f, *a, **k) if k else functools.partial(f, *a)
                      for f, a, k in steps]
        self.inputs = []         # (argument position or name, private buffer, write back?)
        self.grads = []          # (tensor, its .grad after the call)
        self.versions = []       # (tensor, how many in-place writes the call made)
        self.output = None       # the template of the return value
        self.refused = None
        self.signature = None
        self.trusted = False
        self.diverged = 0        # replays stopped by a value read that differed
        self.rewind = []         # generators drawn from before the last value read

    def run(self, args, kwargs):
        if self.inputs:
            for where, buffer, _ in self.inputs:
                np.copyto(buffer, (args[where] if type(where) is int else kwargs[where])._array)
        states = [g._engine().state for g in self.rewind] if self.rewind else None
        try:
            for call in self.calls:
                call()
        except _rec.Diverged:
            for g, state in zip(self.rewind, states or ()):
                g._mt.state = state
            return _rec.Diverged
        for t, delta in self.versions:
            t._vc += delta
        for t, grad in self.grads:
            t._grad = grad
        if self.inputs:
            for where, buffer, back in self.inputs:
                if back:
                    np.copyto((args[where] if type(where) is int else kwargs[where])._array,
                              buffer)
        kind, value = self.output
        if kind == "tensor":                    # the usual case: one tensor (the loss)
            return Tensor._make(value.copy())
        return _build(self.output)


def _build(template):
    kind, value = template
    if kind == "tensor":
        return Tensor._make(value.copy())
    if kind == "same":
        return value
    if kind == "seq":
        return type(value[0])(_build(t) for t in value[1])
    if kind == "dict":
        return {k: _build(t) for k, t in value.items()}
    return value


def record(fn, args, kwargs, reach):
    """Calls ``fn(*args, **kwargs)`` eagerly while recording it; returns (result, plan)."""
    guards = Guards(reach)
    arg_tensors = [(i, a) for i, a in enumerate(args) if isinstance(a, Tensor)] + [
        (k, a) for k, a in kwargs.items() if isinstance(a, Tensor)]
    arg_ids = {id(a) for _, a in arg_tensors}
    externals = [t for t in reach.tensors.values() if id(t) not in arg_ids]
    grads_before = [(t, t._grad) for t in externals if t._requires_grad]
    versions_before = [(b, b._vc) for b in {id(b): b for b in (
        t if t._base is None else t._base for t in externals)}.values()]
    rec = _rec.Recorder()
    swapped = []
    for t in externals:
        swapped.append((t, t._array, traced(t._array)))
        t._array = swapped[-1][2]
    inputs = []
    for where, t in arg_tensors:
        private = t._array.copy()
        inputs.append((where, private, t, t._array, traced(private)))
        t._array = inputs[-1][4]
    try:
        with rec:
            result = fn(*args, **kwargs)
    finally:
        for t, original, tracer in swapped:
            if t._array is not tracer:
                _rec.refused_by(rec, "the call replaced a tensor's data (.data = or set_)")
                t._array = _untraced(t._array)
            else:
                t._array = original
        for where, private, t, original, tracer in inputs:
            if t._array is tracer:
                t._array = original
                np.copyto(original, private)
            else:
                _rec.refused_by(rec, "the call replaced an argument's data")
                t._array = _untraced(t._array)
        for t, _ in grads_before:
            if t._grad is not None:
                t._grad._array = _untraced(t._grad._array)
        for opt in reach.optimizers.values():          # state the call created
            for state in opt.state.values():
                for v in state.values():
                    if isinstance(v, Tensor):
                        v._array = _untraced(v._array)
    roots = {id(_root(original)) for _, original, _ in swapped}
    plan = Plan(_simplify(rec, _kept(grads_before, result)), guards)
    plan.refused = rec.refused
    if plan.refused is None and guards.hooks_present():
        plan.refused = "hooks are registered (a replay would not call them)"
    if plan.refused is None and any(a._requires_grad for _, a in arg_tensors):
        plan.refused = "an argument requires grad"
    if plan.refused is None and rec.expectations:
        last = rec.expectations[-1]
        if any(id(_root(w)) in roots for w in _written(rec.steps[:last])):
            plan.refused = ("a value read into Python after the call changed its state (a "
                            "replay could not stop there)")
        # random draws before a check: a replay that stops puts the generators back
        plan.rewind = list({id(a[0]): a[0] for f, a, _ in rec.steps[:last]
                            if f is _rec._draw}.values())
    ids = {id(t) for t in externals}
    plan.output = _template(result, ids, plan)
    _untrace_result(result)
    written = _written(rec.steps)
    plan.inputs = [(where, private, any(np.may_share_memory(private, w) for w in written))
                   for where, private, _, _, _ in inputs]
    plan.grads = [(t, t._grad) for t, before in grads_before if t._grad is not before]
    plan.versions = [(b, b._vc - vc) for b, vc in versions_before if b._vc != vc]
    roots |= {id(private) for _, private, _, _, _ in inputs}
    plan.signature = _Signature(rec.buffers, roots).of(
        (rec.steps, [(id(t), g._array if g is not None else None) for t, g in plan.grads],
         plan.versions and [d for _, d in plan.versions], _outputs_of(plan.output)))
    return result, plan


def _simplify(rec, kept):
    """The steps a replay needs: a buffer made from nothing (``np.ones``) that no later step
    writes keeps its recorded contents, so its fill is dropped; a copy into a buffer becomes
    ``np.copyto``."""
    fills = {id(step) for step in rec.made.values()}
    written = {id(_root(w)) for step in rec.steps if id(step) not in fills
               for w in _written([step])}
    steps = []
    for step in rec.steps:
        f, a, k = step
        if id(step) in fills and id(a[0]) not in written and id(a[0]) not in kept:
            continue
        if f is _into and a[0] is np.copy and type(a[1][0]) is np.ndarray:
            step = (np.copyto, (a[3][0], a[1][0]), None)
        steps.append(step)
    return steps


def _kept(grads_before, result):
    """The ids of the buffers that leave the call (gradients and returned tensors), which
    someone may write into between calls."""
    kept = {id(_root(t._grad._array)) for t, _ in grads_before if t._grad is not None}
    return kept | {id(_root(_untraced(t._array))) for t in _tensors_in(result)}


def _tensors_in(value):
    if isinstance(value, Tensor):
        return [value]
    if type(value) in (tuple, list):
        return [t for v in value for t in _tensors_in(v)]
    if type(value) is dict:
        return [t for v in value.values() for t in _tensors_in(v)]
    return []


def _untraced(array):
    return np.ndarray.view(array, np.ndarray) if type(array) is TracedArray else array


def _template(value, external_ids, plan):
    """How a replay rebuilds the return value (tensors made inside the call are returned as
    new tensors holding a copy of their buffer)."""
    if isinstance(value, Tensor):
        if id(value) in external_ids:
            return ("same", value)
        if value.grad_fn is not None and not _backward_ran(value.grad_fn):
            _rec.refused_by(plan, "it returns a tensor whose graph is still needed (compile "
                                  "the whole step, backward() included)")
        return ("tensor", _untraced(value._array))
    if type(value) in (tuple, list):
        return ("seq", (value, [_template(v, external_ids, plan) for v in value]))
    if type(value) is dict:
        return ("dict", {k: _template(v, external_ids, plan) for k, v in value.items()})
    if isinstance(value, np.ndarray):
        _rec.refused_by(plan, "it returns a NumPy array")
    return ("const", value)


def _backward_ran(node):
    """Whether a backward pass has run through the graph behind ``node`` (it freed what
    some node saved): a replay returns such a tensor without a graph."""
    seen, todo = set(), [node]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "_saved", None) is RELEASED:
            return True
        todo.extend(f for f, _ in getattr(node, "next_functions", ()))
    return False


def _untrace_result(value):
    if isinstance(value, Tensor):
        value._array = _untraced(value._array)
    elif type(value) in (tuple, list):
        for v in value:
            _untrace_result(v)
    elif type(value) is dict:
        for v in value.values():
            _untrace_result(v)


def _outputs_of(template):
    kind, value = template
    if kind == "tensor":
        return value
    if kind == "seq":
        return [_outputs_of(t) for t in value[1]]
    if kind == "dict":
        return {k: _outputs_of(t) for k, t in value.items()}
    return (kind, id(value)) if kind == "same" else None


def _written(steps):
    """The arrays the steps write into (their ``out=`` and the targets of in-place calls)."""
    from .traced import _MUTATORS
    written = []
    for f, a, k in steps:
        out = k.get("out") if k else None
        if out is not None:
            written.extend(out if type(out) is tuple else (out,))
        elif f is _into:
            written.extend(t for t in a[3] if t is not None)
        elif f in _MUTATORS or getattr(f, "__name__", "") == "at" or f is np.copyto:
            written.append(a[0])
    return written


_root = _rec.memory_owner


class _Signature:
    """Describes steps with buffers numbered in order of appearance and constants spelled
    out in full, so that two recordings compare equal exactly when they did the same work."""

    def __init__(self, buffers, roots):
        self.known = set(buffers) | roots
        self.numbers = {}

    def of(self, value):
        if isinstance(value, np.ndarray):
            root = _root(value)
            if id(root) in self.known:
                number = self.numbers.setdefault(id(root), len(self.numbers))
                offset = (value.__array_interface__["data"][0]
                          - root.__array_interface__["data"][0])
                return ("buffer", number, offset, value.shape, value.strides, value.dtype.str)
            return ("constant", value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes())
        if isinstance(value, np.generic):
            return ("scalar", value.dtype.str, value.tobytes())
        if type(value) in (tuple, list):
            return tuple(self.of(v) for v in value)
        if type(value) is dict:
            return tuple((k, self.of(v)) for k, v in value.items())
        if isinstance(value, float) and value != value:
            return ("nan",)
        return value
