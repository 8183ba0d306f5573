"""``HalfCauchy`` (defined with ``HalfNormal`` in ``half_normal.py``), importable from here as in
torch."""
from .half_normal import HalfCauchy

__all__ = ["HalfCauchy"]
