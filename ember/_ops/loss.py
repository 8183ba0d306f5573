"""Loss functions, each one fused node as in torch (mse_loss, nll_loss, cross_entropy, ...)."""
import numpy as np

from ..autograd.function import Op
from . import dual
from .common import Tensor

__all__ = []

METHODS = ()

FUNCTIONAL = ()
