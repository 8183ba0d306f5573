"""F.ctc_loss and nn.CTCLoss against torch: losses, gradients (torch's formula), reductions,
zero_infinity, target layouts, unbatched input, reprs and errors."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _run(lib, x, targets, input_lengths, target_lengths, as_tensors=False, **kwargs):
    xt = lib.tensor(x, requires_grad=True)
    lp = xt.log_softmax(-1)
    if as_tensors:
        input_lengths, target_lengths = lib.tensor(input_lengths), lib.tensor(target_lengths)
    out = lib.nn.functional.ctc_loss(lp, lib.tensor(targets), input_lengths, target_lengths,
                                     **kwargs)
    weights = lib.tensor(np.arange(1.0, out.numel() + 1).reshape(tuple(out.shape)),
                         dtype=out.dtype)
    (out * weights).sum().backward()
    return out, xt.grad, type(out.grad_fn).__name__


def _same(x, *args, rtol=1e-6, atol=1e-8, **kwargs):
    e, t = _run(ember, x, *args, **kwargs), _run(torch, x, *args, **kwargs)
    np.testing.assert_allclose(e[0].detach().numpy(), t[0].detach().numpy(), rtol=rtol, atol=atol)
    assert e[0].dtype.itemsize == t[0].dtype.itemsize and tuple(e[0].shape) == tuple(t[0].shape)
    np.testing.assert_allclose(e[1].numpy(), t[1].numpy(), rtol=rtol, atol=atol)
    assert e[2] == t[2]


CASES = [([8, 6, 7], [3, 2, 0]), ([8, 8, 3], [3, 1, 3]), ([8, 1, 8], [2, 2, 3]),
         ([8, 0, 5], [3, 0, 2])]


@pytest.mark.parametrize("lengths", CASES)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss_padded_targets(lengths, reduction, zero_infinity):
    x = np.random.default_rng(0).standard_normal((8, 3, 5))
    targets = np.array([[1, 2, 2], [3, 1, 0], [4, 4, 4]])
    _same(x, targets, *lengths, reduction=reduction, zero_infinity=zero_infinity)


@pytest.mark.parametrize("blank", [0, 2, 4])
def test_ctc_loss_concatenated_targets_and_blank(blank):
    x = np.random.default_rng(1).standard_normal((9, 2, 5))
    labels = [c for c in range(5) if c != blank]
    targets = np.array([labels[0], labels[1], labels[1], labels[2], labels[3]])
    _same(x, targets, [9, 7], [3, 2], blank=blank, as_tensors=True)


def test_ctc_loss_float32():
    x = np.random.default_rng(2).standard_normal((12, 2, 6)).astype("float32")
    targets = np.array([[1, 2, 3, 4], [5, 5, 1, 0]])
    _same(x, targets, [12, 10], [4, 3], rtol=1e-4, atol=1e-5)


def test_ctc_loss_unbatched():
    x = np.random.default_rng(3).standard_normal((6, 4))
    for reduction in ("none", "mean", "sum"):
        _same(x, np.array([1, 2]), [6], [2], reduction=reduction)
        _same(x, np.array([1, 3]), np.array(6), np.array(2), as_tensors=True,
              reduction=reduction)


def test_ctc_loss_infinite_loss_gradient_is_nan_as_torch():
    x = np.random.default_rng(4).standard_normal((3, 1, 4))
    e = _run(ember, x, np.array([[1, 1, 1]]), [3], [3], reduction="sum")
    t = _run(torch, x, np.array([[1, 1, 1]]), [3], [3], reduction="sum")
    assert e[0].item() == t[0].item() == float("inf")
    np.testing.assert_array_equal(np.isnan(e[1].numpy()), np.isnan(t[1].numpy()))


def test_ctc_loss_module():
    same(lambda lib: repr(lib.nn.CTCLoss()))
    same(lambda lib: repr(lib.nn.CTCLoss(blank=3, reduction="sum", zero_infinity=True)))
    same(lambda lib: (lib.nn.CTCLoss(blank=3).blank, lib.nn.CTCLoss(zero_infinity=True)
                      .zero_infinity, lib.nn.CTCLoss(reduction="none").reduction))
    x = np.random.default_rng(5).standard_normal((7, 2, 4))

    def run(lib):
        loss = lib.nn.CTCLoss(blank=1, zero_infinity=True)
        return float(loss(lib.tensor(x).log_softmax(2), lib.tensor([[2, 3], [0, 0]]),
                          lib.tensor([7, 6]), lib.tensor([2, 1])))
    assert abs(run(ember) - run(torch)) < 1e-10


def _lp(lib):
    return lib.zeros(5, 2, 4).log_softmax(2)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [5, 4],
                                           [2, 3]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [6, 4],
                                           [2, 2]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [5, 4, 3],
                                           [2, 2]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [5, 4],
                                           [2, 2], blank=4),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [5, 4],
                                           [2, 2], reduction="x"),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([1, 2, 3]), [5, 4], [2, 2]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]), [5, 4],
                                           [2, -1]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib).int(), lib.tensor([[1, 2], [3, 3]]),
                                           [5, 4], [2, 2]),
    lambda lib: lib.nn.functional.ctc_loss(_lp(lib), lib.tensor([[1, 2], [3, 3]]),
                                           lib.tensor([5., 4]), lib.tensor([2, 2])),
])
def test_ctc_loss_errors(case):
    same_error(case)
