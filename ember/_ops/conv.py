"""Convolution (conv1d/conv2d) as strided windows plus one matrix product."""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = []

METHODS = ()

FUNCTIONAL = ()
