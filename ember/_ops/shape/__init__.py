"""Functions that change a tensor's shape or the order of its elements: views (``view``,
``reshape``, ``squeeze`` ...), reordering (``transpose``, ``permute``, ``flip``), repeating
(``expand``, ``repeat``), slicing (``narrow``, ``select``) and joining (``cat``, ``stack``,
``split``)."""
from . import views, reordering, repeating, slicing, joining  # noqa: F401  (each declares its public names)
