"""Type annotations of the public API: the annotated modules below are fully annotated (every
public function and method, arguments and result) and mypy finds no error in them.  ember ships
``py.typed`` so that editors and type checkers use these annotations."""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANNOTATED = ["ember/_device.py", "ember/_errors.py", "ember/_ops/core/registry.py",
             "ember/_ops/core/inplace.py", "ember/nn/modules/module.py", "ember/nn/parameter.py",
             "ember/optim/optimizer.py", "ember/optim/sgd.py"]


def _public_functions(tree):
    """Top-level functions and methods of top-level classes whose names are public."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and (not item.name.startswith("_")
                                                          or item.name in ("__init__",
                                                                           "__call__", "__new__")):
                    yield node.name + "." + item.name, item


@pytest.mark.parametrize("path", ANNOTATED)
def test_public_functions_are_annotated(path):
    tree = ast.parse(open(os.path.join(ROOT, path)).read())
    missing = []
    for name, fn in _public_functions(tree):
        if name.startswith("_") and "." not in name:
            continue
        args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
        if args and args[0].arg in ("self", "cls"):
            args = args[1:]
        for a in args + [x for x in (fn.args.vararg, fn.args.kwarg) if x is not None]:
            if a.annotation is None:
                missing.append("{}({})".format(name, a.arg))
        if fn.returns is None:
            missing.append(name + " -> ?")
    assert missing == []


def test_py_typed_is_shipped():
    assert os.path.exists(os.path.join(ROOT, "ember", "py.typed"))
    assert "py.typed" in open(os.path.join(ROOT, "pyproject.toml")).read()


def test_mypy_finds_no_error(tmp_path):
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install -e '.[test]')")
    out, err, status = api.run(ANNOTATED + ["--follow-imports=silent", "--cache-dir",
                                            str(tmp_path), "--no-error-summary"])
    assert status == 0, out + err
