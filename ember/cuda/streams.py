"""The GPU's work queues and recorded graphs (``Stream``, ``Event``, ``CUDAGraph`` ...) and the
typed GPU tensor classes (``torch.cuda.FloatTensor`` ...), as a CPU-only torch has them: the
classes exist, making one is an error; the context managers accept ``None`` and do nothing."""
import contextlib

from .. import _dtype

_NOT_COMPILED = "Torch not compiled with CUDA enabled"


class _GpuTensorType(type):
    """``torch.cuda.FloatTensor``: no tensor is ever one, and none can be made."""

    def __call__(cls, *args, **kwargs):
        raise TypeError("type torch.cuda.{} not available. {}.".format(cls.__name__,
                                                                       _NOT_COMPILED))

    def __instancecheck__(cls, obj):
        return False

    def __repr__(cls):
        return "<class 'torch.cuda.{}'>".format(cls.__name__)


def _gpu_type(dtype):
    return _GpuTensorType(dtype._torch_type, (), {"dtype": dtype, "is_cuda": True,
                                                  "is_sparse": False})


FloatTensor, DoubleTensor, HalfTensor = (_gpu_type(d) for d in (
    _dtype.float32, _dtype.float64, _dtype.float16))
LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor = (_gpu_type(d) for d in (
    _dtype.int64, _dtype.int32, _dtype.int16, _dtype.int8, _dtype.uint8, _dtype.bool_))


class Stream:
    """A GPU work queue: needs a GPU."""

    def __new__(cls, device=None, priority=0, **kwargs):
        raise RuntimeError("torch.cuda.Stream requires CUDA support")


class _Dummy:
    """A class whose GPU implementation is missing: making one is torch's RuntimeError."""

    def __new__(cls, *args, **kwargs):
        raise RuntimeError("Tried to instantiate dummy base class " + cls.__name__)


class Event(_Dummy):
    """A marker in a GPU work queue."""


class CUDAGraph(_Dummy):
    """A recorded sequence of GPU work."""


class MemPool(_Dummy):
    """A pool of GPU memory."""


class StreamContext:
    """``with torch.cuda.stream(s):`` -- with ``s = None`` (all there is here) it does nothing."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def stream(stream):
    return StreamContext(stream)


def set_stream(stream):
    """Selecting the (absent) stream ``None`` does nothing."""


def current_stream(device=None):
    raise AssertionError(_NOT_COMPILED)


default_stream = current_stream


def is_current_stream_capturing():
    raise RuntimeError("Tried to instantiate dummy base class _cuda_isCurrentStreamCapturing")


def graph_pool_handle():
    raise RuntimeError("Tried to instantiate dummy base class _graph_pool_handle")


def graph(cuda_graph, pool=None, stream=None, capture_error_mode="global"):
    raise RuntimeError("torch.cuda.Stream requires CUDA support")


@contextlib.contextmanager
def use_mem_pool(pool, device=None):
    """Allocating from a GPU memory pool: nothing is allocated on a GPU here."""
    yield
