"""``ember.autograd.explain``: the chain rule of a backward pass, written out."""
import json
import re

import numpy as np
import pytest

import ember
from ember.autograd import explain
from ember.autograd.chain_rule import MAX_PATHS, format_value
from parity import lecture_graph


def sums(text, out="out"):
    """``{leaf name: gradient}`` from the 'Summed over the paths' lines."""
    found = {}
    for line in text.split("Summed over the paths")[1].splitlines()[1:]:
        m = re.match(r"  ∂{}/∂(\S+) = (.+?)(?:        \(|$)".format(re.escape(out)), line)
        found[m.group(1)] = np.array(json.loads(m.group(2)), dtype=float)
    return found


def test_lecture_numbers():
    a, names = lecture_graph()
    text = explain(a, names)
    assert "Backward pass of a = 7" in text
    assert "  u = MulBackward0(w, -) = 6" in text
    assert "  v = AddBackward0(u, b) = 7" in text
    assert "  a = ReluBackward0(v) = 7" in text
    assert "  ∂a/∂v = 1\n  ∂v/∂u = 1      ∂v/∂b = 1\n  ∂u/∂w = 3\n" in text
    assert "  ∂a/∂v · ∂v/∂u · ∂u/∂w = 1 · 1 · 3 = 3" in text
    assert "  ∂a/∂v · ∂v/∂b = 1 · 1 = 1" in text
    assert "  ∂a/∂w = 3\n  ∂a/∂b = 1" in text


def test_unnamed_nodes_get_names_and_grads_are_shown_after_backward():
    a, names = lecture_graph()
    a.backward(retain_graph=True)
    text = explain(a, dict(w=names["w"], b=names["b"]))
    assert "  t1 = MulBackward0(w, -)\n  t2 = AddBackward0(t1, b)\n  out = ReluBackward0(t2) = 7" \
        in text
    assert "  ∂out/∂w = 3        (w.grad = 3)" in text
    assert "  ∂out/∂b = 1        (b.grad = 1)" in text
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    assert "leaves: leaf1 = [1, 2]" in explain((x * x).sum())


def test_after_plain_backward_it_says_what_to_do():
    a, _ = lecture_graph()
    a.backward()
    with pytest.raises(RuntimeError, match=r"backward\(retain_graph=True\)"):
        explain(a)


def test_changes_no_grad_and_runs_no_hook():
    a, names = lecture_graph()
    calls = []
    names["w"].register_hook(lambda g: calls.append(g))
    explain(a, names)
    assert names["w"].grad is None and calls == []
    a.backward()
    assert names["w"].grad.item() == 3 and len(calls) == 1


def test_x_times_x_has_two_paths_to_one_leaf():
    x = ember.tensor(3.0, requires_grad=True)
    text = explain(x * x, dict(x=x))
    assert "∂out/∂x (input 1) = 3      ∂out/∂x (input 2) = 3" in text
    assert sums(text) == {"x": 6}


def test_many_paths_are_counted_and_summed():
    x = ember.tensor(1.5, requires_grad=True)
    y = x
    for _ in range(6):                  # 2**6 = 64 paths from y to x
        y = y + y
    text = explain(y, dict(x=x))
    assert text.count(" · ") >= MAX_PATHS
    assert "... and {} more paths".format(64 - MAX_PATHS) in text
    assert sums(text) == {"x": 64}


def test_tensors_vector_jacobian_products():
    ember.manual_seed(0)
    x = ember.randn(5, 2)
    y = ember.randn(5, 1)
    w = ember.randn(3, 1, requires_grad=True)
    prediction = ember.cat([x, ember.ones((5, 1))], dim=1).matmul(w)
    loss = ((prediction - y) ** 2).sum() / 5
    text = explain(loss, dict(w=w, prediction=prediction, loss=loss))
    assert "∂prediction/∂w = a Jacobian, [5, 1] by [3, 1]" in text
    loss.backward()
    np.testing.assert_allclose(sums(text, "loss")["w"], w.grad.numpy(), rtol=1e-3)


EXPRESSIONS = [                          # written for either library: lib is ember or torch
    lambda lib, x, y: lib.relu(x * y + x),
    lambda lib, x, y: lib.sigmoid(x) * lib.tanh(y) - lib.exp(x / y),
    lambda lib, x, y: lib.log(x * x + 1) ** 2 / (y + 3),
    lambda lib, x, y: (x * y).sum() + (x - y).mean() * x.sum(),
    lambda lib, x, y: -(x ** 3).sum() + 2 ** y.mean(),
]
VALUES = ([0.5, -1.0, 2.0], [1.5, 0.25, -0.75])


def explained_sums(expression):
    x, y = (ember.tensor(v, requires_grad=True) for v in VALUES)
    out = expression(ember, x, y).sum()
    found = sums(explain(out, dict(x=x, y=y)))
    out.backward()
    return found, x.grad.numpy(), y.grad.numpy()


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_sums_are_the_gradients_backward_computes(expression):
    found, x_grad, y_grad = explained_sums(expression)
    np.testing.assert_allclose(found["x"], x_grad, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(found["y"], y_grad, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_sums_agree_with_torch(expression):
    torch = pytest.importorskip("torch")
    found, _, _ = explained_sums(expression)
    x, y = (torch.tensor(v, requires_grad=True) for v in VALUES)
    expression(torch, x, y).sum().backward()
    np.testing.assert_allclose(found["x"], x.grad.numpy(), rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(found["y"], y.grad.numpy(), rtol=1e-3, atol=1e-4)


def test_a_leaf_output():
    w = ember.tensor(2.0, requires_grad=True)
    text = explain(w, dict(w=w))
    assert "none: w is a leaf" in text and "∂w/∂w = 1" in text


def test_bad_outputs():
    with pytest.raises(RuntimeError, match="does not require grad"):
        explain(ember.tensor(1.0))
    with pytest.raises(RuntimeError, match=r"one-element output.*\[2\]"):
        explain(ember.tensor([1.0, 2.0], requires_grad=True) * 2)
    with pytest.raises(TypeError, match="expects a Tensor"):
        explain(3.0)


def test_explanation_shows_as_text():
    a, names = lecture_graph()
    text = explain(a, names)
    assert isinstance(text, str) and repr(text) == str(text)


def test_format_value():
    assert format_value(ember.tensor(3.0)) == "3"
    assert format_value(np.float32(0.1)) == "0.1"
    assert format_value(np.array([1.0, 2.5])) == "[1, 2.5]"
    assert format_value(np.arange(20.0).reshape(10, 2)) == \
        "[[0, 1], [2, 3], ..., [16, 17], [18, 19]]"
