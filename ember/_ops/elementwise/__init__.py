"""Functions applied one element at a time (with broadcasting between operands): arithmetic,
division, powers, comparisons and logic, exponentials and logarithms, trigonometry, the error
function, rounding, clamping, predicates (``isnan``, ``isclose`` ...), the piecewise activations
that are tensor methods, and the in-place operations written out by hand."""
# each module declares its public names (core/registry.py) when imported
from . import (arithmetic, division, power, comparison, exponential, trigonometric,
               error_function, special, gamma, float_parts, integers, rounding, clamping,
               piecewise, predicates, inplace, inplace_recorded, complex_numbers)  # noqa: F401
