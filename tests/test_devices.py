"""The GPU-related names course code touches: they exist and answer as a CPU-only torch does."""
import pytest

import ember
from parity import same_error

torch = pytest.importorskip("torch")


def test_cuda_and_backends_answer_like_a_cpu_only_torch():
    for name in ("is_available", "device_count"):
        assert getattr(ember.cuda, name)() == getattr(torch.cuda, name)()
    assert ember.backends.cudnn.is_available() == torch.backends.cudnn.is_available()
    assert ember.backends.mps.is_available() == torch.backends.mps.is_available()
    ember.cuda.manual_seed(0)
    ember.cuda.manual_seed_all(0)
    ember.backends.cudnn.deterministic = True


def test_cuda_device_errors():
    same_error(lambda lib: lib.cuda.current_device())
    same_error(lambda lib: lib.ones(2).cuda())


def test_unknown_attributes_are_attribute_errors():
    assert getattr(ember, "no_such_thing", None) is None
    assert not hasattr(ember, "no_such_module")
