"""The backward pass: the chain rule applied to the whole graph, one node at a time.

``backward()`` starts from the output's node with the gradient d(out)/d(out) = 1 and walks
``next_functions`` towards the leaves.  A node may only run once the gradients from *all* the
paths that reach it have been summed, so the general algorithm (``_execute``) first counts, for
every node, how many edges lead into it (its dependencies); then it runs nodes whose count has
dropped to zero, passing each result along the edges and counting down.  The usual
``loss.backward()`` skips the counting where it can (``_run_tree``): most nodes have a single
consumer -- the graph of most models is a tree, apart from its leaves -- and such a node has all
its gradient as soon as that consumer has run.  Everything is a loop over explicit stacks, never
recursion, so a graph of a million nodes is as fine as one of ten.

Gradients flow as NumPy arrays, unless ``create_graph=True`` asks for the backward pass to be
recorded: then they flow as tensors and the formulas build a graph of their own.  Which of the
two, and the grad mode, are set for the calling thread only (``_enter``): several threads may
run backward at once, each on its own graph or into shared leaves (graph.AccumulateGrad locks).
"""
import sys
from _thread import get_ident

import numpy as np

from .. import _errors
from .._tensor import Tensor
from . import anomaly_mode
from .function import _grad_accumulator
from .graph import ACCUMULATING, RELEASED, AccumulateGrad, _run_grad_hooks
from .grad_mode import _own, state as _grad_state

__all__ = ["backward", "grad"]


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _root_edges(outputs):
    edges = []
    for i, t in enumerate(outputs):
        if not t._requires_grad:
            raise RuntimeError("element {} of tensors does not require grad and does not have a "
                               "grad_fn".format(i))
        fn = t.grad_fn
        edges.append((fn if fn is not None else _grad_accumulator(t), t._output_nr))
    return edges


def _make_grads(outputs, grad_outputs, as_arrays):
    """The starting gradients: given ones checked against their outputs, else ones for scalars."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif len(grad_outputs) != len(outputs):
        raise RuntimeError("grad requires one gradient per output: got {} gradients for {} "
                           "outputs".format(len(grad_outputs), len(outputs)))
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if out._array.size != 1 or out._array.dtype.kind == "c":
                raise _errors.implicit_grad_of_non_scalar(out.dtype if out._array.size == 1 else None)
            array = np.ones(out._array.shape, dtype=out._array.dtype)
            grads.append(array if as_arrays else Tensor._make(array))
            continue
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asanyarray(g, dtype=out._array.dtype))
        if g._array.shape != out._array.shape:
            raise RuntimeError("Mismatch in shape: grad_output[{0}] has a shape of {1} and "
                               "output[{0}] has a shape of {2}.".format(i, g.shape, out.shape))
        grads.append(g._array if as_arrays else g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulates into ``.grad`` of the leaves the gradient of ``tensors``.

    ``grad_tensors`` is the vector v of the vector-Jacobian product (needed for non-scalar
    outputs); ``retain_graph`` keeps the saved values for another backward; ``create_graph``
    records the backward pass itself, for higher-order derivatives; ``inputs`` restricts the
    accumulation to those tensors."""
    if grad_tensors is None:
        grad_tensors = grad_variables
    if (grad_tensors is None and inputs is None and not create_graph
            and isinstance(tensors, Tensor) and tensors._requires_grad):
        # The usual ``loss.backward()``: one scalar output, gradient 1.
        array = tensors._array
        if array.size != 1 or array.dtype.kind == "c":
            raise _errors.implicit_grad_of_non_scalar(tensors.dtype if array.size == 1 else None)
        root = tensors.grad_fn
        if root is None:
            root = _grad_accumulator(tensors)
        one = np.array(1, array.dtype) if not array.ndim else np.ones(array.shape, array.dtype)
        if root._num_outputs == 1 and _COUNTS_EXACT and not anomaly_mode.state.enabled:
            _run_tree(root, one, bool(retain_graph))
        else:
            _execute(((root, tensors._output_nr),), (one,), bool(retain_graph), False, None,
                     True)
        return
    tensors = _as_tuple(tensors)
    roots = _root_edges(tensors)
    grads = _make_grads(tensors, _as_tuple(grad_tensors), not create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    targets = None
    if inputs is not None:
        targets = _as_tuple(inputs)
        if not targets:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    _execute(roots, grads, retain_graph, create_graph, targets, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Returns d(outputs)/d(inputs) (times ``grad_outputs``) without touching any ``.grad``."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True")
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = _root_edges(outputs)
    grads = _make_grads(outputs, _as_tuple(grad_outputs), not create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    result = _execute(roots, grads, retain_graph, create_graph, inputs, accumulate=False)
    for i, g in enumerate(result):
        if g is None:
            if materialize_grads:
                result[i] = Tensor._make(np.zeros_like(inputs[i]._array))
            elif not allow_unused:
                raise RuntimeError(
                    "The differentiated Tensor at index {} appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior.".format(i))
        elif type(g) is not Tensor:
            result[i] = Tensor._make(g if g.base is None else g.copy())
    return tuple(result)


def _needed_nodes(roots, target_nodes):
    """Nodes from which some target can be reached (only those need to run)."""
    needed = {}
    for root in roots:
        if root in needed:
            continue
        needed[root] = root in target_nodes
        stack = [(root, iter(root.next_functions))]
        while stack:
            node, children = stack[-1]
            for child, _ in children:
                if child is None:
                    continue
                if child not in needed:
                    needed[child] = child in target_nodes
                    stack.append((child, iter(child.next_functions)))
                    break
                if needed[child]:
                    needed[node] = True
            else:
                stack.pop()
                if stack and needed[node]:
                    needed[stack[-1][0]] = True
    return needed


def _count_dependencies(roots, needed):
    """For every node below the roots that must run, the number of edges that lead into it."""
    deps = {}
    count = deps.get
    seen = set(roots)
    stack = list(roots)
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None and (needed is None or needed.get(child)):
                deps[child] = count(child, 0) + 1
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
    return deps


def _execute(root_edges, root_grads, keep_graph, create_graph, targets, accumulate):
    """The general backward pass: several roots, and (with ``targets``) gradients captured
    for ``grad()`` or ``backward(inputs=...)``."""
    roots = []
    for node, _ in root_edges:
        if node not in roots:
            roots.append(node)
    captures = None          # (node, output_nr) -> index of the target it delivers
    captured = None
    needed = None
    if targets is not None:
        captured = [None] * len(targets)
        captures = {}
        for i, t in enumerate(targets):
            fn = t.grad_fn
            captures[(fn if fn is not None else _grad_accumulator(t), t._output_nr)] = i
        needed = _needed_nodes(roots, {node for node, _ in captures})
        roots = [r for r in roots if needed[r]]
    # Only nodes that must run are counted, so "not in deps" below means: skip that edge.
    deps = _count_dependencies(roots, needed)
    buffers = {}
    for (node, nr), g in zip(root_edges, root_grads):
        _add_to_buffer(buffers, node, nr, g)
    ready = [node for node in roots if node not in deps]
    _run(ready, buffers, deps, keep_graph, create_graph,
         (captures, captured, targets, accumulate, needed) if captures is not None else None)
    return captured


def _run(ready, buffers, deps, keep_graph, create_graph, capturing=None):
    """Runs the nodes: each as soon as all the edges into it have delivered (``deps``), with
    the sum of what they delivered (``buffers``).  ``capturing`` is what ``_execute`` needs
    to capture gradients for ``grad()``."""
    check_nan = anomaly_mode.state.enabled and anomaly_mode.state.check_nan
    modes, previous = _enter(create_graph)
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if grads is None:                   # no gradient reached this node
                outs = ()
            elif capturing is None and not node._hooked:
                if type(node) is AccumulateGrad:
                    with ACCUMULATING:
                        node.accumulate(grads[0])
                    continue
                outs = node.apply(*grads)
                if not keep_graph and node._saved is not None:
                    node._saved = RELEASED
                if check_nan:
                    _check_nan(node, outs)
            else:
                outs = _run_node(node, grads, keep_graph, check_nan, capturing)
            i = 0
            n_outs = len(outs)
            for child, nr in node.next_functions:
                left = deps.get(child)
                if left is not None:
                    g = outs[i] if i < n_outs else None
                    if g is not None:
                        buf = buffers.get(child)
                        if buf is None:
                            if child._num_outputs == 1:
                                buffers[child] = [g]
                            else:
                                buffers[child] = buf = [None] * child._num_outputs
                                buf[nr] = g
                        else:
                            old = buf[nr]
                            buf[nr] = g if old is None else old + g
                    if left == 1:                # the last edge into child: it may run
                        ready.append(child)
                    else:
                        deps[child] = left - 1
                i += 1
            outs = g = buf = None    # drop our references: AccumulateGrad counts them
    finally:
        modes.enabled, modes.arrays = previous


def _enter(create_graph):
    """Switches the calling thread to backward mode: recording only for ``create_graph``, and
    then gradients as tensors, else as arrays.  Returns what to restore afterwards."""
    modes = _grad_state()
    if modes.thread != get_ident():         # not yet this thread's own modes
        modes = _own()
    previous = modes.enabled, modes.arrays
    modes.enabled = create_graph
    modes.arrays = not create_graph
    return modes, previous


# ``_run_tree`` trusts the consumer counts made while recording (``function._edge``).  With the
# GIL, ``fn._uses += 1`` cannot be interrupted by another thread -- CPython switches threads only
# at calls and backward jumps, and the increment of a slot makes none -- so two threads that
# record consumers of one node at once still count both.  Without the GIL (free-threaded
# builds) it could lose one, so there every backward counts its graph itself (``_execute``).
_COUNTS_EXACT = getattr(sys, "_is_gil_enabled", lambda: True)()


def _run_tree(root, one, keep_graph):
    """``loss.backward()``, without counting dependencies first.

    A node with a single consumer (``_uses``, counted as the graph was recorded) has all its
    gradient once that consumer has run, so it runs right away: in a tree -- most models --
    that is every node but the leaves.  The leaves' AccumulateGrad nodes (whose consumers are
    not counted) collect their gradients in ``leaves``, and a node with several consumers waits
    in ``parked``, since some may still deliver (and some may not belong to this graph at all).
    Once nothing else can run, the parked nodes are all that is left of the graph, and the
    general algorithm, which counts, finishes it; then the leaves get their gradients."""
    leaves = {}
    parked = {}
    ready = [(root, [one])]
    modes, previous = _enter(False)
    try:
        while ready:
            node, grads = ready.pop()
            if node._hooked:
                outs = _run_node(node, grads, keep_graph, False, None)
            else:
                outs = node.apply(*grads)
                if not keep_graph and node._saved is not None:
                    node._saved = RELEASED
            i = 0
            n_outs = len(outs)
            for child, nr in node.next_functions:
                if child is not None:
                    g = outs[i] if i < n_outs else None
                    if g is None:
                        pass
                    elif child._uses == 1:               # its only consumer: it may run
                        if child._num_outputs == 1:
                            ready.append((child, [g]))
                        else:
                            buf = [None] * child._num_outputs
                            buf[nr] = g
                            ready.append((child, buf))
                    elif type(child) is AccumulateGrad:
                        old = leaves.get(child)
                        leaves[child] = g if old is None else old + g
                    else:
                        _add_to_buffer(parked, child, nr, g)
                i += 1
            outs = g = old = buf = None    # drop our references: AccumulateGrad counts them
        if parked:
            edges = [(node, 0) for node in leaves] + [
                (node, nr) for node, buf in parked.items() for nr, g in enumerate(buf)
                if g is not None]
            grads = list(leaves.values()) + [g for buf in parked.values() for g in buf
                                             if g is not None]
            leaves = parked = g = None
            _execute(edges, grads, keep_graph, False, None, True)
            return
        ACCUMULATING.acquire()
        try:
            for node in leaves:
                if node._hooked:
                    _run_node(node, [leaves[node]], keep_graph, False, None)
                else:
                    node.accumulate(leaves[node])
        finally:
            ACCUMULATING.release()
    finally:
        modes.enabled, modes.arrays = previous


def _run_node(node, grads, keep_graph, check_nan, capturing):
    """Runs one node the careful way: hooks, captured gradients for grad()/inputs=."""
    if node._tensor_hooks is not None or node._retained is not None:
        _run_tensor_hooks(node, grads)
    if capturing is not None:
        captures, captured, targets, accumulate, needed = capturing
        _capture(node, grads, captures, captured, targets, accumulate)
        if not _should_run(node, needed, accumulate):
            return ()
    if type(node) is AccumulateGrad:
        with ACCUMULATING:
            node.accumulate(grads[0])
        return ()
    if node._pre_hooks:
        grads = _run_node_hooks(node._pre_hooks, grads)
    outs = node.apply(*grads)
    if node._post_hooks:
        outs = _run_node_hooks(node._post_hooks, outs, grads)
    if not keep_graph:
        node._release()
    if check_nan:
        _check_nan(node, outs)
    return outs


def _should_run(node, needed, accumulate):
    if type(node) is AccumulateGrad:
        return accumulate and needed[node]
    return any(c is not None and needed.get(c) for c, _ in node.next_functions)


def _add_to_buffer(buffers, node, nr, grad):
    buf = buffers.get(node)
    if buf is None:
        buf = buffers[node] = [None] * node._num_outputs
    old = buf[nr]
    buf[nr] = grad if old is None else old + grad


def _capture(node, grads, captures, captured, targets, accumulate):
    for nr, g in enumerate(grads):
        index = captures.get((node, nr))
        if index is None or g is None:
            continue
        if accumulate and type(node) is not AccumulateGrad:
            _accumulate_into(targets[index], g)
        captured[index] = g


def _tensor(g):
    return g if type(g) is Tensor else Tensor._make(np.asanyarray(g))


def _accumulate_into(tensor, grad):
    """``backward(inputs=[non_leaf])``: such a tensor collects its gradient in ``.grad``."""
    g = _tensor(grad)
    if tensor._grad is None:
        tensor._grad = g if _grad_state().enabled else Tensor._make(g._array.copy())
    else:
        tensor._grad = tensor._grad + g


def _run_tensor_hooks(node, grads):
    """Hooks registered on the (non-leaf) tensors this node produced, and retain_grad()."""
    hooks = node._tensor_hooks
    if hooks and type(node) is not AccumulateGrad:
        for nr, fns in hooks.items():
            if grads[nr] is not None:
                grads[nr] = _run_grad_hooks(fns, grads[nr])
    retained = node._retained
    if retained:
        for nr, ref in retained.items():
            t = ref()
            if t is not None and grads[nr] is not None:
                _accumulate_into(t, grads[nr])


def _run_node_hooks(hooks, grads, *more):
    """A node's pre-hooks, ``hook(grad_outputs)``, or post-hooks, ``hook(grad_inputs,
    grad_outputs)``: each gets tensors and may return replacements for its first argument."""
    arrays = _grad_state().arrays
    grads = tuple(None if g is None else _tensor(g) for g in grads)
    more = [tuple(None if g is None else _tensor(g) for g in m) for m in more]
    for hook in hooks:
        result = hook(grads, *more)
        if result is not None:
            grads = tuple(result)
    return tuple(g._array if arrays and g is not None else g for g in grads)


def _check_nan(node, outs):
    for i, g in enumerate(outs):
        if g is None:
            continue
        array = g._array if isinstance(g, Tensor) else np.asanyarray(g)
        if array.dtype.kind in "fV" and np.isnan(array).any():
            trace = getattr(node, "_creation_trace", None)
            if trace:
                import warnings
                warnings.warn("Error detected in {}. Traceback of forward call that caused the "
                              "error:\n{}".format(type(node).__name__, "".join(trace)),
                              stacklevel=2)
            raise RuntimeError("Function '{}' returned nan values in its {}th output.".format(
                type(node).__name__, i))
