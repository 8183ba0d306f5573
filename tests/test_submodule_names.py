"""No submodule of an ember package has the name of one of the package's public functions.

Importing ``pkg.name`` sets the attribute ``name`` of ``pkg`` to the module, over a function
of the same name that ``pkg`` loads lazily (``from ember.autograd import explain`` once gave the
module).  Each check runs in a fresh interpreter, after importing every submodule."""
import os
import pkgutil
import subprocess
import sys

import pytest

import ember

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ["ember"] + sorted(
    info.name for info in pkgutil.walk_packages(ember.__path__, "ember.")
    if info.ispkg and not info.name.split(".")[-1].startswith("_"))

SCRIPT = """
import importlib, inspect, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = list(getattr(package, "__all__", ())) + list(getattr(package, "_LAZY", ()))
before = {name: getattr(package, name) for name in names}
for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
for name, value in before.items():
    if not inspect.ismodule(value):
        after = getattr(package, name)
        assert after is value, "{}.{} became {!r}".format(package.__name__, name, after)
print("ok")
"""


@pytest.mark.parametrize("package", PACKAGES)
def test_no_submodule_shadows_a_public_name(package):
    done = subprocess.run([sys.executable, "-c", SCRIPT, package], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


def test_explain_is_the_function_after_the_viz_is_imported():
    script = ("import ember.viz\nfrom ember.autograd import explain\nimport ember.autograd\n"
              "print(callable(explain), ember.autograd.gradcheck.__name__)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout == "True gradcheck\n", done.stderr
