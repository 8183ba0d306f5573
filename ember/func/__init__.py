"""``ember.func`` (``torch.func``): function transforms.

A transform takes a function and returns a new function:

* ``grad(f)``, ``grad_and_value(f)`` -- the gradient of a function returning one number;
* ``vjp(f, *x)`` -- ``f(x)`` and a function computing v^T J (reverse mode);
* ``jvp(f, x, v)`` -- ``f(x)`` and J v (forward mode, ``autograd.forward_ad``); ``linearize``;
* ``jacrev(f)``, ``jacfwd(f)``, ``hessian(f)`` -- whole Jacobians and Hessians;
* ``vmap(f)`` -- ``f`` of one sample mapped over a batch;
* ``functional_call(model, params, x)``, ``stack_module_state(models)`` -- modules as
  functions of their weights.

They compose: ``vmap(grad(loss))`` gives per-sample gradients, ``jacrev(jacrev(f))`` second
derivatives.  Modules: ``_reverse`` (reverse mode), ``_forward`` (forward mode), ``_vmap``,
``_module``, ``_pytree`` (nested tuples/lists/dicts of tensors).
"""
from ._forward import jacfwd, jvp, linearize
from ._module import functional_call, stack_module_state
from ._reverse import grad, grad_and_value, hessian, jacrev, vjp
from ._vmap import vmap

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functional_call", "vmap", "linearize", "stack_module_state"]
