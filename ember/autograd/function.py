"""``autograd.Function``: an operation with a forward and a hand-written backward.

Write a subclass with two static methods::

    class Square(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):              # x: a Tensor
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):          # grad: d(loss)/d(output)
            x, = ctx.saved_tensors
            return grad * 2 * x           # d(loss)/d(x), by the chain rule

    y = Square.apply(x)                   # y.grad_fn is a SquareBackward node

``ctx`` is the graph node itself (``y.grad_fn``), as in torch.  ``backward`` returns one
gradient per argument of ``forward`` (``None`` for arguments that are not tensors).

ember's built-in operations (``ember/_ops``) are written the same way, as subclasses of
:class:`~ember.autograd.op.Op` (``op.py``), with one difference that makes them fast: they
compute on the NumPy arrays inside the tensors.  This module holds what both kinds share: the
context, the graph node with its saved tensors, and the linking of outputs into the graph.
"""
import _thread
import weakref

import numpy as np

from .._tensor import Tensor
from . import anomaly_mode
from .graph import FREED, RELEASED as _RELEASED, AccumulateGrad, Node
from .grad_mode import _own, no_grad, state as _grad_state

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable"]

_NO_EDGE = (None, 0)
_new = object.__new__


def _grad_accumulator(tensor):
    """The leaf's AccumulateGrad node (one per leaf, made on first use)."""
    return _leaf_edge(tensor)[0]


def _leaf_edge(tensor):
    """The graph edge to a leaf, ``(its AccumulateGrad, 0)``: made once, kept by the leaf and
    reused by every graph (the node refers back to the leaf weakly, see graph.py).  The lock
    keeps it one node per leaf when two threads ask at once."""
    edge = tensor._leaf_edge
    if edge is None:
        with _MAKING_ACCUMULATOR:
            edge = tensor._leaf_edge
            if edge is None:
                edge = tensor._leaf_edge = (AccumulateGrad(tensor), 0)
    return edge


_MAKING_ACCUMULATOR = _thread.allocate_lock()


def _as_array(value):
    """NumPy returns scalars for 0-d results; a tensor always holds an ndarray."""
    return value if type(value) is np.ndarray else np.asanyarray(value)


def _version(t):
    base = t._base
    return (t if base is None else base)._vc


class FunctionCtx:
    """What ``forward`` can tell ``backward`` (mixed into every backward node)."""

    def save_for_backward(self, *tensors):
        """Keeps tensors for backward; read them back with ``ctx.saved_tensors``."""
        self._to_save = tensors

    def mark_dirty(self, *tensors):
        """Declares inputs that forward modified in place."""
        self._dirty = tensors

    def mark_non_differentiable(self, *outputs):
        """Declares outputs that carry no gradient (indices, masks)."""
        self._non_differentiable = outputs

    def set_materialize_grads(self, value):
        """With True (the default) missing output gradients reach backward as zeros."""
        self._materialize = bool(value)


class _SavedOutput:
    """An output the node saved: kept as its array (keeping the tensor would make a reference
    cycle output -> grad_fn -> output) plus a weak reference for the version check."""

    __slots__ = ("array", "ref", "nr")

    def __init__(self, tensor, nr):
        self.array, self.ref, self.nr = tensor._array, weakref.ref(tensor), nr


class BackwardCFunction(Node, FunctionCtx):
    """The graph node of one call of a Function; it is also that call's ``ctx``."""

    _forward_cls = None
    _versions = None            # the version of each saved tensor when it was saved
    _inputs_only = False        # True when every saved entry is an input tensor
    _to_save = ()
    _materialize = True
    _output_meta = None         # ((shape, dtype), ...) of the outputs, for zero gradients
    _input_meta = ()            # ((shape, dtype) or None, ...) per edge: what a gradient must be
    _positions = None           # which arguments are tensors, when some are not
    needs_input_grad = ()
    _creation_trace = None

    @property
    def saved_tensors(self):
        saved = self._saved
        if saved is None:
            return ()
        if saved is _RELEASED:
            raise RuntimeError(FREED)
        arrays = _grad_state().arrays
        if arrays and self._inputs_only:         # the common case, kept short: inputs only
            result = []
            for t, version in zip(saved, self._versions):
                base = t._base
                if (t if base is None else base)._vc != version:
                    _raise_modified(t, version, t.grad_fn, t._output_nr)
                result.append(t._array)
            return result
        result = []
        for item, version in zip(saved, self._versions):
            if version is None:                      # a constant
                result.append(item._array if arrays and type(item) is Tensor else item)
                continue
            if type(item) is _SavedOutput:
                alive = item.ref()
                if alive is not None and _version(alive) != version:
                    _raise_modified(alive, version, self, item.nr)
                if arrays:
                    result.append(item.array)
                    continue
                t = Tensor._make(item.array)
                t._requires_grad = True
                t.grad_fn = self
                t._output_nr = item.nr
                if alive is not None and "_fw_tangent" in alive.__dict__:    # forward AD
                    from .forward_ad import carry_tangent
                    carry_tangent(alive, t)
                result.append(t)
                continue
            if _version(item) != version:
                _raise_modified(item, version, item.grad_fn, item._output_nr)
            result.append(item._array if arrays else item)
        return tuple(result)

    saved_variables = saved_tensors

    def apply(self, *grads):
        """Runs a custom Function's backward: on tensors, whatever mode the engine is in."""
        modes = _own()
        arrays = modes.arrays
        if arrays:
            grads = tuple(None if g is None else Tensor._make(g) for g in grads)
        if self._num_outputs > 1 and self._materialize:
            grads = tuple(g if g is not None else Tensor._make(np.zeros(*meta))
                          for g, meta in zip(grads, self._output_meta))
        modes.arrays = False
        try:
            result = self._forward_cls.backward(self, *grads)
        finally:
            modes.arrays = arrays
        result = _select(self, result)
        checked = []
        for g, meta in zip(result, self._input_meta):
            if g is not None:
                if meta is None:
                    g = None
                elif not isinstance(g, Tensor):
                    raise TypeError("function {} returned a gradient different than None at "
                                    "position {}, but the corresponding forward input was not a "
                                    "Variable".format(type(self).__name__, len(checked) + 1))
                else:
                    g = _fit_tensor(g, meta, self, len(checked))
                    if arrays:
                        g = g._array
            checked.append(g)
        return tuple(checked)


def _select(node, result):
    """One gradient per argument of forward -> one per tensor argument (edge)."""
    if type(result) is not tuple:
        result = (result,)
    expected = len(node.needs_input_grad)
    if len(result) != expected and not (len(result) > expected and
                                        all(r is None for r in result[expected:])):
        raise RuntimeError("function {} returned an incorrect number of gradients (expected {}, "
                           "got {})".format(type(node).__name__, expected, len(result)))
    positions = node._positions
    if positions is None:
        return result
    if type(positions) is int:
        return result[:positions]
    return tuple(result[i] for i in positions)


def _fit_tensor(grad, meta, node, index):
    """Brings a gradient tensor to its input's shape (undoing broadcasting) and dtype."""
    shape, dtype = meta
    if grad._array.shape != shape:
        if not _expandable(shape, grad._array.shape):
            raise RuntimeError(
                "Function {} returned an invalid gradient at index {} - got {} but expected shape "
                "compatible with {}".format(type(node).__name__, index,
                                            list(grad._array.shape), list(shape)))
        grad = grad.sum_to_size(shape)
    if grad._array.dtype is not dtype:
        from .._dtype import from_numpy
        if grad._array.dtype.kind == "c" and dtype.kind != "c":
            grad = grad.real
        grad = grad.to(from_numpy(dtype))
    return grad


def _expandable(shape, target):
    """Whether ``shape`` broadcasts to ``target`` (so a gradient of ``target`` sums back)."""
    if len(shape) > len(target):
        return False
    for s, t in zip(reversed(shape), reversed(target)):
        if s != t and s != 1:
            return False
    return True


def _raise_modified(tensor, version, producer, output_nr):
    which = ""
    if producer is not None:
        # torch names the operation after its node: MulBackward0 -> Mul, EluBackward1 -> Elu1
        base, _, suffix = type(producer).__name__.rpartition("Backward")
        which = ", which is output {} of {},".format(
            output_nr, (base + (suffix if suffix != "0" else "")) if base else suffix)
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [{} {}]{} is at version {}; expected version {} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).".format(
            "torch." + tensor.dtype._torch_type, list(tensor._array.shape), which,
            _version(tensor), version))


class Function:
    """Base class of differentiable operations with a custom backward (see module docstring)."""

    _node_base = BackwardCFunction

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or cls._default_node_name()
        cls._backward_cls = type(name, (cls._node_base,),
                                 {"_forward_cls": cls, "__module__": cls.__module__,
                                  "__qualname__": name, "__doc__": cls.__doc__})

    @classmethod
    def _default_node_name(cls):
        return cls.__name__ + "Backward"

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Runs ``forward`` without recording, then links the outputs to a new backward node."""
        node = _new(cls._backward_cls)
        needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        node.needs_input_grad = needs
        track = _grad_state().enabled and any(needs)
        with no_grad():
            if cls.setup_context is not Function.setup_context:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, outputs)
            else:
                outputs = cls.forward(node, *args, **kwargs)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        dirty = node.__dict__.get("_dirty", ())
        wrapped = []
        for o in outs:
            if isinstance(o, Tensor) and any(o is a for a in args) and not any(o is d for d in dirty):
                alias = Tensor._make(o._array)       # returning an input: a new alias of it
                alias._base = o if o._base is None else o._base
                o = alias
            wrapped.append(o)
        if track:
            _link(node, args, wrapped, None)
        for d in dirty:
            d._bump_version()
        return wrapped[0] if single else tuple(wrapped)


def _edge(t):
    """The edge to the node that made ``t`` (its AccumulateGrad if ``t`` is a leaf).

    Every edge of the graph is made here, so that each node counts the edges that lead into
    it (``_uses``, its consumers): the engine runs a node that has one consumer as soon as that
    consumer has run, without counting anything at backward time."""
    fn = t.grad_fn
    if fn is not None:
        fn._uses += 1
        return (fn, t._output_nr)
    if not t._requires_grad:
        return _NO_EDGE
    edge = t._leaf_edge
    return edge if edge is not None else _leaf_edge(t)


def _link(node, args, outputs, raw_outputs):
    """Connects a custom Function's node: its edges, its outputs, what it saved."""
    edges = []
    meta = []
    positions = []
    leaves = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            positions.append(i)
            if a._requires_grad:
                edges.append(_edge(a))
                meta.append((a._array.shape, a._array.dtype))
                if a.grad_fn is None:
                    leaves.append(a)
            else:
                edges.append(_NO_EDGE)
                meta.append(None)
    node.next_functions = tuple(edges)
    node._input_meta = tuple(meta)
    if leaves:
        node._leaves = leaves
    if len(positions) != len(args):
        node._positions = tuple(positions)
    _link_outputs(node, outputs, raw_outputs)
    _link_saved(node, args, None, outputs, raw_outputs)
    if anomaly_mode.state.enabled:
        _record_trace(node)


def _link_outputs(node, outputs, raw_outputs):
    non_diff = node.__dict__.get("_non_differentiable", ())
    if len(outputs) > 1:
        node._num_outputs = len(outputs)
        node._output_meta = tuple((o._array.shape, o._array.dtype) if isinstance(o, Tensor)
                                  else ((), np.float32) for o in outputs)
    for nr, o in enumerate(outputs):
        if not isinstance(o, Tensor) or o._array.dtype.kind not in "fcV":
            continue
        if any(o is n or (raw_outputs is not None and raw_outputs[nr] is n) for n in non_diff):
            continue
        o._requires_grad = True
        o.grad_fn = node
        o._output_nr = nr


def _link_saved(node, args, arrays, outputs, raw_outputs):
    """Turns what forward passed to ``save_for_backward`` into tensors with versions."""
    to_save = node._to_save
    saved = []
    versions = []
    inputs_only = True
    for item in to_save:
        entry, version = item, None
        if type(item) is np.ndarray or isinstance(item, np.generic):   # 0-d results are scalars
            for a, array in zip(args, arrays):
                if array is item and isinstance(a, Tensor):
                    base = a._base
                    entry, version = a, (a if base is None else base)._vc
                    break
            else:
                inputs_only = False
                for nr, raw in enumerate(raw_outputs):
                    if raw is item:
                        entry, version = _SavedOutput(outputs[nr], nr), 0
                        break
                else:                                # an intermediate value: a constant
                    entry = Tensor._make(np.asarray(item))
        elif isinstance(item, Tensor):               # a custom Function saved a tensor
            inputs_only = False
            for nr, o in enumerate(outputs):
                if o is item:
                    entry, version = _SavedOutput(o, nr), _version(o)
                    break
            else:
                version = _version(item)
        else:
            inputs_only = False
        saved.append(entry)
        versions.append(version)
    node._saved = saved
    node._versions = versions
    node._inputs_only = inputs_only
    node._to_save = ()


def _record_trace(node):
    import traceback
    node._creation_trace = traceback.format_stack()[:-3]


def once_differentiable(fn):
    """Marks a backward as not differentiable twice (ember simply runs it without recording)."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            return fn(ctx, *args)
    return wrapper
