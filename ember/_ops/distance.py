"""Distances between vectors (pairwise_distance, cosine_similarity, cdist)."""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = []

METHODS = ()

FUNCTIONAL = ()
