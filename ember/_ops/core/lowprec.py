"""``Tensor.bfloat16()``: the conversion method of the low-precision dtype (``ember/_lowprec.py``)."""
from ... import _lowprec
from .registry import export


@export("Tensor")
def bfloat16(self, memory_format=None):
    """A copy converted to bfloat16 (``self`` when it already is); needs ml_dtypes."""
    return self.to(_lowprec.bfloat16)
