"""The in-place variants torch has of ember's operations (``cumsum_``, ``addmm_``, ``t_``,
``unsqueeze_`` ...), ``out=``, and the signatures that must equal torch's (``Tensor.norm``,
``swapaxes``, ``hsplit``, ``Tensor.split``, ``result_type``; no ``selu(inplace=)``)."""
import numpy as np
import pytest

from parity import same, same_error

torch = pytest.importorskip("torch")


def values(result):
    return str(result.dtype), tuple(result.shape), np.asarray(result.detach().numpy(),
                                                              float).round(5).tolist()


@pytest.mark.parametrize("fn", [
    lambda l: l.arange(6.0).reshape(2, 3).cumsum_(1),
    lambda l: l.arange(6.0).reshape(2, 3).cumsum_(dim=0),
    lambda l: l.ones(2, 2, dtype=l.int64).cumsum_(0),
    lambda l: l.arange(6.0).reshape(2, 3).cumprod_(1),
    lambda l: l.arange(9.0).reshape(3, 3).tril_(),
    lambda l: l.arange(9.0).reshape(3, 3).triu_(1),
    lambda l: l.ones(2, 2).addmm_(l.ones(2, 3), l.ones(3, 2), beta=2),
    lambda l: l.ones(2).addmv_(l.ones(2, 3), l.ones(3)),
    lambda l: l.addmv_(l.ones(2), l.ones(2, 3), l.ones(3), alpha=2),
    lambda l: l.ones(2, 2, 2).baddbmm_(l.ones(2, 2, 3), l.ones(2, 3, 2)),
    lambda l: (l.arange(6.0).reshape(2, 3) * 3).renorm_(2, 0, 5),
    lambda l: l.index_put_(l.zeros(3), (l.tensor([0, 2]),), l.tensor([1.0, 2.0])),
    lambda l: l.ones(2, 3).t_(),
    lambda l: l.ones(2, 3).transpose_(0, 1),
    lambda l: l.ones(2, 3).swapaxes_(0, 1),
    lambda l: l.ones(2, 3).swapdims_(1, 0),
    lambda l: l.ones(2, 3).unsqueeze_(1),
    lambda l: l.ones(1, 2, 1).squeeze_(),
    lambda l: l.ones(1, 2, 1).squeeze_(0),
    lambda l: l.ones(1, 2, 1).squeeze_((0, 2)),
])
def test_inplace_variants_match_torch(fn):
    same(lambda l: (lambda t: values(t) + (t._version,))(fn(l)))


def test_inplace_returns_the_tensor_itself():
    same(lambda l: (lambda t: t.cumsum_(0) is t and t.unsqueeze_(0) is t)(l.ones(3)))


def test_shape_changes_in_place_keep_the_graph():
    def run(l):
        a = l.arange(6.0).reshape(2, 3).requires_grad_()
        b = a * 2
        b.t_().unsqueeze_(0)
        (b * l.arange(6.0).reshape(1, 3, 2)).sum().backward()
        return tuple(b.shape), b.is_contiguous(), a.grad.tolist()
    same(run)


@pytest.mark.parametrize("fn", [
    lambda l: l.ones(2, 3, requires_grad=True).t_(),
    lambda l: l.ones(2, 3, requires_grad=True).cumsum_(0),
    lambda l: l.ones(2, 3, 4).t_(),
    lambda l: l.ones(2, 2, dtype=l.int64).addmm_(l.ones(2, 3), l.ones(3, 2)),
])
def test_inplace_errors_match_torch(fn):
    same_error(fn)


@pytest.mark.parametrize("fn", [
    lambda l, o: l.matmul(l.ones(2, 3), l.ones(3, 2), out=o),
    lambda l, o: l.mm(l.ones(2, 3), l.ones(3, 4), out=o),
    lambda l, o: l.sum(l.arange(6.0).reshape(2, 3), 1, out=o),
    lambda l, o: l.mean(l.arange(6.0).reshape(2, 3), 0, keepdim=True, out=o),
    lambda l, o: l.cumsum(l.arange(6.0).reshape(2, 3), 1, out=o),
    lambda l, o: l.prod(l.arange(6.0).reshape(2, 3), 1, out=o),
    lambda l, o: l.logsumexp(l.arange(6.0).reshape(2, 3), 1, out=o),
    lambda l, o: l.std(l.arange(6.0).reshape(2, 3), 1, out=o),
    lambda l, o: l.tril(l.ones(3, 3), out=o),
    lambda l, o: l.norm(l.ones(3, 3), 2, 1, out=o),
    lambda l, o: l.index_select(l.ones(3, 3), 0, l.tensor([0, 2]), out=o),
    lambda l, o: l.inner(l.ones(2, 3), l.ones(2, 3), out=o),
])
def test_out_matches_torch(fn):
    def run(l):
        out = l.zeros(0)
        return fn(l, out) is out, values(out)
    same(run)


@pytest.mark.parametrize("fn", [
    lambda l: l.matmul(l.ones(2, 2, requires_grad=True), l.ones(2, 2), out=l.zeros(2, 2)),
    lambda l: l.cumsum(l.ones(2, 2, requires_grad=True), 0, out=l.zeros(2, 2)),
])
def test_out_errors_match_torch(fn):
    same_error(fn)


@pytest.mark.parametrize("fn", [
    lambda l: [t.shape for t in l.hsplit(l.ones(2, 6), sections=2)],
    lambda l: [t.shape for t in l.hsplit(l.ones(2, 6), indices=[1])],
    lambda l: [t.shape for t in l.ones(2, 6).hsplit([1, 4])],
    lambda l: [t.shape for t in l.vsplit(l.ones(4, 2), sections=2)],
    lambda l: [t.shape for t in l.dsplit(l.ones(1, 2, 4), indices=(1,))],
    lambda l: [t.shape for t in l.ones(2, 6).split(split_size=4, dim=1)],
    lambda l: [t.shape for t in l.split(l.ones(6), split_size_or_sections=4)],
    lambda l: l.ones(2, 3).swapaxes(axis0=0, axis1=1).shape,
    lambda l: l.swapaxes(l.ones(2, 3), axis0=1, axis1=0).shape,
    lambda l: l.swapdims(l.ones(2, 3), dim0=1, dim1=0).shape,
    lambda l: l.ones(2, 3).norm(2, 1, True, l.float64).dtype,
    lambda l: l.ones(2, 3).norm(p=1, dim=(0, 1), keepdim=True, dtype=l.float64).tolist(),
    lambda l: str(l.result_type(tensor=l.ones(2), other=1.0)),
    lambda l: str(l.result_type(l.ones(2, dtype=l.int32), other=l.ones(1, dtype=l.int64))),
    lambda l: l.softmax(l.ones(3), 0, l.float64).tolist(),
    lambda l: l.ones(3).log_softmax(0).tolist(),
    lambda l: l.celu(l.ones(2), alpha=2.0).tolist(),
])
def test_signatures_match_torch(fn):
    same(lambda l: str(fn(l)))


@pytest.mark.parametrize("fn", [
    lambda l: l.selu(l.ones(2), inplace=True),
    lambda l: l.celu(l.ones(2), 1.0, True),
    lambda l: l.threshold(l.ones(2), 0.5, 0.0, True),
    lambda l: l.softmax(l.ones(2), dim=0, _stacklevel=3),
    lambda l: l.ones(2, 6).split(split_size_or_sections=2),
    lambda l: l.ones(2, 3).norm(2, 1, True, out=None),
    lambda l: l.ones(2, 3).swapaxes(dim0=0, dim1=1),
])
def test_arguments_torch_refuses_are_refused(fn):
    import ember
    with pytest.raises(TypeError):
        fn(ember)
    with pytest.raises(TypeError):
        fn(torch)


def test_refusal_texts_match_torch():
    same_error(lambda l: l.ones(2, 6).split(split_size_or_sections=2))
    same_error(lambda l: l.ones(2, 3).norm(2, 1, True, out=None))
    same_error(lambda l: l.selu(l.ones(2), inplace=True))
