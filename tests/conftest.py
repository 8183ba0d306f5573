"""Shared test helpers.  Tests that compare with real PyTorch import it through ``torch_or_skip``
(or ``pytest.importorskip("torch")``), so the suite runs, with those tests skipped, without it."""
import numpy as np
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")


@pytest.fixture(autouse=True)
def _reset_state():
    """Each test starts with default dtype float32, grad mode on, and a fixed seed."""
    import ember
    ember.set_default_dtype(ember.float32)
    ember.manual_seed(0)
    np.random.seed(0)
    yield
    ember.set_default_dtype(ember.float32)
    ember.autograd.grad_mode.state.enabled = True
