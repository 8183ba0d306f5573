"""``ember.special`` (``torch.special``): special functions -- the gamma family, zeta, the normal
distribution's CDF and quantile, Bessel functions, and the special names of common ones
(``expit`` is ``sigmoid``, ``gammaln`` is ``lgamma``).  Each is declared with
``export(..., "special")`` next to its code (``ember/_ops/elementwise/special.py`` and the
families of the common ones)."""
from ._ops.core import registry as _registry

globals().update(_registry.names("special"))
__all__ = sorted(_registry.names("special"))
