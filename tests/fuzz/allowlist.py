"""The differences between ember and torch that are torch's own bugs, each with its reason.

A case an entry below matches is not run with torch when torch would crash on it (``crashes``:
the whole test process would die), and otherwise its differences are not reported.  Everything
else the fuzzer finds is a defect of ember.
"""
import numpy as np

from inputs import Arg


def _tensors(args, kwargs):
    values = list(args) + list(kwargs.values())
    flat = []
    for v in values:
        flat.extend(v if isinstance(v, (list, tuple)) else [v])
    return [v for v in flat if isinstance(v, Arg)]


def _empty_grad(args, kwargs):
    return any(t.array.size == 0 and t.requires_grad for t in _tensors(args, kwargs))


def _fractional_int_range(args, kwargs):
    dtype = kwargs.get("dtype")
    return dtype is not None and dtype.name not in ("float16", "float32", "float64") and \
        any(isinstance(a, float) for a in args)


def _ceil_and_dilation(args, kwargs):
    dilation = args[4] if len(args) > 4 else kwargs.get("dilation", 1)
    ceil_mode = args[5] if len(args) > 5 else kwargs.get("ceil_mode", False)
    return bool(ceil_mode) and dilation not in (1, (1, 1, 1))


def _infinite(args, kwargs):
    return any(t.array.dtype.kind == "f" and np.isinf(t.array).any()
               for t in _tensors(args, kwargs))


def _expanded(args, kwargs):
    return any(t.layout == "expanded" for t in _tensors(args, kwargs))


# (entry names, when, crashes, reason)
ALLOWED = [
    ({"pdist"}, _empty_grad, True,
     "torch 2.13 dies (segmentation fault) in the backward of pdist of an empty input; ember "
     "gives the empty gradient"),
    ({"range"}, _fractional_int_range, True,
     "torch 2.13 dies (SIGFPE) on range(1, 2, .5, dtype=torch.int64): the step truncates to 0 "
     "inside its length computation"),
    ({"max_pool3d", "max_pool3d_with_indices"}, _ceil_and_dilation, False,
     "torch 2.13's max_pool3d backward with ceil_mode and dilation sends gradient to windows "
     "that start in the padding"),
    ({"median", "nanmedian"}, _expanded, False,
     "torch 2.13's median along a dimension of an expanded (stride 0) input reads past the "
     "expanded row and returns garbage (median([[3,1,2,5]].expand(3,4), 0) gives [2,2,2,0])"),
    ({"gelu"}, _infinite, False,
     "torch 2.13's exact gelu gives nan for +inf (x * Phi(x) is inf; its tanh form gives inf "
     "too); ember gives inf"),
]


def allowed(entry, args, kwargs):
    """``(crashes, reason)`` of the allow-list entry that covers this case, or None."""
    for names, when, crashes, reason in ALLOWED:
        if entry[1] in names and when(args, kwargs):
            return crashes, reason
    return None
