"""``ember graph``: a formula's computation graph, drawn and explained."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from ember.cli.expr import ExpressionError, evaluate, parse_value
from ember.viz import dot_program

pytestmark = pytest.mark.usefixtures("in_tmp")   # what a command writes lands in a temporary folder
needs_dot = pytest.mark.skipif(dot_program() is None,
                               reason="neither Graphviz's dot nor graphviz-pure is installed")
needs_pure = pytest.mark.skipif(shutil.which("graphviz-pure", path=os.path.dirname(
    sys.executable)) is None, reason="graphviz-pure is not installed beside this Python")
LECTURE = ["graph", "relu(w*x + b)", "x=3", "w=2", "b=1", "--requires-grad", "w,b"]


def test_lecture_explanation(ember_cmd):
    status, out, err = ember_cmd(*LECTURE, "--no-picture")
    assert status == 0 and err == []
    assert out[0] == "relu(w*x + b)   with x = 3, w = 2 (requires grad), b = 1 (requires grad)"
    assert "  w*x = MulBackward0(w, -) = 6" in out
    assert "  ∂out/∂w = 3        (w.grad = 3)" in out
    assert "  ∂out/∂b = 1        (b.grad = 1)" in out
    assert os.listdir() == []


def test_the_lectures_names(ember_cmd):
    status, out, _ = ember_cmd("graph", "u = w*x; v = u + b; a = relu(v)", "x=3", "w=2",
                               "b=1", "--requires-grad", "w,b", "--no-picture")
    assert status == 0
    assert "  ∂a/∂v · ∂v/∂u · ∂u/∂w = 1 · 1 · 3 = 3" in out
    assert "  ∂a/∂w = 3        (w.grad = 3)" in out


@needs_dot
@pytest.mark.parametrize("name", ["graph.svg", "lecture.png", "lecture.pdf"])
def test_pictures(ember_cmd, in_tmp, name):
    if name.endswith(".pdf") and os.path.basename(dot_program()).startswith("graphviz-pure"):
        pytest.skip("graphviz-pure draws no PDF")
    argv = LECTURE + ([] if name == "graph.svg" else ["-o", name])
    status, out, _ = ember_cmd(*argv)
    assert status == 0 and out[-1].endswith(name)
    data = (in_tmp / name).read_bytes()
    if name.endswith(".svg"):
        text = data.decode()
        assert "<svg" in text and text.rstrip().endswith("</svg>")
        for label in ("MulBackward0", "w*x + b", "value: 7", "grad: 3"):
            assert label in text.replace("&#45;", "-"), label
    elif name.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert data.startswith(b"%PDF")


@needs_pure
@pytest.mark.parametrize("name", ["graph.svg", "graph.png"])
def test_graphviz_pure_draws_without_a_system_dot(ember_cmd, in_tmp, monkeypatch, name):
    pytest.importorskip("graphviz")
    monkeypatch.setenv("PATH", "")          # no dot program on the PATH
    status, out, err = ember_cmd(*LECTURE, "-o", name)
    assert status == 0 and err == [] and out[-1].endswith(name)
    data = (in_tmp / name).read_bytes()
    assert data.startswith(b"\x89PNG") if name.endswith(".png") else b"ReluBackward0" in data
    status, out, err = ember_cmd(*LECTURE, "-o", "graph.pdf")
    assert status == 2 and "graphviz-pure draws .svg and .png, not .pdf" in err[0]


def test_dot_source_needs_no_dot_program(ember_cmd, in_tmp, monkeypatch):
    pytest.importorskip("graphviz")
    monkeypatch.setattr("ember.cli.graph.dot_program", lambda: None)
    status, _, _ = ember_cmd(*LECTURE, "-o", "g.dot")
    assert status == 0
    assert (in_tmp / "g.dot").read_text().startswith("digraph {")
    status, out, err = ember_cmd(*LECTURE)
    assert status == 2 and out == [] and len(err) == 1
    assert "needs a dot program: pip install graphviz-pure" in err[0]
    assert os.listdir() == ["g.dot"]


def test_missing_graphviz_package(ember_cmd, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    status, out, err = ember_cmd(*LECTURE)
    assert status == 2 and out == [] and err == [
        "ember graph: error: drawing the graph needs the graphviz Python package: pip install "
        "'ember[viz]' (or use --no-picture)"]


@pytest.mark.parametrize("argv, message", [
    (["__import__('os').system('echo hi')", "x=1"], "is not a function ember graph knows"),
    (["x.real", "x=1"], "'x.real' is not allowed"),
    (["x[0]", "x=1,2"], "'x[0]' is not allowed"),
    (["'a' * x", "x=1"], "'a' is not allowed"),
    (["relu(x, x)", "x=1"], "relu() takes exactly one argument"),
    (["relu(x=1)", "x=1"], "relu() takes exactly one argument"),
    (["x @ x", "x=1"], "the operator '@' is not allowed"),
    (["not x", "x=1"], "the operator 'not' is not allowed"),
    (["relu(", "x=1"], "cannot parse 'relu('"),
    (["q * x", "x=1"], "unknown name 'q' (variables: x)"),
    (["relu * x", "x=1"], "relu is a function: write relu(...)"),
    (["x = 2", "x=1"], "'x' is already defined"),
    (["import os", "x=1"], "'import os' is not allowed"),
    (["x", "x=abc"], "x=abc: 'abc' is not a number"),
    (["x", "x=nan"], "x=nan: the value must be a finite number"),
    (["x", "3"], "'3' is not NAME=VALUE"),
    (["x", "x=1", "x=2"], "x is given twice"),
    (["x", "x=1", "--requires-grad", "y"], "--requires-grad: 'y' is not a variable"),
    (["x * 2", "x=1", "--requires-grad", ""], "does not depend on a variable that requires grad"),
    (["x * x", "x=1,2"], "the result has shape [2]"),
    (["x + y", "x=1,2", "y=1,2,3"], "cannot compute x + y"),
    (["1/0 + x", "x=1"], "cannot compute 1/0"),
    (["(-8) ** 0.5 + x", "x=1"], "(-8) ** 0.5 is not a real number"),
    (["x", "x=1", "-o", "graph.jpg"], "must end in .svg, .png, .pdf or .dot"),
    (["x", "x=1", "-o", "a.csv/graph.svg"], "-o a.csv: this is a file, not a folder"),
])
def test_bad_input(ember_cmd, in_tmp, argv, message):
    (in_tmp / "a.csv").write_text("x\n")
    status, out, err = ember_cmd("graph", *argv)
    assert status == 2 and out == [] and len(err) == 1
    assert err[0].startswith("ember graph: error: ") and message in err[0], err
    assert os.listdir() == ["a.csv"]


def test_help(ember_cmd, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = ember_cmd("graph", "--help")
    assert status == 0 and any("--requires-grad" in line for line in out)
    examples = out[out.index("examples:") + 1:]
    assert examples[0] == '  ember graph "relu(w*x + b)" x=3 w=2 b=1 --requires-grad w,b'
    assert max(len(line) for line in out) <= 80


def test_the_pictures_folder_is_made(ember_cmd, in_tmp):
    status, _, _ = ember_cmd(*LECTURE, "-o", "new/folder/g.dot")
    assert status == 0 and (in_tmp / "new" / "folder" / "g.dot").read_text().startswith("digraph")


def test_command_line(in_tmp):
    """``python -m ember`` (what the ``ember`` script runs), as a new process."""
    done = subprocess.run([sys.executable, "-m", "ember", *LECTURE, "--no-picture"],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and "  ∂out/∂w = 3        (w.grad = 3)" in done.stdout
    done = subprocess.run([sys.executable, "-m", "ember", "graph", "x.y", "x=1"],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1



@pytest.fixture(autouse=True)
def _default_recursion_limit():
    """How long a formula Python's parser takes depends on the recursion limit: these tests
    check the messages at Python's default, whatever another test in the process set."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(before)

def test_evaluate_names_every_result():
    _, x = parse_value("x=3")
    _, w = parse_value("w=2")
    w.requires_grad_()
    result, name, named = evaluate("u = w*x; relu(u + 1) * (u + 1)", dict(x=x, w=w))
    assert name is None and result.item() == 49
    assert list(named) == ["u", "u + 1", "relu(u + 1)", "u + 1 (2)", "relu(u + 1) * (u + 1)"]
    assert named["relu(u + 1) * (u + 1)"] is result
    with pytest.raises(ExpressionError, match="empty"):
        evaluate("  ", {})
    with pytest.raises(ExpressionError, match="too long for Python's parser"):
        evaluate("+".join(["x"] * 5000), dict(x=x))
    with pytest.raises(ExpressionError, match="nested too deeply"):
        evaluate("(" * 300 + "x" + ")" * 300, dict(x=x))


@pytest.mark.parametrize("formula, message", [
    ("+".join(["x"] * 5000), "the expression is too long for Python's parser"),
    ("x + " + "9" * 5000, "a number in the expression has more than 4300 digits"),
    ("(" * 300 + "x" + ")" * 300, "the expression is nested too deeply"),
    ("x; import os", "'import os' is not allowed"),
    ("x; x * 2", "'x' is computed but not named: only the last part may be a bare expression"),
    ("x + " * 2500 + "q", "unknown name 'q'"),
    ("relu(" + "x + " * 2500 + ")", "cannot parse 'relu(x + x + x + x + x + x + x + x + ...'"),
])
def test_precise_short_messages(ember_cmd, formula, message):
    status, out, err = ember_cmd("graph", formula, "x=1", "--no-picture")
    assert status == 2 and out == [] and len(err) == 1
    assert message in err[0] and len(err[0]) < 200, err[0]
    assert "sys.set_int_max_str_digits" not in err[0]


def test_a_formula_that_starts_with_minus_is_not_an_option(ember_cmd):
    status, out, err = ember_cmd("graph", "-x*w", "x=1", "w=-3", "--no-picture")
    assert status == 0 and err == []
    assert "  ∂out/∂w = -1        (w.grad = -1)" in out


def test_a_long_flat_sum(ember_cmd):
    status, out, _ = ember_cmd("graph", "+".join(["x"] * 500), "x=1", "--no-picture")
    assert status == 0 and "  ∂out/∂x = 500        (x.grad = 500)" in out
    assert max(len(line) for line in out) < 1000
    assert re.search(r" · \.\.\. \(\d+ more\) · ", out[-6]) and out[-4] == "  ... and 468 more paths"
