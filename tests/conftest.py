"""Fixtures for every test module.  The helpers that compare ember with torch live in
``parity.py`` (``from parity import ...``); test modules that need torch start with
``torch = pytest.importorskip("torch")``, so the suite runs, with those modules skipped,
without it."""
import sys

import numpy as np
import pytest
from hypothesis import settings

# The suite draws the same hypothesis examples on every run, so that CI's verdict does not
# depend on luck; ``pytest --hypothesis-profile=explore`` draws fresh ones to hunt for bugs.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile("repeatable")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes more than a few seconds")
    import recording_check          # the fast recording paths against the general one
    config.pluginmanager.register(recording_check, "recording_check")


@pytest.fixture(autouse=True)
def _reset_state():
    """Each test starts with default dtype float32, grad mode on, a fixed seed, and torch's
    distributions validating their arguments."""
    import ember
    ember._ops.silence_numpy_warnings()     # pytest undid ember's filter after collection
    ember.set_default_dtype(ember.float32)
    ember.manual_seed(0)
    np.random.seed(0)
    torch = sys.modules.get("torch")
    if torch is not None:
        # torch.compile's first use (torch/_dynamo/eval_frame.py) turns off argument
        # validation of torch.distributions for the whole process; the distribution tests
        # compare torch's validation errors
        torch.distributions.Distribution.set_default_validate_args(True)
    yield
    ember.set_default_dtype(ember.float32)
    ember.autograd.grad_mode._own().enabled = True


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Runs the test in an empty temporary folder, and returns it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def ember_cmd(capsys):
    """``ember_cmd(*argv)`` runs the ``ember`` command in this process and returns its exit
    status and its stdout and stderr lines."""
    from ember.__main__ import main

    def run(*argv):
        try:
            status = main(list(argv))
        except SystemExit as e:             # argparse: --help, or a usage error
            status = e.code
        out, err = capsys.readouterr()
        return status, out.splitlines(), err.splitlines()
    return run
