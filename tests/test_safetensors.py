"""ember.utils.safetensors: files exchanged with safetensors.torch and real torch."""
import re
import sys

import numpy as np
import pytest

import ember
from ember.utils import safetensors as est
from parity import DTYPES, assert_equal, sample

torch = pytest.importorskip("torch")
pytest.importorskip("safetensors")
import safetensors.torch as sst          # noqa: E402



@pytest.mark.parametrize("dtype", DTYPES)
def test_files_round_trip_with_safetensors_torch(tmp_path, dtype):
    arrays = {"matrix": sample(dtype, (2, 3)), "scalar": sample(dtype, ()),
              "empty": sample(dtype, (0, 4))}
    ours = {k: ember.from_numpy(v) for k, v in arrays.items()}
    theirs = {k: torch.from_numpy(v.copy()) for k, v in arrays.items()}
    est.save_file(ours, tmp_path / "e.safetensors", metadata={"format": "pt"})
    sst.save_file(theirs, tmp_path / "t.safetensors", metadata={"format": "pt"})
    for name, t in sst.load_file(tmp_path / "e.safetensors").items():
        assert_equal(ours[name], t)
    for name, e in est.load_file(tmp_path / "t.safetensors").items():
        assert_equal(e, theirs[name])
    assert (tmp_path / "e.safetensors").read_bytes() == (tmp_path / "t.safetensors").read_bytes()


def test_bytes_round_trip_and_writable_results():
    tensors = {"w": ember.arange(6.).reshape(2, 3), "b": ember.tensor([1, 2])}
    data = est.save(tensors)
    assert data == sst.save({"w": torch.arange(6.).reshape(2, 3), "b": torch.tensor([1, 2])})
    loaded = est.load(data)
    assert loaded["w"].tolist() == tensors["w"].tolist() and loaded["b"].dtype == ember.int64
    loaded["w"][0, 0] = 5.                                  # a normal, writable tensor
    assert loaded["w"][0, 0].item() == 5.
    from_torch = est.load(sst.save({"x": torch.ones(3)}))
    assert from_torch["x"].tolist() == [1., 1., 1.]


def test_state_dict_and_model_helpers(tmp_path):
    ember.manual_seed(0)
    model = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU(), ember.nn.Linear(3, 1))
    est.save_file(model.state_dict(), tmp_path / "m.safetensors")
    twin = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    twin.load_state_dict(sst.load_file(tmp_path / "m.safetensors"))
    x = np.ones((4, 2), np.float32)
    np.testing.assert_allclose(twin(torch.from_numpy(x)).detach().numpy(),
                               model(ember.from_numpy(x)).detach().numpy(), rtol=1e-6)
    other = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU(), ember.nn.Linear(3, 1))
    est.save_model(model, tmp_path / "model.safetensors")
    assert est.load_model(other, tmp_path / "model.safetensors") == (set(), [])
    assert other[0].weight.tolist() == model[0].weight.tolist()


def test_tied_weights_with_save_model(tmp_path):
    class Tied(ember.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = ember.nn.Linear(2, 2, bias=False)
            self.b = ember.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight
    model = Tied()
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        est.save_file(model.state_dict(), tmp_path / "x.safetensors")
    est.save_model(model, tmp_path / "tied.safetensors")
    fresh = Tied()
    assert est.load_model(fresh, tmp_path / "tied.safetensors") == (set(), [])
    assert fresh.b.weight.tolist() == model.a.weight.tolist()


def test_errors_match_safetensors_torch():
    def error(fn):
        with pytest.raises(Exception) as info:
            fn()
        return type(info.value).__name__, str(info.value)
    base_e, base_t = ember.arange(6.).reshape(2, 3), torch.arange(6.).reshape(2, 3)
    assert error(lambda: est.save({"a": base_e.T})) == error(lambda: sst.save({"a": base_t.T}))
    assert error(lambda: est.save([base_e])) == error(lambda: sst.save([base_t]))
    assert error(lambda: est.save({"a": 1})) == error(lambda: sst.save({"a": 1}))
    def without_set(e):                          # the names come in a set: any order
        return e[0], re.sub(r"\[\{.*?\}\]", "[...]", e[1])
    assert (without_set(error(lambda: est.save({"a": base_e, "b": base_e[0]})))
            == without_set(error(lambda: sst.save({"a": base_t, "b": base_t[0]}))))
    assert "Some tensors share memory" in error(lambda: est.save({"a": base_e, "b": base_e}))[1]


def test_unsupported_dtype_and_damaged_files(tmp_path):
    sst.save_file({"x": torch.ones(2, dtype=torch.bfloat16)}, tmp_path / "bf16.safetensors")
    with pytest.raises(TypeError, match="safetensors dtype BF16"):
        est.load_file(tmp_path / "bf16.safetensors")
    with pytest.raises(TypeError, match="BF16"):
        est.load(sst.save({"x": torch.ones(2, dtype=torch.bfloat16)}))
    (tmp_path / "bad.safetensors").write_bytes(b"12345678garbage")
    with pytest.raises(Exception, match="Error while deserializing header"):
        est.load_file(tmp_path / "bad.safetensors")
    with pytest.raises(Exception, match="Error while deserializing"):
        est.load(b"garbage")


def test_missing_package_gives_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ModuleNotFoundError, match="pip install safetensors"):
        est.save({"a": ember.ones(1)})
