"""The README's examples run as written: every ```python block of README.md and
README.zh-CN.md is extracted and run in a fresh interpreter, in an empty folder; where the
block is followed by a plain ``` block (what it prints), the output must be that text.  The
tour's ``ember`` commands run too, and write nothing but ``results/``."""
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from ember.viz import dot_program

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


def blocks(name):
    """``[(python_source, expected_output_or_None)]`` of one Markdown file."""
    path = os.path.join(ROOT, name)
    if not os.path.exists(path):
        return []
    fences = [(m.group(1), m.group(2)) for m in FENCE.finditer(open(path, encoding="utf-8").read())]
    found = []
    for i, (language, text) in enumerate(fences):
        if language == "python":
            following = fences[i + 1] if i + 1 < len(fences) else None
            expected = following[1] if following and following[0] == "" \
                and not following[1].startswith("$") else None
            found.append((text, expected))
    return found


EXAMPLES = [pytest.param(source, expected, id="{}-{}".format(name, n))
            for name in ("README.md", "README.zh-CN.md")
            for n, (source, expected) in enumerate(blocks(name))]


def test_the_readme_has_examples():
    assert len(blocks("README.md")) >= 2


@pytest.mark.parametrize("source, expected", EXAMPLES)
def test_readme_example_runs(source, expected, tmp_path):
    if "make_dot" in source:
        pytest.importorskip("graphviz")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", source], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    if expected is not None:
        assert done.stdout == expected


def tour_commands(name):
    """The ``ember`` commands of the tour, as argument lists, in the order they appear."""
    text = open(os.path.join(ROOT, name), encoding="utf-8").read()
    commands = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("$ "):
            line = line[2:]
        if line.startswith(".venv/bin/ember ") and "&&" not in line:
            commands.append(shlex.split(line.split("  #")[0])[1:])
    return commands


@pytest.mark.parametrize("name", ["README.md", "README.zh-CN.md"])
def test_the_tour_writes_only_into_results(name, ember_cmd, tmp_path, monkeypatch):
    pytest.importorskip("sklearn")              # --dataset diabetes
    shutil.copytree(os.path.join(ROOT, "docs", "data"), tmp_path / "docs" / "data")
    monkeypatch.chdir(tmp_path)
    commands = tour_commands(name)
    assert len(commands) >= 8
    for argv in commands:
        if argv[0] == "linreg" and "--predict" not in argv:
            argv = argv + ["--epochs", "30"]    # the same command, shorter
        if argv[0] == "graph" and dot_program() is None:
            argv = argv + ["--no-picture"]
        status, out, err = ember_cmd(*argv)
        assert status == 0, (argv, err)
        written = {os.path.relpath(os.path.join(folder, f), tmp_path)
                   for folder, _, files in os.walk(tmp_path) for f in files}
        assert all(path.startswith(("results" + os.sep, "docs" + os.sep + "data")) or
                   path.startswith(".") for path in written), (argv, written)


@pytest.mark.parametrize("name", ["README.md", "README.zh-CN.md"])
def test_windows_forms_of_the_two_commands(name):
    text = open(os.path.join(ROOT, name), encoding="utf-8").read()
    posix = [line.strip() for line in text.splitlines() if line.strip().startswith("python3 -m venv")]
    windows = [line.strip() for line in text.splitlines() if line.strip().startswith("py -m venv")]
    assert len(posix) == len(windows) == 2
    for p, w in zip(posix, windows):
        expected = p.replace("python3", "py", 1).replace(".venv/bin/", ".venv\\Scripts\\")
        assert w == expected.replace("'", '"')   # cmd.exe quotes with double quotes only


def test_graphviz_pure_is_found_on_windows_too(monkeypatch, tmp_path):
    import ember.viz as viz
    (tmp_path / "graphviz-pure.exe").write_bytes(b"")
    monkeypatch.setattr(viz.os, "name", "nt")
    monkeypatch.setattr(viz.shutil, "which", lambda name: None)
    monkeypatch.setattr(viz.sysconfig, "get_path", lambda name: str(tmp_path))
    assert viz.dot_program() == os.path.join(str(tmp_path), "graphviz-pure.exe")
