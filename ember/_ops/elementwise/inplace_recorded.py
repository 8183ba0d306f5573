"""In-place variants whose autograd is not that of their out-of-place function: comparisons
(``x.gt_(y)``, recorded with zero gradients), logical operations (``x.logical_and_(y)``, not
recorded at all) and the inverse hyperbolics (``x.atanh_()``, recorded without a derivative) --
each as torch does it.
"""

from ...autograd.op import Op
from ..core import dual
from ..core.common import Tensor
from ..core.inplace import Twin, check_output_shape, write_result


class Compared(Op):
    """out = the 0s and 1s of a comparison (``x.gt_(y)``), computed beforehand and passed last.
    A step function of its inputs: every gradient is zero."""

    @staticmethod
    def forward(ctx, *args):                 # the input arrays, then the result
        ctx.shapes = [a.shape for a in args[:-1]]
        return args[-1]

    @staticmethod
    def backward(ctx, grad):
        return tuple(dual.zeros(shape, grad) for shape in ctx.shapes) + (None,)


# named as torch names them: GtBackward0 when comparing with a number, GtBackward1 with a tensor
_COMPARED = {name + n: type(name + n, (Compared,), {"node_name": name + "Backward" + n})
             for name in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge") for n in "01"}


def comparison_twin(node, *places):
    """The twin of a comparison (``x.gt_(y)``): x becomes 1 where the comparison holds and 0
    elsewhere, in x's dtype.  torch records it in the graph (with zero gradients, nodes named
    ``<node>Backward0/1``), so x keeps requiring grad."""
    return Twin(places, lambda fn: _comparison_method(fn, node))


def _comparison_method(fn, node):
    def method(self, other):
        from ..indexing.writing import update_inplace
        check_output_shape(self, (other,))
        if isinstance(other, Tensor):
            values = fn(self.detach(), other.detach())._array.astype(self._array.dtype)
            op = _COMPARED[node + "1"]
            return update_inplace(self, lambda old: op.apply(old, other, values), other)
        values = fn(self.detach(), other)._array.astype(self._array.dtype)
        return update_inplace(self, lambda old: _COMPARED[node + "0"].apply(old, values))
    return method


def logical_twin(*places):
    """The twin of a logical operation (``x.logical_and_(y)``): x becomes 1 where it holds, 0
    elsewhere.  torch leaves autograd out of it: no leaf check, and x keeps its grad_fn."""
    return Twin(places, _logical_method)


def _logical_method(fn):
    def method(self, *args):
        write_result(self, fn(self.detach(), *[a.detach() if isinstance(a, Tensor) else a
                                               for a in args]))
        self._bump_version()
        return self
    return method


class Underivable(Op):
    """out = values computed beforehand (passed last) by an in-place operation whose derivative
    torch does not implement: recorded, so that backward through it raises torch's error."""

    @staticmethod
    def forward(ctx, x, values, operation):
        ctx.operation = operation
        return values

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("the derivative for 'inplace version of {}' is not "
                                  "implemented.".format(ctx.operation))


def underivable_twin(node, *places):
    """The twin of ``atanh`` and its kin: torch records ``x.atanh_()`` (as ``AtanhBackward1``)
    but has no derivative for it, so only a backward pass through it fails."""
    op = type(node + "Inplace", (Underivable,), {"node_name": node + "Backward1"})
    return Twin(places, lambda fn: _underivable_method(fn, node, op))


def _underivable_method(fn, node, op):
    def method(self):
        from ..indexing.writing import update_inplace
        values = fn(self.detach())._array
        return update_inplace(self, lambda old: op.apply(old, values, node.lower()))
    return method
