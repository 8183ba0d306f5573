"""AdaptiveLogSoftmaxWithLoss against torch: output, loss, gradients, log_prob, predict,
repr and errors (weights copied from torch)."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _pair(**kwargs):
    torch.manual_seed(0)
    t = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], **kwargs).double()
    e = ember.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], **kwargs).double()
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return t, e


@pytest.mark.parametrize("head_bias", [False, True])
def test_matches_torch(head_bias):
    t, e = _pair(head_bias=head_bias, div_value=2.0)
    assert repr(t) == repr(e)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 8))
    y = np.array([0, 5, 19, 3, 12, 9])
    res = []
    for lib, m in ((torch, t), (ember, e)):
        tx = lib.tensor(x, requires_grad=True)
        out, loss = m(tx, lib.tensor(y))
        loss.backward()
        res.append((out.detach().numpy(), loss.item(), tx.grad.numpy(),
                    m.log_prob(lib.tensor(x)).detach().numpy(),
                    m.predict(lib.tensor(x)).numpy(), m(lib.tensor(x[0]), lib.tensor(y[0]))[0]
                    .item()))
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-10)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 20, []),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [10, 4]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4])(lib.zeros(2, 8),
                                                             lib.tensor([1, 25])),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4])(lib.zeros(3, 8),
                                                             lib.tensor([1, 2])),
])
def test_errors_match_torch(call):
    def error(lib):
        try:
            call(lib)
        except Exception as exc:    # noqa: BLE001 - the type is what is compared
            return type(exc).__name__, str(exc)
    assert error(ember) == error(torch)
