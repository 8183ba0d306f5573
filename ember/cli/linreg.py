"""``ember linreg``: the course's linear-regression workflow, from data to saved model.

Train the lecture's ``Linear_Model`` (``ember/cli/linear_model.py``) with SGD on the mean
squared error, printing ``epoch: N, loss is: X`` every 500 epochs; test it; save its
``state_dict`` to ``linear.pth`` (a file real PyTorch loads too); reload that file into a new
model and test again (the same number); draw the loss curve (``loss.png``) and, for one input
feature, the fitted line (``fit.png``).

The data is synthetic by default -- ``y = x @ w + b + noise`` for a known ``w`` and ``b``, so that
the learned weights can be compared with the true ones -- or a CSV file of your own, or
scikit-learn's diabetes set.  The least-squares solution, computed directly, shows the best test
error a linear model can reach on the same split.
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np

from . import CommandError

TEST_FRACTION = 1 / 3


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "linreg", help="train, test, save and reload the course's linear-regression model",
        description="The course's linear-regression workflow: the Linear_Model class (a "
                    "LinearRegression module, SGD, MSELoss) trained on synthetic data, your own "
                    "CSV file or scikit-learn's diabetes set; then tested, saved to linear.pth, "
                    "reloaded and tested again, with pictures of the loss (loss.png) and, for one "
                    "input feature, of the fit (fit.png).",
        epilog="example: ember linreg --csv houses.csv --target price --out results")
    data = parser.add_argument_group("data (synthetic unless --csv or --dataset)")
    data.add_argument("--in-dim", type=_positive_int, metavar="N",
                      help="synthetic data: number of input features (default 3)")
    data.add_argument("--samples", type=_at_least_two, metavar="N",
                      help="synthetic data: number of samples, a third of them for testing "
                           "(default 1500)")
    data.add_argument("--noise", type=_non_negative, metavar="STD",
                      help="synthetic data: standard deviation of the noise (default 0.5)")
    data.add_argument("--csv", metavar="FILE",
                      help="your own data: a CSV file with a header row, numbers only (the "
                           "features are standardised, so that one learning rate suits them "
                           "all)")
    data.add_argument("--target", metavar="COLUMN",
                      help="with --csv: the column to predict (the others are the features)")
    data.add_argument("--dataset", choices=["diabetes"],
                      help="scikit-learn's diabetes set (442 patients, 10 features; needs "
                           "scikit-learn)")
    data.add_argument("--seed", type=int, default=0,
                      help="seed for the data, the split and the initial weights (default 0)")
    training = parser.add_argument_group("training")
    training.add_argument("--lr", type=_positive_float, default=0.01,
                          help="learning rate of SGD (default 0.01)")
    training.add_argument("--epochs", type=_positive_int, default=10000,
                          help="number of epochs (default 10000)")
    training.add_argument("--print-every", type=_positive_int, default=500, metavar="N",
                          help="print the loss every N epochs (default 500)")
    training.add_argument("--compare-numpy", action="store_true",
                          help="also train the lecture's hand-written NumPy version on the same "
                               "data, and compare results and times")
    parser.add_argument("--out", metavar="DIR", default=".",
                        help="folder for linear.pth, loss.png and fit.png (default: here)")
    parser.set_defaults(run=run)
    return parser


def _positive_int(text):
    value = _parse(int, text, "a whole number")
    if value < 1:
        raise _invalid("must be at least 1", text)
    return value


def _at_least_two(text):
    value = _parse(int, text, "a whole number")
    if value < 2:
        raise _invalid("must be at least 2 (one sample to train on, one to test)", text)
    return value


def _positive_float(text):
    value = _parse(float, text, "a number")
    if not value > 0 or not math.isfinite(value):
        raise _invalid("must be a positive number", text)
    return value


def _non_negative(text):
    value = _parse(float, text, "a number")
    if not value >= 0 or not math.isfinite(value):
        raise _invalid("must be zero or a positive number", text)
    return value


def _parse(kind, text, what):
    try:
        return kind(text)
    except ValueError:
        raise _invalid("must be " + what, text) from None


def _invalid(message, text):
    return argparse.ArgumentTypeError("{}, not {!r}".format(message, text))


# -- data ------------------------------------------------------------------------------------

class Data:
    """Training and test arrays (float32), the feature names, and the true weights if known."""

    def __init__(self, x, y, names, description, true_w=None, true_b=None):
        n_test = max(1, round(len(x) * TEST_FRACTION))
        self.x_train, self.y_train = x[:-n_test], y[:-n_test]
        self.x_test, self.y_test = x[-n_test:], y[-n_test:]
        self.names, self.description = names, description
        self.true_w, self.true_b = true_w, true_b

    def standardize(self):
        """Rescales each feature to mean 0 and standard deviation 1 on the training set, so
        that one learning rate suits every feature (raw features in very different units make
        SGD diverge or crawl)."""
        mean = self.x_train.mean(axis=0)
        std = self.x_train.std(axis=0)
        std[std == 0] = 1
        self.x_train = ((self.x_train - mean) / std).astype(np.float32)
        self.x_test = ((self.x_test - mean) / std).astype(np.float32)
        self.description += "; features standardised with the training set's mean and std"


def load_data(args):
    """The :class:`Data` the options ask for; a :class:`CommandError` for bad input."""
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
        data = _read_csv(args.csv, args.target, args.seed) if args.csv is not None else \
            _diabetes(args.seed)
        data.standardize()
        return data
    return _synthetic(3 if args.in_dim is None else args.in_dim,
                      1500 if args.samples is None else args.samples,
                      0.5 if args.noise is None else args.noise, args.seed)


def _synthetic(in_dim, samples, noise, seed):
    """``y = x @ w + b + noise`` with a true ``w`` (multiples of 0.5 in [-5, 5]) and ``b``."""
    rng = np.random.default_rng(seed)
    true_w = rng.integers(-10, 11, size=in_dim) / 2
    true_b = float(rng.integers(-20, 21))
    x = rng.standard_normal((samples, in_dim))
    y = x @ true_w + true_b + noise * rng.standard_normal(samples)
    names = ["w[{}]".format(i) for i in range(in_dim)]
    description = "synthetic, y = x @ w + b + noise (in_dim = {}, noise = {:g}, seed = {})".format(
        in_dim, noise, seed)
    return Data(x.astype(np.float32), y.astype(np.float32)[:, None], names, description, true_w,
                true_b)


def _read_csv(path, target, seed):
    if target is None:
        raise CommandError("--csv needs --target COLUMN, the column to predict")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as e:
        raise CommandError("cannot read {}: {}".format(
            path, getattr(e, "strerror", None) or "not a UTF-8 text file")) from None
    rows = [(number, row) for number, row in enumerate(rows, 1) if any(c.strip() for c in row)]
    if not rows:
        raise CommandError("{} is empty".format(path))
    header = [c.strip() for c in rows[0][1]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CommandError("{} has more than one column named '{}'".format(path, repeated[0]))
    if target not in header:
        raise CommandError("{} has no column '{}' (its columns: {})".format(
            path, target, ", ".join(header)))
    if len(header) < 2:
        raise CommandError("{} needs at least one column besides '{}'".format(path, target))
    table = np.empty((len(rows) - 1, len(header)))
    for i, (number, row) in enumerate(rows[1:]):
        if len(row) != len(header):
            raise CommandError("{}, line {}: {} values, but the header has {} columns".format(
                path, number, len(row), len(header)))
        for j, cell in enumerate(row):
            table[i, j] = _number(cell, path, number, header[j])
    if len(table) < 2:
        raise CommandError("{} needs at least two rows of data (one to train on, one to test)"
                           .format(path))
    table = table[np.random.default_rng(seed).permutation(len(table))]
    t = header.index(target)
    features = [name for name in header if name != target]
    x = np.delete(table, t, axis=1).astype(np.float32)
    y = table[:, t:t + 1].astype(np.float32)
    return Data(x, y, features, "{}: {} rows, predicting '{}' from {}".format(
        path, len(table), target, ", ".join(features)))


def _number(cell, path, line, column):
    where = "{}, line {}, column '{}'".format(path, line, column)
    text = cell.strip()
    if not text:
        raise CommandError(where + ": the value is missing")
    try:
        value = float(text)
    except ValueError:
        raise CommandError("{}: '{}' is not a number".format(where, text)) from None
    if math.isnan(value):
        raise CommandError(where + ": the value is NaN (missing data?)")
    if math.isinf(value):
        raise CommandError(where + ": the value is infinite")
    return value


def _diabetes(seed):
    try:
        from sklearn.datasets import load_diabetes
    except ImportError:
        raise CommandError("--dataset diabetes needs scikit-learn, which is not installed: "
                           "pip install scikit-learn") from None
    bunch = load_diabetes()
    order = np.random.default_rng(seed).permutation(len(bunch.target))
    x = bunch.data[order].astype(np.float32)
    y = bunch.target[order].astype(np.float32)[:, None]
    return Data(x, y, list(bunch.feature_names),
                "scikit-learn's diabetes set: 442 patients, disease progression from 10 features")


# -- the workflow ----------------------------------------------------------------------------

def run(args):
    data = load_data(args)
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise CommandError("--out {}: this is a file, not a folder".format(args.out))
    import ember as torch
    from .linear_model import LinearModel

    in_dim = data.x_train.shape[1]
    x_train, y_train = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    x_test, y_test = torch.from_numpy(data.x_test), torch.from_numpy(data.y_test)
    print("data: " + data.description)
    print("      {} samples for training, {} for testing".format(len(x_train), len(x_test)))
    print("model: LinearRegression(in_dim={}), SGD(lr={:g}), MSELoss, {} epochs".format(
        in_dim, args.lr, args.epochs))

    torch.manual_seed(args.seed)
    linear_model = LinearModel(in_dim, args.lr, args.epochs)
    start = time.perf_counter()
    # A learning rate that is too large makes the numbers overflow: that is reported below,
    # once, instead of as NumPy's warnings.
    with np.errstate(over="ignore", invalid="ignore"), \
            _Progress(args.epochs, args.print_every) as progress:
        losses = linear_model.train(x_train, y_train, progress.report, args.print_every)
    seconds = time.perf_counter() - start
    if not math.isfinite(losses[-1]):
        epoch = next(i for i, loss in enumerate(losses) if not math.isfinite(loss))
        raise CommandError("training diverged: the loss became {} at epoch {}; try a smaller "
                           "--lr".format(losses[epoch], epoch))
    print("trained {} epochs in {:.2f} s ({:.3f} ms per epoch)".format(
        args.epochs, seconds, 1000 * seconds / args.epochs))

    numpy_model = _numpy_version(data, args) if args.compare_numpy else None
    learned = linear_model.model.w.detach().numpy()[:, 0]
    print()
    _print_weights(data, learned, numpy_model)
    print()
    prediction, test_mse = linear_model.test(x_test, y_test)
    print("test MSE: {}".format(test_mse))
    print("least-squares optimum on the same data: {}".format(_least_squares_mse(data)))
    if numpy_model is not None:
        numpy_mse = float(np.mean((numpy_model.predict(data.x_test.astype(np.float64))
                                   - data.y_test[:, 0]) ** 2))
        print("NumPy version's test MSE: {}".format(numpy_mse))

    path = os.path.join(args.out, "linear.pth")
    try:
        os.makedirs(args.out, exist_ok=True)
        torch.save(linear_model.model.state_dict(), path)
    except OSError as e:
        raise CommandError("cannot write {}: {}".format(path, e.strerror)) from None
    print("saved the model's state_dict to {}".format(os.path.normpath(path)))
    reloaded = LinearModel(in_dim, args.lr, args.epochs)
    reloaded.model.load_state_dict(torch.load(path))
    _, reloaded_mse = reloaded.test(x_test, y_test)
    print("reloaded {} into a new model: test MSE {}".format(os.path.normpath(path),
                                                            reloaded_mse))
    _draw(args.out, losses, data, prediction.numpy())
    return 0


class _Progress:
    """Prints ``epoch: N, loss is: X`` lines, under a tqdm progress bar on a terminal."""

    def __init__(self, epochs, every):
        self.every = every
        self.bar = None
        if sys.stdout.isatty() and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                print("(no progress bar: tqdm is not installed; pip install tqdm)")
            else:
                self.bar = tqdm(total=epochs, unit="epoch", leave=False)

    def report(self, epoch, loss):
        line = "epoch: {}, loss is: {}".format(epoch, loss)
        if self.bar is None:
            print(line)
        else:
            self.bar.write(line)
            self.bar.update(epoch - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def _numpy_version(data, args):
    """The lecture's hand-written NumPy model, trained on the same data; prints its time."""
    from .linear_model import LinearRegressionNumpy
    np.random.seed(args.seed)
    model = LinearRegressionNumpy(data.x_train.shape[1], args.lr, args.epochs)
    start = time.perf_counter()
    model.fit(data.x_train.astype(np.float64), data.y_train[:, 0].astype(np.float64))
    seconds = time.perf_counter() - start
    print("the lecture's NumPy version (hand-written gradients), same data: trained {} epochs in "
          "{:.2f} s ({:.3f} ms per epoch)".format(args.epochs, seconds,
                                                 1000 * seconds / args.epochs))
    return model


def _print_weights(data, learned, numpy_model):
    """A table: one row per weight and the bias; true / learned / NumPy columns."""
    columns = (["true"] if data.true_w is not None else []) + ["learned"] + \
        (["numpy"] if numpy_model is not None else [])
    rows = []
    for i, name in enumerate(data.names + ["bias"]):
        row = []
        if data.true_w is not None:
            row.append(data.true_w[i] if i < len(data.true_w) else data.true_b)
        row.append(learned[i])
        if numpy_model is not None:
            row.append(numpy_model.w[i] if i < len(numpy_model.w) else numpy_model.b)
        rows.append((name, row))
    width = max(len(name) for name, _ in rows)
    print(" " * width + "".join("{:>12}".format(c) for c in columns))
    for name, row in rows:
        print(name.ljust(width) + "".join("{:12.4f}".format(v) for v in row))


def _least_squares_mse(data):
    """The test MSE of the exact least-squares fit on the training set: the best a linear
    model trained on these samples can do."""
    def with_ones(x):
        return np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
    w, *_ = np.linalg.lstsq(with_ones(data.x_train), data.y_train.astype(np.float64), rcond=None)
    return float(np.mean((with_ones(data.x_test) @ w - data.y_test) ** 2))


def _draw(folder, losses, data, prediction):
    """loss.png, and fit.png when there is one feature; a note if matplotlib is missing."""
    one_feature = data.x_test.shape[1] == 1
    files = "loss.png and fit.png" if one_feature else "loss.png"
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("{} not drawn: matplotlib is not installed (pip install matplotlib)".format(files))
        return
    figure = Figure(figsize=(6, 4), layout="constrained")
    axes = figure.subplots()
    axes.plot(range(len(losses)), losses)
    axes.set(xlabel="epoch", ylabel="loss (MSE, log scale)", yscale="log",
             title="Training loss")
    figure.savefig(os.path.join(folder, "loss.png"), dpi=100)
    if one_feature:
        figure = Figure(figsize=(6, 4), layout="constrained")
        axes = figure.subplots()
        x = data.x_test[:, 0]
        order = np.argsort(x)
        axes.scatter(x, data.y_test[:, 0], s=8, alpha=0.6, label="test data")
        axes.plot(x[order], prediction[order, 0], color="red", label="the model's predictions")
        axes.set(xlabel=data.names[0] if data.true_w is None else "x", ylabel="y",
                 title="Linear regression on the test set")
        axes.legend()
        figure.savefig(os.path.join(folder, "fit.png"), dpi=100)
    print("drew {} in {}".format(files, os.path.normpath(folder)))
