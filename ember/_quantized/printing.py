"""How a quantized tensor prints: its real values, then size, dtype, scheme, scale and zero
point, as torch prints them."""
import numpy as np

from .._tensor import Tensor
from .._tensor_str import PRINT_OPTS, _add_suffixes, _Formatter, _layout, _shown_values

__all__ = ["qtensor_repr"]


def qtensor_repr(t):
    """``repr`` of a QTensor: ``tensor([...], size=(2,), dtype=torch.qint8,
    quantization_scheme=torch.per_tensor_affine, scale=0.1, zero_point=0)``."""
    prefix = "tensor("
    indent = len(prefix)
    array = t._array
    if array.size == 0:
        body = "[]"
    else:
        summarize = array.size > PRINT_OPTS.threshold
        shown = _shown_values(array, PRINT_OPTS.edgeitems) if summarize else array
        body = _layout(array, indent, summarize, _Formatter(shown))
    suffixes = ["size={}".format(tuple(array.shape)), "dtype={}".format(t.dtype),
                "quantization_scheme={}".format(t.qscheme())]
    if t._axis is None:
        suffixes += ["scale={}".format(float(t._scale)),
                     "zero_point={}".format(int(t._zero_point))]
    else:
        suffixes += ["scale={}".format(Tensor._make(np.asarray(t._scale, np.float64))),
                     "zero_point={}".format(Tensor._make(np.asarray(t._zero_point, np.int64))),
                     "axis={}".format(t._axis)]
    return _add_suffixes(prefix + body, suffixes, indent)
