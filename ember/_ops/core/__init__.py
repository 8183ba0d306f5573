"""What every operation family shares, at the bottom of ``_ops``: checks and promotion
(``common``), the operands of elementwise functions and ``out=`` (``operands``), the helpers of
backward formulas (``dual``), the declarations of public names (``registry``), in-place writing
(``inplace``) and copies (``copy``: ``clone``, ``to``)."""
# each module declares its public names (core/registry.py) when imported
from . import common, registry, operands, dual, inplace, copy, lowprec  # noqa: F401
