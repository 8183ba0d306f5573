"""``ember.Tensor``: a NumPy array plus what autograd needs to know about it.

A tensor owns one NumPy array (``_array``).  The autograd fields say how it was made:

* ``requires_grad`` -- whether gradients should flow back to it;
* ``grad_fn`` -- the graph node of the operation that produced it (``None`` for leaves, the
  tensors you create yourself);
* ``grad`` -- for leaves, the gradient that ``backward()`` accumulated;
* a version counter, bumped by every in-place change, so that the backward pass can refuse to
  use a saved value that was overwritten (``_version``).

The class holds no maths: each method hands over to a function in ``ember/_ops`` (the table at
the end of this file), and the operators (``+``, ``@``, ``[]`` ...) are those same functions.
"""
import numpy as np

from . import _errors
from . import _dtype
from ._device import check as _check_device, of_array as _device_of
from ._size import Size

__all__ = ["Tensor"]

_new = object.__new__
_FLOAT_TYPES = {"torch." + d._torch_type: d for d in _dtype.ALL}
_NO_CUDA_LIBRARY = (     # what a CPU-only torch says to x.type(torch.cuda.FloatTensor)
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two "
    "shared libraries: a CPU library and a CUDA library; this error has occurred because you are "
    "trying to use some CUDA functionality, but the CUDA library has not been loaded by the "
    "dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't directly "
    "use any symbols from the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in "
    "your link arguments; many dynamic linkers will delete dynamic library dependencies if you "
    "don't depend on any of their symbols.  You can check if this has occurred by using ldd on "
    "your binary to see if there is a dependency on *_cuda.so library.")


def _type_name(t):
    """The legacy type string of a tensor: 'torch.FloatTensor'."""
    return "torch." + t.dtype._torch_type


class Tensor:
    """A multi-dimensional array that can record the operations applied to it.

    ``ember.tensor(data)`` is the usual way to make one; ``Tensor(data)`` makes a float32 tensor
    from data and ``Tensor(2, 3)`` an uninitialised (here: zero) one of that shape, as in torch.
    """

    # Fast fields live in slots; rarely set ones (the gradient, views, hooks) fall back to the
    # class defaults below until first assigned, so making a tensor sets just three fields.
    __slots__ = ("_array", "_requires_grad", "grad_fn", "__dict__", "__weakref__")
    _grad = None
    _base = None               # the tensor whose memory this one views (None if not a view)
    _vc = 0                    # version counter; views share their base's (see _version)
    _output_nr = 0             # which output of grad_fn this tensor is
    _retains_grad = False
    _leaf_edge = None          # a leaf's graph edge, (its AccumulateGrad node, 0), made on first use
    _hooks = None              # a leaf's hooks (a non-leaf's live on its grad_fn)
    _grad_dtype_any = False

    __array_ufunc__ = None     # NumPy operators defer to ours: ndarray * Tensor -> Tensor

    def __new__(cls, *args, **kwargs):
        from ._legacy import construct              # the legacy forms: Tensor(data), Tensor(2, 3)
        return construct(_dtype.get_default_dtype(), args, kwargs, cls)

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def _make(array):
        """Wraps a NumPy array in a tensor with no history (the internal fast constructor)."""
        t = _new(Tensor)
        t._array = array
        t._requires_grad = False
        t.grad_fn = None
        return t

    @classmethod
    def _make_subclass(cls, data, require_grad=False):
        """A ``cls`` instance sharing ``data``'s memory (how ``nn.Parameter`` is built)."""
        t = _new(cls)
        t._array = data._array
        t._requires_grad = False
        t.grad_fn = None
        if require_grad:
            t.requires_grad = True
        return t

    # ------------------------------------------------------------ data attributes

    @property
    def data(self):
        """The same memory as a tensor with no history (changes to it escape autograd)."""
        return Tensor._make(self._array)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError("Variable data has to be a tensor, but got " + type(value).__name__)
        self._array = value._array

    @property
    def dtype(self):
        return _dtype.from_numpy(self._array.dtype)

    @property
    def shape(self):
        return Size(self._array.shape)

    def size(self, dim=None):
        """The shape, or with ``dim`` the length of that dimension."""
        if dim is None:
            return Size(self._array.shape)
        if not self._array.ndim:
            raise IndexError("Dimension specified as {} but tensor has no dimensions".format(dim))
        return self._array.shape[_wrap_dim(dim, self._array.ndim)]

    @property
    def device(self):
        """Where the data lives: the device whose array library holds ``_array``."""
        return _device_of(self._array)

    is_cuda = False
    is_sparse = False
    is_quantized = False
    is_meta = False
    layout = "torch.strided"

    def get_device(self):
        return -1

    @property
    def ndim(self):
        return self._array.ndim

    def dim(self):
        return self._array.ndim

    def numel(self):
        return self._array.size

    nelement = numel

    def element_size(self):
        return self._array.itemsize

    def is_floating_point(self):
        return self._array.dtype.kind in "fV"

    def is_complex(self):
        return self._array.dtype.kind == "c"

    def is_signed(self):
        return self.dtype.is_signed

    def stride(self, dim=None):
        """Steps in elements between neighbours along each dimension."""
        array = self._array
        if array.size == 0 and not any(array.strides):
            # NumPy forgets the strides of a new empty array (all 0); torch's are contiguous.
            # (An empty slice of a real array keeps its strides, in both libraries.)
            strides, step = [], 1
            for n in reversed(array.shape):
                strides.append(step)
                step *= max(n, 1)
            strides = tuple(reversed(strides))
        else:
            strides = tuple(s // array.itemsize for s in array.strides)
        return strides if dim is None else strides[_wrap_dim(dim, array.ndim)]

    def is_contiguous(self, memory_format=None):
        return self._array.flags.c_contiguous

    def storage_offset(self):
        base = self._array
        while isinstance(base.base, np.ndarray):
            base = base.base
        return (self._array.__array_interface__["data"][0]
                - base.__array_interface__["data"][0]) // max(self._array.itemsize, 1)

    def data_ptr(self):
        return self._array.__array_interface__["data"][0]

    # ------------------------------------------------------------ autograd attributes

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        value = bool(value)
        if self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and self._array.dtype.kind not in "fcV":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = value

    def requires_grad_(self, requires_grad=True):
        """Sets ``requires_grad`` in place and returns the tensor."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        """True for tensors made by the user (or not requiring grad): they have no grad_fn."""
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed want "
                "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you "
                "access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for "
                "more information.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor or None but got grad of "
                                "type " + type(value).__name__)
            if value._array.shape != self._array.shape:
                raise RuntimeError(
                    "attempting to assign a gradient of size '{}' to a tensor of size '{}'. "
                    "Please ensure that the gradient and the tensor are the same size".format(
                        list(value._array.shape), list(self._array.shape)))
            if value._array.dtype != self._array.dtype and not self._grad_dtype_any:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype '{}' to a tensor with grad_dtype "
                    "'{}'. The gradient must match the tensor's grad_dtype (defaults to the "
                    "tensor's dtype). You can set the tensor's grad_dtype attribute with a "
                    "specific dtype, or None to allow any dtype. Set grad_dtype with caution. "
                    "Diverging the dtypes of a tensor and its gradient may break downstream "
                    "systems that assume they match.".format(
                        value.dtype.scalar_name.lower(), self.dtype.scalar_name))
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def _version(self):
        base = self._base
        return (self if base is None else base)._vc

    def _bump_version(self):
        base = self._base
        (self if base is None else base)._vc += 1

    def retain_grad(self):
        """Asks backward() to keep this non-leaf tensor's gradient in ``.grad``."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        import weakref
        self._retains_grad = True
        self.grad_fn._retain(self._output_nr, weakref.ref(self))

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_tensor_hook(self._output_nr, hook)
        from .autograd.graph import RemovableHandle
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Computes the gradient of this tensor with respect to the graph leaves.

        The gradients are *added* into the ``.grad`` of every leaf that requires grad.  For a
        non-scalar tensor pass ``gradient`` (the vector v of the vector-Jacobian product v^T J).
        """
        _engine.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """The same memory and version counter, cut off from the graph."""
        t = Tensor._make(self._array)
        t._base = self if self._base is None else self._base
        return t

    def detach_(self):
        if self._base is not None and self.grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ------------------------------------------------------------ conversion

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._array.size != 1:
            raise RuntimeError("a Tensor with {} elements cannot be converted to Scalar".format(
                self._array.size))
        return self._array.item()

    def tolist(self):
        return self._array.tolist()

    def numpy(self, *, force=False):
        """The NumPy array itself (shared memory, not a copy)."""
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._array

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def __dlpack__(self, *args, **kwargs):
        if self._requires_grad:
            raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
        return self._array.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()

    def __float__(self):
        if self._array.size != 1:
            raise _errors.one_element_to_scalar()
        return float(self._array.item())

    def __int__(self):
        if self._array.size != 1:
            raise _errors.one_element_to_scalar()
        return int(self._array.item())

    def __complex__(self):
        return complex(self.item())

    def __index__(self):
        if self._array.size != 1 or self._array.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._array.item())

    def __bool__(self):
        size = self._array.size
        if size == 1:
            return bool(self._array.item())
        if size == 0:
            raise _errors.ambiguous_bool(empty=True)
        raise _errors.ambiguous_bool(empty=False)

    def to(self, *args, **kwargs):
        """Converts dtype and device: ``t.to(torch.float64)``, ``t.to('cpu')``, ``t.to(other)``.
        Returns ``self`` when nothing changes, unless ``copy=True``."""
        target = where = None
        for a in args + tuple(v for k, v in kwargs.items() if k in ("dtype", "device", "other")):
            if isinstance(a, _dtype.dtype):
                target = a
            elif a is float or a is int or a is bool:      # Python types name dtypes too
                target = _dtype.to_dtype(a)
            elif isinstance(a, Tensor):
                target, where = a.dtype, a.device
            elif a is not None and not isinstance(a, bool):
                where = _check_device(a)
        from ._ops.core.copy import to_device, to_dtype
        result = self if where is None else to_device(self, where)
        if target is not None and target.numpy != self._array.dtype:
            return to_dtype(result, target)
        return self.clone() if result is self and kwargs.get("copy", False) else result

    def type(self, dtype=None, non_blocking=False, **kwargs):
        """Without arguments, the type string ('torch.FloatTensor'); else converts."""
        if dtype is None:
            return _type_name(self)
        if getattr(dtype, "is_cuda", False) or str(dtype).startswith("torch.cuda."):
            raise RuntimeError(_NO_CUDA_LIBRARY)
        if isinstance(dtype, str):
            if dtype not in _FLOAT_TYPES:
                raise ValueError("invalid type: '{}'".format(dtype))
            dtype = _FLOAT_TYPES[dtype]
        elif isinstance(dtype, type):                # Tensor, FloatTensor ...
            dtype = _dtype.get_default_dtype() if issubclass(dtype, Tensor) else dtype.dtype
        return self.to(dtype)

    def type_as(self, other):
        return self.to(other.dtype)

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def short(self):
        return self.to(_dtype.int16)

    def char(self):
        return self.to(_dtype.int8)

    def byte(self):
        return self.to(_dtype.uint8)

    def bool(self):
        return self.to(_dtype.bool_)

    def cpu(self, memory_format=None):
        return self.to("cpu")

    def cuda(self, *args, **kwargs):
        _check_device("cuda")

    def pin_memory(self):
        return self

    def share_memory_(self):
        return self

    # ------------------------------------------------------------ Python protocol

    def __len__(self):
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self):
        if self._array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    __hash__ = object.__hash__

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr
        return tensor_repr(self)

    def __format__(self, spec):
        # As in torch: a plain 0-d tensor formats as its number, even when it requires grad
        # (f"{loss:.4f}"); anything else accepts only the empty spec, which gives str(self).
        if self._array.ndim == 0 and type(self) is Tensor:
            return format(self._array.item(), spec)
        return object.__format__(self, spec)

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        result = _new(type(self))
        result._array = self._array.copy()
        result._requires_grad = self._requires_grad
        result.grad_fn = None
        memo[id(self)] = result
        if self._grad is not None:
            result._grad = self._grad.__deepcopy__(memo)
        for key, value in self.__dict__.items():
            if not key.startswith("_"):
                import copy
                setattr(result, key, copy.deepcopy(value, memo))
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild, (type(self), self._array, self._requires_grad))

    def __getstate__(self):
        raise TypeError("use ember.save to store tensors")

    @property
    def T(self):
        """The dimensions reversed (for a matrix, its transpose)."""
        ndim = self._array.ndim
        if ndim > 2:
            import warnings
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                          "shape is deprecated and it will throw an error in a future release. "
                          "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                          "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                          UserWarning, stacklevel=2)
        return self.permute(*range(ndim - 1, -1, -1))

    @property
    def mT(self):
        """The last two dimensions swapped (a batch of transposed matrices)."""
        if self._array.ndim < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               "Got {}-D tensor.".format(self._array.ndim))
        return self.transpose(-2, -1)

    # ------------------------------------------------------------ in-place helpers

    def _add_inplace_array(self, array):
        """``self += array`` on the memory, bumping the version (used for .grad accumulation)."""
        np.add(self._array, array, out=self._array, casting="unsafe")
        self._bump_version()


def _rebuild(cls, array, requires_grad):
    t = _new(cls)
    # Unpickled arrays carry fresh dtype objects; ops compare dtypes by identity, so use NumPy's
    # canonical one.
    t._array = array.view(_dtype.from_numpy(array.dtype).numpy)
    t._requires_grad = requires_grad
    t.grad_fn = None
    return t


def _wrap_dim(dim, ndim):
    """A possibly negative dimension index as a non-negative one, with torch's range error."""
    n = ndim if ndim > 0 else 1
    if not -n <= dim < n:
        raise IndexError("Dimension out of range (expected to be in range of [{}, {}], but got {})"
                         .format(-n, n - 1, dim))
    return dim + n if dim < 0 else dim


# The tensor methods and operators are the functions of ember/_ops, bound here so that
# ``x.exp()`` is exactly ``ember.exp(x)``.  The import sits at the end because the op modules
# themselves build on the Tensor class defined above.
from ._ops import tensor_methods as _methods  # noqa: E402

_methods.install(Tensor)

from .autograd import engine as _engine  # noqa: E402
