"""Defects the differential fuzzer (tests/fuzz) found, each checked against torch."""
import os
import subprocess
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("code", [
    lambda lib: lib.log(lib.zeros(2)),
    lambda lib: lib.tensor([float("nan"), 1e30]).cumsum(0, dtype=lib.int32),
    lambda lib: lib.linalg.det(lib.tensor([[float("inf"), 0.], [float("-inf"), 1.]])),
    lambda lib: lib.tensor([1e30, -1e30], dtype=lib.float64).expand(2, 2).sum(0),
])
def test_no_numpy_warning_reaches_the_user(code):
    """torch computes inf and nan silently; so does ember, whatever the user's filters."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember._ops.silence_numpy_warnings()        # what `import ember` installed
        code(ember)
    assert [str(w.message) for w in caught if w.category is RuntimeWarning] == []


def test_printing_an_expanded_tensor_copies_only_what_is_shown():
    same(lambda lib: repr(lib.zeros(1).expand(2 ** 40)))
    x = ember.arange(3.).expand(2 ** 20, 3)
    tracemalloc.start()
    try:
        text = repr(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == repr(torch.arange(3.).expand(2 ** 20, 3))
    assert peak < 1 << 20                      # the whole array would be 24 MiB


@pytest.mark.parametrize("code", [
    lambda lib: lib.sign(lib.tensor([float("nan"), -2., 0., 3.])),
    lambda lib: lib.tensor([float("nan"), -2.]).sign_(),
    lambda lib: lib.sgn(lib.tensor([float("nan"), -2.])),
    lambda lib: lib.kron(lib.ones(2), lib.arange(2)),
    lambda lib: lib.kron(lib.tensor(2, dtype=lib.uint8), lib.tensor([3], dtype=lib.int8)),
    lambda lib: lib.index_select(lib.tensor(1.), 0, lib.tensor(0)),
    lambda lib: lib.index_select(lib.tensor(1.), 0, lib.tensor([0])),
    lambda lib: lib.tensor(1.).flip(0),
    lambda lib: lib.flip(lib.tensor(1.), (-1,)),
    lambda lib: lib.movedim(lib.tensor(1.), 0, -1),
    lambda lib: lib.poisson(lib.tensor(0.)),
])
def test_values_dtypes_and_shapes(code):
    e, t = code(ember), code(torch)
    assert (str(e.dtype), tuple(e.shape)) == (str(t.dtype), tuple(t.shape))
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-6)     # (NaN matches NaN)


@pytest.mark.parametrize("code", [
    lambda lib: lib.roll(lib.tensor(1.), 1, 0),
    lambda lib: lib.tensor(1.).roll(1, -1),
    lambda lib: lib.index_select(lib.tensor(1.), 0, lib.tensor([0, 0])),
])
def test_errors(code):
    same_error(code)


def test_index_select_0d_gradient():
    x = ember.tensor(2., requires_grad=True)
    y = ember.index_select(x, 0, ember.tensor(0))
    assert type(y.grad_fn).__name__ == "IndexSelectBackward0"
    (y * 3).backward()
    assert x.grad.item() == 3.0


_KILLED_SAVE = """
import os, sys, ember
ember.save({'w': ember.ones(10)}, sys.argv[1])
os._exit(0)
"""


def test_stale_temporary_files_of_killed_saves_are_removed(tmp_path):
    """A save killed before its rename leaves ``.name.<pid>-<hex>.tmp``; once that process is
    gone, the next save or load of the same path removes it (a live process's is kept)."""
    target = tmp_path / "model.pth"
    ember.save({"w": ember.ones(2)}, str(target))
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = int(child.stdout)                   # a process that has exited
    stale = tmp_path / ".model.pth.{}-0123456789ab.tmp".format(dead)
    live = tmp_path / ".model.pth.{}-0123456789ab.tmp".format(os.getpid())
    other = tmp_path / ".other.pth.{}-0123456789ab.tmp".format(dead)
    for p in (stale, live, other):
        p.write_bytes(b"x" * 100)
    ember.load(str(target))
    assert not stale.exists() and live.exists() and other.exists()
    stale.write_bytes(b"x")
    ember.save({"w": ember.ones(3)}, str(target))
    assert not stale.exists() and live.exists()
    assert sorted(os.listdir(tmp_path)) == sorted(
        [live.name, other.name, "model.pth"])


COMPARISONS = ["eq_", "ne_", "lt_", "le_", "gt_", "ge_", "not_equal_", "less_", "less_equal_",
               "greater_", "greater_equal_"]


@pytest.mark.parametrize("name", COMPARISONS)
@pytest.mark.parametrize("other", ["number", "tensor", "tensor requiring grad"])
def test_inplace_comparisons_are_recorded(name, other):
    """``y.gt_(0)`` keeps y requiring grad, with torch's node and zero gradients."""
    def run(lib):
        x = lib.tensor([1., -2., 3.], requires_grad=True)
        w = lib.tensor([0., -2., 5.], requires_grad=other.endswith("grad"))
        y = getattr(x * 1, name)(0 if other == "number" else w)
        (y * lib.tensor([1., 2., 3.])).sum().backward()
        return (y.tolist(), y.requires_grad, type(y.grad_fn).__name__, x.grad.tolist(),
                None if w.grad is None else w.grad.tolist())
    same(run)


@pytest.mark.parametrize("name", ["logical_and_", "logical_or_", "logical_xor_", "logical_not_"])
def test_inplace_logical_operations_leave_autograd_alone(name):
    def run(lib):
        x = lib.tensor([1., 0., 3.], requires_grad=True)
        y = x * 1
        args = () if name == "logical_not_" else (lib.tensor([1., 1., 0.]),)
        getattr(y, name)(*args)
        return y.tolist(), y.requires_grad, type(y.grad_fn).__name__
    same(run)


@pytest.mark.parametrize("name", ["asinh_", "arcsinh_", "acosh_", "arccosh_", "atanh_",
                                  "arctanh_"])
def test_inplace_inverse_hyperbolics_have_no_derivative(name):
    def run(lib):
        x = lib.tensor([1.5, 2.5], requires_grad=True)
        y = getattr(x * 1 if "cosh" in name else x * 0.2, name)()
        return [round(v, 5) for v in y.tolist()], type(y.grad_fn).__name__
    same(run)
    same_error(lambda lib: getattr(lib.tensor([0.5], requires_grad=True) * 1, name)().backward())


NAN = float("nan")


@pytest.mark.parametrize("code", [
    lambda lib, x: x.abs(),
    lambda lib, x: lib.relu(x),
    lambda lib, x: lib.nn.functional.hardtanh(x),
    lambda lib, x: lib.nn.functional.hardshrink(x),
    lambda lib, x: lib.nn.functional.softshrink(x),
    lambda lib, x: lib.nn.functional.threshold(x, 0.5, 2.),
    lambda lib, x: lib.nn.functional.elu(x),
    lambda lib, x: lib.nn.functional.selu(x),
    lambda lib, x: lib.nn.functional.celu(x),
    lambda lib, x: lib.nn.functional.l1_loss(x, lib.tensor([1., 2., 0., -1.])),
    lambda lib, x: lib.linalg.vector_norm(x, 1),
    lambda lib, x: lib.sgn(x) * x,
])
def test_gradients_at_nan(code):
    """torch's piecewise gradients zero a region by comparing (x <= 0 ...), so NaN lets the
    gradient through; sign(NaN) is 0."""
    def run(lib):
        x = lib.tensor([NAN, 0.5, -0.25, 2.], requires_grad=True)
        code(lib, x).sum().backward()
        return x.grad.numpy()
    np.testing.assert_allclose(run(ember), run(torch), rtol=1e-6)


@pytest.mark.parametrize("code", [
    lambda lib: lib.tensor([[1, 2], [3, 4]], dtype=lib.uint8).sum_to_size(1, 2),
    lambda lib: lib.tensor([[True, False], [True, True]]).sum_to_size(2),
    lambda lib: lib.einsum("ii", lib.full((2, 2), 200, dtype=lib.uint8)),
    lambda lib: lib.einsum("ij->i", lib.full((2, 2), 200, dtype=lib.uint8)),
    lambda lib: lib.einsum("ii->i", lib.full((2, 2), 200, dtype=lib.uint8)),
    lambda lib: lib.nn.functional.threshold(lib.tensor([NAN, 1., 0.2]), 0.5, 2.),
    lambda lib: lib.nn.functional.margin_ranking_loss(
        lib.tensor([NAN, 1.]), lib.tensor([0., 0.]), lib.tensor([1., 1.]), reduction="none"),
    lambda lib: lib.nn.functional.hinge_embedding_loss(
        lib.tensor([NAN, 1., 0.5]), lib.tensor([-1., -1., 1.]), reduction="none"),
    lambda lib: lib.nn.functional.triplet_margin_loss(
        lib.tensor([[NAN, 1.]]), lib.tensor([[0., 0.]]), lib.tensor([[1., 1.]]), reduction="none"),
    lambda lib: lib.addmm(lib.zeros(2, 2), lib.tensor([[float("inf"), 1.], [1., 1.]]),
                          lib.ones(2, 2), alpha=0),
    lambda lib: lib.addmm(lib.tensor([[1, 2]]), lib.tensor([[1, 2]]), lib.ones(2, 2).long(),
                          beta=1.7, alpha=1.5),
    lambda lib: lib.addmv(lib.tensor([1, 2]), lib.tensor([[1, 2], [3, 4]]), lib.tensor([1, 1]),
                          beta=0.5),
    lambda lib: lib.baddbmm(lib.tensor([[[1, 2]]]), lib.tensor([[[1, 2]]]),
                            lib.ones(1, 2, 2).long(), beta=0.5),
    lambda lib: lib.arange(0.1, dtype=lib.int64),
    lambda lib: lib.arange(0.5, 2.1, dtype=lib.int64),
    lambda lib: lib.arange(2.9, 0.1, -1, dtype=lib.int64),
    lambda lib: lib.tensor(1.).index_fill(0, lib.tensor([0]), 5.),
    lambda lib: lib.tensor(1.).index_add(0, lib.tensor([0]), lib.tensor(5.), alpha=2),
    lambda lib: lib.tensor(1.).index_copy(0, lib.tensor([0]), lib.tensor(5.)),
])
def test_more_values_dtypes_and_shapes(code):
    test_values_dtypes_and_shapes(code)


@pytest.mark.parametrize("code", [
    lambda lib: lib.ones(2, 3).sum_to_size(3, 2),
    lambda lib: lib.ones(2, 3).sum_to_size(1, 1, 3),
    lambda lib: lib.arange(-0.1, dtype=lib.int64),
    lambda lib: lib.arange(1e300, dtype=lib.int64),
    lambda lib: lib.ones(3).index_copy(0, lib.tensor([0], dtype=lib.int32), lib.tensor([5.])),
    lambda lib: lib.ones(3).index_fill(0, lib.tensor([0], dtype=lib.int32), 5.),
    lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol=-1.),
    lambda lib: lib.allclose(lib.ones(2), lib.ones(2), atol=-0.5),
    lambda lib: lib.tensor(1.).size(0),
    lambda lib: lib.device("foo"),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 4)),
])
def test_more_errors(code):
    same_error(code)


def test_index_add_on_a_0d_tensor_has_gradients():
    def run(lib):
        x, s = lib.tensor(1., requires_grad=True), lib.tensor(2., requires_grad=True)
        y = x.index_add(0, lib.tensor([0]), s, alpha=3)
        (y * 5).backward()
        return y.item(), type(y.grad_fn).__name__, x.grad.item(), s.grad.item()
    same(run)


@pytest.mark.parametrize("code", [
    lambda lib: lib.nn.functional.normalize(lib.tensor(3.), dim=0),
    lambda lib: lib.logit(lib.tensor([0.1, 0.5, 0.9]), eps=0.7),
    lambda lib: lib.tensor([-2.9, 2.]) ** 1e-300,
    lambda lib: lib.addcmul(lib.tensor([10], dtype=lib.uint8), lib.tensor([2], dtype=lib.uint8),
                            lib.tensor([3], dtype=lib.uint8), value=-1),
    lambda lib: lib.zeros(1).expand(3).fill_(1),
    lambda lib: lib.ones(1).expand(3).zero_(),
    lambda lib: lib.ones(1).expand(3).masked_fill_(lib.tensor([True, False, False]), 2.),
    lambda lib: lib.nn.functional.mse_loss(lib.tensor([1., 2.], dtype=lib.float16),
                                           lib.tensor(1., dtype=lib.float64)),
    lambda lib: lib.nn.functional.l1_loss(lib.tensor([1., 2.]), lib.tensor(1., dtype=lib.float64)),
    lambda lib: lib.nn.functional.huber_loss(lib.tensor([1., 2.], dtype=lib.float16),
                                             lib.tensor([1., 3.])),
])
def test_values_dtypes_and_shapes_3(code):
    test_values_dtypes_and_shapes(code)


def test_filling_an_expanded_tensor_writes_its_base():
    def run(lib):
        x = lib.zeros(2, 1)
        x.expand(2, 3).fill_(4)
        return x.tolist()
    same(run)


@pytest.mark.parametrize("code", [
    lambda lib: lib.clamp(lib.tensor([1., 2.]), min=1e300),
    lambda lib: lib.clamp(lib.tensor([1, 2]), max=-1e300),
    lambda lib: lib.ones(2).fill_(1e300),
    lambda lib: lib.ones(2, dtype=lib.float16).fill_(1e5),
    lambda lib: lib.linspace(-3, 300, 5, dtype=lib.uint8),
    lambda lib: lib.ones(2, requires_grad=True).sum(dtype=lib.int64),
    lambda lib: lib.nn.functional.huber_loss(lib.tensor([1, 2]), lib.tensor([1., 3.])),
])
def test_more_errors_2(code):
    same_error(code)


@pytest.mark.parametrize("code", [
    lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="sum"),
    lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="batchmean", log_target=True),
    lambda lib, a, b: lib.nn.functional.poisson_nll_loss(b, a, reduction="sum"),
    lambda lib, a, b: lib.nn.functional.poisson_nll_loss(b, a, log_input=False, full=True),
])
def test_loss_gradients_of_the_smaller_operand(code):
    """A gradient that depends only on the other operand still has the broadcast shape, so
    the smaller operand gets the sum over the broadcast copies."""
    def run(lib):
        a = lib.tensor([[0.1], [0.2], [0.3]], requires_grad=True)
        b = lib.tensor([[0.5, 2.]], requires_grad=True)
        code(lib, a, b).backward()
        return a.grad.numpy(), b.grad.numpy()
    for e, t in zip(run(ember), run(torch)):
        np.testing.assert_allclose(e, t, rtol=1e-5)


def test_vecdot_of_vectors_is_vdot():
    same(lambda lib: type(lib.linalg.vecdot(lib.ones(2, requires_grad=True),
                                            lib.ones(2))).__name__ and type(lib.linalg.vecdot(
        lib.ones(2, requires_grad=True), lib.ones(2)).grad_fn).__name__)


@pytest.mark.parametrize("values", [[[0.]], [[2.]], [[[0.]], [[-3.]]]])
def test_det_gradient_of_1x1_matrices(values):
    def run(lib):
        a = lib.tensor(values, requires_grad=True)
        lib.linalg.det(a).sum().backward()
        return a.grad.tolist()
    same(run)


def test_unique_keeps_every_nan():
    same(lambda lib: [t.tolist() for t in lib.unique(
        lib.tensor([NAN, 1., NAN, 2., 1.]), return_inverse=True, return_counts=True)][1:])
    same(lambda lib: lib.unique(lib.tensor([NAN, 1., NAN])).isnan().sum().item())
