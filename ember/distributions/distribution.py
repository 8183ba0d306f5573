"""``Distribution``: the base class of probability distributions (``torch.distributions``).

A distribution has a ``batch_shape`` (independent distributions side by side, one per set of
parameters) and an ``event_shape`` (the shape of one draw: () for a number, (k,) for a vector).
``sample(sample_shape)`` draws values of shape ``sample_shape + batch_shape + event_shape``;
``rsample`` does the same through a differentiable function of the parameters (the
reparameterisation trick: a Normal's draw is loc + scale * eps), so gradients flow from a loss
on samples back to the parameters.  ``log_prob(value)`` is the log density (or mass) of a
value.  With ``validate_args`` (the default), parameters and values are checked against the
distribution's constraints, with torch's errors.
"""
import ember

from . import constraints
from .utils import lazy_property

__all__ = ["Distribution"]

_validate_default = [True]


class Distribution:
    """The base class: subclasses set ``arg_constraints``, ``support`` and ``has_rsample``, and
    implement what they can of ``rsample``/``sample``, ``log_prob``, ``cdf``, ``icdf``,
    ``entropy``, ``mean``, ``mode``, ``variance`` and ``expand``."""

    has_rsample = False
    has_enumerate_support = False
    arg_constraints = {}
    support = None

    @staticmethod
    def set_default_validate_args(value):
        """Whether new distributions check their arguments (True by default, as in torch)."""
        if value not in (True, False):
            raise ValueError
        _validate_default[0] = value

    def __init__(self, batch_shape=ember.Size(), event_shape=ember.Size(), validate_args=None):
        self._batch_shape = ember.Size(batch_shape)
        self._event_shape = ember.Size(event_shape)
        self._validate_args = _validate_default[0] if validate_args is None else validate_args
        if self._validate_args:
            for param, constraint in self.arg_constraints.items():
                if constraints.is_dependent(constraint):
                    continue                    # a set that cannot be checked on its own
                if param not in self.__dict__ and isinstance(getattr(type(self), param, None),
                                                             lazy_property):
                    continue                    # a parameter given in another form
                value = getattr(self, param)
                valid = constraint.check(value)
                if not bool(valid.all()):
                    raise ValueError(
                        "Expected parameter {} ({} of shape {}) of distribution {} to satisfy "
                        "the constraint {}, but found invalid values:\n{}".format(
                            param, type(value).__name__, tuple(value.shape), repr(self),
                            repr(constraint), value))

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def event_shape(self):
        return self._event_shape

    def expand(self, batch_shape, _instance=None):
        """The same distribution over a larger batch: each parameter (those of
        ``arg_constraints`` that this instance holds) expanded to ``batch_shape``, no copy."""
        new = self._get_checked_instance(type(self), _instance)
        for name in self.arg_constraints:
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _extended_shape(self, sample_shape=ember.Size()):
        """``sample_shape + batch_shape + event_shape``: the shape of a draw."""
        return ember.Size(tuple(sample_shape) + tuple(self._batch_shape)
                          + tuple(self._event_shape))

    def sample(self, sample_shape=ember.Size()):
        """Draws values, without gradients."""
        with ember.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=ember.Size()):
        """Draws values through a differentiable function of the parameters."""
        raise NotImplementedError

    def sample_n(self, n):
        return self.sample(ember.Size((n,)))

    def log_prob(self, value):
        raise NotImplementedError

    def cdf(self, value):
        raise NotImplementedError

    def icdf(self, value):
        raise NotImplementedError

    def entropy(self):
        raise NotImplementedError

    def perplexity(self):
        return self.entropy().exp()

    @property
    def mean(self):
        raise NotImplementedError

    @property
    def mode(self):
        raise NotImplementedError("{} does not implement mode".format(type(self)))

    @property
    def variance(self):
        raise NotImplementedError

    @property
    def stddev(self):
        return self.variance.sqrt()

    def _validate_sample(self, value):
        """torch's errors for a value of the wrong type, shape or outside the support."""
        if not isinstance(value, ember.Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        event_dim_start = len(value.shape) - len(self._event_shape)
        if tuple(value.shape[event_dim_start:]) != tuple(self._event_shape):
            raise ValueError("The right-most size of value must match event_shape: {} vs {}."
                             .format(value.size(), self._event_shape))
        actual, expected = tuple(value.shape), tuple(self._batch_shape + self._event_shape)
        for i, j in zip(reversed(actual), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError("Value is not broadcastable with batch_shape+event_shape: {} "
                                 "vs {}.".format(value.size(), ember.Size(expected)))
        support = self.support
        if not bool(support.check(value).all()):
            raise ValueError(
                "Expected value argument ({} of shape {}) to be within the support ({}) of the "
                "distribution {}, but found invalid values:\n{}".format(
                    type(value).__name__, tuple(value.shape), repr(support), repr(self),
                    value))

    def _get_checked_instance(self, cls, _instance=None):
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError("Subclass {} of {} that defines a custom __init__ method "
                                      "must also define a custom .expand() method.".format(
                                          type(self).__name__, cls.__name__))
        return cls.__new__(type(self)) if _instance is None else _instance

    def __repr__(self):
        names = [k for k in self.arg_constraints if k in self.__dict__]
        args = ", ".join("{}: {}".format(p, self.__dict__[p] if self.__dict__[p].numel() == 1
                                         else self.__dict__[p].size()) for p in names)
        return type(self).__name__ + "(" + args + ")"


