"""The legacy API of old course material against torch: typed tensor classes, the
``Tensor(...)`` forms, ``type()``, ``set_default_tensor_type``, ``typename``, ``Variable``,
``.data`` assignment, ``volatile``, ``ndimension``/``nbytes``/``itemsize``/``is_cpu``,
``resize_``/``resize_as_``, ``new`` and storages."""
import numpy as np
import pytest

from parity import same, same_error, same_warnings

torch = pytest.importorskip("torch")

TYPES = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
         "CharTensor", "ByteTensor", "BoolTensor"]


def described(t, values=True):
    """What a test compares of a new tensor: its values only where torch sets them (torch
    leaves the memory of ``Tensor(2, 3)`` uninitialised)."""
    return type(t).__name__, str(t.dtype), tuple(t.shape), t.type(), repr(t) if values else None


@pytest.mark.parametrize("name", TYPES)
@pytest.mark.parametrize("args", [([1, 0, 2],), ([[1.7, 0.0]],), (2, 3), ((2,),), ()])
def test_typed_classes_construct_as_torch(name, args):
    sizes = args in ((2, 3), ())
    same(lambda l: described(getattr(l, name)(*args), not sizes) if args != ((2,),) else
         tuple(getattr(l, name)(l.Size(args[0])).shape))


@pytest.mark.parametrize("name", TYPES)
def test_isinstance_asks_for_the_dtype(name):
    same(lambda l: [isinstance(l.tensor([1], dtype=d), getattr(l, name)) for d in
                    (l.float32, l.float64, l.float16, l.int64, l.int32, l.int16, l.int8,
                     l.uint8, l.bool)])
    same(lambda l: (repr(getattr(l, name)), str(getattr(l, name).dtype),
                    issubclass(getattr(l, name), l.Tensor)))


def test_a_parameter_is_a_float_tensor():
    same(lambda l: isinstance(l.nn.Parameter(l.ones(1)), l.FloatTensor))


def test_type_conversions():
    same(lambda l: described(l.ones(2).type(l.DoubleTensor)))
    same(lambda l: described(l.ones(2).type("torch.IntTensor")))
    same(lambda l: described(l.tensor([1, 2]).type(l.Tensor)))
    same(lambda l: l.ones(2).type(l.float32) is not None and l.FloatTensor(2).type())
    same(lambda l: (lambda x: x.type(l.FloatTensor) is x)(l.ones(2)))
    same(lambda l: described(l.tensor([1.5], requires_grad=True).type(l.LongTensor)))


def test_from_a_tensor_shares_memory_of_the_same_dtype():
    same(lambda l: (lambda t: (l.FloatTensor(t) is t,
                               l.FloatTensor(t).data_ptr() == t.data_ptr()))(l.ones(2)))
    same(lambda l: (lambda t: l.Tensor(t).data_ptr() == t.data_ptr())(l.ones(2)))


@pytest.mark.parametrize("fn", [
    lambda l: l.LongTensor(2.5),
    lambda l: l.FloatTensor("a"),
    lambda l: l.FloatTensor([1], [2]),
    lambda l: l.FloatTensor(2, dtype=l.float64),
    lambda l: l.FloatTensor(-1),
    lambda l: l.Tensor(2.5),
    lambda l: l.Tensor([1], dtype=l.int64),
    lambda l: l.FloatTensor(l.tensor([1, 2])),
    lambda l: l.LongTensor(l.tensor([1.0])),
    lambda l: l.tensor([1]).new(l.tensor([2.0])),
    lambda l: l.ones(2).type("foo"),
    lambda l: l.ones(2).type(l.cuda.FloatTensor),
    lambda l: l.ones(2).type("torch.cuda.LongTensor"),
])
def test_bad_input_gets_torchs_errors(fn):
    same_error(fn)


def test_tensor_constructor_forms():
    same(lambda l: described(l.Tensor()))
    same(lambda l: described(l.Tensor(2, 3), False))
    same(lambda l: described(l.Tensor([[1, 2]])))
    same(lambda l: described(l.Tensor((1, 2))))
    same(lambda l: described(l.Tensor(l.Size([2, 2])), False))
    same(lambda l: described(l.Tensor(np.array([1, 2]))))


def test_default_tensor_type():
    def run(l):
        try:
            with __import__("warnings").catch_warnings():
                __import__("warnings").simplefilter("ignore")
                l.set_default_tensor_type(l.DoubleTensor)
                first = (str(l.get_default_dtype()), str(l.Tensor([1]).dtype),
                         str(l.tensor([1.0]).dtype))
                l.set_default_tensor_type("torch.FloatTensor")
            return first, str(l.get_default_dtype())
        finally:
            l.set_default_dtype(l.float32)
    same(run)
    with pytest.warns(UserWarning, match="set_default_tensor_type.. is deprecated"):
        import ember
        ember.set_default_tensor_type(ember.FloatTensor)   # torch warns once per process
    same_error(lambda l: l.set_default_tensor_type(l.LongTensor))
    same_error(lambda l: l.set_default_tensor_type(l.float64))
    same_error(lambda l: l.set_default_tensor_type("torch.IntTensor"))


def test_default_dtype_is_the_default_tensor_type():
    def run(l):
        l.set_default_dtype(l.float64)
        try:
            return str(l.Tensor([1]).dtype), str(l.Tensor(2).dtype), str(l.FloatTensor([1]).dtype)
        finally:
            l.set_default_dtype(l.float32)
    same(run)


def test_typename():
    same(lambda l: l.typename(l.ones(2, dtype=l.int64)))
    same(lambda l: l.typename("x"))
    same(lambda l: l.typename(1.5))
    same(lambda l: l.typename(l.nn.Parameter(l.ones(1))))


def test_variable_returns_a_new_tensor():
    def run(l):
        from_lib = l.autograd.Variable
        t = l.ones(2)
        v = from_lib(t, requires_grad=True)
        w = l.ones(2, requires_grad=True) * 2
        return (v is t, t.requires_grad, v.requires_grad, v.is_leaf,
                v.data_ptr() == t.data_ptr(), type(v).__name__, isinstance(v, from_lib),
                from_lib(t) is t, from_lib(w).grad_fn is None, repr(from_lib()))
    same(run)
    same_error(lambda l: l.autograd.Variable([1, 2]))
    same_error(lambda l: l.autograd.Variable(l.tensor([1, 2]), requires_grad=True))
    same_warnings(lambda l: l.autograd.Variable(l.ones(1), volatile=True), torch_warns=True)


def test_volatile_warns():
    same_warnings(lambda l: l.ones(1).volatile, torch_warns=True)
    same(lambda l: __import__("warnings").catch_warnings() and l.ones(1).volatile)

    def assign(l):
        x = l.ones(1)
        x.volatile = True
    same_warnings(assign, torch_warns=True)


def test_data_assignment():
    def run(l):
        x = l.ones(2)
        x.data = l.zeros(3, dtype=l.int64)
        return repr(x)
    same(run)

    def bad(l):
        l.ones(2).data = 3
    same_error(bad)


def test_sizes_and_places():
    same(lambda l: (l.ones(2, 3).nbytes, l.ones(2, 3).itemsize, l.ones(2, dtype=l.int16).nbytes,
                    l.ones(1).is_cpu, l.ones(2, 3).ndimension(), l.tensor(1.0).ndimension()))


def test_new():
    same(lambda l: described(l.tensor(1).new(2, 3), False))
    same(lambda l: described(l.tensor([1.0]).new([1, 2])))
    same(lambda l: described(l.tensor([1]).new(l.Size([2])), False))
    same(lambda l: described(l.tensor([1]).new()))
    same(lambda l: described(l.tensor([1], dtype=l.int16).new((3,))))


def test_resize():
    def run(l):
        y = l.arange(6.0)
        z = y.view(2, 3)
        y.resize_(2, 2)
        first = (repr(y), repr(z))
        y.resize_(3, 3)
        strided = l.arange(6.0)[::2]
        strided.resize_(2)
        return first, tuple(y.shape), repr(y[:2]), repr(strided), \
            tuple(l.ones(2).resize_as_(l.ones(1, 2, 2)).shape), \
            tuple(l.ones(2).resize_(l.Size([1, 2])).shape), tuple(l.ones(2).resize_((1, 2)).shape)
    same(run)
    same_error(lambda l: l.ones(2, requires_grad=True).resize_(3))


def test_storages_show_shared_memory():
    def run(l):
        import warnings
        x = l.arange(6.0)
        v = x[2:]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = x.storage()
            shared = v.storage().data_ptr() == s.data_ptr()
        u = x.untyped_storage()
        return (len(s), s.size(), str(s.dtype), s.data_ptr() == x.data_ptr(), shared,
                s.element_size(), s.nbytes(), s[1], s.tolist()[:3], repr(s), u.nbytes(),
                u.data_ptr() == x.data_ptr(), v.untyped_storage().data_ptr() == u.data_ptr(),
                len(u), l.ones(2).untyped_storage().data_ptr() == u.data_ptr())
    same(run)
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):
        import ember
        ember.ones(1).storage()                              # torch warns once per process
