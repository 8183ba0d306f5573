"""Activation functions beyond relu/sigmoid/tanh (gelu, silu, elu, softplus, ...)."""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = []

METHODS = ()

FUNCTIONAL = ()
