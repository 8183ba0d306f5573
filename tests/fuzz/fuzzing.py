"""Fuzzing one entry: hypothesis draws cases from the entry's accepted templates, the oracle
runs each with ember and torch, and every difference outside the allow-list is collected."""
import zlib

from hypothesis import HealthCheck, given, seed, settings

import allowlist
import inputs
import oracle


def fuzz_entry(entry, torch, examples, run_seed=0, stop_at_first=True):
    """Runs up to ``examples`` cases of ``entry``; returns ``(cases run, problems)``, each
    problem ``(kind, text, case)``.  With ``stop_at_first`` the first case with a problem fails
    (an AssertionError: hypothesis then shrinks it to a minimal case)."""
    templates = oracle.templates(entry, torch)
    if not templates:
        return 0, []
    found, count = [], [0]

    @seed(zlib.crc32(repr((entry, run_seed)).encode()))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(inputs.case(templates))
    def run(case):
        args, kwargs = case
        allowed = allowlist.allowed(entry, args, kwargs)
        if allowed is not None and allowed[0]:
            return
        count[0] += 1
        problems = [] if allowed is not None else oracle.check(entry, args, kwargs, torch)
        if problems and stop_at_first:
            raise AssertionError("{}.{}{!r} {!r}:\n  ".format(entry[0], entry[1], tuple(args), kwargs)
                                 + "\n  ".join("{}: {}".format(k, t) for k, t in problems))
        found.extend((k, t, case) for k, t in problems)

    run()
    return count[0], found
