"""Matrix products: ``matmul`` (``@``), ``mm``, ``bmm``, ``mv``, ``dot``, ``outer``; ``addmm`` and
friends, and ``linear`` / ``bilinear`` built on them, are in ``affine.py``.

For C = A @ B the chain rule gives dL/dA = dL/dC @ B^T and dL/dB = A^T @ dL/dC: each input's
gradient is the output gradient multiplied by the *other* input, transposed.  The products run
in NumPy's BLAS.  ``einsum`` is in ``einsum.py``, ``tensordot`` and the diagonal and triangle operations in
``contraction.py``; inverses, determinants and solves in ``solve.py``.

``matmul`` dispatches on the ranks of its operands the way torch does (dot, mv, mm, or a batched
product), so the node at the top of the graph and the error messages are torch's for each
combination.
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, check_broadcast
from ..core.registry import export
from ..core.out import accepts_out
from ..core.operands import write_out


# The C++ type names torch prints in dtype errors ("float != double").
_C_NAMES = {"complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
            "float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool", "bfloat16": "c10::BFloat16"}


def _scalar_name(a):
    from ..._dtype import from_numpy
    return from_numpy(a.dtype).scalar_name


def _check_mm_dtype(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: {} != {}".format(
            _C_NAMES[a.dtype.name], _C_NAMES[b.dtype.name]))


def _check_mm_shapes(a_rows, a_cols, b_rows, b_cols):
    if a_cols != b_rows:
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})".format(
            a_rows, a_cols, b_rows, b_cols))


def _check_not_bool(kernel, a):
    if a.dtype.kind == "b":
        raise _errors.not_implemented(kernel, "Bool")


def _check_mv(rows, cols, vec, mat_dtype, vec_dtype):
    if cols != vec:
        raise RuntimeError("size mismatch, got input ({}), mat ({}x{}), vec ({})".format(
            rows, rows, cols, vec))
    if mat_dtype is not vec_dtype:
        v, m = _scalar_name(np.empty(0, vec_dtype)), _scalar_name(np.empty(0, mat_dtype))
        raise _errors.same_dtype_addmv(v, m, v)


def _check_bmm(batch, m1, batch2, m2, a, b):
    if (batch, m1) != (batch2, m2):
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           "[{}, {}] but got: [{}, {}].".format(batch, m1, batch2, m2))
    if a.dtype is not b.dtype:
        raise _errors.expected_scalar_type(_scalar_name(a), _scalar_name(b))


# ---------------------------------------------------------------- the products


class Mm(Op):
    """C = A @ B (matrices).   dA = dC @ B^T,  dB = A^T @ dC."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a.dot(b)                     # (see dual.mm: faster than a @ b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        # (grad^T a)^T equals a^T grad; computed this way it is laid out for B^T, which is how
        # nn.Linear passes its weight: the weight's gradient then arrives contiguous (no copy)
        return (dual.mm(grad, b.T) if needs[0] else None), (dual.mm(grad.T, a).T if needs[1]
                                                            else None)


class Vm(Op):
    """y = x @ B (a vector times a matrix; torch computes it as an mm of x as a 1-row matrix
    followed by a squeeze, whose node it shows).   dx = B @ dy,  dB = outer(x, dy)."""

    exact_grads = True
    node_name = "SqueezeBackward4"

    @staticmethod
    def forward(ctx, x, b):
        ctx.save_for_backward(x, b)
        return x @ b

    @staticmethod
    def backward(ctx, grad):
        x, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (b @ grad if needs[0] else None), (dual.outer(x, grad) if needs[1] else None)


class Mv(Op):
    """y = A @ x (matrix times vector).   dA = outer(dy, x),  dx = A^T @ dy."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a, x):
        ctx.save_for_backward(a, x)
        return a @ x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (dual.outer(grad, x) if needs[0] else None), (a.T @ grad if needs[1] else None)


class Dot(Op):
    """s = x . y (vectors).   dx = ds * y,  dy = ds * x."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.dot(x, y)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return (grad * y if needs[0] else None), (grad * x if needs[1] else None)


class Vdot(Dot):
    """s = conj(x) . y; for real tensors the same as ``dot``."""


class Bmm(Op):
    """C[i] = A[i] @ B[i] for a batch of matrices.   dA = dC @ B^T,  dB = A^T @ dC."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        return ((grad @ b.swapaxes(-2, -1)) if needs[0] else None,
                (a.swapaxes(-2, -1) @ grad) if needs[1] else None)


class Matmul(Op):
    """C = A @ B with NumPy's rules: leading (batch) dimensions broadcast, and a 1-d operand
    is a row (on the left) or a column (on the right) that is dropped from the result.
    dA = dC @ B^T and dB = A^T @ dC, summed over the batch dimensions that were broadcast.
    (torch reshapes such products into one mm or bmm; the last node it shows is the reshape.)"""

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        if b.ndim == 2 and a.ndim > 2:               # one big GEMM instead of one per batch
            return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + b.shape[-1:])
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        a_vector, b_vector = len(a.shape) == 1, len(b.shape) == 1
        shape = tuple(grad.shape)
        if a_vector:                                  # put back the dropped row / column
            grad = grad.reshape(shape[:-1] + (1,) + shape[-1:])
        if b_vector:
            grad = grad.reshape(shape + (1,))
        left = a.reshape((1,) + tuple(a.shape)) if a_vector else a
        right = b.reshape(tuple(b.shape) + (1,)) if b_vector else b
        grad_a = grad_b = None
        if needs[0]:
            grad_a = grad @ right.swapaxes(-2, -1)
            if a_vector:
                grad_a = grad_a.reshape(tuple(grad_a.shape[:-2]) + tuple(a.shape))
        if needs[1]:
            if len(b.shape) == 2 and len(a.shape) > 2:
                m, n = a.shape[-1], grad.shape[-1]
                grad_b = left.reshape(-1, m).T @ grad.reshape(-1, n)
            else:
                grad_b = left.swapaxes(-2, -1) @ grad
                if b_vector:
                    grad_b = grad_b.reshape(tuple(grad_b.shape[:-2]) + tuple(b.shape))
        return grad_a, grad_b


class MatmulTransposed(Matmul):
    """A matrix times a batch, when torch computes it transposed ((B^T @ A^T)^T) and copies
    the result into place: its last node is a clone."""

    node_name = "CloneBackward0"


class MatmulTransposedView(Matmul):
    """The same when the transposed result needs no copy (a row or a column per batch entry):
    its last node is the transpose."""

    node_name = "TransposeBackward0"


@export("torch", "Tensor")
def mm(input, mat2, *, out=None):
    """Matrix product of two 2-d tensors."""
    if out is not None:         # (out= spelled out here, not by accepts_out: mm is hot)
        return write_out(mm(input, mat2), out, "mm")
    a, b = input._array, mat2._array
    if (a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0] and a.dtype is b.dtype
            and a.dtype.kind in "fV"):
        return Mm.apply(input, mat2)           # the usual case: every check below passes
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm_shapes(a.shape[0], a.shape[1], b.shape[0], b.shape[1])
    _check_mm_dtype(a, b)
    _check_not_bool("addmm_impl_cpu_", a)
    return Mm.apply(input, mat2)


@export("torch", "Tensor")
@accepts_out
def bmm(input, mat2):
    """Products of two batches of matrices, ``(b, n, m) @ (b, m, p) -> (b, n, p)``."""
    a, b = input._array, mat2._array
    if a.ndim != 3:
        raise _errors.batch_must_be_3d("batch1")
    if b.ndim != 3:
        raise _errors.batch_must_be_3d("batch2")
    _check_bmm(a.shape[0], a.shape[2], b.shape[0], b.shape[1], a, b)
    _check_not_bool("bmm", a)
    return Bmm.apply(input, mat2)


@export("torch", "Tensor")
@accepts_out
def mv(input, vec):
    """Product of a matrix and a vector."""
    a, x = input._array, vec._array
    if a.ndim != 2 or x.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got 1, {}, {}".format(a.ndim,
                                                                                  x.ndim))
    _check_mv(a.shape[0], a.shape[1], x.shape[0], a.dtype, x.dtype)
    _check_not_bool("addmv_impl_cpu", a)
    return Mv.apply(input, vec)


def _check_vectors(name, x, y, input, tensor):
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError("1D tensors expected, but got {}D and {}D tensors".format(x.ndim,
                                                                                     y.ndim))
    if x.shape[0] != y.shape[0]:
        raise RuntimeError("inconsistent tensor size, expected tensor [{}] and src [{}] to have "
                           "the same number of elements, but got {} and {} elements respectively"
                           .format(x.shape[0], y.shape[0], x.shape[0], y.shape[0]))
    if x.dtype is not y.dtype:
        raise RuntimeError("{} : expected both vectors to have same dtype, but found {} and {}"
                           .format(name, input.dtype.scalar_name, tensor.dtype.scalar_name))
    _check_not_bool(name, x)


@export("torch", "Tensor")
@accepts_out
def dot(input, tensor):
    """Inner product of two 1-d tensors."""
    _check_vectors("dot", input._array, tensor._array, input, tensor)
    return Dot.apply(input, tensor)


@export("torch", "Tensor")
@accepts_out
def vdot(input, other):
    """Inner product of two 1-d tensors, the first conjugated (ember has no complex numbers,
    so this is ``dot``)."""
    _check_vectors("dot", input._array, other._array, input, other)
    return Vdot.apply(input, other)


@export("torch", "Tensor", aliases=("ger",))
@accepts_out
def outer(input, vec2):
    """The outer product of two vectors, ``input[i] * vec2[j]`` (torch computes it as a
    broadcast multiplication, and so shows MulBackward0)."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t._array.ndim != 1:
            raise RuntimeError("outer: Expected 1-D argument {}, but got {}-D".format(
                name, t._array.ndim))
    return input.reshape(-1, 1) * vec2


def _should_fold(input, other):
    """torch's rule for computing a batch-times-matrix product as one mm (or mv) on the batch
    folded into the rows, rather than as a bmm: the rule decides which errors are raised and
    which node is shown."""
    a, b = input._array, other._array
    larger_first = a.ndim >= b.ndim
    big, small = (a, b) if larger_first else (np.swapaxes(b, -1, -2), a)
    if not (big.ndim >= 3 and small.ndim <= 2):
        return False
    if (other if larger_first else input)._requires_grad:
        return True
    if a.ndim == 2:
        return False
    if big.size == 0:
        return True
    strides, shape = big.strides, big.shape
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _folded(input, other):
    """A batch times a matrix or vector (either order), folded into one mm or mv."""
    a, b = input._array, other._array
    if a.ndim >= 3:
        rows = int(np.prod(a.shape[:-1]))
        if b.ndim == 2:
            _check_mm_shapes(rows, a.shape[-1], b.shape[0], b.shape[1])
            _check_mm_dtype(a, b)
            _check_not_bool("addmm_impl_cpu_", a)
        else:
            _check_mv(rows, a.shape[-1], b.shape[0], a.dtype, b.dtype)
            _check_not_bool("addmv_impl_cpu", a)
        return Matmul.apply(input, other)
    rows = int(np.prod(b.shape[:-2])) * b.shape[-1]           # the rows of B^T, folded
    if a.ndim == 2:
        _check_mm_shapes(rows, b.shape[-2], a.shape[1], a.shape[0])
        _check_mm_dtype(b, a)
        _check_not_bool("addmm_impl_cpu_", a)
        if a.shape[0] == 1 or b.shape[-1] == 1:
            return MatmulTransposedView.apply(input, other)
        return MatmulTransposed.apply(input, other)
    _check_mv(rows, b.shape[-2], a.shape[0], b.dtype, a.dtype)
    _check_not_bool("addmv_impl_cpu", a)
    return Matmul.apply(input, other)


def _batched(input, other):
    """Two operands of which one has 3 or more dimensions, as a broadcast batched product."""
    a, b = input._array, other._array
    m1 = a.shape[-1]
    m2 = b.shape[-2] if b.ndim > 1 else b.shape[0]
    batch_a, batch_b = a.shape[:-2], b.shape[:-2]
    check_broadcast(batch_a, batch_b)
    batch = int(np.prod(np.broadcast_shapes(batch_a, batch_b)))
    _check_bmm(batch, m1, batch, m2, a, b)
    _check_not_bool("bmm", a)
    return Matmul.apply(input, other)


@export("torch", "Tensor")
def matmul(input, other, *, out=None):
    """Matrix product with torch's (and NumPy's) rules for every combination of ranks:
    vector . vector, matrix @ vector, vector @ matrix, matrix @ matrix, and batches of
    matrices, whose leading dimensions broadcast."""
    if out is not None:         # (out= spelled out here, not by accepts_out: matmul is hot)
        return write_out(matmul(input, other), out, "matmul")
    if not isinstance(other, Tensor):
        raise TypeError("matmul(): argument 'other' (position 2) must be Tensor, not "
                        + type(other).__name__)
    a, b = input._array, other._array
    da, db = a.ndim, b.ndim
    if da == 2 and db == 2:
        return mm(input, other)
    if da == 0 or db == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are {}D and "
                           "{}D".format(da, db))
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        _check_mm_shapes(1, a.shape[0], b.shape[0], b.shape[1])
        _check_mm_dtype(a, b)
        _check_not_bool("addmm_impl_cpu_", a)
        return Vm.apply(input, other)
    if da == 3 and db == 3 and a.shape[0] != b.shape[0]:
        # torch drops a broadcast batch of one from an operand that requires grad
        if a.shape[0] == 1 and input._requires_grad:
            return matmul(input.squeeze(0), other)
        if b.shape[0] == 1 and other._requires_grad:
            return matmul(input, other.squeeze(0))
    if _should_fold(input, other):
        return _folded(input, other)
    return _batched(input, other)
