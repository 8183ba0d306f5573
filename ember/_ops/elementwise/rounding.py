"""Sign and rounding: ``abs``, ``sign``, ``floor``, ``ceil``, ``round``, ``trunc`` and ``frac``.

They keep the dtype (integers are already whole numbers).  Rounding and the sign are step
functions, whose derivative torch takes as 0 everywhere, jumps included; ``abs`` has
derivative sign(x), 0 at the kink x = 0, as in torch.
"""
import numpy as np

from ...autograd.op import Op
from ..core import dual
from ..core.operands import check_float, finish, not_implemented
from ..core.inplace import twin
from ..core.registry import export


class Abs(Op):
    """out = |x|.   d(out)/dx = sign(x) (0 at x = 0); for complex z the gradient is
    grad * z / |z|."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            not_implemented("abs_cpu", x.dtype)
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad * dual.sgn(x)


class _Step(Op):
    """A step function: constant between its jumps, so its derivative is 0 (and torch takes it
    as 0 at the jumps too)."""

    exact_grads = True

    @staticmethod
    def backward(ctx, grad):
        return dual.zeros(tuple(grad.shape), grad)      # not grad * 0: NaN * 0 is NaN


class Sign(_Step):
    """out = -1, 0 or 1, the sign of x (0 for NaN, as in torch).   Derivative 0."""

    @staticmethod
    def forward(ctx, x):
        if x.dtype.kind == "b":
            return x.copy()
        out = np.sign(x, out=np.empty_like(x))         # (an array also when x is 0-d)
        if x.dtype.kind == "f":
            out[np.isnan(out)] = 0
        return out


class Sgn(Sign):
    """out = x / |x| (0 at 0): the sign, also defined for complex numbers.   Derivative 0 for
    real x; for complex z (s = z / |z| moves only along the circle): (grad - s^2 conj(grad)) /
    (2 |z|), and 0 at z = 0."""

    holomorphic = False

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return Sign.forward(ctx, x)

    @staticmethod
    def backward(ctx, grad):
        z, = ctx.saved_tensors
        if not dual.is_complex(z):
            return Sign.backward(ctx, grad)
        size = dual.abs(z)
        s = dual.sgn(z)
        nonzero = dual.where(size == 0, 1.0, size)
        return dual.where(size == 0, 0.0, (grad - s * s * dual.conj(grad)) / (nonzero * 2))


class _Rounding(_Step):
    """Rounding to a whole number with the NumPy function ``round_array``.   Derivative 0.
    Integer tensors are already whole and come back as a copy."""

    kernel = None           # the name of torch's kernel, for its error on bool tensors
    round_array = None      # the NumPy function

    @classmethod
    def forward(cls, ctx, x):
        kind = x.dtype.kind
        if kind == "b" or kind == "c" and cls.kernel.startswith("round"):
            not_implemented(cls.kernel, x.dtype)
        if kind == "c":
            raise NotImplementedError(cls.kernel.split("_")[0] + " is not supported for complex "
                                      "inputs")
        return cls.round_array(x) if kind == "f" else x.copy()


class Floor(_Rounding):
    """out = the largest whole number <= x.   Derivative 0."""

    kernel = "floor_vml_cpu"
    round_array = np.floor


class Ceil(_Rounding):
    """out = the smallest whole number >= x.   Derivative 0."""

    kernel = "ceil_vml_cpu"
    round_array = np.ceil


class Round(_Rounding):
    """out = x rounded to the nearest whole number, halves to even.   Derivative 0."""

    kernel = "round_vml_cpu"
    round_array = np.rint


class Trunc(_Rounding):
    """out = x rounded towards zero.   Derivative 0."""

    kernel = "trunc_vml_cpu"
    round_array = np.trunc


class RoundDecimals(_Step):
    """out = x rounded to ``decimals`` decimal places (halves to even).   Derivative 0."""

    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        check_float(x, "round_cpu")
        if decimals >= 0:
            scale = x.dtype.type(10.0 ** decimals)
            return np.rint(x * scale) / scale
        scale = x.dtype.type(10.0 ** -decimals)
        return np.rint(x / scale) * scale


class Frac(Op):
    """out = x - trunc(x), the fractional part.   d(out)/dx = 1."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x):
        check_float(x, "frac_cpu")
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


# ---------------------------------------------------------------- public functions


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
@export("torch", "Tensor", inplace=twin("Tensor"), name="absolute")   # (no torch.absolute_)
def abs(input, *, out=None):
    """Absolute value of each element."""
    return finish(Abs.apply(input), out, "abs")


@export("torch", "Tensor", inplace=twin("Tensor"))
def sign(input, *, out=None):
    """-1, 0 or 1: the sign of each element."""
    if input._array.dtype.kind == "c":
        raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support complex "
                                  "numbers. Please use torch.sgn instead.")
    return finish(Sign.apply(input), out, "sign")


@export("torch", "Tensor", inplace=twin("Tensor"))
def sgn(input, *, out=None):
    """The sign of each element (``x / |x|``, which for real numbers is ``sign``)."""
    return finish(Sgn.apply(input), out, "sgn")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def floor(input, *, out=None):
    """Each element rounded down to a whole number."""
    return finish(Floor.apply(input), out, "floor")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def ceil(input, *, out=None):
    """Each element rounded up to a whole number."""
    return finish(Ceil.apply(input), out, "ceil")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def round(input, *, decimals=None, out=None):
    """Each element rounded to the nearest whole number (halves to even), or to ``decimals``
    decimal places (even ``decimals=0`` is recorded as RoundBackward1, as in torch)."""
    if decimals is None:
        return finish(Round.apply(input), out, "round")
    return finish(RoundDecimals.apply(input, decimals), out, "round")


@export("special", name="round")
def special_round(input, *, decimals=0, out=None):
    """``torch.special.round``: always the ``decimals`` form of ``round`` (RoundBackward1)."""
    return round(input, decimals=decimals, out=out)


@export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("fix",))
def trunc(input, *, out=None):
    """Each element rounded towards zero."""
    return finish(Trunc.apply(input), out, "trunc")


@export("torch", "Tensor", inplace=twin("torch", "Tensor"))
def frac(input, *, out=None):
    """The fractional part of each element, ``x - trunc(x)``."""
    return finish(Frac.apply(input), out, "frac")


