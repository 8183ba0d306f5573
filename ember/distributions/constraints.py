"""Constraints: the sets that a distribution's parameters and values belong to
(``torch.distributions.constraints``).  ``check(value)`` says, element by element, whether a
value is in the set; distributions check their arguments and samples with them."""
__all__ = ["Constraint", "boolean", "greater_than", "greater_than_eq", "half_open_interval",
           "independent", "integer_interval", "interval", "less_than", "nonnegative",
           "nonnegative_integer", "positive", "positive_integer", "real", "real_vector",
           "simplex", "unit_interval"]


class Constraint:
    """A set of values.  ``is_discrete``: its values are integers; ``event_dim``: how many of
    the rightmost dimensions make one value (1 for a vector such as a simplex's)."""

    is_discrete = False
    event_dim = 0

    def check(self, value):
        """A bool tensor: which values (of the batch) lie in the set."""
        raise NotImplementedError

    def __repr__(self):
        return type(self).__name__.lstrip("_") + "()"      # _Real -> Real()


class _Real(Constraint):
    """Every real number (NaN is not one)."""

    def check(self, value):
        return value == value                       # everything but NaN


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value):
        return (value == 0) | (value == 1)


class _IntegerInterval(Constraint):
    is_discrete = True

    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (value % 1 == 0) & (self.lower_bound <= value) & (value <= self.upper_bound)

    def __repr__(self):
        return "IntegerInterval(lower_bound={}, upper_bound={})".format(self.lower_bound,
                                                                        self.upper_bound)


class _IntegerGreaterThan(Constraint):
    is_discrete = True

    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound)

    def __repr__(self):
        return "IntegerGreaterThan(lower_bound={})".format(self.lower_bound)


class _GreaterThan(Constraint):
    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return self.lower_bound < value

    def __repr__(self):
        return "GreaterThan(lower_bound={})".format(self.lower_bound)


class _GreaterThanEq(_GreaterThan):
    def check(self, value):
        return self.lower_bound <= value

    def __repr__(self):
        return "GreaterThanEq(lower_bound={})".format(self.lower_bound)


class _LessThan(Constraint):
    def __init__(self, upper_bound):
        self.upper_bound = upper_bound

    def check(self, value):
        return value < self.upper_bound

    def __repr__(self):
        return "LessThan(upper_bound={})".format(self.upper_bound)


class _Interval(Constraint):
    def __init__(self, lower_bound, upper_bound):
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def check(self, value):
        return (self.lower_bound <= value) & (value <= self.upper_bound)

    def __repr__(self):
        return "Interval(lower_bound={}, upper_bound={})".format(self.lower_bound,
                                                                 self.upper_bound)


class _HalfOpenInterval(_Interval):
    def check(self, value):
        return (self.lower_bound <= value) & (value < self.upper_bound)

    def __repr__(self):
        return "HalfOpenInterval(lower_bound={}, upper_bound={})".format(self.lower_bound,
                                                                         self.upper_bound)


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value):
        return ((value >= 0).all(-1)) & ((value.sum(-1) - 1).abs() < 1e-6)


class _IndependentConstraint(Constraint):
    """``base`` on each element, with the rightmost ``reinterpreted_batch_ndims`` dimensions
    joined into one value."""

    def __init__(self, base_constraint, reinterpreted_batch_ndims):
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        self.is_discrete = base_constraint.is_discrete
        self.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims

    def check(self, value):
        result = self.base_constraint.check(value)
        for _ in range(self.reinterpreted_batch_ndims):
            result = result.all(-1)
        return result

    def __repr__(self):
        return "IndependentConstraint({}, {})".format(self.base_constraint,
                                                      self.reinterpreted_batch_ndims)


real = _Real()
real_vector = _IndependentConstraint(real, 1)
boolean = _Boolean()
nonnegative_integer = _IntegerGreaterThan(0)
positive_integer = _IntegerGreaterThan(1)
integer_interval = _IntegerInterval
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
interval = _Interval
half_open_interval = _HalfOpenInterval
unit_interval = _Interval(0.0, 1.0)
simplex = _Simplex()
independent = _IndependentConstraint

from .constraints_extra import (MixtureSameFamilyConstraint, _Dependent,  # noqa: E402,F401
                                _DependentProperty, cat, corr_cholesky, stack,
                                dependent, dependent_property, is_dependent, lower_cholesky,
                                lower_triangular, multinomial, one_hot, positive_definite,
                                positive_semidefinite, square, symmetric)

__all__ += ["MixtureSameFamilyConstraint", "cat", "stack", "corr_cholesky", "dependent", "dependent_property",
            "is_dependent", "lower_cholesky", "lower_triangular", "multinomial", "one_hot", "positive_definite",
            "positive_semidefinite", "square", "symmetric"]
