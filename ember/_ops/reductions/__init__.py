"""Functions that reduce dimensions: sums, means, products, extremes (``reduce``), running
totals (``cumulative``), norms, statistics (``var``, ``median``, ``quantile`` ...) and the
normalising ``softmax`` family."""
# each module declares its public names (core/registry.py) when imported
from . import (reduce, extremes, cumulative, norms, statistics, softmax, calculus,  # noqa: F401
               histograms, covariance, distances)
