"""The machinery of ``ember.compile``: record a call's NumPy work, replay it (see
docs/compile.md).  ``traced`` and ``recorder`` log the NumPy calls, ``watch`` finds what a
function reaches and guards it, ``session`` records one call and replays it, ``compiled`` is
the callable ``ember.compile`` returns and ``module`` its ``OptimizedModule``."""
