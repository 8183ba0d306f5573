"""nn.utils.rnn against torch: packing, padding, their gradients, reprs and errors."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _seqs(lib, lengths=(3, 2, 1), grad=True):
    rng = np.random.default_rng(0)
    return [lib.tensor(rng.standard_normal((n, 2)), requires_grad=grad) for n in lengths]


def _same_values(a, b):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("enforce_sorted,lengths", [(True, (3, 2, 1)), (False, (2, 3, 1))])
def test_pack_sequence_and_back(enforce_sorted, lengths):
    out = []
    for lib in (torch, ember):
        seqs = _seqs(lib, lengths)
        packed = lib.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=enforce_sorted)
        padded, lens = lib.nn.utils.rnn.pad_packed_sequence(packed, batch_first=True,
                                                            padding_value=-1.0, total_length=4)
        (padded * padded).sum().backward()
        out.append((packed, padded, lens, [s.grad for s in seqs],
                    lib.nn.utils.rnn.unpack_sequence(packed)))
    (tp, tpad, tl, tg, tu), (ep, epad, el, eg, eu) = out
    assert repr(tp) == repr(ep)
    assert type(tp.data.grad_fn).__name__ == type(ep.data.grad_fn).__name__
    _same_values(tpad, epad)
    assert type(tpad.grad_fn).__name__ == type(epad.grad_fn).__name__
    assert tl.tolist() == el.tolist() and el.dtype == ember.int64
    for a, b in zip(tg + tu, eg + eu):
        _same_values(a, b)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence_and_unpad(batch_first, side):
    out = []
    for lib in (torch, ember):
        seqs = _seqs(lib)
        padded = lib.nn.utils.rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=7.0,
                                               padding_side=side)
        (padded * padded).sum().backward()
        # (torch's unpad_sequence transposes a (T, B, *) input in place: compare before it)
        out.append((padded.detach().clone(), [s.grad for s in seqs],
                    lib.nn.utils.rnn.unpad_sequence(padded, lib.tensor([3, 2, 1]),
                                                    batch_first=batch_first), padded.grad_fn))
    (tp, tg, tu, tfn), (ep, eg, eu, efn) = out
    _same_values(tp, ep)
    if batch_first:
        assert type(tfn).__name__ == type(efn).__name__
    for a, b in zip(tg, eg):
        _same_values(a, b)
    if side == "right":
        for a, b in zip(tu, eu):
            _same_values(a, b)


def test_pack_padded_batch_first_and_methods():
    x = np.random.default_rng(1).standard_normal((3, 4, 2))
    tp = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), torch.tensor([4, 2, 3]),
                                                 batch_first=True, enforce_sorted=False)
    ep = ember.nn.utils.rnn.pack_padded_sequence(ember.tensor(x), ember.tensor([4, 2, 3]),
                                                 batch_first=True, enforce_sorted=False)
    assert repr(tp) == repr(ep)
    assert repr(tp.float()) == repr(ep.float())
    assert ep.to(ember.float64) is ep and not ep.is_cuda
    assert ep.batch_sizes.tolist() == [3, 3, 2, 1]


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [1, 3]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [3, 0]),
    lambda lib: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_sequence([lib.zeros(3, 1)]), total_length=2),
    lambda lib: lib.nn.utils.rnn.pad_sequence([lib.zeros(3, 1)], padding_side="up"),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
