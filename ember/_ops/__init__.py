"""ember's operations, grouped by what they do, one family a module, each family's public names
declared next to its functions (``core/registry.py``).  The subpackages are layers: each imports
only from those listed before it.

* ``core``        -- what the families share: checks, operands, backward helpers, declarations,
  in-place writing, copies;
* ``elementwise`` -- one element at a time: ``+ - * /``, ``exp``, ``sin``, ``clamp`` ...;
* ``reductions``  -- ``sum``, ``mean``, ``max``, ``cumsum``, ``norm``, ``var``, ``softmax`` ...;
* ``shape``       -- ``view``, ``transpose``, ``expand``, ``narrow``, ``cat`` ...;
* ``indexing``    -- ``x[i]``, ``x[i] = v``, ``gather``, ``scatter``, ``sort`` ...;
* ``linalg``      -- ``matmul``, ``einsum``, ``solve`` ...;
* ``creation``    -- ``tensor``, ``zeros``, ``arange``, ``rand`` ...

The neural-network functions (``conv2d``, ``cross_entropy`` ...) build on these and live in
``ember/nn/functional/``, where a reader of torch looks for them.
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

from . import core, elementwise, reductions, shape, indexing, linalg, creation, spectral  # noqa: E402,F401,E501
