"""``Op``: how ember's built-in operations are written and recorded.

A built-in operation is a :class:`~ember.autograd.function.Function` whose ``forward`` computes
on the NumPy arrays inside the tensors (that is where the speed is) and whose ``backward`` gets
the gradient as an array too -- unless the backward pass is itself being recorded
(``create_graph=True``), in which case it gets tensors.  Formulas that use only what both
support serve both passes (see DEVELOPERS.md, "Writing an operation").

Recording is the hot path of every model: ``Op.apply`` makes no graph node at all when nothing
requires grad, and short functions record the usual calls (two tensors; one tensor followed by
plain arguments such as numbers and dimensions).
"""
import numpy as np

from .._tensor import Tensor
from . import anomaly_mode
from .function import (_NO_EDGE, BackwardCFunction, Function, FunctionCtx, _as_array, _edge,
                       _fit_tensor, _link_outputs, _link_saved, _new, _record_trace, _version)
from .grad_mode import state as _grad_state

__all__ = ["Op", "OpBackward"]

# The seam of the function transforms: while a forward-AD dual level is open (or a vectorised
# ``func.vmap`` runs) this is the transform's module, whose ``apply(cls, args)`` runs each op
# (with tangents, or on whole batches), ``follow_view(view, input)`` the views made without an
# op and ``elementwise(fn, args)`` the comparisons; None otherwise: an op pays one check for it.
_transform = None


def _sum_to(array, shape):
    lead = array.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and array.shape[i + lead] != 1)
    out = np.add.reduce(array, axis=axes, keepdims=True) if axes else array
    return out.reshape(shape) if lead else out


class OpBackward(BackwardCFunction):
    """The graph node of a built-in Op: its backward takes and returns arrays (or tensors
    when the backward pass is recorded)."""

    # The fields that recording sets on every node live in slots rather than in the instance
    # dictionary: a node is made per operation, and slots are several times cheaper to fill.
    # (Unlike the base class's defaults, a slot must be set before it is read: the recording
    # functions below set them all.)
    # ``_input_meta`` says what each input's gradient must look like, ((shape, dtype) or None,
    # ...) -- or is None when backward's gradients always fit their inputs already (most ops:
    # elementwise ones without broadcasting, matrix products ...), which spares recording the
    # cost of building it.
    __slots__ = ("needs_input_grad", "next_functions", "_input_meta", "_saved", "_versions",
                 "_uses", "_leaves")

    _inputs_only = True         # Ops usually save their inputs (_link_saved says otherwise)
    _complex = False            # True for the nodes of complex results (see _mark_complex)

    def apply(self, *grads):
        if self._num_outputs != 1:
            grads = _materialize(grads, self._output_meta)
        cls = self._forward_cls
        if self._complex and cls.holomorphic:
            # A formula written for real numbers, f'(x) * grad, serves complex ones as
            # conj(f'(z)) * grad = conj(f'(z) * conj(grad)): torch's convention (the conjugate
            # Wirtinger derivative), for every function that is holomorphic (a power series).
            result = _conj(cls.backward(self, *_conj(grads)))
        else:
            result = cls.backward(self, *grads)
        if type(result) is not tuple:
            result = (result,)
        metas = self._input_meta
        if metas is None:                   # gradients already fit their inputs
            return result
        positions = self._positions
        if positions is not None:
            result = result[:positions] if type(positions) is int else tuple(
                result[i] for i in positions)
        out = []
        for g, meta in zip(result, metas):
            if g is not None and meta is not None:
                if type(g) is not np.ndarray:
                    if isinstance(g, Tensor):
                        if not _grad_state().arrays:
                            out.append(_fit_tensor(g, meta, self, len(out)))
                            continue
                        g = g._array
                    else:
                        g = np.asanyarray(g)
                shape, dtype = meta
                if g.shape != shape:
                    g = _sum_to(g, shape)
                if g.dtype is not dtype:
                    # a real input of a complex result gets the real part of the gradient
                    g = (g.real if g.dtype.kind == "c" and dtype.kind != "c" else g).astype(dtype)
                out.append(g)
            else:
                out.append(None)
        return out


def _mark_complex(node):
    """A node whose result is complex becomes an instance of a subclass of its class (same
    name, ``_complex = True``), so that only such nodes pay for the complex case in ``apply``."""
    kind = type(node)
    sub = _COMPLEX_NODES.get(kind)
    if sub is None:
        sub = _COMPLEX_NODES[kind] = type(kind.__name__, (kind,),
                                         {"__slots__": (), "_complex": True,
                                          "__module__": kind.__module__})
    node.__class__ = sub


_COMPLEX_NODES = {}


def _conj(values):
    """The complex conjugates of a tuple of gradients (arrays, tensors or None)."""
    if type(values) is not tuple:
        return _conj_one(values)
    return tuple(_conj_one(v) for v in values)


def _conj_one(value):
    if value is None:
        return None
    return value.conj_physical() if isinstance(value, Tensor) else value.conj()


def _materialize(grads, metas):
    if _grad_state().arrays:
        return tuple(g if g is not None else np.zeros(*meta) for g, meta in zip(grads, metas))
    return tuple(g if g is not None else Tensor._make(np.zeros(*meta))
                 for g, meta in zip(grads, metas))


class _Never:
    """``needs_input_grad`` when nothing is recorded: every entry is False."""

    __slots__ = ()

    def __getitem__(self, index):
        return False


class _NoGradContext(FunctionCtx):
    """The ``ctx`` an Op's forward gets when no graph is recorded: it keeps nothing."""

    needs_input_grad = _Never()

    def save_for_backward(self, *tensors):
        pass

    def mark_non_differentiable(self, *outputs):
        pass


class Op(Function):
    """A built-in operation: ``forward(ctx, *arrays)`` computes on NumPy arrays and returns an
    array (or a tuple of them); ``backward(ctx, *grads)`` works on arrays or tensors (see the
    module docstring).

    Arguments that are tensors arrive in ``forward`` as their arrays; anything else (a Python
    number, a dimension) arrives as it is.  ``ctx.save_for_backward`` takes those arrays and
    ``ctx.saved_tensors`` gives back the tensors they belong to (or the op's own outputs).
    The graph node is named ``<Class>Backward0``, or ``node_name`` where torch says otherwise.
    """

    _node_base = OpBackward
    exact_grads = False     # True: backward always returns gradients of the inputs' shape and dtype
    # True: backward is the formula for real numbers, also right (conjugated) for a complex
    # result; an op whose complex result is not a power series of its inputs (abs, real,
    # conj ...) sets False and writes torch's complex formula out.
    holomorphic = True

    @classmethod
    def _default_node_name(cls):
        return cls.__name__ + "Backward0"

    @classmethod
    def apply(cls, *args):
        """Runs the op; records a graph node when grad mode is on and an input requires grad.

        The common shapes of call -- two tensors, or one tensor followed by plain arguments
        (numbers, dimensions) -- are recorded by short functions; anything else by the general
        one."""
        if _transform is not None:
            return _transform.apply(cls, args)
        if _grad_state().enabled:
            a = args[0]
            n = len(args)
            if n == 1:
                if isinstance(a, Tensor) and a._requires_grad:
                    return _record_one(cls, a, ())
            elif n == 2:
                b = args[1]
                if isinstance(b, Tensor):
                    if isinstance(a, Tensor) and (a._requires_grad or b._requires_grad):
                        return _record_two(cls, a, b)
                    if b._requires_grad:
                        return _apply_general(cls, args)
                elif isinstance(a, Tensor) and a._requires_grad:
                    return _record_one(cls, a, (b,))
            else:
                for t in args:
                    if isinstance(t, Tensor) and t._requires_grad:
                        if isinstance(a, Tensor) and not any(isinstance(e, Tensor)
                                                             for e in args[1:]):
                            return _record_one(cls, a, args[1:])
                        return _apply_general(cls, args)
        out = cls.forward(_NoGradContext(), *[a._array if isinstance(a, Tensor) else a
                                              for a in args])
        if type(out) is np.ndarray:
            return Tensor._make(out)
        if type(out) is tuple:
            return tuple(Tensor._make(_as_array(o)) for o in out)
        return Tensor._make(np.asanyarray(out))


def _record_one(cls, a, rest):
    """Runs ``cls`` on one tensor followed by plain arguments (``x.exp()``, ``x.pow(2)``,
    ``x.sum(1)``) and links the result into the graph."""
    node = _new(cls._backward_cls)
    node._uses = 0
    x = a._array
    if rest:
        node.needs_input_grad = (True,) + (False,) * len(rest)
        out = cls.forward(node, x, *rest)
        node._positions = 1
    else:
        node.needs_input_grad = _NEEDS_ONE
        out = cls.forward(node, x)
    node.next_functions = (_edge(a),)
    if a.grad_fn is None:                           # a leaf: the graph keeps it alive
        node._leaves = a
    raw = out
    if type(out) is not np.ndarray:
        if type(out) is tuple:
            node._input_meta = ((x.shape, x.dtype),)
            return _finish_recorded(node, (a,) + rest, (x,) + rest, out)
        out = np.asanyarray(out)                       # NumPy gives scalars for 0-d results
    output = _new(Tensor)                           # Tensor._make, spelled out on the hot path
    output._array = out
    kind = out.dtype.kind
    if kind == "f" or kind in "cV":
        output._requires_grad = True
        output.grad_fn = node
        if kind == "c":
            _mark_complex(node)
    else:                                           # integer and bool results carry no gradient
        output._requires_grad = False
        output.grad_fn = None
    # whether backward's gradients already have the input's shape and dtype (elementwise ops)
    if cls.exact_grads or x.shape == out.shape and x.dtype is out.dtype:
        node._input_meta = None
    else:
        node._input_meta = ((x.shape, x.dtype),)
    to_save = node._to_save
    if not to_save:
        node._saved = None
    elif len(to_save) == 1 and to_save[0] is x:     # the usual case: forward saved its input
        node._saved = (a,)
        node._versions = (_version(a),)
    else:
        _link_saved(node, (a,) + rest, (x,) + rest, (output,), (raw,))
    if anomaly_mode.state.enabled:
        _record_trace(node)
    return output


def _record_two(cls, a, b):
    """Runs ``cls`` on two tensors, the commonest call of all (``x * y``, ``x @ w``,
    ``mse_loss(input, target)``), and links the result into the graph."""
    node = _new(cls._backward_cls)
    node._uses = 0
    x = a._array
    y = b._array
    ra = a._requires_grad
    rb = b._requires_grad
    node.needs_input_grad = (ra, rb)
    out = cls.forward(node, x, y)
    node.next_functions = (_edge(a), _edge(b))
    if a.grad_fn is None or b.grad_fn is None:      # a leaf: the graph keeps it alive
        node._leaves = (a if ra else None, b if rb else None)
    raw = out
    if type(out) is not np.ndarray:
        if type(out) is tuple:
            node._input_meta = _metas_of_two(x, ra, y, rb)
            return _finish_recorded(node, (a, b), (x, y), out)
        out = np.asanyarray(out)                       # NumPy gives scalars for 0-d results
    output = _new(Tensor)
    output._array = out
    kind = out.dtype.kind
    if kind == "f" or kind in "cV":
        output._requires_grad = True
        output.grad_fn = node
        if kind == "c":
            _mark_complex(node)
    else:                                           # integer and bool results carry no gradient
        output._requires_grad = False
        output.grad_fn = None
    if cls.exact_grads or (x.shape == out.shape == y.shape and x.dtype is out.dtype
                           and y.dtype is out.dtype):
        node._input_meta = None
    else:
        node._input_meta = _metas_of_two(x, ra, y, rb)
    to_save = node._to_save
    if not to_save:
        node._saved = None
    elif len(to_save) == 2 and to_save[0] is x and to_save[1] is y:
        # the usual case: forward saved its two inputs
        node._saved = (a, b)
        base_a = a._base
        base_b = b._base
        node._versions = ((a if base_a is None else base_a)._vc,
                          (b if base_b is None else base_b)._vc)
    else:
        _link_saved(node, (a, b), (x, y), (output,), (raw,))
    if anomaly_mode.state.enabled:
        _record_trace(node)
    return output


_NEEDS_ONE = (True,)


def _metas_of_two(x, ra, y, rb):
    """``_input_meta`` of a node with two tensor inputs (None for one that needs no grad)."""
    return (x.shape, x.dtype) if ra else None, (y.shape, y.dtype) if rb else None


def _finish_recorded(node, args, arrays, out):
    if type(out) is tuple:
        outputs = [Tensor._make(_as_array(o)) for o in out]
        if any(o._array.dtype.kind == "c" for o in outputs):
            _mark_complex(node)
        _link_outputs(node, outputs, out)
        _link_saved(node, args, arrays, outputs, out)
        if anomaly_mode.state.enabled:
            _record_trace(node)
        return tuple(outputs)
    output = Tensor._make(np.asanyarray(out))
    kind = output._array.dtype.kind
    if kind == "f" or kind in "cV":
        output._requires_grad = True
        output.grad_fn = node
        if kind == "c":
            _mark_complex(node)
    if node._to_save:
        _link_saved(node, args, arrays, (output,), (out,))
    else:
        node._saved = None
    if anomaly_mode.state.enabled:
        _record_trace(node)
    return output


def _apply_general(cls, args):
    node = _new(cls._backward_cls)
    node._uses = 0
    arrays = []
    edges = []
    meta = []
    needs = []
    leaves = []
    n_tensors = 0
    for a in args:
        if isinstance(a, Tensor):
            array = a._array
            arrays.append(array)
            n_tensors += 1
            if a._requires_grad:
                edges.append(_edge(a))
                meta.append((array.shape, array.dtype))
                needs.append(True)
                if a.grad_fn is None:
                    leaves.append(a)
                continue
            edges.append(_NO_EDGE)
            meta.append(None)
        else:
            arrays.append(a)
        needs.append(False)
    node.needs_input_grad = needs
    out = cls.forward(node, *arrays)
    node.next_functions = tuple(edges)
    if leaves:
        node._leaves = leaves
    if n_tensors != len(args):
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        node._positions = n_tensors if positions[-1] == n_tensors - 1 else tuple(positions)
    # the exact path hands back backward's gradients as they are, so only when the tensors lead
    exact = cls.exact_grads and type(node._positions) is not tuple
    node._input_meta = None if exact else meta
    return _finish_recorded(node, args, arrays, out)
