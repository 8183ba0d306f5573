"""The entry points the fuzzer calls: every function, tensor method and ``nn.functional`` /
``linalg`` function that ember shares with torch, found by looking at both libraries (so a new
ember operation is fuzzed the day it appears), less the few that are not operations on tensors.

An entry is ``(namespace, name)``: namespace ``"torch"``, ``"Tensor"``, ``"F"`` or ``"linalg"``.
"""
import inspect

import ember

# Names that are not computations on their arguments: global state, files, devices, dtype
# queries, hooks and autograd plumbing.  Calling them with random arguments tests nothing, or
# changes state that later cases depend on.
NOT_OPERATIONS = {
    "set_default_dtype", "get_default_dtype", "set_printoptions", "manual_seed", "seed",
    "initial_seed", "get_rng_state", "set_rng_state", "set_num_threads", "get_num_threads",
    "is_grad_enabled", "is_inference_mode_enabled", "save", "load", "from_dlpack", "from_numpy",
    "is_storage", "promote_types", "can_cast", "result_type", "empty", "empty_like",
    "vmap",                     # a function transform: it returns a function
    # Tensor methods: autograd plumbing, storage, devices and Python protocols.
    "backward", "register_hook", "retain_grad", "requires_grad_", "detach_", "data_ptr",
    "untyped_storage", "share_memory_", "pin_memory", "cuda", "cpu", "get_device",
    "storage_offset", "element_size", "new_empty", "numpy", "_make_subclass", "__array__",
    "__dlpack__", "__dlpack_device__", "__deepcopy__", "__reduce__", "__reduce_ex__",
    "__getstate__", "__setattr__", "__delattr__", "__getattribute__", "__init__",
    "__init_subclass__", "__new__", "__subclasshook__", "__class__", "__dir__", "__sizeof__",
    "__hash__", "__format__", "__repr__", "__str__", "__iter__", "type",
    "compile",                  # returns a wrapper function: nothing to compare
}

# Operations that draw random numbers: their values are not compared (the two libraries'
# generators differ), only dtypes, shapes and exceptions.  (``new(size)`` returns
# uninitialised memory, and so does ``resize_`` where it grows: their values are not compared
# either.)
RANDOM = {
    "new", "resize_",
    "rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm", "normal",
    "bernoulli", "bernoulli_", "multinomial", "poisson", "rrelu", "rrelu_", "dropout",
    "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
    "gumbel_softmax", "uniform_", "normal_", "exponential_", "geometric_", "cauchy_",
    "log_normal_", "random_",
}


def _functions(module, reference, classes_ok=False):
    names = []
    for name in dir(module):
        if name.startswith("_") or name in NOT_OPERATIONS or not hasattr(reference, name):
            continue
        value = getattr(module, name)
        if callable(value) and not inspect.isclass(value) and not inspect.ismodule(value):
            names.append(name)
    return names


def _methods(torch):
    names = []
    for name in dir(ember.Tensor):
        if name in NOT_OPERATIONS or not hasattr(torch.Tensor, name):
            continue
        if name.startswith("_") and not name.startswith("__"):
            continue
        static = inspect.getattr_static(ember.Tensor, name, None)
        if isinstance(static, property) or not callable(getattr(ember.Tensor, name, None)):
            continue
        names.append(name)
    return names


def entries(torch):
    """Every ``(namespace, name)`` ember shares with ``torch``, sorted."""
    import ember.nn.functional as F
    out = [("torch", n) for n in _functions(ember, torch)]
    out += [("Tensor", n) for n in _methods(torch)]
    out += [("F", n) for n in _functions(F, torch.nn.functional)]
    out += [("linalg", n) for n in _functions(ember.linalg, torch.linalg)]
    return sorted(out)


def resolve(lib, namespace, name):
    """The callable for an entry in library ``lib`` (ember or torch); a method is returned
    unbound, taking the tensor as its first argument."""
    if namespace == "Tensor":
        return getattr(lib.Tensor, name)
    if namespace == "F":
        return getattr(lib.nn.functional, name)
    if namespace == "linalg":
        return getattr(lib.linalg, name)
    return getattr(lib, name)
