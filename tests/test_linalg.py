"""Matrix products, einsum and friends, diagonals and triangles, linear and bilinear, against
torch: values, node names (which depend on the operands' ranks and on which of them require
grad), gradients, errors; gradcheck in float64."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember
from parity import compare, gradcheck, same_error, same_warnings

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=40, deadline=None)
RNG = np.random.default_rng(0)


def rand(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def functional(lib):
    return lib.nn.functional


@st.composite
def matmul_shapes(draw):
    """Shapes of two operands that matmul accepts (batch dimensions broadcast)."""
    n, m, p = (draw(st.integers(1, 4)) for _ in range(3))
    da, db = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2,
                                                   max_side=3))
    def lead(shape, k):                   # the last k batch dimensions still broadcast
        shape = tuple(shape)
        return shape[max(len(shape) - k, 0):]
    a = (m,) if da == 1 else lead(batch.input_shapes[0], da - 2) + (n, m)
    b = (m,) if db == 1 else lead(batch.input_shapes[1], db - 2) + (m, p)
    return a, b


@SETTINGS
@given(matmul_shapes(), st.booleans(), st.booleans())
def test_matmul_every_rank(shapes, grad_a, grad_b):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    if not (grad_a or grad_b):
        grad_a = True

    compare(lambda lib, x, y: x @ y, a, b, grad=(grad_a, grad_b), rtol=1e-4, atol=1e-5)


def test_matmul_node_names():
    cases = [((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((2, 3, 4), (2, 4, 5)),
             ((2, 3, 4), (4, 5)), ((5, 3), (2, 3, 4)), ((2, 3, 4), (4,)), ((3,), (2, 3, 4)),
             ((3, 1, 2, 4), (5, 4, 2)), ((2, 2, 3), (3,))]
    for sa, sb in cases:
        for ga, gb in ((True, True), (True, False), (False, True)):
            compare(lambda lib, x, y: lib.matmul(x, y), rand(*sa), rand(*sb), grad=(ga, gb),
                    rtol=1e-4, atol=1e-5)


def test_matmul_double_backward():
    for sa, sb in (((2, 3, 4), (4, 5)), ((3,), (3, 4)), ((5, 3), (2, 3, 4)), ((2, 3), (3, 2))):
        compare(lambda lib, x, y: (x @ y) ** 2, rand(*sa), rand(*sb), double=True, rtol=1e-4,
                atol=1e-5)


def test_matmul_integers_and_half():
    a = np.arange(12).reshape(3, 4)
    b = np.arange(8).reshape(4, 2)
    compare(lambda lib, x, y: x @ y, a, b)
    compare(lambda lib, x, y: x.int() @ y.int(), a, b)
    compare(lambda lib, x, y: x[0] @ y, a, b)
    compare(lambda lib, x, y: x.reshape(3, 2, 2) @ y[:2], a, b)
    compare(lambda lib, x, y: x.half() @ y.half(), a, b)


def test_matmul_errors():
    cases = [((3,), (4, 5)), ((3, 4), (5,)), ((3,), (4,)), ((2, 3, 4), (2, 5, 6)),
             ((2, 3, 4), (3, 4, 6)), ((2, 3, 4), (5, 6)), ((3, 4), (2, 5, 6)), ((2, 3, 4), (5,)),
             ((5,), (2, 3, 4)), ((2, 2, 3, 4), (3, 4, 6)), ((4, 3, 4), (3, 4, 6)), ((), (3,)),
             ((3,), ())]
    for sa, sb in cases:
        same_error(lambda lib, x, y: x @ y, rand(*sa), rand(*sb))
        same_error(lambda lib, x, y: lib.matmul(x.requires_grad_(), y), rand(*sa), rand(*sb))
        same_error(lambda lib, x, y: lib.matmul(x, y.requires_grad_()), rand(*sa), rand(*sb))
    for sa, sb in (((2, 3, 4), (2, 4, 6)), ((3, 4), (4, 6)), ((4,), (4,)), ((3, 4), (4,)),
                   ((4,), (4, 3)), ((2, 3, 4), (4, 6)), ((2, 3, 4), (4,)), ((3, 4), (2, 4, 6)),
                   ((3, 4), (4, 2))):
        same_error(lambda lib, x, y: x @ y.double(), rand(*sa), rand(*sb))
        same_error(lambda lib, x, y: x.double() @ y, rand(*sa), rand(*sb))
        same_error(lambda lib, x, y: x.bool() @ y.bool(), rand(*sa), rand(*sb))
        same_error(lambda lib, x, y: x @ y.long(), rand(*sa), rand(*sb))
    same_error(lambda lib, x: lib.matmul(x, 3), rand(3))


def test_mm_bmm_mv_dot_vdot_outer():
    a, b, v, w = rand(3, 4), rand(4, 5), rand(4), rand(3)
    compare(lambda lib, x, y: lib.mm(x, y), a, b)
    compare(lambda lib, x, y: x.bmm(y), rand(2, 3, 4), rand(2, 4, 5))
    compare(lambda lib, x, y: lib.mv(x, y), a, v)
    compare(lambda lib, x, y: x.dot(y), v, v[::-1].copy())
    compare(lambda lib, x, y: lib.vdot(x, y), v, v[::-1].copy())
    compare(lambda lib, x, y: lib.outer(x, y), w, v)
    compare(lambda lib, x, y: x.ger(y), w, v)
    for fn, shapes in ((lambda lib, x, y: lib.mm(x, y), [(3,), (3, 3)]),
                       (lambda lib, x, y: lib.mm(x, y), [(3, 3), (3,)]),
                       (lambda lib, x, y: lib.mm(x, y), [(3, 3), (4, 3)]),
                       (lambda lib, x, y: lib.mm(x, y.double()), [(3, 3), (3, 3)]),
                       (lambda lib, x, y: lib.bmm(x, y), [(2, 3, 4), (2, 5, 3)]),
                       (lambda lib, x, y: lib.bmm(x, y), [(2, 3, 4), (3, 4, 3)]),
                       (lambda lib, x, y: lib.bmm(x, y), [(3, 4), (3, 4, 3)]),
                       (lambda lib, x, y: lib.bmm(x, y), [(2, 3, 4), (4, 3)]),
                       (lambda lib, x, y: lib.bmm(x, y.double()), [(2, 3, 4), (2, 4, 3)]),
                       (lambda lib, x, y: lib.bmm(x.bool(), y.bool()), [(2, 3, 4), (2, 4, 3)]),
                       (lambda lib, x, y: lib.mv(x, y), [(3, 4), (5,)]),
                       (lambda lib, x, y: lib.mv(x, y), [(3, 4), (4, 1)]),
                       (lambda lib, x, y: lib.mv(x, y.double()), [(3, 4), (4,)]),
                       (lambda lib, x, y: lib.mv(x.double(), y), [(3, 4), (4,)]),
                       (lambda lib, x, y: lib.mv(x.bool(), y.bool()), [(3, 4), (4,)]),
                       (lambda lib, x, y: lib.dot(x, y), [(3,), (4,)]),
                       (lambda lib, x, y: lib.dot(x, y), [(3, 1), (3,)]),
                       (lambda lib, x, y: lib.dot(x.int(), y.long()), [(3,), (3,)]),
                       (lambda lib, x, y: lib.dot(x.bool(), y.bool()), [(3,), (3,)]),
                       (lambda lib, x, y: lib.vdot(x, y.double()), [(3,), (3,)]),
                       (lambda lib, x, y: lib.outer(x, y), [(2, 3), (3,)])):
        same_error(fn, *(rand(*s) for s in shapes))


def test_addmm_addmv_baddbmm():
    compare(lambda lib, m, x, y: lib.addmm(m, x, y), rand(5), rand(3, 4), rand(4, 5))
    compare(lambda lib, m, x, y: m.addmm(x, y, beta=0.5, alpha=2), rand(3, 5), rand(3, 4),
            rand(4, 5), double=True)
    compare(lambda lib, m, x, y: lib.addmm(m, x, y, beta=0), rand(1, 5), rand(3, 4), rand(4, 5))
    compare(lambda lib, m, x, y: lib.addmv(m, x, y), rand(3), rand(3, 4), rand(4))
    compare(lambda lib, m, x, y: m.addmv(x, y, beta=0.5, alpha=-1), rand(1), rand(3, 4), rand(4))
    compare(lambda lib, m, x, y: lib.baddbmm(m, x, y), rand(2, 3, 5), rand(2, 3, 4),
            rand(2, 4, 5))
    compare(lambda lib, m, x, y: m.baddbmm(x, y, beta=2, alpha=0.5), rand(1, 5), rand(2, 3, 4),
            rand(2, 4, 5), double=True)
    for fn, shapes in ((lambda lib, m, x, y: lib.addmm(m, x, y), [(3, 3), (3, 4), (5, 3)]),
                       (lambda lib, m, x, y: lib.addmm(m, x, y), [(2, 3), (3, 4), (4, 3)]),
                       (lambda lib, m, x, y: lib.addmm(m, x, y.double()), [(3,), (3, 4), (4, 3)]),
                       (lambda lib, m, x, y: lib.addmm(m.double(), x, y), [(3,), (3, 4), (4, 3)]),
                       (lambda lib, m, x, y: lib.addmm(m, x.double(), y), [(3,), (3, 4), (4, 3)]),
                       (lambda lib, m, x, y: lib.addmm(m, x, y), [(3,), (3,), (3, 3)]),
                       (lambda lib, m, x, y: lib.addmv(m, x, y), [(3,), (3, 4), (5,)]),
                       (lambda lib, m, x, y: lib.addmv(m.double(), x, y), [(3,), (3, 4), (4,)]),
                       (lambda lib, m, x, y: lib.baddbmm(m, x, y), [(2, 3, 3), (2, 3, 4),
                                                                    (2, 5, 3)]),
                       (lambda lib, m, x, y: lib.baddbmm(m.double(), x, y), [(2, 3, 3),
                                                                             (2, 3, 4),
                                                                             (2, 4, 3)]),
                       (lambda lib, m, x, y: lib.baddbmm(m, x, y.double()), [(2, 3, 3),
                                                                             (2, 3, 4),
                                                                             (2, 4, 3)])):
        same_error(fn, *(rand(*s) for s in shapes))


# ---------------------------------------------------------------- einsum and tensordot

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("i,j->ij", [(3,), (4,)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]), ("ij,ij->", [(2, 3), (2, 3)]), ("bij,bjk->bik",
                                                                     [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk", [(5, 2, 3), (3, 4)]), ("ij,k->ik", [(2, 3), (4,)]), ("i,i", [(3,), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("ij,jk->ki", [(2, 3), (3, 4)]),
    ("iij->ij", [(3, 3, 2)]), ("bij->bji", [(2, 3, 4)]), ("ij,ij->ij", [(1, 3), (2, 3)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]), ("Ab,bc->Ac", [(2, 3), (3, 2)]),
    ("...i,...i->...", [(2, 1, 3), (4, 3)]), ("ij,i->j", [(2, 3), (2,)]),
]


@pytest.mark.parametrize("equation,shapes", EQUATIONS)
def test_einsum(equation, shapes):
    arrays = [rand(*s) for s in shapes]
    compare(lambda lib, *ts: lib.einsum(equation, *ts), *arrays, rtol=1e-4, atol=1e-5,
            double=True)


def test_einsum_forms_and_errors():
    a, b = rand(2, 3), rand(3, 4)
    compare(lambda lib, x, y: lib.einsum("ij,jk->ik", [x, y]), a, b)
    compare(lambda lib, x, y: lib.einsum(x, [0, 1], y, [1, 2], [0, 2]), a, b)
    compare(lambda lib, x, y: lib.einsum("i,i", x.long(), y.long()), a[0], b[:, 0])
    gradcheck(lambda lib, x, y: lib.einsum("ij,jk,kk->ik", x, y, y), a, rand(3, 3))
    for equation, shapes in (("ij,jk", [(2, 3), (4, 5)]), ("ij,jk", [(2, 3)]),
                             ("ij", [(2, 3), (3,)]), ("ijk", [(2, 3)]), ("ij->", [(2, 3, 4)]),
                             ("ij...->", [(2,)]), ("i.j->", [(2,)]), ("i1->", [(2, 3)]),
                             ("ij->j->i", [(2, 3)]), ("ij,jk->iz", [(2, 3), (3, 4)]),
                             ("ij,jk->ii", [(2, 3), (3, 4)]), ("ii", [(2, 3)]),
                             ("...ij,...jk", [(5, 2, 3), (2, 3, 4)]),
                             ("ij,jk->ik", [(2, 3), (3, 4), (3,)])):
        same_error(lambda lib, *ts: lib.einsum(equation, *ts), *(rand(*s) for s in shapes))
    same_error(lambda lib, x, y: lib.einsum("i,i", x, y.double()), a[0], a[1])


@pytest.mark.parametrize("dims", [0, 1, 2, ([0], [1]), ([1, 0], [0, 1]), [[1], [0]]])
def test_tensordot(dims):
    shapes = {0: ((2, 3), (3, 4)), 1: ((2, 3), (3, 4)), 2: ((2, 3, 4), (3, 4, 5)),
              str(([0], [1])): ((2, 3), (4, 2)), str(([1, 0], [0, 1])): ((2, 3), (3, 2)),
              str([[1], [0]]): ((2, 3), (3, 4))}[dims if isinstance(dims, int) else str(dims)]
    compare(lambda lib, x, y: lib.tensordot(x, y.requires_grad_(), dims=dims),
            rand(*shapes[0]), rand(*shapes[1]), rtol=1e-4, double=True)


def test_tensordot_errors():
    a, b = rand(2, 3), rand(3, 4)
    compare(lambda lib, x, y: lib.tensordot(x, y, dims=lib.tensor(1)), a, b)
    for dims, shapes in ((3, [(2, 3), (4, 2)]), (-1, [(2, 3), (3, 2)]),
                         (([1], [1]), [(2, 3), (4, 2)]), (([0, 1], [0]), [(2, 3), (3, 4)]),
                         (([2], [0]), [(2, 3), (3, 4)])):
        same_error(lambda lib, x, y: lib.tensordot(x, y, dims=dims), *(rand(*s) for s in shapes))
    same_error(lambda lib, x, y: lib.tensordot(x, y.double(), dims=1), a, b)


def test_kron_and_cross():
    compare(lambda lib, x, y: lib.kron(x, y), rand(2, 3), rand(4), double=True)
    compare(lambda lib, x, y: x.kron(y), rand(2, 3, 1), rand(2, 2))
    compare(lambda lib, x, y: lib.cross(x, y, dim=1), rand(4, 3), rand(1, 3), double=True)
    compare(lambda lib, x, y: lib.linalg.cross(x, y), rand(2, 3), rand(2, 3))
    compare(lambda lib, x, y: x.cross(y, dim=0), rand(3, 2), rand(3, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(lambda lib, x, y: lib.cross(x, y), rand(2, 3), rand(2, 3))
    same_warnings(lambda lib, x, y: lib.cross(x, y), rand(2, 3), rand(2, 3))
    same_error(lambda lib, x, y: lib.cross(x, y), rand(4, 2), rand(4, 2))
    same_error(lambda lib, x, y: lib.cross(x, y, dim=1), rand(4, 2), rand(4, 2))
    same_error(lambda lib, x, y: lib.cross(x, y.double(), dim=0), rand(3, 2), rand(3, 2))


# ---------------------------------------------------------------- diagonals and triangles


def test_diag_diagonal_trace():
    for k in (0, 1, -2):
        compare(lambda lib, x: lib.diag(x, k), rand(3), double=True)
        compare(lambda lib, x: x.diag(k), rand(3, 4), double=True)
        compare(lambda lib, x: x.diagonal(k), rand(3, 4), double=True)
        compare(lambda lib, x: lib.diagonal(x, k, 2, 0), rand(3, 4, 5), double=True)
        compare(lambda lib, x: lib.diag_embed(x, k), rand(2, 3), double=True)
    compare(lambda lib, x: lib.diag_embed(x, 1, 0, 2), rand(2, 3))
    compare(lambda lib, x: x.diagonal(5), rand(2, 3))
    compare(lambda lib, x: lib.trace(x), rand(3, 4), double=True)
    compare(lambda lib, x: x.long().trace(), rand(3, 3) * 10)
    compare(lambda lib, x: x.int().trace(), rand(3, 3) * 10)
    for fn, shape in ((lambda lib, x: lib.trace(x), (3,)), (lambda lib, x: x.trace(), (2, 3, 4)),
                      (lambda lib, x: x.bool().trace(), (2, 2)),
                      (lambda lib, x: lib.diag(x), (2, 3, 4)),
                      (lambda lib, x: x.diagonal(0, 0, 0), (2, 3)),
                      (lambda lib, x: x.diagonal(0, 0, 2), (2, 3))):
        same_error(fn, rand(*shape))


def test_diagonal_is_a_writable_view():
    for lib in (ember, torch):
        x = lib.zeros(3, 3)
        d = x.diagonal()
        d.fill_(1)
        assert x.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        assert d._version == x._version


@pytest.mark.parametrize("k", [0, 1, -1, 5])
def test_tril_triu(k):
    compare(lambda lib, x: lib.tril(x, k), rand(3, 4), double=True)
    compare(lambda lib, x: x.triu(k), rand(2, 3, 4), double=True)
    compare(lambda lib, x: x.long().triu(k), rand(3, 3) * 10)
    compare(lambda lib, x: x.bool().tril(k), rand(3, 3))
    same_error(lambda lib, x: lib.tril(x, k), rand(3))
    same_error(lambda lib, x: x.triu(k), rand(3))


# ---------------------------------------------------------------- layers


@pytest.mark.parametrize("shape", [(4,), (2, 4), (3, 2, 4), (2, 2, 2, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape, bias):
    w, b = rand(3, 4), rand(3)
    compare(lambda lib, x, w, b: functional(lib).linear(x, w, b if bias else None),
            rand(*shape), w, b, rtol=1e-4, atol=1e-5, double=True)
    compare(lambda lib, x, w, b: functional(lib).linear(x.transpose(0, -1).transpose(0, -1)
                                                        if x.ndim > 2 else x, w, b),
            rand(*shape), w, b, rtol=1e-4, atol=1e-5)
    vector = (lambda lib, x, w, b: functional(lib).linear(x, w[0], b[0] if bias else None))
    if bias and len(shape) == 2:         # torch's addmm then wants a matrix
        same_error(vector, rand(*shape), w, b)
    else:
        compare(vector, rand(*shape), w, b, rtol=1e-4, atol=1e-5)


def test_linear_errors():
    w, b = rand(2, 4), rand(2)
    F = functional
    for fn in (lambda lib, x, w, b: F(lib).linear(x, w, b),
               lambda lib, x, w, b: F(lib).linear(x, w),
               lambda lib, x, w, b: F(lib).linear(x[0], w, b),
               lambda lib, x, w, b: F(lib).linear(x.reshape(1, 3, 5), w, b)):
        same_error(fn, rand(3, 5), w, b)
    for fn in (lambda lib, x, w, b: F(lib).linear(x.double(), w, b),
               lambda lib, x, w, b: F(lib).linear(x.double(), w),
               lambda lib, x, w, b: F(lib).linear(x.long(), w, b),
               lambda lib, x, w, b: F(lib).linear(x, w, b.double()),
               lambda lib, x, w, b: F(lib).linear(x[0, 0], w, b),
               lambda lib, x, w, b: F(lib).linear(x, w[0], b[0])):
        same_error(fn, rand(3, 4), w, b)


def test_bilinear():
    w, b = rand(3, 4, 5), rand(3)
    compare(lambda lib, x, y, w, b: functional(lib).bilinear(x, y, w, b), rand(2, 4), rand(2, 5),
            w, b, rtol=1e-4, atol=1e-5, double=True)
    compare(lambda lib, x, y, w: functional(lib).bilinear(x, y, w), rand(7, 2, 4),
            rand(7, 2, 5), w, rtol=1e-4, atol=1e-5)
    compare(lambda lib, x, y, w, b: functional(lib).bilinear(x, y, w, b), rand(4), rand(5), w, b,
            rtol=1e-4, atol=1e-5)
    for shapes in ([(2, 4), (3, 5), (3, 4, 5), (3,)], [(2, 4), (2, 6), (3, 4, 5), (3,)],
                   [(2, 3), (2, 5), (3, 4, 5), (3,)], [(2, 4), (2, 5), (3, 4, 5), (4,)],
                   [(2, 4), (2, 5, 1), (3, 4, 5), (3,)]):
        same_error(lambda lib, x, y, w, b: functional(lib).bilinear(x, y, w, b),
                   *(rand(*s) for s in shapes))
    same_error(lambda lib, x, y, w: functional(lib).bilinear(x, y, w.double()), rand(2, 4),
               rand(2, 5), w)


# ---------------------------------------------------------------- gradcheck in float64


@pytest.mark.parametrize("fn,shapes", [
    (lambda lib, x, y: x @ y, [(2, 3, 4), (4, 2)]),
    (lambda lib, x, y: x @ y, [(3,), (2, 3, 4)]),
    (lambda lib, x, y: x @ y, [(3, 2), (2, 2, 4)]),
    (lambda lib, x, y: x @ y, [(2, 1, 3, 4), (3, 4, 2)]),
    (lambda lib, x, y: lib.bmm(x, y), [(2, 3, 4), (2, 4, 2)]),
    (lambda lib, x, y: lib.einsum("bij,bjk->bik", x, y), [(2, 3, 4), (2, 4, 2)]),
    (lambda lib, x, y: lib.einsum("ii,ij->j", x, y), [(3, 3), (3, 2)]),
    (lambda lib, x, y: lib.tensordot(x, y, dims=([1, 0], [0, 1])), [(2, 3), (3, 2)]),
    (lambda lib, x, y: lib.kron(x, y), [(2, 3), (2, 2)]),
    (lambda lib, x, y: lib.cross(x, y, dim=0), [(3, 2), (3, 2)]),
    (lambda lib, x, y: functional(lib).bilinear(x, x, y), [(2, 3), (2, 3, 3)]),
])
def test_gradcheck(fn, shapes):
    gradcheck(fn, *(rand(*s, dtype=np.float64) for s in shapes))


# ---------------------------------------------------------------- inverse, det, solve


def _well_conditioned(*shape):
    a = rand(*shape)
    return a + 3 * np.eye(shape[-1], dtype=a.dtype)


def test_inverse_det_solve():
    a, b = _well_conditioned(3, 3), _well_conditioned(2, 3, 3)
    compare(lambda lib, x: lib.linalg.inv(x), a, rtol=1e-4, atol=1e-5, double=True)
    compare(lambda lib, x: x.inverse(), b, rtol=1e-4, atol=1e-5)
    compare(lambda lib, x: lib.det(x), a, rtol=1e-4, atol=1e-5, double=True)
    compare(lambda lib, x: lib.linalg.det(x), b, rtol=1e-4, atol=1e-4)
    singular = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    compare(lambda lib, x: lib.linalg.det(x), singular)
    compare(lambda lib, x: lib.linalg.det(x), np.zeros((2, 2), np.float32))
    for x, sb in ((a, (3,)), (b, (3,)), (a, (3, 2)), (b, (2, 3)), (a, (4, 3, 1)), (b, (2, 3, 2)),
                  (b, (1, 3, 2))):
        compare(lambda lib, x, y: lib.linalg.solve(x, y), x, rand(*sb), rtol=1e-4, atol=1e-5,
                double=True)
    compare(lambda lib, x, y: lib.linalg.solve(x, y, left=False), a, rand(2, 3), rtol=1e-4,
            atol=1e-5)
    gradcheck(lambda lib, x, y: lib.linalg.solve(x, y), a.astype(np.float64), rand(3, 2))
    gradcheck(lambda lib, x: lib.linalg.det(x), b.astype(np.float64))
    gradcheck(lambda lib, x: lib.linalg.inv(x), b.astype(np.float64))


def test_inverse_det_solve_errors():
    singular = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]]], np.float32)
    for x in (np.zeros((2, 2), np.float32), np.array([[1.0, 2.0], [2.0, 4.0]], np.float32),
              np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]], np.float32),
              singular):
        same_error(lambda lib, t: lib.linalg.inv(t), x)
        same_error(lambda lib, t: lib.linalg.solve(t, lib.ones(t.shape[-1])), x)
    for fn, shapes in ((lambda lib, x: lib.linalg.inv(x), [(2, 3)]),
                       (lambda lib, x: lib.linalg.inv(x), [(3,)]),
                       (lambda lib, x: lib.linalg.inv(x.long()), [(2, 2)]),
                       (lambda lib, x: lib.linalg.det(x), [(2, 3)]),
                       (lambda lib, x: lib.linalg.det(x.long()), [(2, 2)]),
                       (lambda lib, x, y: lib.linalg.solve(x, y), [(2, 2), (3,)]),
                       (lambda lib, x, y: lib.linalg.solve(x, y), [(2, 2), (3, 2)]),
                       (lambda lib, x, y: lib.linalg.solve(x, y), [(3, 2, 2), (4, 2)]),
                       (lambda lib, x, y: lib.linalg.solve(x, y.double()), [(2, 2), (2,)])):
        same_error(fn, *(rand(*s) for s in shapes))
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)
