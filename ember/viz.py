"""Pictures of the autograd graph: ``make_dot``, with the signature and the graph shape of
torchviz's ``make_dot``, plus labels that show the forward values and the gradients.

    >>> from ember.viz import make_dot
    >>> x = ember.tensor(3.0)
    >>> w = ember.tensor(2.0, requires_grad=True)
    >>> b = ember.tensor(1.0, requires_grad=True)
    >>> u = w * x; v = u + b; a = ember.relu(v)
    >>> u.retain_grad(); v.retain_grad(); a.retain_grad()      # to see their gradients too
    >>> a.backward()
    >>> dot = make_dot(a, params=dict(x=x, w=w, b=b, u=u, v=v, a=a),
    ...                show_values=True, show_grads=True)
    >>> dot                          # in Jupyter: the picture
    >>> dot.render("graph", format="svg")                    # writes graph.svg

The picture is the graph that ``backward()`` walks.  A grey box is a node (``a.grad_fn``),
labelled with its type name; an arrow goes from each of its inputs (``next_functions``) to it,
the direction in which the forward pass computed.  A leaf tensor that requires grad is a light
blue box, attached to its ``AccumulateGrad`` node; the output is the green box.  A tensor that
needs no gradient (``x`` above) is not in the graph at all: nothing flows back to it.

Pictures are drawn by Graphviz: ``make_dot`` needs the ``graphviz`` Python package, and
rendering needs a ``dot`` program: Graphviz's own where it is installed, otherwise the one of the
``graphviz-pure`` package (a self-contained ``dot``, no system install).  ``pip install
'ember[viz]'`` installs both packages.
"""
import os
import pathlib
import shutil
import sys
import sysconfig

from ._tensor import Tensor
from .autograd.chain_rule import format_value
from .autograd.graph import AccumulateGrad

__all__ = ["make_dot"]

NODE_STYLE = dict(style="filled", shape="box", align="left", fontsize="10", ranksep="0.1",
                  height="0.2", fontname="monospace")
OUTPUT, VIEW_BASE, LEAF, SAVED = "darkolivegreen1", "darkolivegreen3", "lightblue", "orange"
# Node attributes that are the graph's own machinery, not what the operation recorded.
_MACHINERY = {"next_functions", "needs_input_grad", "variable", "metadata"}


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50, *,
             show_values=False, show_grads=False):
    """Draws the autograd graph that produced ``var`` as a ``graphviz.Digraph``.

    Args:
        var (Tensor or tuple of Tensors): the output(s), e.g. a loss.
        params (dict, optional): names for tensors, ``dict(model.named_parameters())``.  Leaves
            are labelled with their name and size; naming an intermediate tensor (ember only)
            adds its name to the node that made it.
        show_attrs (bool): also list what each node recorded in the forward pass (``alpha``,
            ``dim`` ...) and its saved tensors.
        show_saved (bool): draw the tensors each node saved for backward (orange).
        max_attr_chars (int): longest attribute value shown before it is cut short.
        show_values (bool): label each tensor, and each node whose result is known, with its
            value.  Known results: the output's, and those of tensors named in ``params``
            (the graph itself keeps only what backward needs; see ``ember.autograd.explain``).
        show_grads (bool): after ``backward()``, label each tensor with its ``.grad``: the
            leaves, and the intermediate tensors named in ``params`` that called
            ``retain_grad()``.

    Returns:
        graphviz.Digraph: shows itself in Jupyter; ``.render(name, format="png")`` writes it.
    """
    graphviz = _import_graphviz()
    params = params or {}
    drawing = _Drawing(graphviz.Digraph(node_attr=dict(NODE_STYLE), graph_attr=dict(size="12,12")),
                       params, show_attrs, show_saved, max_attr_chars, show_values, show_grads)
    outputs = var if isinstance(var, tuple) else (var,)
    for out in outputs:
        if not isinstance(out, Tensor):
            raise TypeError("make_dot() expects a Tensor or a tuple of Tensors, got "
                            + type(out).__name__)
        drawing.add_output(out)
    dot = drawing.dot
    # Grow the picture with the number of statements, as torchviz does.
    size = max(12, 0.15 * len(dot.body))
    dot.graph_attr.update(size="{},{}".format(size, size))
    return dot


def dot_program():
    """The path of the program that draws the pictures: Graphviz's ``dot`` where it is on the
    PATH, else ``graphviz-pure``'s (installed beside this Python), else ``None``."""
    found = shutil.which("dot")
    if found:
        return found
    name = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return shutil.which("graphviz-pure")


def _import_graphviz():
    """The ``graphviz`` package, told to run ``graphviz-pure`` when there is no ``dot``."""
    try:
        import graphviz
    except ImportError:
        raise ImportError("ember.viz.make_dot needs the graphviz Python package: "
                          "pip install 'ember[viz]'") from None
    program = dot_program()
    if program is not None and shutil.which("dot") is None:
        # The graphviz package runs the program named here for render(), pipe() and the
        # pictures in Jupyter; without a dot on the PATH it could only fail.
        graphviz.backend.dot_command.DOT_BINARY = pathlib.Path(program)
    return graphviz


class _Drawing:
    """Builds the Digraph: one DOT node per graph node and tensor, keyed by ``id()``."""

    def __init__(self, dot, params, show_attrs, show_saved, max_attr_chars, show_values,
                 show_grads):
        self.dot = dot
        self.show_attrs = show_attrs
        self.show_saved = show_saved
        self.max_attr_chars = max_attr_chars
        self.show_values = show_values
        self.show_grads = show_grads
        self.tensor_names = {}          # id(tensor) -> name
        self.results = {}               # (node, output_nr) -> [(name, tensor)]
        for name, t in params.items():
            if isinstance(t, Tensor):
                self.tensor_names.setdefault(id(t), name)
                if t.grad_fn is not None:
                    self.results.setdefault((t.grad_fn, t._output_nr), []).append((name, t))
        self.drawn = set()              # ids of what has a DOT node already
        self.keep = []                  # tensors made while drawing, so that no id is reused

    def add_output(self, var, color=OUTPUT):
        if id(var) in self.drawn:
            return
        self._tensor_node(var, color, self.tensor_names.get(id(var), ""))
        fn = var.grad_fn
        if fn is not None:
            self.results.setdefault((fn, var._output_nr), []).append(("", var))
            self._add_graph(fn)
            self.dot.edge(str(id(fn)), str(id(var)))
        if var._base is not None:       # a view: draw the tensor it views, dotted
            self.add_output(var._base, VIEW_BASE)
            self.dot.edge(str(id(var._base)), str(id(var)), style="dotted")

    def _add_graph(self, root):
        """Every node reachable from ``root`` along ``next_functions`` (a loop, no recursion)."""
        stack = [root]
        saved = []
        while stack:
            fn = stack.pop()
            if id(fn) in self.drawn:
                continue
            self.drawn.add(id(fn))
            if self.show_saved:
                saved.extend((fn, i, t) for i, t in enumerate(self._saved(fn)))
            if type(fn) is AccumulateGrad:
                var = fn.variable
                self._tensor_node(var, LEAF, self.tensor_names.get(id(var), ""))
                self.dot.edge(str(id(var)), str(id(fn)))
            self.dot.node(str(id(fn)), self._node_label(fn))
            for child, _ in fn.next_functions:
                if child is not None:
                    self.dot.edge(str(id(child)), str(id(fn)))
                    stack.append(child)
        for fn, i, t in saved:          # last, so that a saved leaf keeps its leaf colour
            self._saved_node(fn, i, t)

    def _saved(self, fn):
        saved = fn.saved_tensors if type(fn) is not AccumulateGrad else ()
        self.keep.extend(saved)
        return saved

    def _saved_node(self, fn, i, t):
        if t.grad_fn is fn:
            name = "result"             # the node's own output
        else:
            name = self.tensor_names.get(id(t), "saved[{}]".format(i))
        self._tensor_node(t, SAVED, name)
        self.dot.edge(str(id(fn)), str(id(t)), dir="none")

    def _tensor_node(self, t, color, name):
        if id(t) in self.drawn:
            return
        self.drawn.add(id(t))
        lines = ["{}\n {}".format(name, "(" + ", ".join(str(n) for n in t.shape) + ")")]
        if self.show_values:
            lines.append("value: " + format_value(t))
        grad = _grad(t)
        if self.show_grads and grad is not None:
            lines.append("grad: " + format_value(grad))
        self.dot.node(str(id(t)), "\n".join(lines), fillcolor=color)

    def _node_label(self, fn):
        lines = [type(fn).__name__]
        for nr in range(fn._num_outputs):
            known = self.results.get((fn, nr), ())
            names = [name for name, _ in known if name]
            if names:
                lines.append(" = ".join(names))
            if known and self.show_values:
                lines.append("value: " + format_value(known[0][1]))
            grads = [_grad(t) for _, t in known]
            grads = [g for g in grads if g is not None]
            if grads and self.show_grads:
                lines.append("grad: " + format_value(grads[0]))
        if self.show_attrs:
            lines += self._attr_lines(fn, lines[0])
        return "\n".join(lines)

    def _attr_lines(self, fn, title):
        """``alpha: 1`` for each value the forward pass recorded; saved tensors by position."""
        attrs = [(key, _short(repr(value), self.max_attr_chars))
                 for key, value in sorted(vars(fn).items())
                 if not key.startswith("_") and key not in _MACHINERY]
        attrs += [("saved[{}]".format(i), "[saved tensor]") for i in range(len(self._saved(fn)))]
        if not attrs:
            return []
        key_width = max(len(k) for k, _ in attrs)
        value_width = max(len(v) for _, v in attrs)
        rows = ["{}: {}".format(k.ljust(key_width), v.rjust(value_width)) for k, v in attrs]
        return ["-" * max(len(title), max(len(r) for r in rows))] + rows


def _grad(t):
    """``t.grad`` where autograd keeps one (leaves, and tensors that called retain_grad())."""
    return t.grad if t.is_leaf or t.retains_grad else None


def _short(text, limit):
    return text if len(text) <= limit else text[:limit - 3] + "..."
