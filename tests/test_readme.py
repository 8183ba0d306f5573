"""The README's examples run as written: every ```python block of README.md and
README.zh-CN.md is extracted and run in a fresh interpreter, in an empty folder; where the
block is followed by a plain ``` block (what it prints), the output must be that text."""
import os
import re
import subprocess
import sys

import pytest

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
