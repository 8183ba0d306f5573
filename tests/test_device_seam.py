"""The device seam (``ember/_device.py``): a second array library registered as a device.

A thin ndarray subclass stands in for another device's arrays (as CuPy's would for "cuda"): it
computes with NumPy but refuses arrays of the CPU, as a real accelerator's library does.  Ops
must keep their results on their inputs' device without knowing about it, and mixing devices
must give torch's error."""
import numpy as np
import pytest

import ember
from ember import _device, nn


class OtherArray(np.ndarray):
    """An array of the stand-in device."""

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        inputs = _unwrap(inputs)
        if out is not None:
            kwargs["out"] = _unwrap(out)
        return _wrap(getattr(ufunc, method)(*inputs, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        return _wrap(func(*_unwrap(args), **_unwrap(kwargs)))

    def dot(self, other):                   # a method, not a ufunc: CuPy's returns its array
        return _wrap(self.view(np.ndarray).dot(_unwrap(other)))


def _unwrap(x):
    """Plain ndarrays of the arguments; a CPU array with elements is another device's data.
    (0-d arrays are numbers, which torch also lets CPU tensors pass as.)"""
    if isinstance(x, OtherArray):
        return x.view(np.ndarray)
    if isinstance(x, np.ndarray) and x.ndim > 0:
        raise _device.mixed_devices_error("privateuseone", "cpu")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v) for v in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x


def _wrap(x):
    """Results on the device; like CuPy's, a full reduction is a 0-d array, not a scalar."""
    if isinstance(x, np.generic):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) and not isinstance(x, OtherArray):
        return x.view(OtherArray)
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    return x


@pytest.fixture
def other():
    dev = _device.register_backend("privateuseone", OtherArray,
                                   lambda a: np.array(a).view(OtherArray),
                                   lambda a: np.array(a.view(np.ndarray)))
    yield dev
    _device.unregister_backend("privateuseone")


def _on(t, dev):
    assert t.device == dev, t.device
    assert type(t._array) is (OtherArray if dev.type == "privateuseone" else np.ndarray)


def test_creation_and_moves(other):
    for t in (ember.zeros(2, 3, device=other), ember.ones(2, device="privateuseone"),
              ember.full((2,), 1.5, device=other), ember.arange(4, device=other),
              ember.tensor([1.0, 2.0], device=other), ember.eye(2, device=other),
              ember.linspace(0, 1, 5, device=other)):
        _on(t, other)
    x = ember.tensor([1.0, 2.0]).to(other)
    _on(x, other)
    _on(ember.zeros_like(x), other)
    _on(x.new_ones(3), other)
    _on(x.cpu(), _device.CPU)
    assert x.cpu().tolist() == [1.0, 2.0]
    assert x.to("privateuseone") is x


def test_ops_keep_results_on_their_device(other):
    x = ember.tensor([[1.0, -2.0], [3.0, 4.0]], device=other)
    for y in (x + x, x * 2, x - 1, x / 3, -x, x @ x, x.exp(), x.relu(), x.sum(), x.mean(0),
              x.t(), x.reshape(4), x[0], x[:, 1], ember.cat([x, x]), x.max(), x.softmax(1),
              x.clamp(0, 1), (x > 0).float(), x.abs(), x.pow(2), x.tanh(), x.sigmoid()):
        _on(y, other)


def test_training_runs_on_the_device(other):
    """A linear regression trained on the stand-in device: forward, backward, SGD, all there,
    and the same numbers as on the CPU."""
    def train(dev):
        ember.manual_seed(0)
        model = nn.Linear(3, 1).to(dev)
        opt = ember.optim.SGD(model.parameters(), lr=0.1)
        x = ember.arange(12.0).reshape(4, 3).to(dev) / 10
        y = x.sum(1, keepdim=True).to(dev)
        for _ in range(5):
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
        return model, loss

    model, loss = train(other)
    _on(loss, other)
    for p in model.parameters():
        _on(p, other)
        _on(p.grad, other)
    cpu_model, cpu_loss = train("cpu")
    assert loss.item() == cpu_loss.item()


def test_mixed_devices_are_refused_with_torchs_error(other):
    x = ember.ones(2, device=other)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but "
                                           "found at least two devices, privateuseone and cpu!"):
        x + ember.ones(2)


def test_unknown_devices():
    with pytest.raises(RuntimeError, match="ember supports only the 'cpu' device, not 'xla'"):
        ember.zeros(1, device="xla")
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        ember.zeros(1, device="cuda")
