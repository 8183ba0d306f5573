"""Recorded calls of the ops that no other test records with a gradient, so that the recording
check (recording_check.py) compares every Op class's specialised path with the general one."""
import pytest

torch = pytest.importorskip("torch")
import ember  # noqa: E402


@pytest.mark.parametrize("lib", [torch, ember], ids=["torch", "ember"])
def test_sgn_records_its_node(lib):
    x = lib.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = x.sgn()
    values = y.tolist()
    y.sum().backward()
    grad = (x.grad + 0).tolist()        # torch's gradient is a lazy zero that tolist() refuses
    assert (type(y.grad_fn).__name__, values, grad) == (
        "SgnBackward0", [-1.0, 0.0, 1.0], [0.0, 0.0, 0.0])


def test_scatter_with_reduce_records_a_node_without_derivative():
    results = []
    for lib in (torch, ember):
        x = lib.tensor([-2.0, 0.0, 3.0], requires_grad=True)
        z = x.scatter(0, lib.tensor([0, 1, 0]), 2.0, reduce="add")
        with pytest.raises(RuntimeError) as error:
            z.sum().backward()
        results.append((z.tolist(), z.requires_grad, str(error.value)))
    assert results[0] == results[1]
