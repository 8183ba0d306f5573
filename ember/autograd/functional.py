"""Higher-level derivatives of whole functions: ``jacobian``, ``hessian``, ``vjp``, ``jvp``,
``hvp`` and ``vhp`` (``torch.autograd.functional``).

All of them are built from the one thing the engine does -- the vector-Jacobian product
v^T J of a backward pass:

* ``vjp`` is that product itself;
* ``jacobian`` stacks one vjp per output element (the rows of J);
* ``jvp`` (J v) uses the "double-vjp trick": g(u) = u^T J is linear in u, so the vjp of g with
  the vector v gives (J v)^T;
* ``hessian``, ``hvp`` and ``vhp`` differentiate a gradient again (``create_graph=True``).
"""
import numpy as np

from .. import _errors
from .._tensor import Tensor
from .engine import grad as _grad
from .grad_mode import enable_grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(x, what, fn_name):
    """(tuple, was_a_single_tensor) with torch's type check."""
    if isinstance(x, Tensor):
        return (x,), True
    if not isinstance(x, (tuple, list)) or not all(isinstance(t, Tensor) for t in x):
        raise TypeError("The {} given to {} must be either a Tensor or a tuple of Tensors but "
                        "the value at index 0 has type {}.".format(what, fn_name, type(x).__name__))
    return tuple(x), False


def _prepare(inputs, create_graph):
    """Fresh leaves (or graph-connected views) standing for the inputs."""
    if create_graph:
        return tuple(t.view_as(t) if t._requires_grad else t.detach().requires_grad_()
                     for t in inputs)
    return tuple(t.detach().requires_grad_() for t in inputs)


def _finish(tensors, create_graph):
    return tuple(t if t is None or create_graph else t.detach() for t in tensors)


def _grads(outputs, inputs, grad_outputs, create_graph):
    """Gradients of ``outputs`` w.r.t. ``inputs``, zeros for inputs the outputs do not use."""
    used = [o for o in outputs if o._requires_grad]
    if not used:
        return tuple(Tensor._make(np.zeros_like(t._array)) for t in inputs)
    gos = [g for o, g in zip(outputs, grad_outputs) if o._requires_grad]
    result = _grad(used, inputs, gos, create_graph=create_graph, retain_graph=True,
                   allow_unused=True)
    return tuple(Tensor._make(np.zeros_like(t._array)) if g is None else g
                 for g, t in zip(result, inputs))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product of ``func`` at ``inputs``."""
    with enable_grad():
        inputs, single_in = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph)
        outputs, single_out = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                        "vjp")
        if v is None:
            if len(outputs) != 1 or outputs[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the user-provided function "
                                   "returns a single Tensor with a single element.")
            v = (Tensor._make(np.ones_like(outputs[0]._array)),)
        else:
            v, _ = _as_tuple(v, "v", "vjp")
        result = _grads(outputs, inputs, v, create_graph)
    outputs = _finish(outputs, create_graph)
    result = _finish(result, create_graph)
    return (outputs[0] if single_out else outputs), (result[0] if single_in else result)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)``: the Jacobian-vector product, by the double-vjp trick."""
    with enable_grad():
        inputs, single_in = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph)
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise _errors.vector_v_needed()
            v = (Tensor._make(np.ones_like(inputs[0]._array)),)
        else:
            v, _ = _as_tuple(v, "v", "jvp")
        outputs, single_out = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                        "jvp")
        dummies = tuple(Tensor._make(np.zeros_like(o._array)).requires_grad_() for o in outputs)
        grad_inputs = _grads(outputs, inputs, dummies, create_graph=True)
        result = _grads(grad_inputs, dummies, v, create_graph)
    outputs = _finish(outputs, create_graph)
    result = _finish(result, create_graph)
    return (outputs[0] if single_out else outputs), (result[0] if single_out else result)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: entry [out index..., in index...] is
    d out / d in.  Tuples of inputs/outputs give tuples (of tuples) of blocks."""
    with enable_grad():
        inputs, single_in = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph)
        outputs, single_out = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                        "jacobian")
        blocks = []
        for out in outputs:
            rows = [[] for _ in inputs]
            flat = out.reshape(-1)
            for k in range(flat.numel()):
                unit = np.zeros(flat.numel(), dtype=out._array.dtype)
                unit[k] = 1
                grads = _grads((flat,), inputs, (Tensor._make(unit),), create_graph)
                for n, g in enumerate(grads):
                    rows[n].append(g)
            row_blocks = []
            for n, t in enumerate(inputs):
                shape = tuple(out.shape) + tuple(t.shape)
                if rows[n]:
                    from .._ops.shape.joining import stack
                    block = stack(rows[n]).reshape(shape)
                else:
                    block = Tensor._make(np.zeros(shape, dtype=t._array.dtype))
                row_blocks.append(block if create_graph else block.detach())
            blocks.append(tuple(row_blocks))
    if single_in:
        blocks = [b[0] for b in blocks]
    return blocks[0] if single_out else tuple(blocks)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The matrix of second derivatives of a scalar function: the Jacobian of its gradient."""
    inputs_tuple, single_in = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*xs):
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor "
                               "with a single element.")
        return _grads((out.reshape(()),), xs, (Tensor._make(np.ones((), out._array.dtype)),),
                      create_graph=True)

    result = jacobian(gradient, inputs_tuple, create_graph=create_graph)
    if single_in:
        return result[0][0]
    return result


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)`` for a scalar function with Hessian H."""
    return _hessian_product(func, inputs, v, create_graph, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)``; H is symmetric, so this equals vhp."""
    return _hessian_product(func, inputs, v, create_graph, "hvp")


def _hessian_product(func, inputs, v, create_graph, name):
    with enable_grad():
        inputs, single_in = _as_tuple(inputs, "inputs", name)
        inputs = _prepare(inputs, create_graph)
        out = func(*inputs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to {} should contain "
                               "a single element".format(name))
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise _errors.vector_v_needed()
            v = (Tensor._make(np.ones_like(inputs[0]._array)),)
        else:
            v, _ = _as_tuple(v, "v", name)
        first = _grads((out,), inputs, (Tensor._make(np.ones_like(out._array)),),
                       create_graph=True)
        result = _grads(first, inputs, v, create_graph)
    out = out if create_graph else out.detach()
    result = _finish(result, create_graph)
    return out, (result[0] if single_in else result)
