"""The in-place shape changes: ``x.t_()``, ``x.transpose_(0, 1)``, ``x.unsqueeze_(0)``,
``x.squeeze_()`` ... give ``x`` itself the shape (and strides) of the view that ``x.t()`` etc.
would return.  The elements are not moved; in the graph ``x`` becomes that view, so its gradient
flows back through the view's node."""
from ..core.inplace import check_inplace
from ..core.registry import add
from .reordering import transpose, t, swapaxes, swapdims
from .views import squeeze, squeeze_method, unsqueeze


def _shape_twin(fn, name):
    def method(self, *args, **kwargs):
        check_inplace(self)
        if name == "t_" and self._array.ndim > 2:
            raise RuntimeError("t_() expects a tensor with <= 2 dimensions, but self is {}D"
                               .format(self._array.ndim))
        view = fn(self, *args, **kwargs)
        self._array = view._array
        if view.grad_fn is not None:
            self.grad_fn = view.grad_fn
            self._output_nr = view._output_nr
        self._bump_version()
        return self
    method.__name__ = method.__qualname__ = name
    method.__doc__ = "In-place version of :func:`{}`: ``self`` takes the view's shape.".format(
        name[:-1])
    return method


for _name, _fn in (("transpose", transpose), ("t", t), ("swapaxes", swapaxes),
                  ("swapdims", swapdims), ("squeeze", squeeze_method), ("unsqueeze", unsqueeze)):
    add("Tensor", _name + "_", _shape_twin(_fn, _name + "_"))
