"""Values as sets and runs: ``isin`` (which elements occur in another tensor) and
``unique_consecutive`` (runs of equal neighbours collapsed to one).  Not differentiable."""
import numpy as np

from ..core.common import Tensor
from ..core.registry import export
from .sorting import check_flags, dim_of_set


@export("torch")
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """For each element of ``elements``, whether it occurs in ``test_elements`` (either may be
    a number); ``invert`` asks whether it does not."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got ({}, {}), but "
                        "expected one of:\n * (Tensor elements, Tensor test_elements, *, bool "
                        "assume_unique = False, bool invert = False, Tensor out = None)\n * "
                        "(Number element, Tensor test_elements, *, bool assume_unique = False, "
                        "bool invert = False, Tensor out = None)\n * (Tensor elements, Number "
                        "test_element, *, bool assume_unique = False, bool invert = False, "
                        "Tensor out = None)\n".format(type(elements).__name__,
                                                      type(test_elements).__name__))
    a = elements._array if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._array if isinstance(test_elements, Tensor) else \
        np.asarray(test_elements)
    return Tensor._make(np.asarray(np.isin(a, b, invert=invert)))


@export("torch", "Tensor")
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``input`` with each run of equal consecutive elements (or slices along ``dim``) kept
    once; optionally the run each element belongs to (inverse) and the run lengths (counts)."""
    a = input._array
    bool(return_inverse), bool(return_counts)   # torch's Python wrapper dispatches on them first
    check_flags("unique_consecutive", return_inverse=return_inverse, return_counts=return_counts)
    if dim is None:
        flat = a.reshape(-1)
        starts = np.ones(flat.size, bool)
        starts[1:] = flat[1:] != flat[:-1]
        values = flat[starts]
        inverse_shape = a.shape
    else:
        dim = dim_of_set(dim, a.ndim)
        moved = np.moveaxis(a, dim, 0).reshape(a.shape[dim], -1)
        starts = np.ones(moved.shape[0], bool)
        starts[1:] = (moved[1:] != moved[:-1]).any(1)
        values = np.compress(starts, a, axis=dim)
        inverse_shape = (a.shape[dim],)
    out = [Tensor._make(np.ascontiguousarray(values))]
    run = np.cumsum(starts) - 1
    if return_inverse:
        out.append(Tensor._make(run.astype(np.int64).reshape(inverse_shape)))
    if return_counts:
        out.append(Tensor._make(np.bincount(run, minlength=int(starts.sum())).astype(np.int64)
                                if run.size else np.zeros(0, np.int64)))
    return out[0] if len(out) == 1 else tuple(out)
