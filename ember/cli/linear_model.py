"""The course's linear regression, as the lecture writes it -- with ember in place of torch.

* :class:`LinearRegression` is the model: ``prediction = [x, 1] @ w``, whose last row of ``w`` is
  the bias.
* :class:`LinearModel` is the lecture's ``Linear_Model``: the model, ``SGD`` and ``MSELoss``,
  with ``train`` (one gradient step per epoch on the whole training set) and ``test``.
* :class:`LinearRegressionNumpy` is the lecture's hand-written NumPy version, with the gradient
  worked out on paper, for comparison.
"""
import numpy as np

import ember as torch
from ember import nn


class LinearRegression(nn.Module):
    """``prediction = [x, 1] @ w``: a linear function of ``in_dim`` features plus a bias."""

    def __init__(self, in_dim):
        super().__init__()
        self.w = nn.Parameter(torch.randn(in_dim + 1, 1))

    def forward(self, x):
        x = torch.cat([x, torch.ones((x.shape[0], 1))], dim=1)
        return x.matmul(self.w)


class LinearModel:
    """The lecture's ``Linear_Model``: a :class:`LinearRegression`, ``SGD`` and ``MSELoss``."""

    def __init__(self, in_dim, learning_rate=0.01, epochs=10000):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.model = LinearRegression(in_dim)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=self.learning_rate)
        self.loss_function = torch.nn.MSELoss()

    def train(self, x, y, after_epoch=None):
        """Trains on ``(x, y)``, one step on the whole set per epoch; returns every epoch's loss.

        ``after_epoch(epoch, loss)`` is called after each epoch (where the lecture prints the
        loss every 500 epochs); training stops early when it returns True."""
        losses = []
        for epoch in range(self.epochs):
            prediction = self.model(x)
            loss = self.loss_function(prediction, y)

            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

            losses.append(loss.item())
            if after_epoch is not None and after_epoch(epoch, losses[-1]):
                break
        return losses

    def test(self, x, y):
        """The predictions for ``x`` and their mean squared error against ``y``."""
        with torch.no_grad():
            prediction = self.model(x)
            return prediction, self.loss_function(prediction, y).item()


class LinearRegressionNumpy:
    """The lecture's NumPy version, for ``in_dim`` features: ``prediction = x @ w + b``.

    The gradients of ``loss = mean((x @ w + b - y) ** 2)`` are worked out by hand:
    ``d(loss)/dw = mean(2 * (x @ w + b - y) * x)`` (per feature) and
    ``d(loss)/db = mean(2 * (x @ w + b - y))``."""

    def __init__(self, in_dim, lr=0.01, max_iter=10000):
        self.lr = lr
        self.max_iter = max_iter
        self.w = np.random.normal(1, 0.1, size=in_dim)
        self.b = np.random.normal(1, 0.1)
        self.loss_arr = []

    def loss(self, y_true, y_pred):
        return np.mean((y_true - y_pred) ** 2)

    def predict(self, x):
        return x @ self.w + self.b

    def fit(self, x, y):
        """Trains on ``x`` (n, in_dim) and ``y`` (n,), recording the loss after each step."""
        for _ in range(self.max_iter):
            self._train_step(x, y)
            self.loss_arr.append(self.loss(y, self.predict(x)))

    def _train_step(self, x, y):
        d_w, d_b = self._calc_gradient(x, y)
        self.w = self.w - self.lr * d_w
        self.b = self.b - self.lr * d_b

    def _calc_gradient(self, x, y):
        error = 2 * (self.predict(x) - y)
        return np.mean(error[:, None] * x, axis=0), np.mean(error)
