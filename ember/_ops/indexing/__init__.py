"""Indexing: ``x[i]`` (``reading``), ``x[i] = v`` and the graph of in-place changes
(``writing``), ``gather``/``scatter`` and the ``index_*``/``masked_*`` family (``gathering``),
and ``sort``/``topk``/``unique`` (``sorting``); ``plan`` takes an index apart and checks it."""
# each module declares its public names (core/registry.py) when imported
from . import plan, reading, writing, gathering, index_slices, sorting, reducing, sets  # noqa: F401
