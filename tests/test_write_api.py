"""The one way of writing into a tensor outside the graph (``ember/_ops/core/inplace.py``:
``writable``, ``assign``, ``fill``): optimizers, ``nn.init`` and gradient clipping use it, and
every write bumps the version counter, as torch's in-place updates do."""
import ast
import os

import numpy as np
import pytest

import ember
from ember import nn
from ember._ops.core.inplace import assign, fill, writable

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ember")


def _library_files():
    for folder in ("optim", "nn", "utils"):
        for path, _, files in os.walk(os.path.join(ROOT, folder)):
            if os.sep + "functional" in path:
                continue
            for name in files:
                if name.endswith(".py"):
                    yield os.path.join(path, name)


def test_the_libraries_write_only_through_the_api():
    """No optimizer, layer or data module bumps a version by hand or writes into ``._array``."""
    offences = []
    for path in _library_files():
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, ast.Attribute) and node.attr == "_bump_version":
                offences.append("{}:{} bumps a version".format(path, node.lineno))
            targets = []
            if isinstance(node, ast.AugAssign):
                targets = [node.target]
            elif isinstance(node, ast.Call):
                targets = [k.value for k in node.keywords if k.arg == "out"]
                if isinstance(node.func, ast.Attribute) and node.func.attr == "copyto":
                    targets.append(node.args[0])
            for t in targets:
                if isinstance(t, ast.Attribute) and t.attr == "_array":
                    offences.append("{}:{} writes into ._array".format(path, node.lineno))
    assert offences == []


def test_each_write_bumps_the_version_once():
    t = ember.zeros(3)
    before = t._version
    writable(t)[0] = 1
    assert t._version == before + 1
    assign(t, np.arange(3))
    fill(t, 7)
    assert t._version == before + 3 and t.tolist() == [7.0, 7.0, 7.0]


def test_a_write_into_a_view_bumps_its_base():
    base = ember.zeros(4)
    view = base[1:3]
    fill(view, 2)
    assert base.tolist() == [0.0, 2.0, 2.0, 0.0]
    assert base._version == view._version == 1


def test_shared_memory_is_refused_and_left_unchanged():
    t = ember.zeros(1).expand(3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        fill(t, 1)
    assert t.tolist() == [0.0, 0.0, 0.0] and t._version == 0


@pytest.mark.parametrize("make", [lambda p: ember.optim.SGD(p, lr=0.1),
                                  lambda p: ember.optim.SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: ember.optim.Adam(p, lr=0.1),
                                  lambda p: ember.optim.RMSprop(p, lr=0.1)])
def test_an_optimizer_step_makes_saved_parameters_stale(make):
    """A graph that saved the parameter before the step refuses to backward after it."""
    w = nn.Parameter(ember.ones(2))
    opt = make([w])
    (w * w).sum().backward()
    opt.step()
    assert w._version >= 1
    y = (w * w).sum()
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_init_and_clipping_bump_versions():
    layer = nn.Linear(3, 2)
    v = layer.weight._version
    nn.init.constant_(layer.weight, 0.5)
    assert layer.weight._version == v + 1
    layer.weight.grad = ember.full((2, 3), 10.0)
    g = layer.weight.grad._version
    nn.utils.clip_grad_norm_(layer.parameters(), 1.0)
    nn.utils.clip_grad_value_(layer.parameters(), 0.1)
    assert layer.weight.grad._version == g + 2
