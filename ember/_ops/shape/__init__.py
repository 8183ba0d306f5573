"""Functions that change a tensor's shape or the order of its elements: views (``view``,
``reshape``, ``squeeze`` ...), reordering (``transpose``, ``permute``, ``flip``), repeating
(``expand``, ``repeat``), slicing (``narrow``, ``select``) and joining (``cat``, ``stack``,
``split``)."""
# each module declares its public names (core/registry.py) when imported
from . import (views, reordering, repeating, slicing, joining, combining, inplace_views,  # noqa: F401
               complex_views)
