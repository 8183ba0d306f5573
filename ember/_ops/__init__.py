"""ember's operations, one family a module.  Each module defines its functions, the autograd Op
behind each (forward and backward side by side), and three lists of names:

* ``__all__`` -- public as ``ember.<name>`` (``ember.exp``);
* ``METHODS`` -- also tensor methods (``x.exp()``);
* ``FUNCTIONAL`` -- public as ``ember.nn.functional.<name>`` (``F.relu``, ``F.mse_loss``).
"""
import warnings


def silence_numpy_warnings():
    """Keeps NumPy's floating-point warnings ("divide by zero encountered in log") and the
    warnings of its reductions ("Mean of empty slice") from reaching users when ember's own code
    computes: torch gives the same inf and nan without a word.

    A warning filter costs nothing until a warning would be shown (``np.errstate`` around every
    call would cost half a microsecond).  NumPy attributes a warning to the Python line that
    called it, which is ember's -- or, for the NumPy functions written in Python (``arr.sum()``,
    ``np.linalg.det``, ``np.cumsum``), NumPy's own line: so the filter matches the modules
    ``ember*`` and ``numpy*``.  (The price: a user's own ``arr.sum()`` that overflows is silent
    too; a user's ufunc call, ``np.log(0)``, still warns.)  A filter set while
    ``warnings.catch_warnings()`` is active (as pytest's collection is) is undone when it exits;
    calling this again puts it back.
    """
    warnings.filterwarnings(
        "ignore", r"(overflow|divide by zero|invalid value|underflow) encountered|Mean of empty "
        r"slice|Degrees of freedom <= 0|All-NaN (slice|axis) encountered", RuntimeWarning,
        r"(ember|numpy)(\.|$)")


silence_numpy_warnings()

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
