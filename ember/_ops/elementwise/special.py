"""Special functions (``torch.special`` and their top-level and method forms): the normal
distribution's ``ndtr``, ``ndtri`` and ``log_ndtr``, the entropy term ``entr``, ``xlog1py``, and
the Bessel functions; the gamma family is in ``gamma.py``.

They compute in float64 (and store in the input's float dtype).  The common ones need NumPy
alone; the rare ones (``erfcx``, ``i0e``, ``i1``, ``i1e``, ``bessel_j0``, ``bessel_j1``, and
``gammainc``) come from SciPy, an optional extra (``pip install 'ember[scipy]'``).  Each
derivative is written out: d ndtr = the normal density, d log_ndtr = density / CDF ...
"""
import math

import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.operands import finish, float_result, floating, operand, tensor_operand
from ..core.inplace import twin
from ..core.registry import export

# ---------------------------------------------------------------- the functions on arrays

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)



def _ndtr(x):
    from .error_function import erfc_array
    return 0.5 * erfc_array(-x / math.sqrt(2))


def _ndtri(p):
    from .error_function import erfinv_array
    return math.sqrt(2) * erfinv_array(2 * p - 1)


def _log_ndtr(x):
    """log of the normal CDF: log1p(-ndtr(-x)) above 0 (the CDF is 1 - a small number),
    log(ndtr(x)) below, and below -30 its asymptotic series (the CDF underflows)."""
    with np.errstate(divide="ignore"):
        direct = np.where(x > 0, np.log1p(-_ndtr(-x)), np.log(_ndtr(x)))
    far = x < -30
    if not far.any():
        return direct
    t = np.where(far, x, -30.0)
    inv2 = 1 / (t * t)
    series = np.ones_like(t)                # 1 - 1/x^2 + 3/x^4 - 15/x^6 ... (8 terms)
    term = np.ones_like(t)
    for n in range(1, 9):
        term = term * -(2 * n - 1) * inv2
        series += term
    series = np.log(series)
    return np.where(far, -0.5 * t * t - np.log(-t) - _HALF_LOG_2PI + series, direct)


def _scipy_special(name):
    try:
        import scipy.special
    except ImportError:
        raise ModuleNotFoundError("ember.special.{} needs SciPy: pip install 'ember[scipy]'"
                                  .format(name)) from None
    return getattr(scipy.special, name)


# ---------------------------------------------------------------- the differentiable operations


def _in_float64(fn, x):
    """``fn`` of ``x`` computed in float64 and given back in ``x``'s float dtype (silently, as
    torch: NumPy's and SciPy's own code would warn of the infs and nans it makes)."""
    with np.errstate(all="ignore"):
        return fn(x.astype(np.float64)).astype(x.dtype)


def _recorded_or_array(array_fn, public_fn):
    """A function for backward formulas: ``array_fn`` on arrays, the recorded ``public_fn`` on
    tensors (``create_graph=True``)."""
    def fn(x):
        return public_fn(x) if isinstance(x, Tensor) else _in_float64(array_fn, x)
    return fn


class Float64Function(Op):
    """A function of one tensor computed in float64 by ``compute`` (a function of arrays) and
    stored in the input's float dtype; it saves its input for the subclass's backward formula."""

    @classmethod
    def forward(cls, ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        return _in_float64(cls.compute, x)


class Ndtr(Float64Function):
    """out = the normal CDF at x.   d(out)/dx = the normal density exp(-x^2/2) / sqrt(2 pi).
    (torch computes it as a product with 1/2, whose node names its result.)"""

    node_name = "MulBackward1"
    compute = staticmethod(_ndtr)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.exp(-x * x / 2) / math.sqrt(2 * math.pi)


class Ndtri(Op):
    """out = the normal quantile of p.   d(out)/dp = sqrt(2 pi) exp(out^2 / 2)."""

    node_name = "SpecialNdtriBackward0"

    @staticmethod
    def forward(ctx, p):
        out = _in_float64(_ndtri, floating(p))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out, = ctx.saved_tensors
        return grad * math.sqrt(2 * math.pi) * dual.exp(out * out / 2)


class LogNdtr(Op):
    """out = log of the normal CDF.   d(out)/dx = the density over the CDF = exp(-x^2/2 -
    out) / sqrt(2 pi)."""

    node_name = "SpecialLogNdtrBackward0"

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        out = _in_float64(_log_ndtr, x)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        return grad * dual.exp(-x * x / 2 - out) / math.sqrt(2 * math.pi)


class Entr(Op):
    """out = -x ln x (0 at 0, -inf below).   d(out)/dx = -(ln x + 1)."""

    node_name = "SpecialEntrBackward0"

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), 0).astype(x.dtype)
        out[x < 0] = -np.inf
        out[np.isnan(x)] = np.nan
        return out

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * -(dual.log(x) + 1)


class Xlog1py(Op):
    """out = a ln(1 + b) (0 where a = 0).   d/da = ln(1 + b),  d/db = a / (1 + b)."""

    node_name = "SpecialXlog1PyBackward0"

    @staticmethod
    def forward(ctx, a, b, dtype):
        ctx.save_for_backward(a, b)
        a, b = a.astype(dtype), b.astype(dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = a * np.log1p(b)
        return np.where((a == 0) & ~np.isnan(b), dtype.type(0), out)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_a = grad * dual.log1p(b) if needs[0] else None
        grad_b = grad * a / (b + 1) if needs[1] else None
        return grad_a, grad_b, None


class ScipyFunction(Float64Function):
    """A function from SciPy (``scipy_name``) with its derivative written with others."""

    scipy_name = None

    @classmethod
    def compute(cls, x):
        return _scipy_special(cls.scipy_name)(x)


class Erfcx(ScipyFunction):
    """out = exp(x^2) erfc(x).   d(out)/dx = 2 x out - 2 / sqrt(pi)."""

    node_name = "SpecialErfcxBackward0"
    scipy_name = "erfcx"

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (2 * x * erfcx(x) - 2 / math.sqrt(math.pi))


class I0e(ScipyFunction):
    """out = exp(-|x|) I0(x).   d(out)/dx = i1e(x) - sign(x) out."""

    node_name = "SpecialI0EBackward0"
    scipy_name = "i0e"

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * (i1e(x) - dual.sign(x) * i0e(x))


class I1(ScipyFunction):
    """out = I1(x), the modified Bessel function of order 1.   d(out)/dx = I0(x) - I1(x) / x
    (1/2 at 0)."""

    node_name = "SpecialI1Backward0"
    scipy_name = "i1"

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.where(x == 0, 0.5, i0(x) - i1(x) / x)


class I1e(ScipyFunction):
    """out = exp(-|x|) I1(x).   d(out)/dx = i0e(x) - out (sign(x) + 1 / x) (1/2 at 0)."""

    node_name = "SpecialI1EBackward0"
    scipy_name = "i1e"

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.where(x == 0, 0.5, i0e(x) - i1e(x) * (dual.sign(x) + 1 / x))


class I0(Float64Function):
    """out = I0(x), the modified Bessel function of order 0.   d(out)/dx = I1(x)."""

    compute = staticmethod(np.i0)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * i1(x)


# ---------------------------------------------------------------- public functions


def _two_floats(input, other, fname):
    """The two operands of a binary special function as tensors (a number may stand for
    either), the float dtype of its result, and which operand was a number (0: none, 1: the
    first, 2: the second; torch's node names count the same way)."""
    if not isinstance(input, Tensor):
        number = operand(input, fname, "self", 1)
        other = tensor_operand(other, fname)
        dtype = float_result(number, other)
        return Tensor._make(np.asanyarray(number, dtype=dtype)), other, dtype, 1
    other = operand(other, fname)
    dtype = float_result(input, other)
    if not isinstance(other, Tensor):
        return input, Tensor._make(np.asanyarray(other, dtype=dtype)), dtype, 2
    return input, other, dtype, 0


def _named(op, variant):
    """``op``, or its twin whose graph node is named ``...Backward<variant>``."""
    if not variant:
        return op
    name = op.node_name[:-1] + str(variant)
    cached = _VARIANTS.get((op, variant))
    if cached is None:
        cached = _VARIANTS[op, variant] = type(op.__name__, (op,), {"node_name": name})
    return cached


_VARIANTS = {}


@export("special")
def ndtr(input, *, out=None):
    """The standard normal distribution's CDF: P(X <= x)."""
    return finish(Ndtr.apply(input), out, "special_ndtr")


@export("special")
def ndtri(input, *, out=None):
    """The standard normal distribution's quantile: the x with ndtr(x) = p."""
    return finish(Ndtri.apply(input), out, "special_ndtri")


@export("special")
def log_ndtr(input, *, out=None):
    """log of the standard normal CDF, accurate far into the left tail."""
    return finish(LogNdtr.apply(input), out, "special_log_ndtr")


@export("special")
def entr(input, *, out=None):
    """The entropy term -x ln x of each element (0 at 0, -inf for x < 0)."""
    return finish(Entr.apply(input), out, "special_entr")


@export("special")
def xlog1py(input, other, *, out=None):
    """``input * log1p(other)``, with 0 where ``input`` is 0."""
    a, b, dtype, number = _two_floats(input, other, "special_xlog1py")
    return finish(_named(Xlog1py, number).apply(a, b, dtype), out, "special_xlog1py")


@export("torch", "Tensor", "special", inplace=twin("torch", "Tensor"))
def i0(input, *, out=None):
    """I0(x), the modified Bessel function of the first kind of order 0."""
    return finish(I0.apply(input), out, "i0")


@export("special")
def i0e(input, *, out=None):
    """exp(-|x|) I0(x), which does not overflow (SciPy)."""
    return finish(I0e.apply(input), out, "special_i0e")


@export("special")
def i1(input, *, out=None):
    """I1(x), the modified Bessel function of the first kind of order 1 (SciPy)."""
    return finish(I1.apply(input), out, "special_i1")


@export("special")
def i1e(input, *, out=None):
    """exp(-|x|) I1(x) (SciPy)."""
    return finish(I1e.apply(input), out, "special_i1e")


@export("special")
def erfcx(input, *, out=None):
    """The scaled complementary error function exp(x^2) erfc(x) (SciPy)."""
    return finish(Erfcx.apply(input), out, "special_erfcx")


def _no_gradient(scipy_name, input, fname, out):
    """A function torch gives no derivative: computed on the values, no graph."""
    fn = _scipy_special(scipy_name)
    x = floating(input._array)
    return finish(Tensor._make(fn(x.astype(np.float64)).astype(x.dtype)), out, fname)


@export("special")
def bessel_j0(input, *, out=None):
    """J0(x), the Bessel function of the first kind of order 0 (SciPy; no gradient, as in
    torch)."""
    return _no_gradient("j0", input, "special_bessel_j0", out)


@export("special")
def bessel_j1(input, *, out=None):
    """J1(x), the Bessel function of the first kind of order 1 (SciPy; no gradient, as in
    torch)."""
    return _no_gradient("j1", input, "special_bessel_j1", out)
