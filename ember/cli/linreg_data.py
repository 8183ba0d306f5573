"""The data of ``ember linreg``: synthetic, a CSV file, or scikit-learn's diabetes set.

Features are standardised for training (mean 0, standard deviation 1 on the training set), so
that one learning rate suits features in any units; the learned weights are then turned back
into the data's own units (:meth:`Data.to_data_units`), so that the saved model applies to raw
data as it is.
"""
import csv
import math

import numpy as np

from . import CommandError

__all__ = ["Data", "load_data", "read_csv", "plural"]

TEST_FRACTION = 1 / 3


def plural(n, word):
    """``1 sample``, ``2 samples``."""
    return "{} {}{}".format(n, word, "" if n == 1 else "s")


class Data:
    """Training and test arrays (float32), the feature names, and the true weights if known.

    ``mean`` and ``std`` are the standardisation of the features (``None``: not standardised);
    ``x_train`` and ``x_test`` are standardised, ``raw_test`` is the test features as given."""

    def __init__(self, x, y, names, description, true_w=None, true_b=None, target="y"):
        n_test = max(1, round(len(x) * TEST_FRACTION))
        self.x_train, self.y_train = x[:-n_test], y[:-n_test]
        self.x_test, self.y_test = x[-n_test:], y[-n_test:]
        self.raw_test = self.x_test
        self.names, self.description, self.target = names, description, target
        self.true_w, self.true_b = true_w, true_b
        self.mean = self.std = None
        self.notes = []                 # warnings for the user, printed before training

    def standardize(self, note):
        """Rescales each feature to mean 0 and standard deviation 1 on the training set, so
        that one learning rate suits every feature (raw features in very different units make
        SGD diverge or crawl)."""
        mean = self.x_train.astype(np.float64).mean(axis=0)
        std = self.x_train.astype(np.float64).std(axis=0)
        self.mean, self.std = mean, std
        self.x_train = ((self.x_train - mean) / std).astype(np.float32)
        self.x_test = ((self.x_test - mean) / std).astype(np.float32)
        self.description += note

    def to_data_units(self, w):
        """The weights ``[w..., bias]`` learned on standardised features, for raw features:
        ``w_i (x_i - mean_i) / std_i + b = (w_i / std_i) x_i + (b - sum_i w_i mean_i / std_i)``."""
        w = np.asarray(w, dtype=np.float64)
        if self.mean is None:
            return w
        scaled = w[:-1] / self.std
        return np.append(scaled, w[-1] - scaled @ self.mean)

    def drop_constant_features(self):
        """Leaves out the features that have one value in every training row (their
        standard deviation is 0): they cannot inform the fit, and a weight for them would stay
        at its random start."""
        constant = [j for j in range(self.x_train.shape[1])
                    if np.all(self.x_train[:, j] == self.x_train[0, j])]
        for j in constant:
            self.notes.append("warning: column '{}' has the same value ({:g}) in every training "
                              "row; it is left out".format(self.names[j], self.x_train[0, j]))
        if len(constant) == len(self.names):
            raise CommandError("every feature column is constant: there is nothing to learn from")
        keep = [j for j in range(len(self.names)) if j not in constant]
        self.x_train, self.x_test = self.x_train[:, keep], self.x_test[:, keep]
        self.raw_test = self.raw_test[:, keep]
        self.names = [self.names[j] for j in keep]


def load_data(args, text):
    """The :class:`Data` the options ask for, described in the language of the messages
    ``text`` (``linreg_text.py``); a :class:`CommandError` for bad input."""
    synthetic_options = [name for name in ("in_dim", "samples", "noise")
                         if getattr(args, name) is not None]
    if args.csv is None and args.target is not None:
        raise CommandError("--target needs --csv")
    if args.csv is not None or args.dataset is not None:
        if args.csv is not None and args.dataset is not None:
            raise CommandError("choose either --csv or --dataset, not both")
        if synthetic_options:
            raise CommandError("--{} is for synthetic data, not with --csv or --dataset".format(
                synthetic_options[0].replace("_", "-")))
        data = _from_csv(args.csv, args.target, args.seed, text) if args.csv is not None else \
            _diabetes(args.seed, text)
        data.drop_constant_features()
        data.standardize(text["standardised"])
        return data
    return _synthetic(3 if args.in_dim is None else args.in_dim,
                      1500 if args.samples is None else args.samples,
                      0.5 if args.noise is None else args.noise, args.seed, text)


def _synthetic(in_dim, samples, noise, seed, text):
    """``y = x @ w + b + noise`` with a true ``w`` (multiples of 0.5 in [-5, 5]) and ``b``."""
    rng = np.random.default_rng(seed)
    true_w = rng.integers(-10, 11, size=in_dim) / 2
    true_b = float(rng.integers(-20, 21))
    x = rng.standard_normal((samples, in_dim))
    y = x @ true_w + true_b + noise * rng.standard_normal(samples)
    names = ["w[{}]".format(i) for i in range(in_dim)]
    description = text["synthetic"].format(in_dim=in_dim, noise=noise, seed=seed)
    return Data(x.astype(np.float32), y.astype(np.float32)[:, None], names, description, true_w,
                true_b)


def read_csv(path, check_header=None):
    """``(header, rows)`` of a CSV file of numbers with a header row: the column names and a
    float64 array, one row per data line; a :class:`CommandError` names the first bad cell.
    ``check_header(header)`` may refuse the columns before the numbers are read."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            lines = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise CommandError("cannot read {}: {}".format(
            path, getattr(e, "strerror", None) or "not a UTF-8 CSV file")) from None
    lines = [(number, row) for number, row in enumerate(lines, 1) if any(c.strip() for c in row)]
    if not lines:
        raise CommandError("{} is empty".format(path))
    header = [c.strip() for c in lines[0][1]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CommandError("{} has more than one column named '{}'".format(path, repeated[0]))
    if check_header is not None:
        check_header(header)
    table = np.empty((len(lines) - 1, len(header)))
    for i, (number, row) in enumerate(lines[1:]):
        if len(row) != len(header):
            raise CommandError("{}, line {}: {} values, but the header has {} columns".format(
                path, number, len(row), len(header)))
        for j, cell in enumerate(row):
            table[i, j] = _number(cell, path, number, header[j])
    return header, table


def _from_csv(path, target, seed, text):
    def check(header):
        if target is None and len(header) != 2:
            raise CommandError("--csv needs --target COLUMN, the column to predict (one of: {})"
                               .format(", ".join(header)))
        if target is not None and target not in header:
            raise CommandError("{} has no column '{}' (its columns: {})".format(
                path, target, ", ".join(header)))
        if len(header) < 2:
            raise CommandError("{} needs at least one column besides '{}'".format(path, target))

    header, table = read_csv(path, check)
    if target is None:
        target = header[1]              # two columns: the second is predicted from the first
    # A linear model of k features has k + 1 parameters: it needs at least as many training
    # rows to be determined, and a third of the rows more for testing.
    needed = max(2, math.ceil(len(header) / (1 - TEST_FRACTION)))
    if len(table) < needed:
        raise CommandError("{} has {}: a model of {} needs at least {} rows (two thirds to "
                           "train on, one third to test)".format(
                               path, plural(len(table), "data row"),
                               plural(len(header) - 1, "feature"), needed))
    table = table[np.random.default_rng(seed).permutation(len(table))]
    t = header.index(target)
    features = [name for name in header if name != target]
    x = np.delete(table, t, axis=1).astype(np.float32)
    y = table[:, t:t + 1].astype(np.float32)
    return Data(x, y, features, text["csv"].format(path=path, rows=len(table), target=target,
                                                   features=", ".join(features)), target=target)


def _number(cell, path, line, column):
    where = "{}, line {}, column '{}'".format(path, line, column)
    text = cell.strip()
    if not text:
        raise CommandError(where + ": the value is missing")
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise CommandError("{}: '{}' is not a number".format(where, shown)) from None
    if math.isnan(value):
        raise CommandError(where + ": the value is NaN (missing data?)")
    if math.isinf(value):
        raise CommandError(where + ": the value is infinite")
    return value


def _diabetes(seed, text):
    try:
        from sklearn.datasets import load_diabetes
    except ImportError:
        raise CommandError("--dataset diabetes needs scikit-learn, which is not installed: "
                           "pip install scikit-learn") from None
    bunch = load_diabetes()
    order = np.random.default_rng(seed).permutation(len(bunch.target))
    x = bunch.data[order].astype(np.float32)
    y = bunch.target[order].astype(np.float32)[:, None]
    return Data(x, y, list(bunch.feature_names), text["diabetes"], target="progression")
