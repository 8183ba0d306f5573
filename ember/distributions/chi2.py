"""``Chi2`` (defined with ``Gamma`` in ``gamma.py``), importable from here as in torch."""
from .gamma import Chi2

__all__ = ["Chi2"]
