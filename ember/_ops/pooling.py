"""Pooling (max_pool2d, avg_pool2d, adaptive pooling)."""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = []

METHODS = ()

FUNCTIONAL = ()
