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


def shape(dot):
    """The graph with the ids forgotten: node labels and colours, edges between labels."""
    nodes, edges = parse(dot)
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
    assert sorted(saved) == ["other\n ()", "result\n ()"]   # x, kept by mul; relu's result
    assert sum(attrs == "dir=none" for _, _, attrs in edges) == 2
    mul = next(label for label, _ in nodes.values() if label.startswith("MulBackward0"))
    assert mul == "MulBackward0\n---------------------\nother: [saved tensor]\nself :           None"
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


def ops(lib):
    """One graph per operation whose saved values make_dot names as torch does."""
    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = lib.tensor([[0.5, 1.5], [2.5, 3.5]], requires_grad=True)
    c = lib.tensor([[2.0, 1.0], [1.0, 2.0]])
    return {"add": x + y, "add_c": x + c, "sub": x - y, "mul": x * y, "mul_c": x * c,
            "c_mul": c * x, "mul_number": x * 2, "div": x / y, "div_c": x / c, "c_div": c / x,
            "pow": x ** 2, "relu": lib.relu(x), "sigmoid": lib.sigmoid(x), "tanh": lib.tanh(x),
            "exp": lib.exp(x), "log": lib.log(x), "sqrt": lib.sqrt(x), "abs": x.abs(),
            "neg": -x, "mean": x.mean(), "sum": x.sum(), "view": x.view(4), "t": x.t(),
            "cat": lib.cat([x, y], dim=1), "mm": x @ y, "mm_c": x @ c, "c_mm": c @ x}


def normalised(dot):
    """The DOT text with each id replaced by its order of first appearance."""
    ids = {}
    return re.sub(r"\b\d{5,}\b", lambda m: ids.setdefault(m.group(), "n{}".format(len(ids))),
                  dot.source)


OPTIONS = [{}, dict(show_saved=True), dict(show_attrs=True),
           dict(show_attrs=True, show_saved=True, max_attr_chars=8)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # torchviz uses distutils
@pytest.mark.parametrize("build", [lecture, linear_model, shared, view_output])
@pytest.mark.parametrize("options", OPTIONS)
def test_the_same_dot_text_as_torchviz(build, options):
    torch = pytest.importorskip("torch")
    torchviz = pytest.importorskip("torchviz")
    expected = torchviz.make_dot(*build(torch), **options)
    got = make_dot(*build(ember), **options)
    assert normalised(got) == normalised(expected)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("name", list(ops(ember)))
@pytest.mark.parametrize("options", OPTIONS)
def test_saved_values_have_torchs_names(name, options):
    torch = pytest.importorskip("torch")
    torchviz = pytest.importorskip("torchviz")
    expected = torchviz.make_dot(ops(torch)[name], **options)
    got = make_dot(ops(ember)[name], **options)
    assert normalised(got) == normalised(expected)


def test_legend_names_the_colours_used():
    a, params = lecture(ember)
    plain = make_dot(a, params).source
    dot = make_dot(a, params, legend=True)
    assert dot.source.startswith(plain[:-2])          # the same graph, then the legend
    legend = dot.source[len(plain) - 2:]
    assert "subgraph cluster_legend" in legend
    for text in ("output", "leaf: gets .grad", "operation"):
        assert text in legend
    assert "saved for backward" not in legend         # no saved tensors drawn
    assert "saved for backward" in make_dot(a, params, show_saved=True, legend=True).source
