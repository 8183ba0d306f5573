"""The differential fuzzer: every entry point ember shares with torch, run on random arguments
with both libraries and compared (see oracle.py for what is compared).

CI runs a small, seeded slice (``EMBER_FUZZ_EXAMPLES`` cases per entry, 6 by default; the same
cases on every run).  To fuzz for real, raise it and change the seed::

    EMBER_FUZZ_EXAMPLES=300 EMBER_FUZZ_SEED=7 python -m pytest -n 2 tests/fuzz

or run ``python tests/fuzz/campaign.py`` for a summary of a whole campaign.  Differences that
are torch's own bugs are listed, with reasons, in allowlist.py; ember's open defects (entry and
kind of difference) in known_defects.txt, so that CI fails on new ones.
"""
import os
import sys

import pytest

torch = pytest.importorskip("torch")
sys.path.insert(0, os.path.dirname(__file__))

import catalog   # noqa: E402
import fuzzing   # noqa: E402

EXAMPLES = int(os.environ.get("EMBER_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("EMBER_FUZZ_SEED", "0"))
KNOWN = fuzzing.known_defects()


@pytest.mark.parametrize("entry", catalog.entries(torch), ids=lambda e: "{}.{}".format(*e))
def test_entry(entry):
    fuzzing.fuzz_entry(entry, torch, EXAMPLES, SEED, ignore=KNOWN.get(entry, ()))
