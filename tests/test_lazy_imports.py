"""``import ember`` loads the neural-network functions (``ember.nn.functional``) on first use;
every tensor method must work before that."""
import os
import subprocess
import sys

import pytest

import ember
from ember._ops.core import registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_tensor_methods_are_bound_once_and_later_declarations_are_refused():
    import ember.nn.functional  # noqa: F401  (declares its names)
    for name, fn in registry.names("Tensor").items():
        bound = getattr(ember.Tensor, name)
        # once autocast has been entered in this process, the functions of its op lists are
        # its wrappers around the declared ones (ember/amp/autocast_mode.py)
        assert bound is fn or getattr(bound, "__wrapped__", None) is fn, name
    with pytest.raises(RuntimeError, match="declared after the Tensor names were bound"):
        registry.export("Tensor")(lambda self: self)


def test_tensor_methods_work_before_nn_functional_is_imported():
    script = ("import sys, ember\n"
              "assert 'ember.nn.functional' not in sys.modules\n"
              "x = ember.tensor([-2.0, 0.25, 3.0])\n"
              "print(x.hardshrink().tolist(), x.prelu(ember.tensor([0.5])).tolist())\n"
              "assert 'ember.nn.functional' not in sys.modules\n"
              "print(ember.conv1d.__module__)\n"
              "try:\n"
              "    x.no_such_method\n"
              "except AttributeError as e:\n"
              "    print(e)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[-2.0, 0.0, 3.0] [-1.0, 0.25, 3.0]",
                                        "ember.nn.functional.conv",
                                        "'Tensor' object has no attribute 'no_such_method'"]
