"""The differential fuzzer: every entry point ember shares with torch, run on random arguments
with both libraries and compared (see oracle.py for what is compared).

CI runs a small seeded slice: 6 cases per entry, the same on every run, in a fresh process
(hypothesis draws differently after other tests have run in the same one), failing on every
difference that is not a known open defect (known_defects.txt) or torch's own bug
(allowlist.py).  To fuzz for real, ask for more cases and another seed; each entry is then a
test of its own, which stops at its first difference and shrinks it::

    EMBER_FUZZ_EXAMPLES=300 EMBER_FUZZ_SEED=7 python -m pytest -n 2 tests/fuzz

or run ``python tests/fuzz/campaign.py`` for the figures and every difference of a campaign.
"""
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)

import catalog   # noqa: E402
import fuzzing   # noqa: E402

EXAMPLES = os.environ.get("EMBER_FUZZ_EXAMPLES")
SEED = int(os.environ.get("EMBER_FUZZ_SEED", "1"))


@pytest.mark.skipif(EXAMPLES is not None, reason="a long run: the per-entry tests below")
def test_seeded_slice():
    root = os.path.dirname(os.path.dirname(HERE))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, os.path.join(HERE, "campaign.py"), "--examples", "6",
                          "--seed", "0", "--fail-on-new"], capture_output=True, text=True,
                         env=env, cwd=root)
    new = [line for line in run.stdout.splitlines() if line.startswith(("NEW", "    case"))]
    assert run.returncode == 0, "\n".join(new) or run.stdout[-3000:] + run.stderr[-3000:]


if EXAMPLES is not None:         # the long run (EMBER_FUZZ_EXAMPLES=N): a test per entry
    @pytest.mark.parametrize("entry", catalog.entries(torch), ids=lambda e: "{}.{}".format(*e))
    def test_entry(entry):
        fuzzing.fuzz_entry(entry, torch, int(EXAMPLES), SEED,
                           ignore=fuzzing.known_defects().get(entry, ()))
