"""The pictures of ``ember linreg``, drawn by matplotlib into PNG bytes (written to files at the
end, with the model): the training loss, and for one feature the fitted line.  Their labels are
in English whatever ``--lang`` says: matplotlib's default font has no Chinese characters."""
import io

import numpy as np

__all__ = ["loss_picture", "fit_picture", "have_matplotlib", "log_scale"]


def have_matplotlib():
    try:
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError:
        return False
    return True


def loss_picture(losses):
    """The loss against the epoch: on a log scale when it spans more than two decades (so that
    both the fast descent at the start and the end are visible), with the final loss marked."""
    from matplotlib.figure import Figure
    losses = np.asarray(losses, dtype=np.float64)
    figure = Figure(figsize=(6, 4), layout="constrained")
    axes = figure.subplots()
    axes.plot(np.arange(len(losses)), losses)
    log = log_scale(losses)
    final = losses[-1]
    axes.axhline(final, color="grey", linestyle=":", linewidth=1)
    axes.plot([len(losses) - 1], [final], "o", color="red")
    axes.annotate("final loss {:.4g}".format(final), (len(losses) - 1, final),
                  textcoords="offset points", xytext=(-8, 8), ha="right", color="red")
    axes.set(xlabel="epoch", ylabel="loss (MSE, log scale)" if log else "loss (MSE)",
             yscale="log" if log else "linear", title="Training loss")
    return _png(figure)


def fit_picture(x, y, prediction, xlabel, ylabel):
    """The test points and the model's predictions, in the data's own units."""
    from matplotlib.figure import Figure
    figure = Figure(figsize=(6, 4), layout="constrained")
    axes = figure.subplots()
    order = np.argsort(x)
    axes.scatter(x, y, s=8, alpha=0.6, label="test data")
    axes.plot(x[order], prediction[order], color="red", label="the model's predictions")
    axes.set(xlabel=xlabel, ylabel=ylabel, title="Linear regression on the test set")
    axes.legend()
    return _png(figure)


def log_scale(losses):
    """Whether the loss spans more than two decades (then a linear axis would show only the
    first few epochs' fall, and the rest as a flat line at the bottom)."""
    losses = np.asarray(losses, dtype=np.float64)
    return bool(losses.min() > 0 and losses.max() / losses.min() > 100)


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
