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

# NumPy warns when a result overflows or divides by zero (inf, nan); torch gives the same inf and
# nan without a word.  NumPy attributes the warning to the line that called it, so this filter
# covers exactly ember's own code and costs nothing until a warning would be shown
# (``np.errstate`` around every call would cost a microsecond).  Note: a filter set while
# ``warnings.catch_warnings()`` is active (as pytest's collection is) is undone when it exits.
warnings.filterwarnings("ignore", r"(overflow|divide by zero|invalid value|underflow) encountered",
                        RuntimeWarning, r"ember\.")

from . import core, elementwise, reductions, shape, indexing, linalg, creation  # noqa: E402,F401
