"""Reading and writing the safetensors format (optional: needs ``pip install safetensors``).

safetensors is the weight format of the wider ecosystem (Hugging Face and friends).  A file is
an 8-byte header length, a JSON header naming each tensor's dtype, shape and byte range, and then
the raw bytes: no code at all, so loading one is safe by construction, and it can be memory-mapped.

The functions mirror ``safetensors.torch`` and work with ember tensors, through the
``safetensors.numpy`` API of the safetensors package:

* :func:`save_file` / :func:`load_file` -- a dict of tensors to and from a file;
* :func:`save` / :func:`load` -- the same with ``bytes``;
* :func:`save_model` / :func:`load_model` -- a module's state_dict, handling tied weights.

Example::

    >>> from ember.utils.safetensors import save_file, load_file
    >>> save_file(model.state_dict(), "model.safetensors")
    >>> model.load_state_dict(load_file("model.safetensors"))
"""
import numpy as np

from .._tensor import Tensor

__all__ = ["save", "save_file", "load", "load_file", "save_model", "load_model"]

_byte_bounds = getattr(getattr(np.lib, "array_utils", np), "byte_bounds", None) or np.byte_bounds

# The safetensors dtype codes that ember (NumPy) has a dtype for.
_NUMPY_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64,
                 "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def _safetensors():
    """Imports the optional safetensors package, with a clear message when it is missing."""
    try:
        import safetensors
        import safetensors.numpy
    except ImportError:
        raise ModuleNotFoundError(
            "ember.utils.safetensors needs the optional 'safetensors' package; install it with "
            "`pip install safetensors` (or `pip install 'ember[safetensors]'`)") from None
    return safetensors


def _arrays_for_save(tensors):
    """The NumPy arrays to write, after safetensors.torch's checks on the tensors."""
    if not isinstance(tensors, dict):
        raise ValueError("Expected a dict of [str, torch.Tensor] but received {}"
                         .format(type(tensors)))
    for key, value in tensors.items():
        if not isinstance(value, Tensor):
            raise ValueError("Key `{}` is invalid, expected torch.Tensor but received {}"
                             .format(key, type(value)))
    shared = [names for names in _shared_groups(tensors) if len(names) > 1]
    if shared:
        raise RuntimeError(
            "\n            Some tensors share memory, this will lead to duplicate memory on disk "
            "and potential differences when loading them again: {}.\n            A potential way "
            "to correctly save your model is to use `save_model`.\n            More information "
            "at https://huggingface.co/docs/safetensors/torch_shared_tensors\n            "
            .format(shared))
    arrays = {}
    for key, value in tensors.items():
        if not value._array.flags.c_contiguous:
            raise ValueError(
                "You are trying to save a non contiguous tensor: `{}` which is not allowed. It "
                "either means you are trying to save tensors which are reference of each other in "
                "which case it's recommended to save only the full tensors, and reslice at load "
                "time, or simply call `.contiguous()` on your tensor to pack it before saving."
                .format(key))
        arrays[key] = value._array
    return arrays


def _shared_groups(tensors):
    """Groups of names whose tensors overlap in memory (tied weights, views of one another)."""
    spans = []
    for name, t in tensors.items():
        if t._array.nbytes:
            low, high = _byte_bounds(t._array)
            spans.append((low, high, name))
    spans.sort()
    groups, end = [], None
    for low, high, name in spans:
        if groups and low < end:
            groups[-1].add(name)
            end = max(end, high)
        else:
            groups.append({name})
            end = high
    return groups


def _to_tensors(named_arrays):
    """Wraps loaded arrays as tensors (copying read-only buffers, so the tensors are writable)."""
    result = {}
    for name, array in named_arrays:
        if not array.flags.writeable:
            array = array.copy()
        result[name] = Tensor._make(array)
    return result


def _check_dtype(name, code):
    if code not in _NUMPY_DTYPES:
        raise TypeError("tensor '{}' has the safetensors dtype {}, which ember (NumPy) has no "
                        "dtype for; convert it (e.g. to F32) before saving".format(name, code))


def save(tensors, metadata=None):
    """The safetensors file for a dict of tensors, as ``bytes``.

    Args:
        tensors (dict[str, Tensor]): contiguous tensors that do not share memory.
        metadata (dict[str, str], optional): free text stored in the header.
    """
    st = _safetensors()
    return st.numpy.save(_arrays_for_save(tensors), metadata=metadata)


def save_file(tensors, filename, metadata=None):
    """Writes a dict of tensors to ``filename`` in the safetensors format (see :func:`save`)."""
    st = _safetensors()
    st.numpy.save_file(_arrays_for_save(tensors), filename, metadata=metadata)


def load(data):
    """The dict of tensors in ``data``, the bytes of a safetensors file."""
    st = _safetensors()
    entries = st.deserialize(data)
    for name, entry in entries:
        _check_dtype(name, entry["dtype"])
    return _to_tensors(
        (name, np.frombuffer(entry["data"], dtype=_NUMPY_DTYPES[entry["dtype"]])
         .reshape(entry["shape"])) for name, entry in entries)


def load_file(filename, device="cpu"):
    """The dict of tensors stored in the safetensors file ``filename``.

    Args:
        filename (str or os.PathLike): the file.
        device: where to put the tensors; ember has only the CPU.
    """
    from .._device import check
    check(device)
    st = _safetensors()
    with st.safe_open(filename, framework="np") as f:
        for name in f.keys():
            _check_dtype(name, f.get_slice(name).get_dtype())
        return _to_tensors((name, f.get_tensor(name)) for name in f.keys())


def save_model(model, filename, metadata=None, force_contiguous=True):
    """Saves ``model.state_dict()``, storing tied (shared) weights only once.

    For each group of names that share memory the first name is kept; the others are recorded
    in the metadata (``dropped name -> kept name``) and restored by :func:`load_model`.
    """
    state_dict = dict(model.state_dict())
    for group in _shared_groups(state_dict):
        if len(group) > 1:
            kept, *dropped = sorted(group)
            for name in dropped:
                metadata = {} if metadata is None else metadata
                metadata.setdefault(name, kept)
                del state_dict[name]
    if force_contiguous:
        state_dict = {k: v.contiguous() for k, v in state_dict.items()}
    try:
        save_file(state_dict, filename, metadata=metadata)
    except ValueError as e:
        raise ValueError(str(e) + " Or use save_model(..., force_contiguous=True), read the docs "
                                  "for potential caveats.") from None


def load_model(model, filename, strict=True, device="cpu"):
    """Loads a file written by :func:`save_model` into ``model``.

    Returns ``(missing, unexpected)``: the model's names the file did not set, and the file's
    names the model does not have.  With ``strict`` either kind raises a RuntimeError.
    """
    state_dict = load_file(filename, device=device)
    shared = [g for g in _shared_groups(dict(model.state_dict())) if len(g) > 1]
    missing, unexpected = model.load_state_dict(state_dict, strict=False)
    missing = set(missing)
    unexpected = list(unexpected)
    for group in shared:
        present = [name for name in group if name in state_dict]
        if present:                          # a tied weight arrives once, under one name
            missing -= group
    if strict and (missing or unexpected):
        error = "Error(s) in loading state_dict for {}:".format(type(model).__name__)
        if missing:
            error += "\n    Missing key(s) in state_dict: {}".format(
                ", ".join('"{}"'.format(k) for k in sorted(missing)))
        if unexpected:
            error += "\n    Unexpected key(s) in state_dict: {}".format(
                ", ".join('"{}"'.format(k) for k in sorted(unexpected)))
        raise RuntimeError(error)
    return missing, unexpected
