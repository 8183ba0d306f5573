"""``ember linreg``: the course's linear-regression workflow, from data to saved model.

Train the lecture's ``Linear_Model`` (``ember/cli/linear_model.py``) with SGD on the mean
squared error, printing ``epoch: N, loss is: X`` every 500 epochs and at the last; test it; save
its ``state_dict`` to ``linear.pth`` (a file real PyTorch loads too) and the columns it reads to
``linear.json``; reload the model and test again (the same number); draw the loss curve
(``loss.png``) and, for one input feature, the fitted line (``fit.png``).  Every output is
checked before training and written at the end, so a failure leaves no file behind.

The data is synthetic by default -- ``y = x @ w + b + noise`` for a known ``w`` and ``b``, so that
the learned weights can be compared with the true ones -- or a CSV file of your own, or
scikit-learn's diabetes set.  The least-squares solution, computed directly, shows the best test
error a linear model can reach on the same split.  ``--predict linear.pth new.csv`` applies a
saved model to new data.
"""
import io
import json
import math
import os
import sys
import time

import numpy as np

from . import CommandError, HelpFormatter
from .arguments import non_negative, at_least_two, positive_float, positive_int, seed
from .linreg_data import load_data, plural, read_csv
from .linreg_plots import fit_picture, have_matplotlib, loss_picture
from .linreg_text import LANGUAGES, default_language, messages
from .outputs import Outputs

RISING_EPOCHS = 20      # a loss that rose this many epochs in a row (and by 1 %) is diverging


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "linreg", help="train, test, save and reload the course's linear-regression model",
        description="The course's linear-regression workflow: the Linear_Model class (a "
                    "LinearRegression module, SGD, MSELoss) trained on synthetic data, your own "
                    "CSV file or scikit-learn's diabetes set; then tested, saved to linear.pth, "
                    "reloaded and tested again, with pictures of the loss (loss.png) and, for one "
                    "input feature, of the fit (fit.png).",
        formatter_class=HelpFormatter,
        epilog="examples:\n  ember linreg --csv docs/data/diabetes.csv --target progression\n"
               "  ember linreg --predict linear.pth new.csv")
    data = parser.add_argument_group("data (synthetic unless --csv or --dataset)")
    data.add_argument("--in-dim", type=positive_int, metavar="N",
                      help="synthetic data: number of input features (default 3)")
    data.add_argument("--samples", type=at_least_two, metavar="N",
                      help="synthetic data: number of samples, a third of them for testing "
                           "(default 1500)")
    data.add_argument("--noise", type=non_negative, metavar="STD",
                      help="synthetic data: standard deviation of the noise (default 0.5)")
    data.add_argument("--csv", metavar="FILE",
                      help="your own data: a CSV file with a header row, numbers only (the "
                           "features are standardised for training, the weights reported in "
                           "the data's units)")
    data.add_argument("--target", metavar="COLUMN",
                      help="with --csv: the column to predict, the others are the features "
                           "(default for two columns: the second)")
    data.add_argument("--dataset", choices=["diabetes"],
                      help="scikit-learn's diabetes set (442 patients, 10 features; needs "
                           "scikit-learn)")
    data.add_argument("--seed", type=seed, default=0,
                      help="seed for the data, the split and the initial weights, any number "
                           "torch.manual_seed accepts (default 0)")
    training = parser.add_argument_group("training")
    training.add_argument("--lr", type=positive_float, default=0.01,
                          help="learning rate of SGD (default 0.01)")
    training.add_argument("--epochs", type=positive_int, default=10000,
                          help="number of epochs (default 10000)")
    training.add_argument("--print-every", type=positive_int, default=500, metavar="N",
                          help="print the loss every N epochs, and at the last (default 500)")
    training.add_argument("--compare-numpy", action="store_true",
                          help="also train the lecture's hand-written NumPy version on the same "
                               "data, and compare results and times")
    training.add_argument("--profile", action="store_true",
                          help="time every operation while training (ember.profiler) and "
                               "print where the time went")
    parser.add_argument("--out", metavar="DIR", default=".",
                        help="folder for linear.pth, linear.json, loss.png and fit.png, made if "
                             "needed (default: here)")
    parser.add_argument("--predict", nargs=2, metavar=("MODEL", "CSV"),
                        help="apply a saved model (linear.pth) to the rows of a CSV file: "
                             "prints them with the prediction")
    parser.add_argument("--lang", choices=sorted(LANGUAGES),
                        help="language of the report (default: zh under a Chinese locale, "
                             "else en)")
    parser.set_defaults(run=run)
    return parser


def run(args):
    text = messages(args.lang or default_language())
    if args.predict is not None:
        return predict(*args.predict)
    data = load_data(args, text)
    one_feature = data.x_test.shape[1] == 1
    pictures = ["loss.png", "fit.png"] if one_feature else ["loss.png"]
    files = Outputs(args.out, ["linear.pth", "linear.json"] + pictures)
    import ember as torch
    from .linear_model import LinearModel

    in_dim = data.x_train.shape[1]
    x_train, y_train = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    print(text["data"].format(data.description))
    for note in data.notes:
        print(note)
    print(text["split"].format(train=len(data.x_train), test=len(data.x_test)))
    print(text["model"].format(in_dim=in_dim, lr=args.lr, epochs=args.epochs))

    torch.manual_seed(args.seed)
    linear_model = LinearModel(in_dim, args.lr, args.epochs)
    start = time.perf_counter()
    # A learning rate that is too large makes the numbers overflow: _Watch reports that, once,
    # instead of NumPy's warnings.
    with np.errstate(over="ignore", invalid="ignore"), \
            _Progress(args.epochs, args.print_every, text) as progress, \
            _profiling(args.profile) as profiler:
        watch = _Watch(args.epochs, args.print_every, progress.report)
        losses = linear_model.train(x_train, y_train, watch)
    seconds = time.perf_counter() - start
    if watch.failure is not None:
        key, values = watch.failure
        raise CommandError(text[key].format(**values))
    print(text["trained"].format(epochs=args.epochs, seconds=seconds,
                                 ms=1000 * seconds / args.epochs))
    if profiler is not None:
        print()
        print(text["profile"].format(epochs=args.epochs))
        print(profiler.key_averages().table(sort_by="cpu_time_total", row_limit=12))

    numpy_model = _numpy_version(data, args, text) if args.compare_numpy else None
    weights = data.to_data_units(linear_model.model.w.detach().numpy()[:, 0])
    print()
    _print_weights(data, weights, numpy_model, text)
    print()
    model = LinearModel(in_dim)         # the trained model, for raw data
    with torch.no_grad():
        model.model.w.copy_(torch.from_numpy(weights[:, None].astype(np.float32)))
    x_test, y_test = torch.from_numpy(data.raw_test), torch.from_numpy(data.y_test)
    prediction, test_mse = model.test(x_test, y_test)
    print(text["test_mse"].format(test_mse))
    print(text["optimum"].format(_least_squares_mse(data)))
    if numpy_model is not None:
        numpy_mse = float(np.mean((numpy_model.predict(data.x_test.astype(np.float64))
                                   - data.y_test[:, 0]) ** 2))
        print(text["numpy_mse"].format(numpy_mse))

    saved = io.BytesIO()
    torch.save(model.model.state_dict(), saved)
    outputs = {"linear.pth": saved.getvalue(), "linear.json": _columns(data)}
    drawn = have_matplotlib()
    if drawn:
        outputs["loss.png"] = loss_picture(losses)
        if one_feature:
            outputs["fit.png"] = fit_picture(data.raw_test[:, 0], data.y_test[:, 0],
                                             prediction.numpy()[:, 0], data.names[0]
                                             if data.true_w is None else "x", data.target)
    files.write(outputs)
    path = files.path("linear.pth")
    print(text["saved"].format(path))
    reloaded = LinearModel(in_dim)
    reloaded.model.load_state_dict(torch.load(path))
    print(text["reloaded"].format(path, reloaded.test(x_test, y_test)[1]))
    if drawn:
        print(text["drew"].format(files=text["and"].join(pictures),
                                  folder=os.path.normpath(args.out)))
    else:
        print(text["not_drawn"].format(files=text["and"].join(pictures)))
    return 0


class _Watch:
    """Called after every epoch: reports the loss every ``every`` epochs and at the last, and
    stops training (returns True) as soon as the loss is not finite, or has risen in each of
    the last ``RISING_EPOCHS`` epochs to more than 1 % above its lowest.  (Gradient descent on
    the mean squared error with a small enough learning rate lowers the loss in every epoch;
    with one too large the loss grows geometrically.)  ``failure`` says why it stopped."""

    def __init__(self, epochs, every, report):
        self.last, self.every, self.report = epochs - 1, every, report
        self.lowest, self.lowest_epoch = math.inf, 0
        self.previous, self.rises = math.inf, 0
        self.failure = None

    def __call__(self, epoch, loss):
        if epoch % self.every == 0 or epoch == self.last:
            self.report(epoch, loss)
        if not math.isfinite(loss):
            self.failure = "non_finite", dict(loss=loss, epoch=epoch)
        else:
            self.rises = self.rises + 1 if loss > self.previous else 0
            self.previous = loss
            if loss < self.lowest:
                self.lowest, self.lowest_epoch = loss, epoch
            if self.rises >= RISING_EPOCHS and loss > 1.01 * self.lowest:
                self.failure = "rising", dict(n=RISING_EPOCHS, low=self.lowest,
                                              low_epoch=self.lowest_epoch, loss=loss,
                                              epoch=epoch)
        if self.failure is not None and epoch % self.every != 0 and epoch != self.last:
            self.report(epoch, loss)        # the epoch where it stopped
        return self.failure is not None


class _Progress:
    """Prints ``epoch: N, loss is: X`` lines, under a tqdm progress bar on a terminal."""

    def __init__(self, epochs, every, text):
        self.every = every
        self.bar = None
        if sys.stdout.isatty() and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                print(text["no_bar"])
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


class _profiling:
    """``ember.profiler.profile()`` when asked for, else nothing (``None``).  The training is
    one ``record_function`` block, so that its self time is the time spent outside the
    operations (Python, the loop, ``loss.item()``)."""

    def __init__(self, wanted):
        self.profiler = self.block = None
        if wanted:
            from ember.profiler import profile, record_function
            self.profiler, self.block = profile(), record_function("training (all epochs)")

    def __enter__(self):
        if self.profiler is None:
            return None
        self.profiler.__enter__()
        self.block.__enter__()
        return self.profiler

    def __exit__(self, *exc):
        if self.profiler is not None:
            self.block.__exit__(*exc)
            self.profiler.__exit__(*exc)


def _numpy_version(data, args, text):
    """The lecture's hand-written NumPy model, trained on the same data; prints its time."""
    from .linear_model import LinearRegressionNumpy
    np.random.seed([args.seed % 2 ** 32, args.seed >> 32])     # the legacy seed is 32-bit words
    model = LinearRegressionNumpy(data.x_train.shape[1], args.lr, args.epochs)
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):
        model.fit(data.x_train.astype(np.float64), data.y_train[:, 0].astype(np.float64))
    seconds = time.perf_counter() - start
    print(text["numpy_trained"].format(epochs=args.epochs, seconds=seconds,
                                       ms=1000 * seconds / args.epochs))
    return model


def _print_weights(data, learned, numpy_model, text):
    """A table: one row per weight and the bias; true / learned / NumPy columns, in the data's
    own units."""
    columns = (["true"] if data.true_w is not None else []) + ["learned"] + \
        (["numpy"] if numpy_model is not None else [])
    numpy_w = None if numpy_model is None else data.to_data_units(
        np.append(numpy_model.w, numpy_model.b))
    rows = []
    for i, name in enumerate(data.names + ["bias"]):
        row = []
        if data.true_w is not None:
            row.append(data.true_w[i] if i < len(data.true_w) else data.true_b)
        row.append(learned[i])
        if numpy_w is not None:
            row.append(numpy_w[i])
        rows.append((name, row))
    width = max(len(name) for name, _ in rows)
    print(" " * width + "".join(_right(text[c], 12) for c in columns))
    for name, row in rows:
        print(name.ljust(width) + "".join("{:12.4f}".format(v) for v in row))
    if data.mean is not None:
        print(text["units"])


def _right(label, width):
    """``label`` right-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    cells = sum(2 if ord(c) > 0x2E80 else 1 for c in label)
    return " " * max(1, width - cells) + label


def _least_squares_mse(data):
    """The test MSE of the exact least-squares fit on the training set: the best a linear
    model trained on these samples can do."""
    def with_ones(x):
        return np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
    w, *_ = np.linalg.lstsq(with_ones(data.x_train), data.y_train.astype(np.float64), rcond=None)
    return float(np.mean((with_ones(data.x_test) @ w - data.y_test) ** 2))


def _columns(data):
    """``linear.json``: the columns the saved model reads, in order, and the one it predicts."""
    features = data.names if data.true_w is None else \
        ["x[{}]".format(i) for i in range(len(data.names))]
    return (json.dumps({"features": features, "target": data.target}, indent=1) + "\n").encode()


def predict(model_path, csv_path):
    """``--predict linear.pth new.csv``: prints the CSV's rows, each with the saved model's
    prediction as a last column.  The columns are those named in ``linear.json`` beside the
    model; without it, all the CSV's columns in order."""
    import ember as torch
    try:
        state = torch.load(model_path)
        w = state["w"].numpy().astype(np.float64)
    except FileNotFoundError:
        raise CommandError("cannot read {}: No such file or directory".format(model_path)) \
            from None
    except Exception as e:          # not a model file: whatever the reader found wrong
        raise CommandError("{} is not a model saved by ember linreg ({})".format(
            model_path, str(e).splitlines()[0] if str(e) else type(e).__name__)) from None
    if w.ndim != 2 or w.shape[1] != 1:
        raise CommandError("{} is not a model saved by ember linreg (its w has shape {})".format(
            model_path, list(w.shape)))
    header, table = read_csv(csv_path)
    features, target = _saved_columns(model_path, header, w.shape[0] - 1)
    missing = [name for name in features if name not in header]
    if missing:
        raise CommandError("{} has no column '{}', which the model reads (it reads: {})".format(
            csv_path, missing[0], ", ".join(features)))
    x = table[:, [header.index(name) for name in features]]
    prediction = x @ w[:-1, 0] + w[-1, 0]
    print(",".join(header + ["predicted " + target]))
    for row, value in zip(table, prediction):
        print(",".join("{:g}".format(v) for v in row) + ",{:.6g}".format(value))
    return 0


def _saved_columns(model_path, header, in_dim):
    path = os.path.splitext(model_path)[0] + ".json"
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as f:
                saved = json.load(f)
            features, target = list(saved["features"]), str(saved["target"])
        except (OSError, ValueError, KeyError, TypeError):
            raise CommandError("cannot read {}: not the linear.json of ember linreg".format(
                path)) from None
        if len(features) == in_dim:
            return features, target
    if len(header) != in_dim:
        raise CommandError("the model reads {}, and the CSV file has {}; without its "
                           "linear.json, the columns must be the model's features in order"
                           .format(plural(in_dim, "column"), plural(len(header), "column")))
    return header, "y"
