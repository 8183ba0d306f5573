"""Tensor attributes, conversions and the Python protocol, against torch."""
import copy
import pickle

import numpy as np
import pytest

import ember
from parity import both, same, same_error

torch = pytest.importorskip("torch")


def test_attributes():
    def run(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        n = lib.tensor([1, 2, 3])
        return (repr(x.dtype), repr(x.shape), str(x.device), x.requires_grad, x.grad, x.grad_fn,
                x.is_leaf, x.ndim, x.dim(), x.numel(), x.size(), x.size(1), x.size(-1),
                repr(n.dtype), n.is_leaf, n.requires_grad, x.element_size(), x.stride(),
                x.t().stride(), x.t().is_contiguous(), x.is_floating_point(), n.is_floating_point(),
                x.data.requires_grad, x.type(), n.type(), len(x), x.T.shape, x.mT.shape,
                x.get_device(), x.is_cuda)

    same(run)


def test_size_behaves_like_torch_size():
    def run(lib):
        s = lib.ones(2, 3, 4).shape
        return (repr(s), str(s), s[1], repr(s[1:]), s.numel(), tuple(s), s == (2, 3, 4),
                isinstance(s, tuple), repr(s + (5,)), repr(lib.Size([2, 3])))

    same(run)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int16", "int32",
                                   "int64", "uint8", "bool"])
def test_dtype_objects(dtype):
    e, t = getattr(ember, dtype), getattr(torch, dtype)
    assert repr(e) == repr(t) and str(e) == str(t)
    assert e.is_floating_point == t.is_floating_point
    assert e.is_signed == t.is_signed
    assert e.itemsize == t.itemsize


def test_dtype_aliases():
    for name in ["half", "float", "double", "short", "int", "long", "bool"]:
        assert repr(getattr(ember, name)) == repr(getattr(torch, name))


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "short", "char",
                                    "byte", "bool"])
def test_conversions(method):
    def run(lib):
        x = lib.tensor([1.5, -2.0, 0.0])
        y = getattr(x, method)()
        return repr(y.dtype), y.tolist()

    same(run)


def test_to_and_type():
    def run(lib):
        x = lib.tensor([1.5, 2.5])
        return (x.to(lib.float64).dtype, x.to(lib.tensor([1])).dtype, x.to("cpu") is x,
                x.to(lib.float32) is x, x.to(lib.float32, copy=True) is x,
                x.type(lib.float64).dtype, x.type("torch.IntTensor").tolist(),
                x.to(dtype=lib.int64).tolist())

    e, t = both(run)
    assert repr(e) == repr(t)


def test_item_tolist_float_int_index_bool():
    def run(lib):
        a = lib.tensor(2.5)
        i = lib.tensor([3])
        return (a.item(), type(a.item()).__name__, lib.tensor([[1, 2]]).tolist(), float(a), int(a),
                i.__index__(), [10, 20, 30, 40][i], bool(lib.tensor([0.0])), bool(lib.tensor(1)))

    same(run)


@pytest.mark.parametrize("case", ["item_many", "item_empty", "bool_many", "bool_empty",
                                  "len_0d", "iter_0d", "float_many", "index_float",
                                  "numpy_requires_grad", "asarray_requires_grad"])
def test_protocol_errors(case):
    def fn(lib):
        many = lib.tensor([1.0, 2.0, 3.0])
        if case == "item_many":
            many.item()
        elif case == "item_empty":
            lib.tensor([]).item()
        elif case == "bool_many":
            bool(many)
        elif case == "bool_empty":
            bool(lib.tensor([]))
        elif case == "len_0d":
            len(lib.tensor(1.0))
        elif case == "iter_0d":
            iter(lib.tensor(1.0))
        elif case == "float_many":
            float(many)
        elif case == "index_float":
            [1, 2][lib.tensor(1.0)]
        elif case == "numpy_requires_grad":
            lib.tensor([1.0], requires_grad=True).numpy()
        else:
            np.asarray(lib.tensor([1.0], requires_grad=True))
    same_error(fn)


def test_numpy_shares_memory_and_from_numpy_keeps_dtype():
    a = np.array([1.0, 2.0])
    t = ember.from_numpy(a)
    assert t.dtype == ember.float64
    a[0] = 7
    assert t[0].item() == 7
    t.numpy()[1] = 9
    assert a[1] == 9
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    assert np.shares_memory(x.detach().numpy(), x.numpy(force=True))


def test_iteration_and_hash():
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    rows = list(x)
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    y = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert len({x, y, x}) == 2               # hashed by identity, not by value
    assert {x: 1}[x] == 1


def test_dlpack_both_ways():
    x = ember.tensor([1.0, 2.0, 3.0])
    t = torch.from_dlpack(x)
    t[0] = 10
    assert x[0].item() == 10
    y = ember.from_dlpack(torch.tensor([4.0, 5.0]))
    assert y.tolist() == [4.0, 5.0]
    z = np.from_dlpack(x)
    assert np.shares_memory(z, x.numpy())


def test_detach_shares_memory_and_version():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    d.add_(1)
    assert x.tolist() == [2.0, 3.0]
    assert x._version == 1


def test_clone_contiguous():
    def run(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        c = x.clone()
        t = x.t()
        return (type(c.grad_fn).__name__, x.contiguous() is x,
                type(t.contiguous().grad_fn).__name__, t.contiguous().is_contiguous())

    same(run)


def test_deepcopy_and_pickle():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = copy.deepcopy(x)
    assert y.requires_grad and y.tolist() == x.tolist() and y is not x
    assert not np.shares_memory(y.numpy(force=True), x.numpy(force=True))
    z = pickle.loads(pickle.dumps(x))
    assert z.tolist() == x.tolist() and z.requires_grad
    same_error(lambda lib: copy.deepcopy(lib.tensor([1.0], requires_grad=True) * 2))


def test_grad_assignment_checks():
    same_error(lambda lib: setattr(lib.ones(3, requires_grad=True), "grad", lib.ones(2)))
    same_error(lambda lib: setattr(lib.ones(3, requires_grad=True), "grad",
                                   lib.ones(3, dtype=lib.float64)))


def test_legacy_constructor():
    def run(lib):
        return (lib.Tensor([1, 2]).dtype, lib.Tensor(2, 3).shape, lib.Tensor().shape,
                lib.Tensor([[1.5]]).tolist())

    e, t = both(run)
    assert repr(e) == repr(t)


def test_default_dtype():
    def run(lib):
        lib.set_default_dtype(lib.float64)
        try:
            return (repr(lib.tensor([1.5]).dtype), repr(lib.get_default_dtype()),
                    repr((lib.tensor([1, 2]) * 1.5).dtype), repr(lib.ones(2).dtype),
                    repr(lib.arange(0.0, 1.0, 0.5).dtype))
        finally:
            lib.set_default_dtype(lib.float32)

    same(run)
