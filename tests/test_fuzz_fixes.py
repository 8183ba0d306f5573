"""Defects of issue 12 fixed after the fuzzer's first campaign, each checked against torch."""
import numpy as np
import pytest

import ember
from parity import compare, same

torch = pytest.importorskip("torch")

NAN = float("nan")


# ---------------------------------------------------------------- quantile's gradient in q


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_differentiates_a_tensor_q_as_torch(name, interpolation):
    """torch's linear interpolation depends on q (d/dq = (above - below) (n - 1)); the other
    modes do not, and q then gets no gradient at all."""
    x = np.array([[1., 5., 2., 8.], [3., NAN, 1., 0.], [NAN] * 4])
    q = np.array([0.3, 0.6, 0.0, 1.0])
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=1, interpolation=interpolation),
            x, q, grad=(False, True))
    compare(lambda lib, x, q: getattr(lib, name)(x, q, dim=0, keepdim=True), x[:1].T, q)
    compare(lambda lib, x, q: getattr(lib, name)(x, q), x[0], np.array(0.4))


# ---------------------------------------------------------------- methods take sizes one by one


@pytest.mark.parametrize("call", [
    lambda x: x.tile(2, 1), lambda x: x.tile(2, 1, 1), lambda x: x.tile(dims=(2, 1)),
    lambda x: x.squeeze(1, 3), lambda x: x.squeeze(-1, 1), lambda x: x.squeeze_(1, 3),
    lambda x: x.count_nonzero(0, 1), lambda x: x.count_nonzero(dim=(0, 2)),
    lambda x: x.permute(dims=(3, 2, 1, 0)), lambda x: x.repeat(repeats=(2, 1, 1, 1)),
    lambda x: x.view(size=(3, 2)), lambda x: x.reshape(shape=(2, 3)),
    lambda x: x.expand(size=(2, 2, 1, 3, 1)), lambda x: x.flip(dims=(0, 2)),
    lambda x: x.view(dtype=torch_dtype(x, "int32")), lambda x: x.view(torch_dtype(x, "int16")),
    lambda x: x.squeeze(3).hsplit(0, 1), lambda x: x.squeeze(3).vsplit(1, 1),
    lambda x: x.dsplit(1, 2), lambda x: x.hsplit(1), lambda x: x.squeeze(3).hsplit((1, 2)),
])
def test_methods_take_dims_and_sizes_as_torch(call):
    same(lambda lib: [(tuple(t.shape), str(t.dtype), t.tolist()) for t in _tensors(
        call(lib.arange(12.).reshape(2, 1, 3, 2)[:, :, :, :1].contiguous()))])


def torch_dtype(x, name):
    """The dtype ``name`` of the library of tensor ``x``."""
    return getattr(ember if isinstance(x, ember.Tensor) else torch, name)


def _tensors(result):
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("call", [
    lambda x: x.tile(2, 1.5), lambda x: x.squeeze(1.5, 2), lambda x: x.permute(1, 0, dims=(0, 1)),
    lambda x: x.tile(),
])
def test_bad_dims_raise_torchs_exception_type(call):
    with pytest.raises(TypeError) as torchs:
        call(torch.zeros(2, 1, 3))
    with pytest.raises(torchs.type):
        call(ember.zeros(2, 1, 3))
