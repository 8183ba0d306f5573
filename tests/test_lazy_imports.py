"""``import ember`` loads the neural-network operation families on first use; what they add
to the Tensor class must work before that."""
import os
import subprocess
import sys

import ember
from ember import _ops

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_nn_methods_lists_every_tensor_method_of_the_nn_families():
    methods = {name for family in _ops.nn_families() for name in family.METHODS}
    assert methods == set(_ops.NN_METHODS)
    for name in methods:                   # once imported, the real functions are bound
        assert getattr(ember.Tensor, name) is getattr(ember, name)


def test_nn_methods_work_before_the_families_are_imported():
    script = ("import sys, ember\n"
              "assert 'ember.nn.functional.activation' not in sys.modules\n"
              "x = ember.tensor([-2.0, 0.25, 3.0])\n"
              "print(x.hardshrink().tolist(), x.prelu(ember.tensor([0.5])).tolist())\n"
              "assert 'ember.nn.functional.activation' in sys.modules\n"
              "try:\n"
              "    x.no_such_method\n"
              "except AttributeError as e:\n"
              "    print(e)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[-2.0, 0.0, 3.0] [-1.0, 0.25, 3.0]",
                                        "'Tensor' object has no attribute 'no_such_method'"]
