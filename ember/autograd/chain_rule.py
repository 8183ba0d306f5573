"""``explain(output)``: the chain rule of one backward pass, written out as text.

``backward()`` computes ``d(output)/d(leaf)`` for every leaf by walking the graph from the
output to the leaves.  ``explain`` walks the same graph and writes down what that walk does, the
way a lecture writes it on the board for ``a = relu(w*x + b)`` at ``x = 3, w = 2, b = 1``::

    Local derivatives ...
      ∂a/∂v = 1
      ∂v/∂u = 1         ∂v/∂b = 1
      ∂u/∂w = 3
    Paths from a to each leaf (the product of the local derivatives along the path):
      ∂a/∂v · ∂v/∂u · ∂u/∂w = 1 · 1 · 3 = 3
      ∂a/∂v · ∂v/∂b = 1 · 1 = 1
    Summed over the paths, per leaf (what backward() puts into .grad):
      ∂a/∂w = 3        (w.grad = 3)
      ∂a/∂b = 1        (b.grad = 1)

How the numbers are obtained.  Each graph node's ``apply`` is the backward formula of its
operation: given the gradient of the node's result it returns the gradient of each input.  Given
the gradient 1 it returns the *local derivatives* of the node; given the product of the local
derivatives so far along a path, it multiplies in its own (for tensors this product is a
vector-Jacobian product, and the Jacobians are never built).  ``explain`` calls ``apply`` itself,
on NumPy arrays, exactly as the engine does; it runs no hooks and changes no ``.grad``.

Design decisions:

* The backward formulas read the values the forward pass saved (``ctx.saved_tensors``), and
  ``backward()`` frees them.  So ``explain`` works before ``backward()`` or after
  ``backward(retain_graph=True)``; after a plain ``backward()`` it raises an error that says so.
  (Keeping the values alive after every backward would cost memory in every program, for the
  benefit of the few that call ``explain``.)
* The graph does not keep the forward value of an intermediate result -- only the values its
  backward formulas need.  ``explain`` knows the values of the output, of the leaves, and of
  every tensor you name in ``params`` (as in ``ember.viz.make_dot``); name the intermediate
  tensors you keep (``params=dict(u=u, v=v)``) to see their values and to use your own names.
  Nothing is recorded during the forward pass, so ordinary operations pay nothing for this.
"""
import re

import numpy as np

from .._tensor import Tensor
from .function import _grad_accumulator
from .graph import RELEASED, AccumulateGrad
from .grad_mode import _own

__all__ = ["explain", "format_value"]

MAX_PATHS = 32          # paths written out one by one; the sums always include all of them
MAX_FACTORS = 8         # local derivatives written out in one path (a longer one is elided)

FREED = ("explain() needs the values the forward pass saved for backward, and backward() has "
         "freed them: call backward(retain_graph=True), or call explain() before backward()")


class Explanation(str):
    """The text of :func:`explain`: a ``str`` that shows itself as text (also in Jupyter)."""

    def __repr__(self):
        return str(self)


def format_value(value):
    """A tensor's or array's values in short: ``3``, ``0.25``, ``[1, 2.5, 3]`` (4 digits)."""
    array = np.asarray(value._array if isinstance(value, Tensor) else value)
    if array.size == 1:
        return _number(array.reshape(()).item())
    text = np.array2string(array, precision=4, threshold=8, edgeitems=2, separator=", ",
                           max_line_width=10 ** 6, formatter={"float_kind": _number})
    return " ".join(text.split())


def _number(x):
    return "{:.4g}".format(float(x)) if isinstance(x, (float, np.floating)) else str(x)


def explain(output, params=None):
    """Writes out the backward pass from ``output`` as the chain rule: every node's local
    derivatives, the product of local derivatives along every path from ``output`` to a leaf,
    and their sum per leaf -- which is the leaf's gradient.

    Args:
        output (Tensor): a one-element tensor computed from tensors that require grad.
        params (dict, optional): names for tensors in the graph, ``{"w": w, "u": u}``: leaves,
            intermediate results or the output.  Unnamed leaves are called ``leaf1, leaf2 ...``,
            unnamed intermediate results ``t1, t2 ...``, an unnamed output ``out``.

    Returns:
        the explanation: a ``str`` (``print(explain(a))``).

    Works before ``backward()`` or after ``backward(retain_graph=True)`` (see the module notes).

    Example::

        >>> x = ember.tensor(3.0)
        >>> w = ember.tensor(2.0, requires_grad=True)
        >>> b = ember.tensor(1.0, requires_grad=True)
        >>> u = w * x; v = u + b; a = ember.relu(v)
        >>> print(explain(a, dict(x=x, w=w, b=b, u=u, v=v, a=a)))
    """
    if not isinstance(output, Tensor):
        raise TypeError("explain() expects a Tensor, got " + type(output).__name__)
    if not output._requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                           "grad_fn")
    if output._array.size != 1:
        raise RuntimeError("explain() needs a one-element output, like a loss; got one of shape "
                           "{} (try explain(output.sum()))".format(list(output._array.shape)))
    fn = output.grad_fn
    root = (fn if fn is not None else _grad_accumulator(output), output._output_nr)
    order = _forward_order(root[0])
    if any(node._saved is RELEASED for node in order):
        raise RuntimeError(FREED)
    graph = _Graph(root, order, output, params or {})
    return Explanation("\n".join(graph.lines()))


def _forward_order(root):
    """The nodes reachable from ``root``, each after all the nodes it reads (leaves first)."""
    order, done = [], set()
    stack = [(root, iter(root.next_functions))]
    done.add(root)
    while stack:
        node, children = stack[-1]
        for child, _ in children:
            if child is not None and child not in done:
                done.add(child)
                stack.append((child, iter(child.next_functions)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


class _Backward:
    """Runs node backward formulas the way the engine does: on arrays, recording nothing."""

    def __enter__(self):
        modes = _own()
        self._previous = modes.enabled, modes.arrays
        modes.enabled, modes.arrays = False, True

    def __exit__(self, *exc):
        modes = _own()
        modes.enabled, modes.arrays = self._previous


def _apply(node, nr, grad):
    """The gradient of each input of ``node``, given ``grad`` for its output ``nr``."""
    grads = [None] * node._num_outputs
    grads[nr] = grad
    result = node.apply(*grads)
    return [None if g is None else np.asarray(g) for g, _ in zip(result, node.next_functions)]


class _Graph:
    """One output's graph, its names and values, and the text that explains it."""

    def __init__(self, root, order, output, params):
        self.root, self.order, self.output = root, order, output
        self._find_shapes()
        self._name_everything(params)

    def _find_shapes(self):
        """``self.shapes``: the (shape, dtype) of what flows along each edge, found from the
        output down.  A node knows what its inputs looked like when it has to reshape their
        gradients (``_input_meta``); otherwise its gradients have its inputs' shapes, so
        applying it once tells them."""
        self.shapes = {self.root: (self.output._array.shape, self.output._array.dtype)}
        with _Backward():
            for node in reversed(self.order):        # each node after the nodes that read it
                metas = getattr(node, "_input_meta", ())
                if metas is None:
                    metas = self._metas_from_gradients(node)
                for (child, nr), meta in zip(node.next_functions, metas):
                    if child is not None and meta is not None:
                        self.shapes[(child, nr)] = meta

    def _metas_from_gradients(self, node):
        for nr in range(node._num_outputs):
            if (node, nr) in self.shapes:
                grads = _apply(node, nr, self._seed((node, nr)))
                return [None if g is None else (g.shape, g.dtype) for g in grads]
        return ()

    # -- names and values ------------------------------------------------------------------

    def _name_everything(self, params):
        """``self.names`` (of leaves and results) and ``self.values`` (of the results whose
        tensor is known), keyed by an edge ``(node, output_nr)``; a leaf is the edge
        ``(its AccumulateGrad, 0)``."""
        self.names, self.values = {}, {}
        leaf_names = {}
        for name, t in params.items():
            if not isinstance(t, Tensor):
                continue
            if t.grad_fn is None:
                leaf_names.setdefault(id(t), name)
            else:
                key = (t.grad_fn, t._output_nr)
                self.names.setdefault(key, name)
                self.values[key] = t
        self.values[self.root] = self.output
        taken = set(leaf_names.values()) | set(self.names.values())
        leaves, results = 0, 0
        for node in self.order:
            if type(node) is AccumulateGrad:
                key = (node, 0)
                name = leaf_names.get(id(node.variable))
                if name is None and key != self.root:
                    leaves += 1
                    name = _fresh("leaf", leaves, taken)
                self.names[key] = name if name is not None else "out"
                continue
            for nr in range(node._num_outputs):
                key = (node, nr)
                if key in self.shapes and key not in self.names:
                    if key == self.root:
                        self.names[key] = "out"
                    else:
                        results += 1
                        self.names[key] = _fresh("t", results, taken)

    # -- the text --------------------------------------------------------------------------

    def lines(self):
        out_name = self.names[self.root]
        with _Backward():
            local = self._local_derivatives()
            paths, n_paths = self._paths()
            sums = self._sums()
        text = ["Backward pass of {} = {}".format(out_name, format_value(self.output)), ""]
        text += self._forward_lines()
        text += ["", "Local derivatives (from the backward formula of each operation):"]
        for node in reversed(self.order):
            if type(node) is not AccumulateGrad and node in local:
                text.append("  " + "      ".join(local[node]))
        if not local:
            text.append("  none: {} is a leaf".format(out_name))
        text += ["", "Paths from {} to each leaf (the product of the local derivatives along "
                     "the path):".format(out_name)]
        text += ["  " + line for line in paths]
        if n_paths > len(paths):
            text.append("  ... and {} more paths".format(n_paths - len(paths)))
        text += ["", "Summed over the paths, per leaf (what backward() puts into .grad):"]
        for leaf, grad in sums:
            name = self.names[leaf]
            line = "  ∂{}/∂{} = {}".format(_wrap(out_name), _wrap(name), format_value(grad))
            var = leaf[0].variable
            if var._grad is not None:
                line += "        ({}.grad = {})".format(name, format_value(var._grad))
            text.append(line)
        return text

    def _forward_lines(self):
        """One line per operation, leaves first: ``v = AddBackward0(u, b) = 7``."""
        leaves = [(n, 0) for n in self.order if type(n) is AccumulateGrad]
        text = ["The graph (from the leaves up; '-' is an input that needs no gradient):"]
        if leaves:
            text.append("  leaves: " + ", ".join(
                "{} = {}".format(self.names[leaf], format_value(leaf[0].variable))
                for leaf in leaves))
        for node in self.order:
            if type(node) is AccumulateGrad:
                continue
            args = ", ".join("-" if child is None else self.names[(child, nr)]
                             for child, nr in node.next_functions)
            for nr in range(node._num_outputs):
                key = (node, nr)
                if key not in self.names:
                    continue
                line = "  {} = {}({})".format(self.names[key], type(node).__name__, args)
                if key in self.values:
                    line += " = " + format_value(self.values[key])
                text.append(line)
        return text

    def _seed(self, edge):
        shape, dtype = self.shapes[edge]
        return np.ones(shape, dtype)

    def _partial(self, edge, i):
        """``∂result/∂input`` as a symbol, e.g. ``∂v/∂u``."""
        node, nr = edge
        child = node.next_functions[i]
        symbol = "∂{}/∂{}".format(_wrap(self.names[edge]), _wrap(self.names[child]))
        same = [j for j, c in enumerate(node.next_functions) if c == child]
        if len(same) > 1:                        # x * x: two edges to the same input
            symbol += " (input {})".format(same.index(i) + 1)
        return symbol

    def _local_derivatives(self):
        """``{node: ["∂v/∂u = 1", ...]}``: the backward formula applied to the gradient 1."""
        local = {}
        for node in self.order:
            if type(node) is AccumulateGrad:
                continue
            entries = []
            for nr in range(node._num_outputs):
                edge = (node, nr)
                if edge not in self.shapes:
                    continue
                scalar = np.prod(self.shapes[edge][0]) == 1
                grads = _apply(node, nr, self._seed(edge)) if scalar else None
                for i, child in enumerate(node.next_functions):
                    if child[0] is None:
                        continue
                    if scalar:
                        value = format_value(grads[i]) if grads[i] is not None else "0"
                    else:
                        value = "a Jacobian, {} by {}".format(list(self.shapes[edge][0]),
                                                              list(self.shapes[child][0]))
                    entries.append("{} = {}".format(self._partial(edge, i), value))
            local[node] = entries
        return local

    def _paths(self):
        """The first ``MAX_PATHS`` paths from the output to a leaf, with their products, and
        how many paths there are in all."""
        count = {}
        for node in self.order:                  # paths from each node down to the leaves
            if type(node) is AccumulateGrad:
                count[node] = 1
            else:
                count[node] = sum(count[c] for c, _ in node.next_functions if c is not None)
        lines = []
        stack = [(self.root, self._seed(self.root), [], [])]
        while stack and len(lines) < MAX_PATHS:
            edge, grad, symbols, factors = stack.pop()
            node, nr = edge
            if type(node) is AccumulateGrad:
                lines.append(self._path_line(symbols, factors, grad))
                continue
            grads = _apply(node, nr, grad)
            scalar = grad.size == 1
            ones = _apply(node, nr, self._seed(edge)) if scalar else None
            branches = []
            for i, child in enumerate(node.next_functions):
                if child[0] is None:
                    continue
                g = grads[i] if grads[i] is not None else np.zeros(self.shapes[child][0])
                factor = None
                if scalar and g.size == 1:
                    factor = ones[i] if ones[i] is not None else np.zeros(())
                branches.append((child, g, symbols + [self._partial(edge, i)], factors + [factor]))
            stack.extend(reversed(branches))
        return lines, count[self.root[0]]

    def _path_line(self, symbols, factors, grad):
        if not symbols:                          # the output is itself a leaf
            return "∂{0}/∂{0} = 1".format(_wrap(self.names[self.root]))
        line = " · ".join(_elide(symbols))
        if len(symbols) > 1 and all(f is not None for f in factors):
            line += " = " + " · ".join(_elide([format_value(f) for f in factors]))
        return line + " = " + format_value(grad)

    def _sums(self):
        """Each leaf's gradient: the engine's algorithm, summing what arrives along each edge."""
        buffers = {self.root: self._seed(self.root)}
        sums = []
        for node in reversed(self.order):        # every node after all the nodes that read it
            if type(node) is AccumulateGrad:
                leaf = (node, 0)
                grad = buffers.get(leaf)
                sums.append((leaf, grad if grad is not None else np.zeros(self.shapes[leaf][0])))
                continue
            for nr in range(node._num_outputs):
                grad = buffers.get((node, nr))
                if grad is None:
                    continue
                for child, g in zip(node.next_functions, _apply(node, nr, grad)):
                    if child[0] is not None and g is not None:
                        old = buffers.get(child)
                        buffers[child] = g if old is None else old + g
        return sums[::-1]


def _elide(items):
    """A long path's factors, its middle left out: ``[a, b, c, '... (94 more)', x, y, z]``."""
    if len(items) <= MAX_FACTORS:
        return items
    keep = MAX_FACTORS // 2 - 1
    return items[:keep] + ["... ({} more)".format(len(items) - 2 * keep)] + items[-keep:]


def _fresh(prefix, number, taken):
    name = prefix + str(number)
    while name in taken:
        number += 1
        name = prefix + str(number)
    taken.add(name)
    return name


def _wrap(name):
    """``u`` stays ``u``; ``w*x + b`` becomes ``(w*x + b)`` so that ``∂(w*x + b)/∂w`` reads."""
    return name if re.fullmatch(r"[\w.\[\]]+", name) else "(" + name + ")"
