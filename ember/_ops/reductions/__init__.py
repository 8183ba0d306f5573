"""Functions that reduce dimensions: sums, means, products, extremes (``reduce``), running
totals (``cumulative``), norms, statistics (``var``, ``median``, ``quantile`` ...) and the
normalising ``softmax`` family."""
from . import reduce, cumulative, norms, statistics, softmax  # noqa: F401  (each declares its public names)
