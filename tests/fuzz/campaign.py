"""A long fuzzing campaign, summarised: ``python tests/fuzz/campaign.py [--examples N]
[--seed S] [--only NAME ...] [--report FILE]``.

Runs every entry (or those named) for up to N cases each, keeps going past differences, and
prints the figures (cases, entries, differences by kind) and the differences themselves, one
example each.  Needs torch.  Run it from the repository root with ``PYTHONPATH=.``.
"""
import argparse
import collections
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))

import torch  # noqa: E402

import catalog  # noqa: E402
import fuzzing  # noqa: E402


KNOWN_HEADER = """\
# ember's open defects found by the fuzzer: entry and kind of difference (value, grad, dtype,
# shape, requires_grad, grad_fn, structure, inplace, warning, internal: a NumPy or Python error,
# exception: another exception type, refused: ember raises where torch succeeds, accepted: torch
# raises where ember succeeds).  CI ignores these and fails on anything new.  Delete a line
# when its defect is fixed; ``campaign.py --write-known`` adds what a run finds.
"""


def summary(found, cases, fuzzed, done, total, seconds, seed):
    """The figures of a campaign so far, then one example of each difference."""
    lines = ["{} cases, {} entries fuzzed ({} of {} done), {:.0f} s, seed {}".format(
        cases, fuzzed, done, total, seconds, seed)]
    kinds = collections.Counter()
    for (entry, kind), items in sorted(found.items()):
        kinds[kind] += len(items)
        text, case = items[0]
        lines.append("{}.{} [{}] x{}: {}\n    case: {!r}".format(
            entry[0], entry[1], kind, len(items), text[:300], case)[:900])
    lines.insert(1, "differences: {} in {} entries; by kind: {}".format(
        sum(kinds.values()), len({e for e, _ in found}), dict(kinds)))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--report")
    parser.add_argument("--write-known", action="store_true",
                        help="add the differences found to known_defects.txt")
    parser.add_argument("--fail-on-new", action="store_true",
                        help="exit with status 1 if a difference is not in known_defects.txt")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore", UserWarning)
    entries = catalog.entries(torch)
    if options.only:
        entries = [e for e in entries if e[1] in options.only or "{}.{}".format(*e) in options.only]
    start, cases, fuzzed = time.time(), 0, 0
    found = collections.defaultdict(list)
    for done, entry in enumerate(entries, 1):
        n, problems = fuzzing.fuzz_entry(entry, torch, options.examples, options.seed,
                                         stop_at_first=False)
        cases += n
        fuzzed += n > 0
        for kind, text, case in problems:
            found[entry, kind].append((text, case))
        report = summary(found, cases, fuzzed, done, len(entries), time.time() - start,
                         options.seed)
        if options.report:                  # kept up to date: a long run can be stopped
            with open(options.report, "w") as f:
                f.write(report + "\n")
    print(report)
    if options.fail_on_new:
        known = fuzzing.known_defects()
        new = sorted((e, k) for e, k in found if k not in known.get(e, ()))
        for entry, kind in new:
            text, case = found[entry, kind][0]
            print("NEW {}.{} [{}]: {}\n    case: {!r}".format(entry[0], entry[1], kind, text, case))
        if new:
            sys.exit(1)
    if options.write_known:
        known = fuzzing.known_defects()
        for entry, kind in found:
            known.setdefault(entry, set()).add(kind)
        with open(fuzzing.KNOWN_FILE, "w") as f:
            f.write(KNOWN_HEADER)
            for entry in sorted(known):
                for kind in sorted(known[entry]):
                    f.write("{}.{} {}\n".format(entry[0], entry[1], kind))


if __name__ == "__main__":
    main()
