"""Making tensors: from data (``tensor``, ``as_tensor``, ``from_numpy``), filled
(``zeros``, ``ones``, ``arange``, ``linspace`` ...) and random (generators and sampling)."""
from . import from_data, filling, random  # noqa: F401  (each declares its public names)
