"""Making tensors: from data (``tensor``, ``as_tensor``, ``from_numpy``), filled
(``zeros``, ``ones``, ``arange``, ``linspace`` ...) and random (generators and sampling)."""
# each module declares its public names (core/registry.py) when imported
from . import (from_data, filling, mt19937, random, refill, legacy, indices, samplers,  # noqa: F401
               windows)
