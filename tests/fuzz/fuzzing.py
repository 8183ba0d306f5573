"""Fuzzing one entry: hypothesis draws cases from the entry's accepted templates, the oracle
runs each with ember and torch, and every difference outside the allow-list is collected."""
import os
import zlib

from hypothesis import HealthCheck, given, seed, settings

import allowlist
import inputs
import oracle


KNOWN_FILE = os.path.join(os.path.dirname(__file__), "known_defects.txt")


def known_defects():
    """The open defects of ember the fuzzer has found and nobody has fixed yet, from
    known_defects.txt: ``{(namespace, name): {kind, ...}}``.  Unlike the allow-list these are
    ember's bugs; the file lets CI fail on every *new* difference meanwhile."""
    known = {}
    with open(KNOWN_FILE) as f:
        for line in f:
            line = line.split("#")[0].split()
            if line:
                namespace, name = line[0].split(".", 1)
                known.setdefault((namespace, name), set()).add(line[1])
    return known


def fuzz_entry(entry, torch, examples, run_seed=0, stop_at_first=True, ignore=()):
    """Runs up to ``examples`` cases of ``entry``; returns ``(cases run, problems)``, each
    problem ``(kind, text, case)``, less those of a kind in ``ignore``.  With ``stop_at_first``
    the first case with a problem fails (an AssertionError: hypothesis then shrinks it to a
    minimal case)."""
    templates = oracle.templates(entry, torch)
    if not templates:
        return 0, []
    found, count = [], [0]

    # seed 0 (CI's): hypothesis's derandomized mode, the same cases on every run and machine
    @seed(zlib.crc32(repr((entry, run_seed)).encode()))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=run_seed == 0,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(inputs.case(templates))
    def run(case):
        args, kwargs = case
        allowed = allowlist.allowed(entry, args, kwargs)
        if allowed is not None and allowed[0]:
            return
        count[0] += 1
        problems = [] if allowed is not None else oracle.check(entry, args, kwargs, torch)
        problems = [(k, t) for k, t in problems if k not in ignore]
        if problems and stop_at_first:
            raise AssertionError("{}.{}{!r} {!r}:\n  ".format(entry[0], entry[1], tuple(args), kwargs)
                                 + "\n  ".join("{}: {}".format(k, t) for k, t in problems))
        found.extend((k, t, case) for k, t in problems)

    run()
    return count[0], found
