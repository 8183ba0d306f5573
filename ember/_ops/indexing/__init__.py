"""Indexing: ``x[i]`` (``reading``), ``x[i] = v`` and the graph of in-place changes
(``writing``), ``gather``/``scatter`` and the ``index_*``/``masked_*`` family (``gathering``),
and ``sort``/``topk``/``unique`` (``sorting``); ``plan`` takes an index apart and checks it."""
from . import plan, reading, writing, gathering, sorting  # noqa: F401  (each declares its public names)
