"""ember.save / ember.load: .pth files exchanged with real torch, and files that attack the loader."""
import collections
import functools
import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ember
from parity import DTYPES, assert_equal, sample

torch = pytest.importorskip("torch")

LOAD_ERRORS = (RuntimeError, pickle.UnpicklingError)


def to_torch(t):
    return torch.from_numpy(np.array(t._array))


def ember_save(obj):
    buffer = io.BytesIO()
    ember.save(obj, buffer)
    return buffer.getvalue()


def torch_save(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- ember -> torch


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(2, 3), (), (0,), (0, 3), (4, 1), (1, 1, 5)])
def test_every_dtype_and_shape_loads_in_torch(dtype, shape):
    t = ember.from_numpy(sample(dtype, shape))
    loaded = torch.load(io.BytesIO(ember_save(t)), weights_only=True)
    assert_equal(t, loaded)
    back = ember.load(io.BytesIO(ember_save(t)))
    assert_equal(back, loaded)
    assert back.stride() == loaded.stride()


def test_views_share_storage_in_torch():
    base = ember.arange(12.)
    obj = {"base": base, "slice": base[2:5], "grid": base.reshape(3, 4), "T": base.reshape(3, 4).T,
           "col": base.reshape(3, 4)[:, 1]}
    loaded = torch.load(io.BytesIO(ember_save(obj)), weights_only=True)
    for name, t in obj.items():
        assert_equal(t, loaded[name])
    ptr = loaded["base"].untyped_storage().data_ptr()
    assert all(v.untyped_storage().data_ptr() == ptr for v in loaded.values())
    assert loaded["slice"].storage_offset() == 2
    assert loaded["T"].stride() == (1, 4) and loaded["col"].stride() == (4,)
    loaded["base"][3] = 100.                                  # shared memory, as in torch
    assert loaded["slice"][1].item() == 100.


def test_structures_and_scalars_round_trip():
    obj = {"int": 3, "big": 2 ** 70, "neg": -(2 ** 40), "float": 0.1, "inf": float("inf"),
           "str": "héllo ✓", "bytes": b"\x00\xffab", "none": None, "flags": [True, False],
           "tuple": (1, (2.5, "x")), "set": {1, 2}, "complex": 1 + 2j, "ba": bytearray(b"xy"),
           "dtype": ember.float64, "device": ember.device("cpu"), "size": ember.Size([2, 3]),
           "nested": {"a": [{"b": ember.ones(2)}]}, 7: "int key", (1, 2): "tuple key"}
    loaded = torch.load(io.BytesIO(ember_save(obj)), weights_only=True)
    back = ember.load(io.BytesIO(ember_save(obj)))
    for result in (loaded, back):
        for key in obj:
            if key in ("nested", "dtype", "device", "size"):
                continue
            assert result[key] == obj[key] and type(result[key]) is type(obj[key]), key
    assert loaded["dtype"] is torch.float64 and back["dtype"] is ember.float64
    assert loaded["device"] == torch.device("cpu") and back["device"] == ember.device("cpu")
    assert isinstance(loaded["size"], torch.Size) and isinstance(back["size"], ember.Size)
    assert back["nested"]["a"][0]["b"].tolist() == [1., 1.]


def test_shared_objects_stay_shared():
    w = ember.ones(3)
    items = [1, 2]
    loaded = torch.load(io.BytesIO(ember_save({"a": w, "b": w, "l1": items, "l2": items})))
    assert loaded["a"] is loaded["b"] and loaded["l1"] is loaded["l2"]
    back = ember.load(io.BytesIO(ember_save({"a": w, "b": w, "l1": items, "l2": items})))
    assert back["a"] is back["b"] and back["l1"] is back["l2"]


def test_requires_grad_and_non_leaf_tensors():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    loaded = torch.load(io.BytesIO(ember_save({"x": x, "y": y})), weights_only=True)
    assert loaded["x"].requires_grad and loaded["y"].requires_grad and loaded["y"].is_leaf
    assert loaded["y"].tolist() == [2., 2.]
    back = ember.load(io.BytesIO(ember_save({"x": x, "y": y})))
    assert back["y"].requires_grad and back["y"].grad_fn is None


def test_parameter_round_trip():
    p = ember.nn.Parameter(ember.ones(2, 2))
    frozen = ember.nn.Parameter(ember.zeros(3), requires_grad=False)
    loaded = torch.load(io.BytesIO(ember_save([p, frozen])), weights_only=True)
    assert type(loaded[0]) is torch.nn.Parameter and loaded[0].requires_grad
    assert type(loaded[1]) is torch.nn.Parameter and not loaded[1].requires_grad
    back = ember.load(io.BytesIO(ember_save([p, frozen])))
    assert type(back[0]) is ember.nn.Parameter and back[0].requires_grad
    assert type(back[1]) is ember.nn.Parameter and not back[1].requires_grad
    from_torch = ember.load(io.BytesIO(torch_save(torch.nn.Parameter(torch.ones(2)))))
    assert type(from_torch) is ember.nn.Parameter and from_torch.requires_grad


def make_models():
    ember.manual_seed(0)
    torch.manual_seed(0)
    e = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU(), ember.nn.Linear(3, 1))
    t = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    return e, t


def test_sequential_state_dict_loads_in_torch():
    e, t = make_models()
    loaded = torch.load(io.BytesIO(ember_save(e.state_dict())), weights_only=True)
    assert isinstance(loaded, collections.OrderedDict)
    assert loaded._metadata == e.state_dict()._metadata
    assert str(t.load_state_dict(loaded)) == "<All keys matched successfully>"
    x = np.ones((4, 2), np.float32)
    np.testing.assert_allclose(t(torch.from_numpy(x)).detach().numpy(),
                               e(ember.from_numpy(x)).detach().numpy(), rtol=1e-6)


def test_torch_state_dict_loads_in_ember(tmp_path):
    e, t = make_models()
    torch.save(t.state_dict(), tmp_path / "sd.pth")
    loaded = ember.load(tmp_path / "sd.pth")
    assert loaded._metadata == t.state_dict()._metadata
    assert str(e.load_state_dict(loaded)) == "<All keys matched successfully>"
    x = np.ones((4, 2), np.float32)
    np.testing.assert_allclose(e(ember.from_numpy(x)).detach().numpy(),
                               t(torch.from_numpy(x)).detach().numpy(), rtol=1e-6)


def train_step(lib, model):
    opt = lib.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        model(lib.ones(4, 2)).pow(2).sum().backward()
        opt.step()
    return opt


def test_full_adam_checkpoint_both_ways(tmp_path):
    e, t = make_models()
    e_opt, t_opt = train_step(ember, e), train_step(torch, t)
    ember.save({"model": e.state_dict(), "optim": e_opt.state_dict(), "epoch": 3}, tmp_path / "e.pt")
    torch.save({"model": t.state_dict(), "optim": t_opt.state_dict(), "epoch": 3}, tmp_path / "t.pt")

    in_torch = torch.load(tmp_path / "e.pt", weights_only=True)
    in_ember = ember.load(tmp_path / "t.pt")
    for ck, ref in ((in_torch, t_opt.state_dict()), (in_ember, e_opt.state_dict())):
        assert ck["epoch"] == 3
        assert ck["optim"]["param_groups"] == ref["param_groups"]
        assert sorted(ck["optim"]["state"]) == sorted(ref["state"])
    for i, state in in_torch["optim"]["state"].items():
        for key, value in state.items():
            assert_equal(e_opt.state_dict()["state"][i][key], value)
    # Resume training on the other side.
    t2 = make_models()[1]
    t2.load_state_dict(in_torch["model"])
    t2_opt = torch.optim.Adam(t2.parameters(), lr=0.01)
    t2_opt.load_state_dict(in_torch["optim"])
    e2 = make_models()[0]
    e2.load_state_dict(in_ember["model"])
    e2_opt = ember.optim.Adam(e2.parameters(), lr=0.01)
    e2_opt.load_state_dict(in_ember["optim"])
    for value in in_ember["optim"]["state"][0].values():
        assert isinstance(value, ember.Tensor)


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_files_of_every_dtype_load(dtype):
    t = torch.from_numpy(sample(dtype, (3, 4)))
    obj = {"t": t, "T": t.T, "slice": t[1:, 1:3], "scalar": t[1, 2].clone(),
           "empty": t[:0], "expanded": t[0].expand(5, 4), "alone": t.clone()}
    back = ember.load(io.BytesIO(torch_save(obj)))
    for name, value in obj.items():
        assert_equal(back[name], value)
        assert back[name].stride() == value.stride()
        assert back[name].storage_offset() == value.storage_offset() or value.numel() == 0
    assert np.shares_memory(back["t"]._array, back["slice"]._array)
    assert not np.shares_memory(back["t"]._array, back["alone"]._array)


def test_tensor_with_python_attributes():
    t = torch.ones(2)
    t.note = "hello"
    back = ember.load(io.BytesIO(torch_save(t)))
    assert back.note == "hello" and back.tolist() == [1., 1.]
    e = ember.ones(2)
    e.note = "hi"
    loaded = torch.load(io.BytesIO(ember_save(e)), weights_only=True)
    assert loaded.note == "hi"


def test_paths_file_objects_and_layout(tmp_path):
    path = tmp_path / "my.model.pth"
    ember.save({"w": ember.ones(3)}, str(path))
    names = zipfile.ZipFile(path).namelist()
    assert names == ["my.model/data.pkl", "my.model/.format_version",
                     "my.model/.storage_alignment", "my.model/byteorder", "my.model/data/0",
                     "my.model/version", "my.model/.data/serialization_id"]
    raw = path.read_bytes()
    for info in zipfile.ZipFile(path).infolist():           # data aligned as torch aligns it
        n, m = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
        assert (info.header_offset + 30 + n + m) % 64 == 0 and info.compress_type == 0
    with open(path, "rb") as f:
        assert ember.load(f)["w"].tolist() == [1., 1., 1.]
    assert torch.load(path, mmap=True)["w"].tolist() == [1., 1., 1.]
    assert zipfile.ZipFile(io.BytesIO(ember_save(1))).namelist()[0] == "archive/data.pkl"
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    path.chmod(0o600)
    ember.save({"w": ember.ones(3)}, path)                     # overwriting keeps permissions
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    with pytest.raises(RuntimeError, match="Parent directory .*nowhere does not exist"):
        ember.save(1, tmp_path / "nowhere" / "x.pth")


def test_saving_through_a_symlink_keeps_the_link(tmp_path):
    (tmp_path / "real.pth").write_bytes(b"")
    (tmp_path / "link.pth").symlink_to(tmp_path / "real.pth")
    ember.save([1, 2], tmp_path / "link.pth")
    assert (tmp_path / "link.pth").is_symlink()
    assert ember.load(tmp_path / "real.pth") == [1, 2]


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_mmap_loading(tmp_path):
    a = torch.arange(10.)
    torch.save({"a": a, "b": a[3:6]}, tmp_path / "t.pth")
    loaded = ember.load(tmp_path / "t.pth", mmap=True)
    assert loaded["b"].tolist() == [3., 4., 5.]
    loaded["a"][4] = -1.                                     # copy-on-write: the file stays
    assert loaded["b"].tolist() == [3., -1., 5.]
    assert ember.load(tmp_path / "t.pth")["a"][4].item() == 4.
    with pytest.raises(ValueError, match="f must be a file path in order to use the mmap"):
        ember.load(io.BytesIO(torch_save(1)), mmap=True)


def test_map_location():
    on_gpu = cuda_file(torch_save({"w": torch.ones(2)}))
    expected = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                "is False.")
    with pytest.raises(RuntimeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        ember.load(io.BytesIO(on_gpu))
    for location in ["cpu", ember.device("cpu"), {"cuda:0": "cpu"}, lambda storage, loc: storage,
                     lambda storage, loc: None if loc == "cpu" else storage]:
        assert ember.load(io.BytesIO(on_gpu), map_location=location)["w"].tolist() == [1., 1.]
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        ember.load(io.BytesIO(torch_save(torch.ones(1))), map_location="cuda")
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
        ember.load(io.BytesIO(on_gpu), map_location=lambda storage, loc: storage.cuda())


def cuda_file(raw):
    """The same .pth, with its storages claiming to live on 'cuda:0'."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith("data.pkl"):
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            z.writestr(name, data)
    return out.getvalue()


def test_weights_only_false_still_never_unpickles():
    assert ember.load(io.BytesIO(torch_save({"a": 1})), weights_only=False) == {"a": 1}
    with pytest.raises(pickle.UnpicklingError, match="also not with weights_only=False"):
        ember.load(io.BytesIO(torch_save(torch.nn.Linear(2, 2))), weights_only=False)
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit "
                                           "pickle_module is specified"):
        ember.load(io.BytesIO(torch_save(1)), pickle_module=pickle)


def test_unsaveable_objects_raise_before_writing(tmp_path):
    path = tmp_path / "keep.pth"
    ember.save({"v": 1}, path)
    before = path.read_bytes()
    for bad in [np.ones(3), np.float64(1.0), object(), ember.nn.Linear(2, 2), frozenset([1]),
                {"ok": 1, "bad": lambda: 0}]:
        with pytest.raises(TypeError, match="ember.save cannot store an object of type"):
            ember.save(bad, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["keep.pth"]                  # no temporary file left
    with pytest.raises(TypeError, match="Save its state_dict"):
        ember.save(ember.nn.Linear(2, 2), io.BytesIO())


# ---------------------------------------------------------------- attacks and damage


def pth(pickled, storages=None, root="archive", version=b"3\n"):
    """A .pth zip holding ``pickled`` as data.pkl and the given raw storages."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(root + "/data.pkl", pickled)
        for key, data in (storages or {}).items():
            z.writestr(root + "/data/" + key, data)
        if version is not None:
            z.writestr(root + "/version", version)
    return out.getvalue()


def op_str(s):
    data = s.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def op_int(v):
    return b"J" + struct.pack("<i", v)


def op_tuple(values):
    return b"(" + b"".join(op_int(v) for v in values) + b"t"


def tensor_arguments(numel, offset, size, stride, storage=b"FloatStorage", key="0"):
    """The argument tuple of _rebuild_tensor_v2, written opcode by opcode."""
    return b"".join([
        b"(", b"(", op_str("storage"), b"ctorch\n" + storage + b"\n", op_str(key),
        op_str("cpu"), op_int(numel), b"tQ",
        op_int(offset), op_tuple(size), op_tuple(stride), b"\x89",
        b"ccollections\nOrderedDict\n)R", b"t"])


def tensor_pickle(*args, **kwargs):
    """data.pkl for one tensor (independent of ember's own writer)."""
    return (b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n" + tensor_arguments(*args, **kwargs)
            + b"R.")


class Evil:
    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return self.func, (self.arg,)


@pytest.mark.parametrize("protocol", [2, 4])
@pytest.mark.parametrize("func", ["system", "exec", "eval", "popen"])
def test_code_in_the_pickle_is_never_run(tmp_path, protocol, func):
    marker = tmp_path / "pwned"
    command = {"system": (os.system, "touch " + str(marker)),
               "exec": (exec, "open({!r}, 'w').close()".format(str(marker))),
               "eval": (eval, "open({!r}, 'w')".format(str(marker))),
               "popen": (os.popen, "touch " + str(marker))}[func]
    pickled = pickle.dumps({"w": Evil(*command)}, protocol=protocol)
    with pytest.raises(pickle.UnpicklingError, match="not on ember's allow-list") as info:
        ember.load(io.BytesIO(pth(pickled)))
    assert "nothing from the file was run" in str(info.value)
    assert not marker.exists()


def test_names_in_the_file_are_never_imported():
    assert "antigravity" not in sys.modules and "this" not in sys.modules
    for module in ["antigravity", "this"]:
        with pytest.raises(pickle.UnpicklingError, match="not on ember's allow-list"):
            ember.load(io.BytesIO(pth(b"\x80\x02c" + module.encode() + b"\nx\n.")))
        with pytest.raises(pickle.UnpicklingError, match="not on ember's allow-list"):
            ember.load(io.BytesIO(pth(b"\x80\x04" + b"\x8c" + bytes([len(module)]) +
                                      module.encode() + b"\x8c\x01x\x93.")))
    assert "antigravity" not in sys.modules and "this" not in sys.modules


def test_disallowed_names_and_calls():
    module_file = torch_save(torch.nn.Linear(2, 2))
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear"):
        ember.load(io.BytesIO(module_file))
    with pytest.raises(pickle.UnpicklingError, match="numpy"):
        ember.load(io.BytesIO(torch_save({"a": np.ones(2)})))
    # REDUCE on something that is not an allowed function (here a string).
    with pytest.raises(pickle.UnpicklingError, match="not an allowed function"):
        ember.load(io.BytesIO(pth(b"\x80\x02" + op_str("os") + b")R.")))
    # INST/OBJ/NEWOBJ/EXT opcodes build arbitrary objects: refused.
    for opcode in [b"i", b"o", b"\x81", b"\x82", b"P", b"\x92"]:
        with pytest.raises(pickle.UnpicklingError, match="opcode"):
            ember.load(io.BytesIO(pth(b"\x80\x02" + opcode + b"\n\n.")))
    # BUILD may only set attributes of an OrderedDict, from a dict of strings.
    with pytest.raises(pickle.UnpicklingError, match="BUILD"):
        ember.load(io.BytesIO(pth(b"\x80\x02}" + b"}" + b"b.")))
    with pytest.raises(pickle.UnpicklingError, match="BUILD"):
        ember.load(io.BytesIO(pth(b"\x80\x02ccollections\nOrderedDict\n)R" + b"]b.")))
    # A tensor attribute may not replace ember's own fields.
    bad_state = (b"\x80\x02ctorch._tensor\n_rebuild_from_type_v2\n(ctorch._utils\n_rebuild_tensor_v2"
                 b"\nctorch\nTensor\n" + tensor_arguments(2, 0, [2], [1]) + b"}" +
                 op_str("_base") + b"Ns" + b"tR.")
    good_state = bad_state.replace(op_str("_base"), op_str("note"))
    assert ember.load(io.BytesIO(pth(good_state, {"0": bytes(8)}))).note is None
    with pytest.raises(pickle.UnpicklingError, match="refusing to set the tensor attribute"):
        ember.load(io.BytesIO(pth(bad_state, {"0": bytes(8)})))


@pytest.mark.parametrize("numel,offset,size,stride,message", [
    (5, 0, [2, 3], [3, 1], "exceeds its storage"),
    (6, 1, [2, 3], [3, 1], "exceeds its storage"),
    (6, 0, [7], [1], "exceeds its storage"),
    (6, 0, [2, 4], [4, 1], "exceeds its storage"),
    (6, 0, [2 ** 31 - 1, 2 ** 31 - 1], [1, 1], "exceeds its storage"),
    (6, 0, [3], [-1], "must be an integer >= 0"),
    (6, -1, [3], [1], "must be an integer >= 0"),
    (6, 0, [-3], [1], "must be an integer >= 0"),
    (6, 0, [3, 2], [1], "different lengths"),
])
def test_views_outside_their_storage_are_refused(numel, offset, size, stride, message):
    data = pth(tensor_pickle(numel, offset, size, stride), {"0": bytes(4 * numel)})
    with pytest.raises(LOAD_ERRORS, match=message):
        ember.load(io.BytesIO(data))
    if "exceeds" in message:                     # torch refuses these files too
        with pytest.raises(Exception):
            torch.load(io.BytesIO(data), weights_only=True)


def test_valid_hand_made_views_load():
    raw = np.arange(6, dtype=np.float32).tobytes()
    for offset, size, stride in [(0, [2, 3], [3, 1]), (1, [5], [1]), (0, [3, 2], [1, 3]),
                                 (2, [4, 3], [0, 1]), (5, [], []), (9, [0], [1]),
                                 (0, [0, 4], [9, 1])]:
        data = pth(tensor_pickle(6, offset, size, stride), {"0": raw})
        assert_equal(ember.load(io.BytesIO(data)), torch.load(io.BytesIO(data), weights_only=True))


def test_big_endian_files_load():
    raw = np.arange(6, dtype=">f4").tobytes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("archive/data.pkl", tensor_pickle(6, 0, [2, 3], [3, 1]))
        z.writestr("archive/byteorder", "big")
        z.writestr("archive/data/0", raw)
        z.writestr("archive/version", "3\n")
    loaded = ember.load(io.BytesIO(out.getvalue()))
    assert_equal(loaded, torch.load(io.BytesIO(out.getvalue()), weights_only=True))
    assert loaded.tolist() == [[0., 1., 2.], [3., 4., 5.]]


def test_bad_storage_records():
    good = tensor_pickle(6, 0, [6], [1])
    with pytest.raises(RuntimeError, match="holds 20 bytes, but data.pkl says it has 6 elements"):
        ember.load(io.BytesIO(pth(good, {"0": bytes(20)})))
    with pytest.raises(RuntimeError, match="has no record data/0"):
        ember.load(io.BytesIO(pth(good)))
    with pytest.raises(pickle.UnpicklingError, match="not a record number"):
        ember.load(io.BytesIO(pth(tensor_pickle(6, 0, [6], [1], key="../0"), {"0": bytes(24)})))
    with pytest.raises(pickle.UnpicklingError, match="not on ember's allow-list"):
        ember.load(io.BytesIO(pth(tensor_pickle(6, 0, [6], [1], storage=b"Evil"),
                                  {"0": bytes(24)})))
    with pytest.raises(pickle.UnpicklingError, match="unknown kind of record"):
        ember.load(io.BytesIO(pth(b"\x80\x02" + op_str("x") + b"Q.")))
    with pytest.raises(pickle.UnpicklingError, match="is not a storage record"):
        ember.load(io.BytesIO(pth(b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(" + op_int(1) +
                                  op_int(0) + op_tuple([1]) + op_tuple([1]) + b"\x89NtR.")))


def test_float8_is_refused_clearly():
    with pytest.raises(RuntimeError, match="uses the dtype torch.float8_e4m3fn"):
        ember.load(io.BytesIO(torch_save({"dtype": torch.float8_e4m3fn})))
    assert ember.load(io.BytesIO(torch_save({"dtype": torch.float16})))["dtype"] is ember.float16


def test_damaged_and_foreign_files(tmp_path):
    good = torch_save({"w": torch.arange(100.)})
    cases = {
        "random bytes": (os.urandom(300), "not a .pth file"),
        "empty": (b"", "is empty"),
        "text": (b"hello world", "not a .pth file"),
        "truncated zip": (good[:len(good) // 2], "truncated or corrupted"),
        "cut end": (good[:-10], "truncated or corrupted"),
        "legacy": (legacy_file(), "legacy"),
        "no data.pkl": (zip_of({"archive/version": b"3\n", "archive/x": b""}), "no data.pkl"),
        "no folder": (zip_of({"data.pkl": b"\x80\x02K\x01.", "version": b"3\n"}), "no data.pkl"),
        "outside": (zip_of({"a/data.pkl": b"\x80\x02K\x01.", "a/version": b"3\n", "b/x": b""}),
                    "outside its folder"),
        "no version": (pth(b"\x80\x02K\x01.", version=None), "no 'version' record"),
        "bad version": (pth(b"\x80\x02K\x01.", version=b"abc"), "unknown format version"),
        "truncated pickle": (pth(b"\x80\x02}(" + op_str("a")), "truncated"),
        "no STOP": (pth(b"\x80\x02K\x01"), "truncated"),
        "underflow": (pth(b"\x80\x02t."), "no MARK"),
        "memo": (pth(b"\x80\x02h\x05."), "memo slot 5"),
        "a zip of something else": (zip_of({"notes/readme.txt": b"hi"}), "no data.pkl"),
    }
    for name, (data, message) in cases.items():
        with pytest.raises(LOAD_ERRORS, match=message):
            ember.load(io.BytesIO(data))
        (tmp_path / "f.pth").write_bytes(data)
        with pytest.raises(LOAD_ERRORS, match=message):
            ember.load(tmp_path / "f.pth")


def test_flipped_storage_byte_is_detected():
    good = bytearray(torch_save({"w": torch.arange(100.)}))
    offset = good.index(np.arange(100, dtype=np.float32).tobytes())
    good[offset + 50] ^= 0xFF
    with pytest.raises(RuntimeError, match="Bad CRC-32"):
        ember.load(io.BytesIO(bytes(good)))


def zip_of(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def legacy_file():
    buffer = io.BytesIO()
    torch.save(torch.ones(2), buffer, _use_new_zipfile_serialization=False)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def fuzz_seed_file():
    return torch_save({"w": torch.arange(6.).reshape(2, 3), "b": [1, "x", (2.5,)],
                       "v": torch.arange(4)[1:], "p": torch.nn.Parameter(torch.ones(2))})


@given(st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1,
                max_size=4), st.integers(0, 10 ** 6))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzzed_files_raise_clear_errors(flips, cut):
    data = bytearray(fuzz_seed_file())
    for position, value in flips:
        data[position % len(data)] = value
    data = bytes(data[:max(1, cut % (len(data) + 1))])
    try:
        ember.load(io.BytesIO(data))
    except LOAD_ERRORS as e:
        assert str(e)
    except Exception as e:                       # anything else would be a bug in the loader
        pytest.fail("unexpected {}: {}".format(type(e).__name__, e))


OPCODES = list(b"()]}NKJMGXtqhRbQuesa\x85\x86\x87\x88\x89\x8a\x8c\x93\x94.01")


@given(st.lists(st.tuples(st.integers(0, 10 ** 6), st.sampled_from(["set", "op", "del", "ins"]),
                          st.integers(0, 255)), min_size=1, max_size=3))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzzed_pickles_raise_clear_errors(edits):
    """Damage data.pkl itself (inside an intact zip): the interpreter must stay in control."""
    entries = {info.filename: zipfile.ZipFile(io.BytesIO(fuzz_seed_file())).read(info)
               for info in zipfile.ZipFile(io.BytesIO(fuzz_seed_file())).infolist()}
    pickled = bytearray(entries["archive/data.pkl"])
    for position, kind, value in edits:
        position %= len(pickled)
        if kind == "set":
            pickled[position] = value
        elif kind == "op":
            pickled[position] = OPCODES[value % len(OPCODES)]
        elif kind == "del" and len(pickled) > 1:
            del pickled[position]
        else:
            pickled.insert(position, OPCODES[value % len(OPCODES)])
    entries["archive/data.pkl"] = bytes(pickled)
    try:
        ember.load(io.BytesIO(zip_of(entries)))
    except LOAD_ERRORS as e:
        assert str(e)
    except Exception as e:                       # anything else would be a bug in the loader
        pytest.fail("unexpected {}: {}".format(type(e).__name__, e))


# ---------------------------------------------------------------- atomic saving


def test_save_killed_midway_leaves_the_old_file(tmp_path):
    path = tmp_path / "checkpoint.pth"
    ember.save({"version": "old", "w": ember.ones(3)}, path)
    old = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, numpy as np, ember
        state = {"layer%d.weight" % i: ember.from_numpy(np.ones((1024, 1024), np.float32))
                 for i in range(32)}
        ember.save({"version": "new", "state": state}, sys.argv[1])
        """), str(path)])
    try:
        temporary = None
        while child.poll() is None and temporary is None:
            for name in os.listdir(tmp_path):
                try:
                    if name.endswith(".tmp") and (tmp_path / name).stat().st_size > 4 * 2 ** 20:
                        temporary = tmp_path / name
                except FileNotFoundError:         # renamed in the meantime
                    pass
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert temporary is not None, "the child finished before it could be killed"
    assert child.returncode == -signal.SIGKILL
    if temporary.exists():                    # killed while writing: the old file is untouched
        assert path.read_bytes() == old
    loaded = ember.load(path)
    assert not temporary.exists()             # the killed save's leftover, removed by load
    assert loaded["version"] in ("old", "new")
    assert ember.load(path)["version"] == torch.load(path)["version"]


# ---------------------------------------------------------------- bounds (issue 12)


def test_one_storage_read_as_two_dtypes_is_refused():
    """Two tensors naming the same record with different dtypes would reinterpret its bytes."""
    pickled = (b"\x80\x02(ctorch._utils\n_rebuild_tensor_v2\n" + tensor_arguments(2, 0, (2,), (1,))
               + b"Rctorch._utils\n_rebuild_tensor_v2\n"
               + tensor_arguments(2, 0, (2,), (1,), storage=b"IntStorage") + b"Rl.")
    with pytest.raises(pickle.UnpicklingError, match="read both as torch.float32 and as torch.int32"):
        ember.load(io.BytesIO(pth(pickled, {"0": b"\0" * 8})))


@pytest.mark.parametrize("name", ["_views", "_is_buffer"])
def test_ember_fields_cannot_be_set_from_a_file(name):
    state = b"}" + op_str(name) + b"]s"
    pickled = (b"\x80\x02ctorch._tensor\n_rebuild_from_type_v2\n(ctorch._utils\n"
               b"_rebuild_tensor_v2\nctorch\nTensor\n" + tensor_arguments(2, 0, (2,), (1,))
               + state + b"tR.")
    with pytest.raises(pickle.UnpicklingError, match="refusing to set the tensor attribute"):
        ember.load(io.BytesIO(pth(pickled, {"0": b"\0" * 8})))


def test_a_pickle_that_inflates_far_beyond_the_file_is_refused():
    """4 MB of opcodes deflate to a few KB; ember refuses before running them."""
    pickled = b"\x80\x02" + b"N0" * (2 << 20) + b"N."
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", pickled)
        z.writestr("archive/version", b"3\n")
    assert len(out.getvalue()) < 64 << 10
    with pytest.raises(RuntimeError, match="data.pkl of the file object inflates to 4194308 bytes"):
        ember.load(io.BytesIO(out.getvalue()))


def test_deflated_storages_are_decompressed_into_their_array():
    """Loading a deflated 8 MB storage needs about 8 MB, not twice that."""
    import tracemalloc
    size = 8 << 20
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", tensor_pickle(size // 4, 0, (size // 4,), (1,)))
        z.writestr("archive/data/0", b"\0" * size)
        z.writestr("archive/version", b"3\n")
    data = out.getvalue()
    tracemalloc.start()
    try:
        t = ember.load(io.BytesIO(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert t.shape == (size // 4,) and not t.any()
    assert peak < size * 1.25
