"""``ExponentialFamily``: distributions whose density is
p(x) = h(x) exp(<theta, t(x)> - A(theta)) for natural parameters theta and log-normaliser A.

The entropy follows from A alone: H = A(theta) - <theta, grad A(theta)> - E[log h(x)], with
grad A computed by autograd (subclasses that know a closed form override ``entropy``).
"""
import ember

from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Subclasses give ``_natural_params``, ``_log_normalizer(*params)`` and
    ``_mean_carrier_measure`` (E[log h(x)])."""

    @property
    def _natural_params(self):
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError

    def entropy(self):
        result = -self._mean_carrier_measure
        params = [p.detach().requires_grad_() for p in self._natural_params]
        log_normalizer = self._log_normalizer(*params)
        grads = ember.autograd.grad(log_normalizer.sum(), params, create_graph=True)
        result = result + log_normalizer
        for p, g in zip(params, grads):
            result = result - (p * g).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result
