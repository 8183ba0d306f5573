"""``ember.viz.make_dot``: torchviz's graph shape, plus values and gradients."""
import re
import sys
from collections import Counter

import pytest

import ember
from parity import lecture_graph

graphviz = pytest.importorskip("graphviz")
from ember.viz import dot_program, make_dot  # noqa: E402

needs_dot = pytest.mark.skipif(dot_program() is None,
                               reason="no dot program (Graphviz or graphviz-pure)")


def parse(dot):
    """``({id: (label, fillcolor)}, [(from, to, attributes)])`` from a Digraph's statements."""
    nodes, edges = {}, []
    for statement in dot.body:
        edge = re.fullmatch(r"\t(\d+) -> (\d+)(?: \[(.*)\])?\n", statement)
        if edge:
            edges.append((edge.group(1), edge.group(2), edge.group(3) or ""))
            continue
        node = re.fullmatch(r'\t(\d+) \[label=("(?:[^"\\]|\\.)*"|\S+)(?: fillcolor=(\S+))?\]\n',
                            statement, re.S)
        assert node, statement
        nodes[node.group(1)] = (node.group(2).strip('"'), node.group(3) or "")
    return nodes, edges


def shape(dot, first_lines=False):
    """The graph with the ids forgotten: node labels and colours, edges between labels (only
    the labels' first lines, the type names, with ``first_lines``)."""
    nodes, edges = parse(dot)
    if first_lines:
        nodes = {i: (label.split("\n")[0], colour) for i, (label, colour) in nodes.items()}
    return (Counter(nodes.values()),
            Counter((nodes[a][0], nodes[b][0], attrs) for a, b, attrs in edges))


def lecture(lib):
    a, names = lecture_graph(lib)
    return a, dict(w=names["w"], b=names["b"])


def test_lecture_graph_shape():
    a, params = lecture(ember)
    nodes, edges = shape(make_dot(a, params))
    assert nodes == Counter({("\n ()", "darkolivegreen1"): 1, ("ReluBackward0", ""): 1,
                             ("AddBackward0", ""): 1, ("MulBackward0", ""): 1,
                             ("AccumulateGrad", ""): 2, ("w\n ()", "lightblue"): 1,
                             ("b\n ()", "lightblue"): 1})
    assert edges == Counter({("w\n ()", "AccumulateGrad", ""): 1,
                             ("b\n ()", "AccumulateGrad", ""): 1,
                             ("AccumulateGrad", "MulBackward0", ""): 1,
                             ("AccumulateGrad", "AddBackward0", ""): 1,
                             ("MulBackward0", "AddBackward0", ""): 1,
                             ("AddBackward0", "ReluBackward0", ""): 1,
                             ("ReluBackward0", "\n ()", ""): 1})


def test_values_and_grads():
    a, names = lecture_graph()
    names["u"].retain_grad()
    a.backward()
    params = {name: names[name] for name in ("w", "b", "u", "v")}
    nodes, _ = parse(make_dot(a, params, show_values=True, show_grads=True))
    labels = Counter(label for label, _ in nodes.values())
    assert labels["w\n ()\nvalue: 2\ngrad: 3"] == 1
    assert labels["b\n ()\nvalue: 1\ngrad: 1"] == 1
    assert labels["MulBackward0\nu\nvalue: 6\ngrad: 1"] == 1     # u kept its gradient
    assert labels["AddBackward0\nv\nvalue: 7"] == 1              # v did not retain_grad()
    assert labels["ReluBackward0\nvalue: 7"] == 1
    assert labels["\n ()\nvalue: 7"] == 1


def test_show_saved_and_attrs():
    a, params = lecture(ember)
    nodes, edges = parse(make_dot(a, params, show_attrs=True, show_saved=True))
    saved = [label for label, colour in nodes.values() if colour == "orange"]
    assert sorted(saved) == ["result\n ()", "saved[1]\n ()"]   # relu's result; x, kept by mul
    assert ("w\n ()", "lightblue") in nodes.values()            # w is saved too, still a leaf
    assert sum(attrs == "dir=none" for _, _, attrs in edges) == 3
    add = next(label for label, _ in nodes.values() if label.startswith("AddBackward0"))
    assert add == "AddBackward0\n------------\nalpha: 1"


def test_saved_values_are_gone_after_backward():
    a, params = lecture(ember)
    a.backward()
    make_dot(a, params)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        make_dot(a, params, show_saved=True)


def test_outputs_views_and_leaves():
    x = ember.tensor([[1.0, 2.0]], requires_grad=True)
    nodes, _ = parse(make_dot(x, dict(x=x)))
    assert list(nodes.values()) == [("x\n (1, 2)", "darkolivegreen1")]
    y = (x * 2).t()
    nodes, edges = parse(make_dot((y, x.sum())))
    colours = Counter(colour for _, colour in nodes.values())
    assert colours["darkolivegreen1"] == 2 and colours["darkolivegreen3"] == 1
    assert sum(attrs == "style=dotted" for _, _, attrs in edges) == 1
    with pytest.raises(TypeError, match="expects a Tensor"):
        make_dot([y])


def test_a_deep_graph_needs_no_recursion():
    x = ember.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = y * 1.0
    nodes, edges = parse(make_dot(y))
    assert len(nodes) == len(edges) + 1


def test_missing_graphviz_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    a, params = lecture(ember)
    with pytest.raises(ImportError, match=r"pip install 'ember\[viz\]'"):
        make_dot(a, params)


@needs_dot
def test_renders_svg_and_png(tmp_path):
    a, params = lecture(ember)
    dot = make_dot(a, params, show_values=True)
    svg = dot.pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "ReluBackward0" in svg
    assert dot.pipe(format="png").startswith(b"\x89PNG\r\n\x1a\n")


# -- the same pictures as torchviz -----------------------------------------------------------

def linear_model(lib):
    lib.manual_seed(0)
    x = lib.randn(6, 2)
    y = lib.randn(6, 1)
    w = lib.randn(3, 1, requires_grad=True)
    prediction = lib.cat([x, lib.ones((6, 1))], dim=1).matmul(w)
    return ((prediction - y) ** 2).mean(), dict(w=w)


def shared(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    return (lib.sigmoid(y) + lib.tanh(y) * lib.exp(-x)).sum() / lib.log(x.mean() + 1), dict(x=x)


def view_output(lib):
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    return (x * 3).t(), dict(x=x)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # torchviz uses distutils
@pytest.mark.parametrize("build", [lecture, linear_model, shared, view_output])
@pytest.mark.parametrize("options", [{}, dict(show_attrs=True)])
def test_same_shape_as_torchviz(build, options):
    torch = pytest.importorskip("torch")
    torchviz = pytest.importorskip("torchviz")
    out, params = build(torch)
    expected = torchviz.make_dot(out, params, **options)
    out, params = build(ember)
    got = make_dot(out, params, **options)
    # With show_attrs, each node lists what the operation recorded: names differ in detail.
    assert shape(got, first_lines=True) == shape(expected, first_lines=True)
    if not options:
        assert shape(got) == shape(expected)
    assert got.graph_attr["size"] == expected.graph_attr["size"]
