"""What torch's graph nodes call the values they keep for backward, for ember's nodes of the
same name: ``make_dot(show_saved=True, show_attrs=True)`` labels them as torchviz labels torch's
(``self``, ``other``, ``result``, ``alpha`` ...).

``SAVED[name]`` lists, in the order in which ember's node saves its tensors, torch's name for
each and the input whose gradient needs it: torch keeps a tensor only when that input requires
grad (``x * c`` with only ``x`` requiring grad keeps ``other = c`` and not ``self``), so such a
tensor is shown as ``None``; ``None`` as the input means it is always kept.  ``FIELDS[name]``
gives torch's other saved values, each computed by a function of ember's node and the tensors
it saved.  A node listed in either shows
torch's names only; one listed in neither keeps ember's own (``saved[0]`` and the node's
attributes).
"""
import math

__all__ = ["SAVED", "FIELDS"]

_RESULT = (("result", None),)
_SELF = (("self", None),)

SAVED = {
    "MulBackward0": (("self", 1), ("other", 0)),
    "DivBackward0": (("self", 1), ("other", None)),
    "MmBackward0": (("self", 1), ("mat2", 0)),
    "PowBackward0": _SELF,
    "LogBackward0": _SELF,
    "AbsBackward0": _SELF,
    "ReluBackward0": _RESULT,
    "SigmoidBackward0": _RESULT,
    "TanhBackward0": _RESULT,
    "ExpBackward0": _RESULT,
    "SqrtBackward0": _RESULT,
}


def _sizes(node, saved):
    return tuple(node.shape)


def _strides(i):
    """The strides (in elements) of the matrix product's input ``i``, which torch keeps only
    when that input requires grad (its gradient is laid out alike)."""
    def strides(node, saved):
        if not node.needs_input_grad[i]:
            return ()
        array = saved[i]._array
        return tuple(s // array.itemsize for s in array.strides)
    return strides


FIELDS = {
    "AddBackward0": {"alpha": lambda node, saved: node.alpha},
    "SubBackward0": {"alpha": lambda node, saved: node.alpha},
    "PowBackward0": {"exponent": lambda node, saved: node.exponent},
    "SumBackward0": {"self_sym_sizes": _sizes},
    "MeanBackward0": {"self_sym_numel": lambda node, saved: math.prod(node.shape),
                      "self_sym_sizes": _sizes},
    "ViewBackward0": {"self_sym_sizes": _sizes},
    "CatBackward0": {"dim": lambda node, saved: node.dim},
    "MmBackward0": {"self_sym_sizes": lambda node, saved: tuple(saved[0].shape),
                    "self_sym_strides": _strides(0),
                    "mat2_sym_sizes": lambda node, saved: tuple(saved[1].shape),
                    "mat2_sym_strides": _strides(1)},
}
