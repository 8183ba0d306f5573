"""Quantized tensors: integers that stand for real numbers, ``x ~ (q - zero_point) * scale``.

``quantize_per_tensor(x, scale, zero_point, dtype)`` rounds each ``x / scale`` to the nearest
integer (ties to even, as the hardware's round instruction does), adds ``zero_point`` and
saturates to the dtype's range; ``dequantize`` maps the integers back.  Rounding follows torch's
x86 kernels to the bit (found by comparing with torch 2.13, see tests/test_quantized_tensor.py):

* per-tensor qint8/quint8: ``round(fma(x, 1/scale, zero_point))`` -- one fused multiply-add in
  float32, rounded once;
* per-tensor qint32 and every per-channel case: ``round(float32(float32(x * (1/scale)) +
  zero_point))`` -- a float32 product, then a float32 sum.

``1/scale`` is computed in float32 in both.  ``QTensor`` is the class of the result.  Its
``_array`` holds the *dequantized* float32 values, so any ordinary ember operation applied to a
quantized tensor sees the real numbers it stands for (and returns an ordinary float tensor: torch
refuses most of those operations instead).  The integers live in ``_int``; the operations torch
keeps quantized (views, indexing, ``relu``, ``clone``) are methods of ``QTensor``, so ordinary
tensors pay nothing for any of this.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from .dtypes import QUANTIZED, per_channel_affine, per_tensor_affine, qdtype

__all__ = ["QTensor", "quantize_per_tensor", "quantize_per_channel", "dequantize",
           "quantized_tensor_from",
           "quantize_array", "quantize_array_per_channel"]

_F32 = np.float32
_ONE = np.float32(1.0)


def quantize_array(x, scale, zero_point, dtype):
    """The integer representation (a NumPy array of ``dtype``'s storage type) of float32 ``x``
    quantized with one ``scale`` and ``zero_point``, rounded as torch's x86 kernels round."""
    inv = _ONE / _F32(scale)
    hi, lo = dtype.quant_max, dtype.quant_min
    if dtype is qint32:
        v = (x * inv).astype(_F32) + _F32(zero_point)
    else:
        # float32 * float32 is exact in float64 (24 + 24 bits), so adding zero_point there and
        # rounding once to float32 is the fused multiply-add torch's kernel uses.
        v = (x.astype(np.float64) * np.float64(inv) + zero_point).astype(_F32)
    v = np.where(np.isnan(v), hi if dtype is not qint32 else lo, np.rint(v))
    return _saturate(v, dtype)


def _saturate(v, dtype):
    """Rounded floats clamped to ``dtype``'s range and stored in its integer type (in float64
    for qint32, whose bounds float32 cannot hold: 2**31 - 1 would round up to 2**31)."""
    if dtype is qint32:
        v = v.astype(np.float64)
    return np.clip(v, dtype.quant_min, dtype.quant_max).astype(dtype.numpy)


def quantize_array_per_channel(x, scales, zero_points, axis, dtype):
    """``quantize_array`` with one (scale, zero_point) pair per index along ``axis``."""
    shape = [1] * x.ndim
    shape[axis] = -1
    inv = (_ONE / scales.astype(_F32)).reshape(shape)
    v = np.rint((x * inv).astype(_F32) + zero_points.astype(_F32).reshape(shape))
    return _saturate(v, dtype)


def _dequantize_array(q, scale, zero_point):
    return (q.astype(_F32) - _F32(zero_point)) * _F32(scale)


class QTensor(Tensor):
    """A quantized tensor (``x.is_quantized``): integers ``int_repr()`` with their ``scale`` and
    ``zero_point`` (one pair, or one per channel along ``q_per_channel_axis()``).

    Made by :func:`quantize_per_tensor`, :func:`quantize_per_channel` and the quantized layers of
    ``ember.ao.nn.quantized``; ``dequantize()`` turns it back into a float tensor.
    """

    is_quantized = True

    # ------------------------------------------------------------ construction

    @staticmethod
    def _from_int(q, dtype, scheme, scale, zero_point, axis=None):
        """A QTensor holding the integers ``q``; ``scale``/``zero_point`` are numbers, or 1-D
        float64/int64 arrays for the per-channel schemes."""
        t = object.__new__(QTensor)
        t._requires_grad = False
        t.grad_fn = None
        t._int = q
        t._qdtype = dtype
        t._qscheme = scheme
        t._scale = scale
        t._zero_point = zero_point
        t._axis = axis
        if axis is None:
            t._array = _dequantize_array(q, scale, zero_point)
        else:
            shape = [1] * q.ndim
            shape[axis] = -1
            # per channel torch multiplies in float64 (its scales are doubles), then rounds
            t._array = ((q - zero_point.reshape(shape)) * scale.reshape(shape)).astype(_F32)
        return t

    def _like(self, q):
        """A QTensor of integers ``q`` with this one's quantization (per-tensor only)."""
        return QTensor._from_int(q, self._qdtype, self._qscheme, self._scale, self._zero_point)

    def _with_qparams(self, q, scale, zero_point):
        """A per-tensor QTensor of this one's dtype: integers ``q``, new scale and zero point."""
        return QTensor._from_int(q, self._qdtype, self._qscheme, float(scale), int(zero_point))

    # ------------------------------------------------------------ what it is

    @property
    def dtype(self):
        return self._qdtype

    def element_size(self):
        return self._int.itemsize

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch.quantized." + self._qdtype._torch_type
        return super().type(dtype, non_blocking)

    def is_floating_point(self):
        return False

    def qscheme(self):
        return self._qscheme

    def int_repr(self):
        """The integers, as an ordinary tensor of the storage type (int8, uint8 or int32)."""
        return Tensor._make(self._int.copy())

    def dequantize(self):
        """The real numbers ``(q - zero_point) * scale`` as a float32 tensor."""
        return Tensor._make(self._array.copy())

    def _per_tensor(self):
        if self._axis is not None:
            raise RuntimeError(
                "Expected quantizer->qscheme() == kPerTensorAffine to be true, but got false.  "
                "(Could this error message be improved?  If so, please report an enhancement "
                "request to PyTorch.)")

    def _per_channel(self):
        if self._axis is None:
            raise RuntimeError(
                "Expected quantizer->qscheme() == kPerChannelAffine || quantizer->qscheme() == "
                "kPerChannelAffineFloatQParams to be true, but got false.  (Could this error "
                "message be improved?  If so, please report an enhancement request to PyTorch.)")

    def q_scale(self):
        self._per_tensor()
        return float(self._scale)

    def q_zero_point(self):
        self._per_tensor()
        return int(self._zero_point)

    def q_per_channel_scales(self):
        self._per_channel()
        return Tensor._make(self._scale.copy())

    def q_per_channel_zero_points(self):
        self._per_channel()
        return Tensor._make(self._zero_point.copy())

    def q_per_channel_axis(self):
        self._per_channel()
        return self._axis

    def __repr__(self, *, tensor_contents=None):
        from .printing import qtensor_repr
        return qtensor_repr(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        scale, zero_point = self._scale, self._zero_point
        if self._axis is not None:
            scale, zero_point = Tensor._make(scale), Tensor._make(zero_point)
        return (_rebuild, (Tensor._make(self._int), self._qdtype.name, self._qscheme, scale,
                           zero_point, self._axis))

    # ------------------------------------------------------------ operations that stay quantized
    # (the integers move, the quantization stays; per-channel tensors keep only what keeps
    # their axis: clone and detach)

    def clone(self, memory_format=None):
        return QTensor._from_int(self._int.copy(), self._qdtype, self._qscheme, self._scale,
                                 self._zero_point, self._axis)

    def __deepcopy__(self, memo):
        result = memo[id(self)] = self.clone()
        return result

    def detach(self):
        return self

    def contiguous(self, memory_format=None):
        return self

    def _reshaped(self, shape):
        self._per_tensor()
        return self._like(self._int.reshape(shape))

    def view(self, *shape):
        return self._reshaped(Tensor._make(self._int).view(*shape).shape)

    def reshape(self, *shape):
        return self._reshaped(Tensor._make(self._int).reshape(*shape).shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return self._reshaped(Tensor._make(self._int).flatten(start_dim, end_dim).shape)

    def squeeze(self, *dim):
        return self._reshaped(Tensor._make(self._int).squeeze(*dim).shape)

    def unsqueeze(self, dim):
        return self._reshaped(Tensor._make(self._int).unsqueeze(dim).shape)

    def __getitem__(self, index):
        self._per_tensor()
        return self._like(Tensor._make(self._int)[index]._array)

    def transpose(self, dim0, dim1):
        self._per_tensor()
        return self._like(Tensor._make(self._int).transpose(dim0, dim1)._array)

    def permute(self, *dims):
        self._per_tensor()
        return self._like(Tensor._make(self._int).permute(*dims)._array)

    def relu(self):
        """``max(x, 0)``: on the integers, ``max(q, zero_point)``."""
        self._per_tensor()
        return self._like(np.maximum(self._int, np.array(self._zero_point, self._int.dtype)))


def _rebuild(int_tensor, dtype_name, scheme, scale, zero_point, axis):
    """Rebuilds a pickled QTensor (``__reduce_ex__``)."""
    if axis is not None:
        scale, zero_point = scale._array, zero_point._array
    return QTensor._from_int(int_tensor._array, QUANTIZED[dtype_name], scheme, scale,
                             zero_point, axis)


qint32 = QUANTIZED["qint32"]


def _check_input(input, dtype):
    if not isinstance(dtype, qdtype):
        raise RuntimeError("ScalarType {} is not supported in new_qtensor.".format(
            dtype.scalar_name if isinstance(dtype, _dtype.dtype) else dtype))
    if input.dtype is not _dtype.float32:
        raise RuntimeError("Quantize only works on Float Tensor, got {}".format(
            input.dtype.scalar_name))


def _check_zero_point(fn, zero_points, dtype):
    for z in np.atleast_1d(zero_points):
        if z > dtype.quant_max:
            raise RuntimeError("{} zero_point {} is above upper bound.".format(fn, z))
        if z < dtype.quant_min:
            raise RuntimeError("{} zero_point {} is below lower bound.".format(fn, z))


def _number(x, kind):
    return kind(x.item()) if isinstance(x, Tensor) else kind(x)


def quantize_per_tensor(input, scale, zero_point, dtype):
    """Quantizes float32 ``input`` with one ``scale`` and ``zero_point``: each element becomes
    ``clamp(round(x / scale) + zero_point, qmin, qmax)`` of ``dtype`` (qint8, quint8, qint32).

    A list of tensors (with tensors of scales and zero points) gives a list of results.

    Example::

        >>> torch.quantize_per_tensor(torch.tensor([-1.0, 0.5]), 0.1, 10, torch.quint8).int_repr()
        tensor([ 0, 15], dtype=torch.uint8)
    """
    if isinstance(input, (list, tuple)):
        return tuple(quantize_per_tensor(t, s, z, dtype)
                     for t, s, z in zip(input, scale.tolist(), zero_point.tolist()))
    _check_input(input, dtype)
    scale = _number(scale, float)
    zero_point = _number(zero_point, int)
    _check_zero_point("quantize_tensor_per_tensor_affine", zero_point, dtype)
    q = quantize_array(input._array, scale, zero_point, dtype)
    return QTensor._from_int(q, dtype, per_tensor_affine, scale, zero_point)


def quantize_per_channel(input, scales, zero_points, axis, dtype):
    """Quantizes float32 ``input`` with one scale and zero point per index along ``axis``
    (``scales``: a 1-D tensor of ``input.size(axis)`` scales; ``zero_points``: integers)."""
    _check_input(input, dtype)
    ndim = input.dim()
    if not 0 <= axis < ndim:
        raise RuntimeError("Channel axis out of range in per channel affine quantization. Got: "
                           "{}Expected: [0, {})".format(axis, ndim))
    channels = input.shape[axis]
    s = np.asarray(scales._array if isinstance(scales, Tensor) else scales, np.float64)
    z = np.asarray(zero_points._array if isinstance(zero_points, Tensor) else zero_points,
                   np.int64)
    if s.size != channels:
        raise RuntimeError("length of scales must equal to channel, expected {} got, {}".format(
            channels, s.size))
    if z.size != channels:
        raise RuntimeError("length of zero_points must equal to channel expected {} got, "
                           "{}".format(channels, z.size))
    _check_zero_point("quantize_tensor_per_channel_affine", z, dtype)
    q = quantize_array_per_channel(input._array, s, z, axis, dtype)
    return QTensor._from_int(q, dtype, per_channel_affine, s.reshape(-1), z.reshape(-1), axis)


def dequantize(tensor):
    """The float32 values a quantized tensor stands for (a float tensor is returned as it is;
    a list of tensors gives a list)."""
    if isinstance(tensor, (list, tuple)):
        return [dequantize(t) for t in tensor]
    if isinstance(tensor, QTensor):
        return tensor.dequantize()
    return tensor


_BY_STORAGE = {np.dtype(np.int8): QUANTIZED["qint8"], np.dtype(np.uint8): QUANTIZED["quint8"],
               np.dtype(np.int32): QUANTIZED["qint32"]}


def quantized_tensor_from(ints, quantizer_params):
    """The QTensor of integer tensor ``ints`` with torch's ``quantizer_params`` --
    ``(per_tensor_affine, scale, zero_point)`` or ``(per_channel_affine, scales, zero_points,
    axis)`` -- checked (they come from a file); ValueError or TypeError if they do not fit."""
    q = np.ascontiguousarray(ints._array)
    dtype = _BY_STORAGE.get(q.dtype)
    if dtype is None or type(quantizer_params) is not tuple or not quantizer_params:
        raise ValueError("unexpected integers or parameters")
    scheme = quantizer_params[0]
    if scheme is per_tensor_affine and len(quantizer_params) == 3:
        _, scale, zero_point = quantizer_params
        if type(scale) not in (int, float) or type(zero_point) is not int:
            raise TypeError("scale and zero_point must be numbers")
        return QTensor._from_int(q, dtype, scheme, float(scale), zero_point)
    if scheme is per_channel_affine and len(quantizer_params) == 4:
        _, scales, zero_points, axis = quantizer_params
        if not (isinstance(scales, Tensor) and isinstance(zero_points, Tensor)
                and type(axis) is int and 0 <= axis < q.ndim
                and scales.shape == zero_points.shape == (q.shape[axis],)):
            raise ValueError("per-channel parameters do not fit the tensor")
        return QTensor._from_int(q, dtype, scheme, scales._array.astype(np.float64),
                                 zero_points._array.astype(np.int64), axis)
    raise ValueError("unsupported quantization scheme {}".format(scheme))
