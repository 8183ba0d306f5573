"""The arguments of the ``ember.fft`` functions, checked with torch's errors: the input (its
dtype decides the precision: float32 and integers give complex64, float64 gives complex128), the
normalisation mode, and the dims and sizes ``n``/``s`` to transform."""
from .. import _dtype
from .._tensor import Tensor, _wrap_dim
from .._ops.core.operands import finish

NORMS = ("backward", "ortho", "forward")


def tensor_input(input, fn):
    """``input`` as a floating or complex tensor (bool and integers become the default float)."""
    if not isinstance(input, Tensor):
        raise TypeError("fft_{}(): argument 'input' (position 1) must be Tensor, not {}".format(
            fn, type(input).__name__))
    dtype = input.dtype
    if dtype is _dtype.float16:
        raise RuntimeError("Unsupported dtype Half")
    if not (dtype.is_floating_point or dtype.is_complex):
        input = input.to(_dtype.get_default_dtype())
    return input


def real_input(input, fn):
    """A real ``input`` (``rfft``, ``ihfft`` ...), torch's error for a complex one."""
    input = tensor_input(input, fn)
    if input.dtype.is_complex:
        name = input.dtype.scalar_name
        if fn in ("rfft", "ihfft"):
            raise RuntimeError("{} expects a real input tensor, but got {}".format(fn, name))
        if fn.startswith("rfft"):
            raise RuntimeError("rfftn expects a real-valued input tensor, but got " + name)
        raise RuntimeError("Only supports floating-point dtypes, but found: " + name)
    return input


def norm_mode(norm):
    """``norm`` as one of "backward" (the default), "ortho", "forward"."""
    if norm is None:
        return "backward"
    if norm not in NORMS:
        raise RuntimeError('Invalid normalization mode: "{}"'.format(norm))
    return norm


def _check_size(n):
    if n < 1:
        raise RuntimeError("Invalid number of data points ({}) specified".format(n))


def one_dim(input, n, dim, fn):
    """``(axes, sizes)`` of a one-dimensional transform: ``sizes`` is None when ``n`` is."""
    if n is not None and type(n) is not int:
        raise TypeError("fft_{}(): argument 'n' must be int, not {}".format(fn, type(n).__name__))
    if type(dim) is not int:
        raise TypeError("fft_{}(): argument 'dim' must be int, not {}".format(
            fn, type(dim).__name__))
    axis = _wrap_dim(dim, input.ndim)
    _check_size(input.shape[axis] if n is None else n)
    return (axis,), None if n is None else [n]


def many_dims(input, s, dim, fn):
    """``(axes, sizes)`` of a transform over several dims: ``dim`` (all, or the last len(s),
    when None); ``sizes`` is None when ``s`` is, and a size of -1 keeps the input's."""
    ndim = input.ndim
    if dim is not None:
        dims = [dim] if type(dim) is int else list(dim)
        axes = tuple(_wrap_dim(d, ndim) for d in dims)
        if len(set(axes)) != len(axes):
            raise RuntimeError("FFT dims must be unique")
        if s is not None and len(s) != len(axes):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > ndim:
            raise RuntimeError("Got shape with {} values but input tensor only has {} dimensions."
                               .format(len(s), ndim))
        axes = tuple(range(ndim - len(s), ndim))
    else:
        axes = tuple(range(ndim))
    sizes = None if s is None else [input.shape[a] if n == -1 else int(n)
                                    for a, n in zip(axes, s)]
    for n in (sizes or [input.shape[a] for a in axes]):
        _check_size(n)
    return axes, sizes


def inverse_real_sizes(input, axes, sizes):
    """The output sizes of a half spectrum's inverse (``irfft``): the last dim's size is
    ``2 * (m - 1)`` for m stored frequencies unless given."""
    full = [input.shape[a] for a in axes] if sizes is None else list(sizes)
    if sizes is None:
        full[-1] = 2 * (input.shape[axes[-1]] - 1)
    _check_size(full[-1])
    return full


def written(result, out, fn):
    """``result``, or written into ``out`` (which must be complex for a complex result)."""
    if out is not None and result.dtype.is_complex and not out.dtype.is_complex:
        raise RuntimeError("{} expects a complex output tensor, but got {}".format(
            fn, out.dtype.scalar_name))
    return finish(result, out, fn)
