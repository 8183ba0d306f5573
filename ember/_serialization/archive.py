"""The zip container of a .pth file: writing it (64-byte aligned, as torch does) and reading it
back with every record checked.
"""
import io
import mmap as _mmap
import pickle
import secrets
import struct
import sys
import zipfile

import numpy as np

from .allowlist import Storage

__all__ = ["write_archive", "Archive"]

READ_CHUNK = 1 << 18          # bytes decompressed at a time, straight into the storage's array
PICKLE_INFLATION = 16         # data.pkl may be at most this many times the file's size (+ 1 MB)


def write_archive(fileobj, root, pickled, storages, byteorder_record=True):
    """Writes the zip archive, every entry's data starting at a multiple of 64 bytes."""
    records = [("data.pkl", pickled), (".format_version", b"1"), (".storage_alignment", b"64")]
    if byteorder_record:
        records.append(("byteorder", sys.byteorder.encode()))
    records += [("data/" + key, array) for key, array in storages]
    records += [("version", b"3\n"),
                (".data/serialization_id", b"%040d" % secrets.randbelow(10 ** 40))]
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, data in records:
            view = memoryview(data.reshape(-1).view(np.uint8) if isinstance(data, np.ndarray)
                              else data)
            info = zipfile.ZipInfo(root + "/" + name, date_time=(1980, 1, 1, 0, 0, 0))
            info.file_size = view.nbytes
            info.extra = alignment_padding(archive, info)
            with archive.open(info, "w") as entry:
                entry.write(view)


def alignment_padding(archive, info):
    """An 'FB' extra field of 'Z' bytes that moves the entry's data to a 64-byte boundary.

    torch pads the same way, so that its ``mmap=True`` can map each storage directly.
    """
    try:
        start = archive.fp.tell()
    except (AttributeError, OSError):
        return b""                                 # a stream without positions: no alignment
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT     # zipfile then adds a 20-byte field
    header = 30 + len(info.filename.encode("utf-8")) + (20 if zip64 else 0)
    pad = -(start + header + 4) % 64
    return b"FB" + struct.pack("<H", pad) + b"Z" * pad


class Archive:
    """The validated zip archive of a .pth file: its folder and its records."""

    def __init__(self, fileobj, name, use_mmap, path):
        self.name = name
        head = fileobj.read(4)
        fileobj.seek(-len(head), io.SEEK_CUR)
        if not head:
            raise RuntimeError("ember.load: {} is empty, not a .pth file".format(name))
        if head[:2] != b"PK":
            if head[:2] == b"\x80\x02":
                raise RuntimeError(
                    "ember.load: {} is in the legacy (pre-1.6) torch format, which ember does not "
                    "read; load it with torch and save it again with a current torch.save"
                    .format(name))
            raise RuntimeError("ember.load: {} is not a .pth file written by torch.save or "
                               "ember.save (it is not a zip archive)".format(name))
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except Exception as e:                   # whatever zipfile trips over in a damaged file
            raise RuntimeError("ember.load: {} is a damaged .pth file: its zip directory cannot "
                               "be read ({}); the file is truncated or corrupted".format(name, e)) \
                from None
        infos = self.zip.infolist()
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise RuntimeError("ember.load: {} has duplicate entries; the file is corrupted or "
                               "was tampered with".format(name))
        roots = [n[:-len("/data.pkl")] for n in names if n.endswith("/data.pkl")
                 and n.count("/") == 1]
        if len(roots) != 1:
            raise RuntimeError("ember.load: {} is a zip archive but not a .pth file: {}".format(
                name, "it has no data.pkl record" if not roots else "it has several data.pkl"))
        self.root = roots[0]
        for n in names:
            if not n.startswith(self.root + "/"):
                raise RuntimeError("ember.load: {} has an entry outside its folder '{}': {!r}"
                                   .format(name, self.root, n))
        self.infos = {info.filename: info for info in infos}
        if self.root + "/version" not in self.infos:
            raise RuntimeError("ember.load: {} has no 'version' record; it is not a complete "
                               ".pth file".format(name))
        version = self.read_small("version").strip()
        if not version.isdigit() or not 1 <= int(version) <= 10:
            raise RuntimeError("ember.load: {} has an unknown format version {!r}"
                               .format(name, version))
        byteorder = "little"
        if self.root + "/byteorder" in self.infos:
            byteorder = self.read_small("byteorder").strip()
            if byteorder not in ("little", "big"):
                raise RuntimeError("ember.load: {} has an invalid byteorder record {!r}"
                                   .format(name, byteorder))
        self.byteorder = "<" if byteorder == "little" else ">"
        self.mmap = None
        if use_mmap:
            with open(path, "rb") as handle:
                self.mmap = _mmap.mmap(handle.fileno(), 0, access=_mmap.ACCESS_COPY)
        self.storages = {}
        self.dtypes = {}                         # the dtype each storage key is read as
        # What data.pkl may inflate to: a pickle is read and run in time and memory linear in
        # its length, so bounding the length by the file's size bounds the work of loading a
        # file (a few MB deflated to GBs of opcodes is refused instead of run for minutes).
        start = fileobj.tell()
        self.pickle_limit = PICKLE_INFLATION * (fileobj.seek(0, io.SEEK_END) - start) + (1 << 20)
        fileobj.seek(start)

    def read_small(self, record, limit=64):
        info = self.infos[self.root + "/" + record]
        if info.file_size > limit:
            raise RuntimeError("ember.load: the '{}' record of {} is implausibly large"
                               .format(record, self.name))
        return self._read(info).decode("ascii", "replace")

    def _check_method(self, info):
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise RuntimeError("ember.load: {!r} in {} uses zip compression method {}; .pth "
                               "files are stored uncompressed (or deflated)".format(
                                   info.filename, self.name, info.compress_type))

    def _read(self, info):
        self._check_method(info)
        try:
            return self.zip.read(info)
        except Exception as e:
            raise RuntimeError("ember.load: cannot read {!r} from {}: {} (the file is truncated "
                               "or corrupted)".format(info.filename, self.name, e)) from None

    def pickle(self):
        info = self.infos[self.root + "/data.pkl"]
        if info.file_size > self.pickle_limit:
            raise RuntimeError(
                "ember.load: data.pkl of {} inflates to {} bytes, far more than a file of this "
                "size can hold (a decompression bomb, or a corrupted file); refusing to unpickle "
                "it".format(self.name, info.file_size))
        return self._read(info)

    def storage(self, key, dtype, numel):
        """The storage ``data/<key>`` as ``numel`` elements of ``dtype`` (read once per key)."""
        seen = self.dtypes.setdefault(key, dtype)
        if seen is not dtype:
            raise pickle.UnpicklingError(
                "ember.load: storage data/{} of {} is read both as {} and as {}: one storage has "
                "one dtype (the file is corrupted or crafted to reinterpret memory)".format(
                    key, self.name, seen, dtype))
        cached = self.storages.get((key, dtype))
        if cached is not None:
            if cached.array.size != numel:
                raise RuntimeError("ember.load: storage data/{} is used with two different "
                                   "sizes in {}".format(key, self.name))
            return cached
        record = self.root + "/data/" + key
        info = self.infos.get(record)
        if info is None:
            raise RuntimeError("ember.load: {} has no record data/{}, which a tensor uses; the "
                               "file is incomplete".format(self.name, key))
        np_dtype = dtype.numpy.newbyteorder(self.byteorder)
        if info.file_size != numel * np_dtype.itemsize:
            raise RuntimeError(
                "ember.load: storage data/{} of {} holds {} bytes, but data.pkl says it has {} "
                "elements of {} bytes (truncated or corrupted)".format(
                    key, self.name, info.file_size, numel, np_dtype.itemsize))
        if self.mmap is not None:
            array = np.frombuffer(self.mmap, np_dtype, numel, self._data_offset(info))
        else:
            array = np.empty(numel, np_dtype)
            self._read_into(info, array.view(np.uint8))
        if not array.dtype.isnative:
            array = array.astype(dtype.numpy)
        storage = self.storages[(key, dtype)] = Storage(key, array)
        return storage

    def _read_into(self, info, buffer):
        self._check_method(info)
        try:
            with self.zip.open(info) as entry:
                view, filled = memoryview(buffer), 0
                while filled < len(view):
                    # In pieces: zipfile's readinto reads all it is asked for into a temporary
                    # bytes object first, which for one big piece would double the memory.
                    n = entry.readinto(view[filled:filled + READ_CHUNK])
                    if not n:
                        break
                    filled += n
                entry.read(1)                          # reach the end: checks the CRC
        except Exception as e:
            raise RuntimeError("ember.load: cannot read {!r} from {}: {} (the file is truncated "
                               "or corrupted)".format(info.filename, self.name, e)) from None
        if filled != len(view):
            raise RuntimeError("ember.load: {!r} in {} is shorter than its header says (the file "
                               "is truncated)".format(info.filename, self.name))

    def _data_offset(self, info):
        """Where an entry's bytes start in the file (after its local header), for mmap."""
        if info.compress_type != zipfile.ZIP_STORED:
            raise RuntimeError("ember.load: mmap=True needs uncompressed entries, but {!r} in {} "
                               "is compressed".format(info.filename, self.name))
        header = self.mmap[info.header_offset:info.header_offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise RuntimeError("ember.load: the zip entry {!r} in {} is damaged"
                               .format(info.filename, self.name))
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        if start + info.file_size > len(self.mmap):
            raise RuntimeError("ember.load: {!r} runs past the end of {} (truncated)"
                               .format(info.filename, self.name))
        return start
