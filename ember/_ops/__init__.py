"""ember's operations, one family a module.  Each module defines its functions, the autograd Op
behind each (forward and backward side by side), and three lists of names:

* ``__all__`` -- public as ``ember.<name>`` (``ember.exp``);
* ``METHODS`` -- also tensor methods (``x.exp()``);
* ``FUNCTIONAL`` -- public as ``ember.nn.functional.<name>`` (``F.relu``, ``F.mse_loss``).
"""
import warnings

# NumPy warns when a result overflows or divides by zero (inf, nan); torch gives the same inf and
# nan without a word.  NumPy attributes the warning to the line that called it, so this filter
# covers exactly ember's own code and costs nothing until a warning would be shown
# (``np.errstate`` around every call would cost a microsecond).  Note: a filter set while
# ``warnings.catch_warnings()`` is active (as pytest's collection is) is undone when it exits.
warnings.filterwarnings("ignore", r"(overflow|divide by zero|invalid value|underflow) encountered",
                        RuntimeWarning, r"ember\.")

from .elementwise import (arithmetic, clamping, comparison, division, error_function, exponential,
                          inplace, power, predicates, rounding, trigonometric)
from .core import copy
from .creation import from_data as creation, random
from .indexing import reading as indexing
from .linalg import products as linalg
from .reductions import reduce as reduction, softmax
from .shape import views as shape

# Listed before the star imports below, which replace some module names (``softmax``) by the
# function of the same name.
FAMILIES = (arithmetic, division, power, comparison, exponential, trigonometric, error_function,
            rounding, clamping, predicates, reduction, softmax, shape, indexing, linalg, copy,
            creation, random, inplace)

# The neural-network families: imported on first use (by ``ember.nn``, or by asking for one of
# their names), so that ``import ember`` stays fast.
NN_FAMILIES = ("activation", "activation_smooth", "loss", "normalization", "dropout", "sparse",
               "distance", "conv", "pooling")
# The tensor methods among them (their ``METHODS``): until the families are imported, a
# stand-in under each name imports them and calls the real method (tensor_methods.py).
NN_METHODS = ("hardshrink", "prelu")

from .elementwise.arithmetic import *       # noqa: F401,F403
from .elementwise.clamping import *         # noqa: F401,F403
from .elementwise.comparison import *       # noqa: F401,F403
from .core.copy import *             # noqa: F401,F403
from .creation.from_data import *         # noqa: F401,F403
from .elementwise.division import *         # noqa: F401,F403
from .elementwise.error_function import *   # noqa: F401,F403
from .elementwise.exponential import *      # noqa: F401,F403
from .indexing.reading import *         # noqa: F401,F403
from .elementwise.inplace import *          # noqa: F401,F403
from .linalg.products import *           # noqa: F401,F403
from .elementwise.power import *            # noqa: F401,F403
from .elementwise.predicates import *       # noqa: F401,F403
from .creation.random import *           # noqa: F401,F403
from .reductions.reduce import *        # noqa: F401,F403
from .elementwise.rounding import *         # noqa: F401,F403
from .shape.views import *            # noqa: F401,F403
from .reductions.softmax import *          # noqa: F401,F403
from .elementwise.trigonometric import *    # noqa: F401,F403

__all__ = [name for family in FAMILIES for name in family.__all__]

_nn_families = []


def nn_families():
    """The neural-network families, imported (and their tensor methods bound) on first call."""
    if not _nn_families:
        import importlib
        from .._tensor import Tensor
        modules = [importlib.import_module("ember.nn.functional." + name) for name in NN_FAMILIES]
        for module in modules:
            for name in module.METHODS:
                setattr(Tensor, name, getattr(module, name))
        _nn_families.extend(modules)
    return tuple(_nn_families)
