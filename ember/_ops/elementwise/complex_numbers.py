"""Complex numbers: building them (``complex``, ``polar``), their angle and conjugate.

Gradients follow torch's convention ("Autograd for Complex Numbers"): for a real loss L the
gradient of a complex z = x + iy is ``dL/dx + i dL/dy``.  A holomorphic function's backward is
then ``grad * conj(f'(z))``, which every op written with the real formula gets for free
(``Op.holomorphic``, in ember/autograd/op.py).  The functions here are not holomorphic (they
take real parts, conjugate, or build complex numbers from real ones), so each writes its
gradient out: for a real input x of a complex output, ``grad_x = Re(grad * conj(d out / dx))``.

``conj`` differs from torch in one way: torch returns a *lazy view* that shares memory with its
input and only flips the sign of the imaginary part when read; ember returns the conjugated
values in new memory.  Values, gradients and ``is_conj()`` (True on ``conj``'s result) agree;
writing into the result does not change the input, as it would in torch.
"""
import numpy as np

from ... import _dtype
from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor, check_broadcast
from ..core.inplace import apply_inplace
from ..core.operands import finish
from ..core.registry import export


def _parts_dtype(real, imag):
    """The complex NumPy dtype made of two real tensors, with torch's errors."""
    a, b = real.dtype, imag.dtype
    if not (a.is_floating_point and b.is_floating_point):
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got {} "
                           "and {}".format(a.scalar_name, b.scalar_name))
    if a is not b:
        raise RuntimeError("Expected object of scalar type {} but got scalar type {} for second "
                           "argument".format(a.scalar_name, b.scalar_name))
    if a is _dtype.float16:
        raise TypeError("ember has no complex32 (ComplexHalf) dtype: use float32 parts")
    check_broadcast(real.shape, imag.shape)
    return a.to_complex().numpy


def _check_tensors(fn, **args):
    for i, (name, value) in enumerate(args.items()):
        if not isinstance(value, Tensor):
            raise TypeError("{}(): argument '{}' (position {}) must be Tensor, not {}".format(
                fn, name, i + 1, type(value).__name__))


class Complex(Op):
    """out = real + i imag.   grad_real = Re(grad), grad_imag = Im(grad)."""

    holomorphic = False

    @staticmethod
    def forward(ctx, real, imag, np_dtype):
        out = np.empty(np.broadcast_shapes(real.shape, imag.shape), np_dtype)
        out.real = real          # part by part: real + 1j * imag would turn inf * 1j into nan
        out.imag = imag
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.real, grad.imag, None


@export("torch")
def complex(real, imag, *, out=None):
    """The complex tensor ``real + i imag`` from two real tensors of one floating dtype."""
    _check_tensors("complex", real=real, imag=imag)
    return finish(Complex.apply(real, imag, _parts_dtype(real, imag)), out, "complex")


class Polar(Op):
    """out = abs * (cos(angle) + i sin(angle)).
    grad_abs = Re(grad * conj(e^(i angle))), grad_angle = Re(grad * conj(i out))."""

    holomorphic = False

    @staticmethod
    def forward(ctx, abs, angle, np_dtype):
        ctx.save_for_backward(abs, angle)
        out = np.empty(np.broadcast_shapes(abs.shape, angle.shape), np_dtype)
        out.real = abs * np.cos(angle)
        out.imag = abs * np.sin(angle)
        return out

    @staticmethod
    def backward(ctx, grad):
        abs, angle = ctx.saved_tensors
        cos, sin = dual.cos(angle), dual.sin(angle)
        # grad * conj(e^(i angle)) and grad * conj(i abs e^(i angle)), real parts written out
        grad_abs = grad.real * cos + grad.imag * sin
        grad_angle = (grad.imag * cos - grad.real * sin) * abs
        return grad_abs, grad_angle, None


@export("torch")
def polar(abs, angle, *, out=None):
    """The complex tensor with absolute value ``abs`` and angle ``angle`` (radians)."""
    _check_tensors("polar", abs=abs, angle=angle)
    return finish(Polar.apply(abs, angle, _parts_dtype(abs, angle)), out, "polar")


class Angle(Op):
    """out = atan2(Im z, Re z); for real x: pi where x < 0, else 0 (nan stays nan).
    d(out)/dz: grad * i z / |z|^2 (0 at z = 0); for real x the derivative is 0."""

    holomorphic = False

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        if x.dtype.kind == "c":
            return np.angle(x)
        if x.dtype.kind != "f":
            x = x.astype(_dtype.get_default_dtype().numpy)
        out = np.where(x < 0, x.dtype.type(np.pi), x.dtype.type(0))
        return np.where(np.isnan(x), x, out)

    @staticmethod
    def backward(ctx, grad):
        z, = ctx.saved_tensors
        if not dual.is_complex(z):
            return dual.zeros(tuple(z.shape), grad)
        size = z.real * z.real + z.imag * z.imag
        return dual.where(size == 0, 0.0, grad * z * 1j / dual.where(size == 0, 1.0, size))


@export("torch", "Tensor")
def angle(input, *, out=None):
    """The angle (argument) of each element, in radians: ``atan2(imag, real)``."""
    return finish(Angle.apply(input), out, "angle")


class Conj(Op):
    """out = conj(z).   The gradient is conj(grad)."""

    holomorphic = False
    exact_grads = True

    @staticmethod
    def forward(ctx, z):
        return np.conjugate(z) if z.dtype.kind == "c" else z.copy()

    @staticmethod
    def backward(ctx, grad):
        return dual.conj(grad)


class ConjPhysical(Conj):
    """out = conj(z), always in new memory.   The gradient is conj(grad)."""


class ConjPhysicalInPlace(Conj):
    """z = conj(z), in place (torch's node of ``conj_physical_``).   The gradient is conj(grad)."""

    node_name = "ConjPhysicalBackward1"


@export("torch", "Tensor")
def conj(input):
    """The complex conjugate (a real tensor is returned as it is).  See the module docstring
    for how this differs from torch's lazy conjugate view."""
    if not input._array.dtype.kind == "c":
        return input
    result = Conj.apply(input)
    result._is_conj = not is_conj(input)
    return result


@export("torch", "Tensor")
def conj_physical(input, *, out=None):
    """The complex conjugate in new memory (a real tensor is returned as it is)."""
    if not input._array.dtype.kind == "c":
        return input if out is None else finish(input.clone(), out, "conj_physical")
    return finish(ConjPhysical.apply(input), out, "conj_physical")


@export("torch", "Tensor")
def conj_physical_(input):
    """Conjugates ``input`` in place (a real tensor keeps its values)."""
    if input._array.dtype.kind != "c" and not input._requires_grad:
        return input                    # nothing to write
    return apply_inplace(input, ConjPhysicalInPlace.apply)


@export("torch", "Tensor")
def is_conj(input):
    """True for the result of ``conj`` on a complex tensor (torch's conjugate bit)."""
    return input.__dict__.get("_is_conj", False)


@export("torch", "Tensor")
def resolve_conj(input):
    """``input`` with its conjugate bit resolved: a copy of a ``conj`` result, else ``input``."""
    return input.clone() if is_conj(input) else input


@export("torch", "Tensor")
def is_neg(input):
    """False: ember has no lazily negated tensors (torch's negative bit)."""
    return False


@export("torch", "Tensor")
def resolve_neg(input):
    """``input`` itself: ember has no lazily negated tensors."""
    return input


@export("torch")
def is_complex(input):
    """True for tensors of a complex dtype (complex64, complex128)."""
    return input._array.dtype.kind == "c"
