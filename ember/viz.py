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

from . import tensor
from ._tensor import Tensor
from ._torch_node_fields import FIELDS, SAVED
from .autograd.chain_rule import format_value
from .autograd.graph import AccumulateGrad
from .autograd.op import OpBackward

__all__ = ["make_dot"]

NODE_STYLE = dict(style="filled", shape="box", align="left", fontsize="10", ranksep="0.1",
                  height="0.2", fontname="monospace")
OUTPUT, VIEW_BASE, LEAF, SAVED_COLOUR = "darkolivegreen1", "darkolivegreen3", "lightblue", "orange"
OPERATION = "lightgrey"         # Graphviz's fill colour of a node without one
# Node attributes that are the graph's own machinery, not what the operation recorded.
_MACHINERY = {"next_functions", "needs_input_grad", "variable", "metadata"}


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50, *,
             show_values=False, show_grads=False, legend=False):
    """Draws the autograd graph that produced ``var`` as a ``graphviz.Digraph``: the same DOT
    text as torchviz's ``make_dot`` writes for the same graph in PyTorch (nodes, edges, their
    order, labels and the names of saved values), unless ember's own options add to it.

    Args:
        var (Tensor or tuple of Tensors): the output(s), e.g. a loss.
        params (dict, optional): names for tensors, ``dict(model.named_parameters())``.  Leaves
            are labelled with their name and size; naming an intermediate tensor (ember only)
            adds its name to the node that made it.
        show_attrs (bool): also list what each node keeps for backward, under torch's names
            (``alpha``, ``self``, ``result`` ...; see ``ember/_torch_node_fields.py``).
        show_saved (bool): draw the tensors each node saved for backward (orange).
        max_attr_chars (int): longest attribute value shown before it is cut short.
        show_values (bool): label each tensor, and each node whose result is known, with its
            value.  Known results: the output's, and those of tensors named in ``params``
            (the graph itself keeps only what backward needs; see ``ember.autograd.explain``).
        show_grads (bool): after ``backward()``, label each tensor with its ``.grad``: the
            leaves, and the intermediate tensors named in ``params`` that called
            ``retain_grad()``.
        legend (bool): add a box that says what each colour means.

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
    for out in outputs:
        drawing.add_output(out)
    dot = drawing.dot
    # Grow the picture with the number of statements, as torchviz does.
    size = max(12, 0.15 * len(dot.body))
    dot.graph_attr.update(size="{},{}".format(size, size))
    if legend:
        _add_legend(dot, drawing.colours)
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
    # The graphviz package runs the program named here for render(), pipe() and the pictures
    # in Jupyter: Graphviz's dot when it is on the PATH (the package's default), else
    # graphviz-pure, without which it could only fail.  Decided on every call, since the PATH
    # may have changed since the last one.
    program = dot_program()
    if program is not None:
        graphviz.backend.dot_command.DOT_BINARY = pathlib.Path(
            "dot" if shutil.which("dot") else program)
    return graphviz


class _Drawing:
    """Builds the Digraph: one DOT node per graph node and tensor, keyed by ``id()``.

    The walk is torchviz's: from each output, depth first; for each graph node, first its saved
    tensors (by name), then its leaf tensor, the node itself, then for each input the edge and
    that input's whole subgraph, and last the tensors a custom ``Function`` saved.  A tensor
    drawn twice (a saved leaf) is written twice, as torchviz does; the last colour wins."""

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
        self.seen = set()               # ids of the nodes and tensors drawn
        self.keep = []                  # tensors made while drawing, so that no id is reused
        self.colours = set()            # the colours used, for the legend

    def add_output(self, var, color=OUTPUT):
        if id(var) in self.seen:
            return
        self.seen.add(id(var))
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
        """Every node reachable from ``root`` along ``next_functions``, in torchviz's order
        (a loop over a stack of what is left to do, so that deep graphs need no recursion)."""
        todo = [("node", root)]
        while todo:
            kind, item = todo.pop()
            if kind == "edge":
                self.dot.edge(*item)
                continue
            if kind == "custom saved":
                self._custom_saved(item)
                continue
            fn = item
            if id(fn) in self.seen:
                continue
            self.seen.add(id(fn))
            saved = self._saved(fn) if self.show_saved or self.show_attrs else {}
            if self.show_saved:
                for name, t in sorted(saved.items()):
                    if isinstance(t, Tensor):
                        self.seen.add(id(t))
                        self.dot.edge(str(id(fn)), str(id(t)), dir="none")
                        self._tensor_node(t, SAVED_COLOUR, name)
            if type(fn) is AccumulateGrad:
                var = fn.variable
                self.seen.add(id(var))
                self._tensor_node(var, LEAF, self.tensor_names.get(id(var), ""))
                self.dot.edge(str(id(var)), str(id(fn)))
            self.dot.node(str(id(fn)), self._node_label(fn, saved))
            later = []
            for child, _ in fn.next_functions:
                if child is not None:
                    later += [("edge", (str(id(child)), str(id(fn)))), ("node", child)]
            if _is_custom(fn):
                later.append(("custom saved", fn))
            todo.extend(reversed(later))

    def _saved(self, fn):
        """``{name: tensor or None}``: what ``fn`` saved, under torch's names where known."""
        if type(fn) is AccumulateGrad:
            return {}
        values = list(fn.saved_tensors)
        names = SAVED.get(type(fn).__name__)
        saved = {}
        for i, t in enumerate(values):
            if not isinstance(t, Tensor) and t is not None:     # a number, as torch keeps it
                t = tensor(t)
            self.keep.append(t)
            if names is not None and i < len(names):
                name, needed_by = names[i]
                if needed_by is not None and not fn.needs_input_grad[needed_by]:
                    t = None                # torch keeps it only for that input's gradient
            elif t is not None and t.grad_fn is fn:
                name = "result"
            else:
                name = "saved[{}]".format(i)
            saved[name] = t
        return saved

    def _custom_saved(self, fn):
        """The tensors a custom ``Function`` saved: drawn always, as torchviz does."""
        for t in fn.saved_tensors:
            self.seen.add(id(t))
            self.dot.edge(str(id(t)), str(id(fn)), dir="none")
            self._tensor_node(t, SAVED_COLOUR, self.tensor_names.get(id(t), ""))

    def _tensor_node(self, t, color, name):
        self.colours.add(color)
        lines = ["{}\n {}".format(name, "(" + ", ".join(str(n) for n in t.shape) + ")")]
        if self.show_values:
            lines.append("value: " + format_value(t))
        grad = _grad(t)
        if self.show_grads and grad is not None:
            lines.append("grad: " + format_value(grad))
        self.dot.node(str(id(t)), "\n".join(lines), fillcolor=color)

    def _node_label(self, fn, saved):
        self.colours.add(OPERATION)
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
            lines += self._attr_lines(fn, saved)
        return "\n".join(lines)

    def _attr_lines(self, fn, saved):
        """torchviz's table of what the node keeps: ``name: value``, by name, the names padded
        to one width and the values right-aligned to another, cut at ``max_attr_chars``."""
        name = type(fn).__name__
        attrs = {key: "None" if t is None else "[saved tensor]" for key, t in saved.items()}
        if name in SAVED or name in FIELDS:
            values = list(fn.saved_tensors) if name in FIELDS else ()
            attrs.update((key, str(get(fn, values))) for key, get in FIELDS.get(name, {}).items())
        elif type(fn) is not AccumulateGrad:
            attrs.update((key, repr(value)) for key, value in vars(fn).items()
                         if not key.startswith("_") and key not in _MACHINERY)
        if not attrs:
            return []
        limit = max(self.max_attr_chars, 3)
        key_width = max(len(k) for k in attrs)
        value_width = min(max(len(v) for v in attrs.values()), limit)
        rows = ["{}: {}".format(k.ljust(key_width), _cut(v, value_width).rjust(value_width))
                for k, v in sorted(attrs.items())]
        return ["-" * max(key_width + value_width + 2, len(name))] + rows


def _is_custom(fn):
    """A node of a custom ``autograd.Function`` (not a built-in operation, not a leaf)."""
    return type(fn) is not AccumulateGrad and not isinstance(fn, OpBackward)


def _add_legend(dot, colours):
    """A box that names each colour the picture uses."""
    meaning = [(OUTPUT, "output"), (LEAF, "leaf: gets .grad"), (OPERATION, "operation"),
               (SAVED_COLOUR, "saved for backward"), (VIEW_BASE, "viewed by an output")]
    with dot.subgraph(name="cluster_legend") as box:
        box.attr(label="legend", fontsize="10", style="dashed", fontname="Helvetica")
        for i, (colour, text) in enumerate(m for m in meaning if m[0] in colours):
            box.node("legend{}".format(i), text, fillcolor=colour, fontname="Helvetica")


def _grad(t):
    """``t.grad`` where autograd keeps one (leaves, and tensors that called retain_grad())."""
    return t.grad if t.is_leaf or t.retains_grad else None


def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 3] + "..."
