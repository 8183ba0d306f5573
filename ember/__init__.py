"""ember: PyTorch's Tensor, autograd, nn, optim and data loading, written in Python on NumPy.

``import ember as torch`` and course code written for PyTorch runs unchanged.  Start reading at
``ember/_tensor.py`` (the Tensor), ``ember/autograd/`` (how gradients are computed) and
``ember/_ops/`` (each operation with its forward and backward side by side).
"""
from . import _dtype
from ._device import device, get_default_device, set_default_device
from ._dtype import (get_default_dtype, promote_types, result_type as _result_type,
                     set_default_dtype, can_cast as _can_cast)
from ._size import Size
from ._tensor import Tensor
from ._tensor_str import set_printoptions
from ._threads import (get_num_interop_threads, get_num_threads, set_num_interop_threads,
                       set_num_threads)
from ._info import finfo, iinfo
from ._legacy import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor,
                      IntTensor, LongTensor, ShortTensor, set_default_tensor_type, typename)
from . import autograd
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled
from ._ops.core import registry as _registry
from ._ops.creation.mt19937 import default_generator
globals().update(_registry.names("torch"))      # every operation: ember.exp, ember.cat ...

__version__ = "0.1.0"
pi, e, inf, nan, newaxis = 3.141592653589793, 2.718281828459045, float("inf"), float("nan"), None

bool = _dtype.bool_
uint8, int8, int16, int32, int64 = _dtype.uint8, _dtype.int8, _dtype.int16, _dtype.int32, \
    _dtype.int64
float16, float32, float64 = _dtype.float16, _dtype.float32, _dtype.float64
half, float, double = float16, float32, float64
from ._lowprec import bfloat16, float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz
complex64, complex128 = cfloat, cdouble = _dtype.complex64, _dtype.complex128
short, int, long = int16, int32, int64
dtype = _dtype.dtype
strided = "torch.strided"
contiguous_format = preserve_format = channels_last = None


def result_type(tensor, other):
    """The dtype an operation on ``tensor`` and ``other`` would produce."""
    return _result_type(tensor, other)


def can_cast(from_, to):
    return _can_cast(from_, to)


def is_storage(obj):
    return False




# Subpackages that ``import ember`` does not load until first used (``ember.nn`` ...), so that
# importing ember stays fast.
_LAZY = {"nn", "optim", "utils", "viz", "serialization", "linalg", "cuda", "backends", "special",
         "distributions", "profiler", "testing", "compiler", "multiprocessing", "version",
         "random", "distributed", "ao", "quantization", "amp", "cpu", "func", "fft"}
_LAZY_NAMES = {"save": "serialization", "load": "serialization", "compile": "compiler",
               "autocast": "amp", "is_autocast_enabled": "amp", "get_autocast_dtype": "amp",
               "set_autocast_enabled": "amp", "set_autocast_dtype": "amp", "vmap": "func"}
# Quantized dtypes and functions (ember.qint8, ember.quantize_per_tensor ...), from ember/_quantized.
_QUANTIZED = {"qint8", "quint8", "qint32", "quint4x2", "qscheme", "per_tensor_affine",
              "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric",
              "per_channel_affine_float_qparams", "quantize_per_tensor", "quantize_per_channel",
              "dequantize", "fake_quantize_per_tensor_affine", "fake_quantize_per_channel_affine"}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module = importlib.import_module("." + name, __name__)
        globals()[name] = module
        return module
    if name in _LAZY_NAMES:
        import importlib
        return getattr(importlib.import_module("." + _LAZY_NAMES[name], __name__), name)
    if name in _QUANTIZED:
        from . import _quantized
        return getattr(_quantized, name)
    from .nn import functional                    # ember.conv2d, ember.cdist ...
    torch_names = _registry.names("torch")
    if name in torch_names:
        value = globals()[name] = torch_names[name]
        return value
    raise AttributeError("module 'ember' has no attribute '{}'".format(name))


def __dir__():
    from .nn import functional                    # noqa: F401  (declares its names)
    return sorted(set(globals()) | _LAZY | set(_LAZY_NAMES) | _QUANTIZED |
                  set(_registry.names("torch")))
