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

from . import (activation, activation_smooth, arithmetic, clamping, comparison, conv, copy,
               creation, distance, division, dropout, error_function, exponential, indexing,
               inplace, linalg, loss, normalization, pooling, power, predicates, random,
               reduction, rounding, shape, softmax, sparse, trigonometric)

# Listed before the star imports below, which replace some module names (``softmax``) by the
# function of the same name.
FAMILIES = (arithmetic, division, power, comparison, exponential, trigonometric, error_function,
            rounding, clamping, predicates, activation, activation_smooth, reduction, softmax,
            shape, indexing, linalg, copy, creation, random, inplace, loss, normalization, conv,
            pooling, dropout, sparse, distance)

from .activation import *       # noqa: F401,F403
from .activation_smooth import *  # noqa: F401,F403
from .arithmetic import *       # noqa: F401,F403
from .clamping import *         # noqa: F401,F403
from .comparison import *       # noqa: F401,F403
from .conv import *             # noqa: F401,F403
from .copy import *             # noqa: F401,F403
from .creation import *         # noqa: F401,F403
from .distance import *         # noqa: F401,F403
from .division import *         # noqa: F401,F403
from .dropout import *          # noqa: F401,F403
from .error_function import *   # noqa: F401,F403
from .exponential import *      # noqa: F401,F403
from .indexing import *         # noqa: F401,F403
from .inplace import *          # noqa: F401,F403
from .linalg import *           # noqa: F401,F403
from .loss import *             # noqa: F401,F403
from .normalization import *    # noqa: F401,F403
from .pooling import *          # noqa: F401,F403
from .power import *            # noqa: F401,F403
from .predicates import *       # noqa: F401,F403
from .random import *           # noqa: F401,F403
from .reduction import *        # noqa: F401,F403
from .rounding import *         # noqa: F401,F403
from .shape import *            # noqa: F401,F403
from .softmax import *          # noqa: F401,F403
from .sparse import *           # noqa: F401,F403
from .trigonometric import *    # noqa: F401,F403

__all__ = [name for family in FAMILIES for name in family.__all__]
