"""``ember.save`` and ``ember.load``: PyTorch's ``.pth`` checkpoint format, written and read safely.

The format
----------
A ``.pth`` file is a ZIP archive (entries stored uncompressed) whose entries all sit in one
folder, named after the file (``model.pth`` -> ``model/``) or ``archive/`` for a buffer:

* ``data.pkl`` -- a pickle (protocol 2) of the saved object: dicts, lists, numbers, strings ...
  and, for every tensor, a call ``torch._utils._rebuild_tensor_v2(storage, offset, size,
  stride, requires_grad, hooks)``.  The ``storage`` argument is a *persistent id*
  ``('storage', torch.FloatStorage, '0', 'cpu', numel)`` naming the next entry:
* ``data/0``, ``data/1``, ... -- the raw little-endian bytes of each storage.  A view (``t[2:5]``,
  ``t.T``) refers to the storage of its base with an offset and strides, so shared memory stays
  shared;
* ``version`` (``3``), ``byteorder`` and a few small records.

Safety
------
A pickle is a little program: the standard ``pickle.load`` imports whatever module a file
names and calls whatever function it names (``os.system`` included).  ``ember.load`` therefore
never uses it.  It runs its own small interpreter (``_serialization/unpickler.py``) that knows
only the opcodes that describe data and resolves names against a short allow-list
(``_serialization/allowlist.py``) of ember's own rebuild functions; everything else is refused
before anything runs.  Every tensor is checked against its storage (dtype, sizes, strides and
offset inside the storage) before it is built.  This holds for ``weights_only=False`` too: ember
never unpickles arbitrary objects.

``ember.save`` writes data.pkl with its own pickle writer (``_serialization/pickler.py``) and the
zip with ``_serialization/archive.py``, to a temporary file next to the target that is flushed
to disk and then renamed into place, so an interrupted save never leaves a half-written
checkpoint behind.
"""
import io
import os
import pickle
import stat

from ._device import device as _device
from ._serialization.allowlist import (UNSUPPORTED_STORAGES, Storage, StorageType, bad,
                                       check_int, short)
from ._serialization.archive import Archive, write_archive
from ._serialization.pickler import PickleWriter
from ._serialization.tempfiles import remove_stale, temporary_path
from ._serialization.unpickler import Unpickler
from ._tensor import Tensor

__all__ = ["save", "load"]


def _atomic_write(path, write):
    """Runs ``write(file)`` on a temporary file next to ``path``, then renames it to ``path``.

    The rename is atomic: readers see the old file or the complete new one, never a partial
    one, even if this process is killed midway (the temporary file is then left behind, and
    removed by the next save or load of ``path``: ``_serialization/tempfiles.py``).
    """
    target = os.path.realpath(path)                 # write through a symlink, as open() would
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise RuntimeError("Parent directory {} does not exist.".format(
            os.path.dirname(os.fspath(path)) or folder))
    remove_stale(target)
    temporary = temporary_path(target)
    # 0o666 and not mkstemp's 0o600: the umask then gives the file the usual permissions.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:                                        # overwriting: keep the file's permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    try:                                            # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass                                        # not possible on every platform


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Saves ``obj`` to the file ``f`` in PyTorch's ``.pth`` format.

    ``obj`` may be a tensor, a Parameter, a state_dict, an optimizer's state_dict, or any nest of
    dicts, lists and tuples holding those together with numbers, strings, bytes, None, dtypes,
    devices and Sizes: exactly what ``torch.load(f, weights_only=True)`` accepts, so real torch
    loads every file ember writes.  Other objects (a whole Module, a NumPy array) raise a
    TypeError before anything is written.

    Args:
        obj: what to save.
        f: a path (str or os.PathLike) or a binary file object opened for writing.  A path is
            written atomically: to a temporary file in the same folder that is renamed into
            place once it is complete, so a crash never destroys the previous checkpoint.
        pickle_module, pickle_protocol: accepted for compatibility; ember always writes the
            protocol-2 pickle that every version of torch reads.

    Example::

        >>> ember.save({'model': model.state_dict(), 'epoch': 3}, 'checkpoint.pth')
    """
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("ember writes only the zip-based .pth format (torch >= 1.6), "
                                  "not the legacy one")
    writer = PickleWriter()
    pickled = writer.dump(obj)

    def write(handle, root):
        write_archive(handle, root, pickled, writer.storages, not _disable_byteorder_record)

    if isinstance(f, (str, os.PathLike)):
        root = os.path.splitext(os.path.basename(os.fspath(f)))[0] or "archive"
        _atomic_write(f, lambda handle: write(handle, root))
    elif hasattr(f, "write"):
        write(f, "archive")
    else:
        raise AttributeError("'{}' object has no attribute 'write'".format(type(f).__name__))


# =================================================================================== loading


def _map_location_to(map_location, location, storage):
    """Applies ``map_location`` to one storage; returns its (possibly replaced) array."""
    target = location
    if callable(map_location) and not isinstance(map_location, (str, _device)):
        result = map_location(Tensor._make(storage.array), location)
        if result is not None:
            if not isinstance(result, Tensor) or result._array.shape != storage.array.shape:
                raise RuntimeError("map_location must return the storage it was given (or None)")
            return result._array
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif map_location is not None:
        target = map_location
    try:
        where = _device(target) if not isinstance(target, _device) else target
    except (RuntimeError, ValueError, TypeError):
        raise bad("unknown storage location {}".format(short(target))) from None
    if where.type == "cuda":
        raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                           "torch.cuda.is_available() is False. If you are running on a CPU-only "
                           "machine, please use torch.load with map_location=torch.device('cpu') "
                           "to map your storages to the CPU.")
    if where.type != "cpu":
        raise RuntimeError("ember.load: ember keeps tensors on the CPU only, so it cannot load "
                           "to {!r}; pass map_location='cpu'".format(str(where)))
    return storage.array


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Loads an object saved with ``ember.save`` or ``torch.save`` (the zip ``.pth`` format).

    Only data is ever rebuilt: tensors, Parameters, (Ordered)dicts with their attributes (a
    state_dict's ``_metadata``), lists, tuples, sets, strings, bytes, numbers, dtypes, devices
    and Sizes -- what ``torch.load(weights_only=True)`` accepts.  A file that asks for anything
    else (a pickled Module, a NumPy array, or a malicious ``os.system``) raises
    ``pickle.UnpicklingError`` before anything from it runs, and a damaged file raises an error
    that says what is wrong with it.

    Args:
        f: a path or a binary file object open for reading.
        map_location: where to put the tensors.  ember has only the CPU, so this matters for
            files saved on a GPU: ``'cpu'``, ``ember.device('cpu')``, a dict such as
            ``{'cuda:0': 'cpu'}``, or a function ``fn(storage, location)`` returning the
            storage (or None for the default).  Without it, tensors saved on a GPU raise torch's
            "Attempting to deserialize object on a CUDA device" error.
        weights_only: True (also when None, as in torch).  ``False`` is accepted, but does not
            switch to unrestricted unpickling: ember never runs code from a file.
        mmap: map the storages from the file instead of reading them (``f`` must be a path);
            tensors are copy-on-write, so changing them leaves the file alone.

    Example::

        >>> checkpoint = ember.load('checkpoint.pth', map_location='cpu')
        >>> model.load_state_dict(checkpoint['model'])
    """
    if pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    is_path = isinstance(f, (str, os.PathLike))
    if mmap and not is_path:
        raise ValueError("f must be a file path in order to use the mmap argument")
    if is_path:
        remove_stale(f)
        with open(f, "rb") as handle:
            return _load(handle, repr(os.fspath(f)), map_location, bool(mmap), f)
    if not hasattr(f, "read"):
        raise AttributeError("'{}' object has no attribute 'read'".format(type(f).__name__))
    if not (hasattr(f, "seek") and f.seekable()):
        f = io.BytesIO(f.read())                  # zip needs to seek to its directory
    return _load(f, "the file object", map_location, False, None)


def _load(handle, name, map_location, use_mmap, path):
    archive = Archive(handle, name, use_mmap, path)

    def persistent_load(pid):
        if (type(pid) is not tuple or len(pid) != 5 or pid[0] != "storage"
                or not isinstance(pid[1], StorageType)):
            raise bad("data.pkl refers to an unknown kind of record: {}".format(short(pid)))
        _, kind, key, location, numel = pid
        if type(key) is not str or not key.isascii() or not key.isdigit():
            raise bad("storage key {} is not a record number".format(short(key)))
        if type(location) is not str:
            raise bad("storage location {} is not a string".format(short(location)))
        check_int(numel, "a storage's number of elements")
        if kind.dtype is None:
            raise RuntimeError(
                "ember.load: {} holds {} tensors (storage data/{}), a type NumPy and ember do not "
                "have; convert them in torch before saving, e.g. tensor.float()".format(
                    name, UNSUPPORTED_STORAGES[kind.name], key))
        storage = archive.storage(key, kind.dtype, numel)
        array = _map_location_to(map_location, location, storage)
        return storage if array is storage.array else Storage(key, array)

    return Unpickler(archive.pickle(), persistent_load).load()
