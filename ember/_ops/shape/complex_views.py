"""Views between complex tensors and their real parts: ``real``, ``imag`` (also the properties
``x.real`` and ``x.imag``, which may be assigned to), ``view_as_real``, ``view_as_complex``, and
the conjugate transposes ``adjoint``, ``x.mH`` and ``x.H``.

They share memory with their input, as in torch: ``x.real[0] = 5`` changes ``x``.  A complex
number z = a + ib is stored as the two floats (a, b), so these are NumPy views with other
strides; no values are copied.
"""
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ... import _dtype
from ...autograd.op import Op
from ..core import registry
from ..core.common import Tensor
from ..core.registry import export
from ..elementwise.complex_numbers import conj, is_conj
from .reordering import transpose
from .views import as_view


def _view(op, input, *args):
    return as_view(op.apply(input, *args), input)


class Real(Op):
    """out = Re z (a view).   The gradient of z is grad + 0i."""

    holomorphic = False
    node_name = "SelectBackward0"

    @staticmethod
    def forward(ctx, z):
        return z.real

    @staticmethod
    def backward(ctx, grad):
        return grad + 0j


class Imag(Op):
    """out = Im z (a view).   The gradient of z is i grad (the imaginary part moves L)."""

    holomorphic = False
    node_name = "SelectBackward0"

    @staticmethod
    def forward(ctx, z):
        return z.imag

    @staticmethod
    def backward(ctx, grad):
        return grad * 1j


@export("torch")
def real(input):
    """The real parts of a complex tensor, as a view (a real tensor is returned as it is)."""
    return _view(Real, input) if input._array.dtype.kind == "c" else input


@export("torch")
def imag(input):
    """The imaginary parts of a complex tensor, as a view (a real tensor has none: error)."""
    if input._array.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _view(Imag, input)


def _set_real(self, value):
    real(self).copy_(value)


def _set_imag(self, value):
    imag(self).copy_(value)


registry.add("Tensor", "real", property(real, _set_real, doc=real.__doc__))
registry.add("Tensor", "imag", property(imag, _set_imag, doc=imag.__doc__))


class ViewAsReal(Op):
    """out[..., 0] = Re z, out[..., 1] = Im z (a view).
    The gradient of z is grad[..., 0] + i grad[..., 1]."""

    holomorphic = False

    @staticmethod
    def forward(ctx, z):
        parts = z.real
        return as_strided(parts, z.shape + (2,), parts.strides + (parts.itemsize,))

    @staticmethod
    def backward(ctx, grad):
        return grad[..., 0] + grad[..., 1] * 1j


@export("torch")
def view_as_real(input):
    """A real view of a complex tensor with a last dimension of 2: (real part, imaginary part)."""
    if input._array.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if is_conj(input):
        raise RuntimeError("view_as_real doesn't work on unresolved conjugated tensors.  To "
                           "resolve the conjugate tensor so you can view it as real, use "
                           "self.resolve_conj(); however, be warned that the resulting tensor "
                           "will NOT alias the original.")
    return _view(ViewAsReal, input)


class ViewAsComplex(Op):
    """z = x[..., 0] + i x[..., 1] (a view).   The gradient of x is (Re grad, Im grad)."""

    holomorphic = False

    @staticmethod
    def forward(ctx, x):
        return x.view(_dtype.from_numpy(x.dtype).to_complex().numpy)[..., 0]

    @staticmethod
    def backward(ctx, grad):
        if isinstance(grad, Tensor):
            return view_as_real(grad)
        return np.stack([grad.real, grad.imag], axis=-1)


@export("torch")
def view_as_complex(input):
    """A complex view of a real tensor whose last dimension (of size 2) holds the parts."""
    array = input._array
    dtype = input.dtype
    if not dtype.is_floating_point:
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           "tensors, but got a tensor of scalar type: " + dtype.scalar_name)
    if array.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if array.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    strides = input.stride()
    if strides[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    if dtype is _dtype.float16:
        raise TypeError("ember has no complex32 (ComplexHalf) dtype: use float32 parts")
    return _view(ViewAsComplex, input)


def _matrices(input, what, need):
    ndim = input._array.ndim
    if ndim < 2 if need == "batches" else ndim != 2:
        raise RuntimeError("tensor.{} is only supported on matrices{}. Got {}-D tensor.{}".format(
            what, " or batches of matrices" if need == "batches" else " (2-D tensors)", ndim,
            " For batches of matrices, consider using tensor.mH" if ndim > 2 and what == "H"
            else ""))


@export("torch", "Tensor")
def adjoint(input):
    """The conjugate transpose of (a batch of) matrices: the last two dimensions swapped and
    each element conjugated (a 0-d tensor: its conjugate)."""
    if input._array.ndim == 0:
        return conj(input)
    _matrices(input, "adjoint()", "batches")
    return conj(transpose(input, -2, -1))


def _mH(self):
    """The conjugate transpose of each matrix (``adjoint()``)."""
    if self._array.ndim == 0:
        return conj(self)
    _matrices(self, "mH", "batches")
    return conj(transpose(self, -2, -1))


def _H(self):
    """The conjugate transpose of a matrix."""
    if self._array.ndim == 0:
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return conj(self)
    _matrices(self, "H", "matrix")
    return conj(transpose(self, 0, 1))


registry.add("Tensor", "mH", property(_mH, doc=_mH.__doc__))
registry.add("Tensor", "H", property(_H, doc=_H.__doc__))
