"""The reverse-mode transforms of ``torch.func``: ``grad``, ``grad_and_value``, ``vjp``,
``jacrev`` and ``hessian``.

Each turns a function into another function.  ``grad(f)(x)`` runs ``f`` on a fresh copy of
``x`` that requires grad, and asks the engine for d f / d x (``autograd.grad``).  When grad mode
is on, the backward pass is itself recorded (``create_graph=True``), so the result can be
differentiated again: that is all ``grad(grad(f))``, ``jacrev(jacrev(f))`` and ``hessian`` need.
A result that depends on nothing outside the transform (only on its own fresh copies) is
returned detached, as torch does.
"""
import functools

import numpy as np

from .._tensor import Tensor
from ..autograd import forward_ad
from ..autograd.engine import grad as _autograd_grad
from ..autograd.graph import AccumulateGrad
from ..autograd.grad_mode import enable_grad, state as _grad_state
from . import _batching, _pytree

__all__ = ["grad", "grad_and_value", "vjp", "jacrev", "hessian"]


# ---------------------------------------------------------------- shared by the transforms

def argnums_of(argnums, n):
    """The positions ``argnums`` names among ``n`` positional arguments (torch's checks)."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        numbers = (argnums,)
    elif isinstance(argnums, tuple) and all(isinstance(a, int) for a in argnums):
        if not argnums:
            raise RuntimeError("argnums must be non-empty")
        numbers = argnums
    else:
        raise RuntimeError("argnums must be int or Tuple[int, ...], got: {}".format(type(argnums)))
    for a in numbers:
        if not -n <= a < n:
            raise RuntimeError("Got argnum={}, but only {} positional inputs".format(a, n))
    positions = tuple(a % n for a in numbers)
    if len(set(positions)) != len(positions):
        raise RuntimeError("argnums elements must be unique, got {}".format(argnums))
    return positions


def fresh_inputs(args, positions):
    """``args`` with every tensor inside ``args[i]`` (i in ``positions``) replaced by a fresh
    tensor that requires grad: a view when the tensor is already part of a graph (an outer
    transform differentiates through it), else a new leaf.  Returns the new arguments, the
    fresh tensors of each position, their structures, and the ids of the new leaves."""
    new_args = list(args)
    per_position, specs, internal = [], [], set()
    for i in positions:
        leaves, spec = _pytree.flatten(args[i])
        fresh = []
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise ValueError("Thing passed to transform API must be Tensor, got {}".format(
                    type(leaf)))
            if _batching.active():
                fresh.append(_fresh_batch(leaf, internal))
            elif leaf._requires_grad:
                fresh.append(leaf.view_as(leaf))
            else:
                t = leaf.detach().requires_grad_()
                forward_ad.carry_tangent(leaf, t)      # (under jacfwd / jvp)
                internal.add(id(t))
                fresh.append(t)
        new_args[i] = _pytree.unflatten(fresh, spec)
        per_position.append(fresh)
        specs.append(spec)
    return new_args, per_position, specs, internal


def _fresh_batch(leaf, internal):
    """Inside a vectorised vmap: a fresh proxy whose batch requires grad.  An unbatched input
    is repeated for every sample, as its gradient differs from sample to sample."""
    full = _batching.full_of(leaf)
    if full is None:
        full = leaf.unsqueeze(0).expand((_batching.batch_size,) + tuple(leaf.shape))
    if full._requires_grad:
        return _batching.proxy(full.view_as(full))
    full = full.detach().requires_grad_()
    internal.add(id(full))
    return _batching.proxy(full)


def gradients(outputs, grad_outputs, inputs, create_graph):
    """d(outputs)/d(inputs) weighted by ``grad_outputs`` (None: ones); zeros for inputs not
    used.  Inside a vectorised vmap, the samples' batches are differentiated at once: the
    samples do not mix, so each sample's gradient is its own."""
    full = _batching.full_of
    batched = [full(t) is not None for t in inputs]
    if grad_outputs is not None:            # a sample's cotangent serves every sample
        grad_outputs = [full(g) if full(g) is not None else
                        g.expand(full(o).shape) if full(o) is not None else g
                        for g, o in zip(grad_outputs, outputs)]
    outputs = [full(o) if full(o) is not None else o for o in outputs]
    inputs = [full(t) if full(t) is not None else t for t in inputs]
    if grad_outputs is None:
        grad_outputs = [Tensor._make(np.ones_like(o._array)) for o in outputs]
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o._requires_grad]
    if not pairs:
        result = [None] * len(inputs)
    else:
        result = _autograd_grad([o for o, _ in pairs], inputs, [g for _, g in pairs],
                                retain_graph=True, create_graph=create_graph,
                                allow_unused=True)
    result = [Tensor._make(np.zeros_like(t._array)) if g is None else g
              for g, t in zip(result, inputs)]
    return [_batching.proxy(g) if b else g for g, b in zip(result, batched)]


def unwrap(tree, internal):
    """``tree`` with each tensor that depends only on the transform's own leaves detached."""
    leaves, spec = _pytree.flatten(tree)
    return _pytree.unflatten([_unwrapped(t, internal) if isinstance(t, Tensor) else t
                              for t in leaves], spec)


def _unwrapped(t, internal):
    full = _batching.full_of(t)
    if full is not None:                        # a proxy: its batch is what counts
        return _batching.proxy(_unwrapped(full, internal))
    if not t._requires_grad or _reaches_outside(t, internal):
        return t
    d = t.detach()
    forward_ad.carry_tangent(t, d)
    return d


def _reaches_outside(t, internal):
    """Whether the graph of ``t`` leads to a leaf that is not one of the ``internal`` ones."""
    if t.grad_fn is None:
        return id(t) not in internal
    seen, stack = set(), [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AccumulateGrad):
            if id(node.variable) not in internal:
                return True
            continue
        stack.extend(fn for fn, _ in node.next_functions)
    return False


def output_tensors(output, api):
    """The leaves of ``output``, which must all be tensors."""
    leaves, spec = _pytree.flatten(output)
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise RuntimeError("{}: expected f(*primals) to return only tensors, got unsupported "
                               "type {}".format(api, type(leaf)))
    return leaves, spec


def regroup(flat, groups, specs, argnums):
    """``flat`` (one value per input tensor, all arguments in a row) put back into the
    structure of the arguments: the one argument's for an int ``argnums``, else a tuple."""
    trees, start = [], 0
    for group, spec in zip(groups, specs):
        trees.append(_pytree.unflatten(flat[start:start + len(group)], spec))
        start += len(group)
    return trees[0] if isinstance(argnums, int) else tuple(trees)


def split_aux(output, api):
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError("{}: output of function f should be a tuple: (output, aux) if has_aux "
                           "is True".format(api))
    return output


# ---------------------------------------------------------------- the transforms

def grad_and_value(func, argnums=0, has_aux=False):
    """``f -> (x -> (df/dx, f(x)))`` for a function ``f`` returning one number (a 0-d tensor);
    the gradient is taken w.r.t. the arguments ``argnums`` (each may be a tuple/dict of
    tensors).  With ``has_aux``, ``f`` returns ``(value, aux)`` and so does the value part."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        positions = argnums_of(argnums, len(args))
        record = _grad_state().enabled
        with enable_grad():
            new_args, fresh, specs, internal = fresh_inputs(args, positions)
            output = func(*new_args, **kwargs)
            aux = None
            if has_aux:
                output, aux = split_aux(output, "grad_and_value(f)(*args)")
            if not isinstance(output, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   "Tensor, got {}".format(type(output)))
            if output.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   "scalar Tensor, got tensor with {} dims. Maybe you wanted to "
                                   "use the vjp or jacrev APIs instead?".format(output.dim()))
            inputs = [t for group in fresh for t in group]
            grads = gradients([output], None, inputs, record)
        result = regroup(grads, fresh, specs, argnums)
        value = (output, aux) if has_aux else output
        return unwrap(result, internal), unwrap(value, internal)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """``f -> (x -> df/dx)``: the gradient of a function returning one number (see
    ``grad_and_value``); with ``has_aux`` the new function returns ``(gradient, aux)``."""
    inner = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gradient, value = inner(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient
    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(f(*primals), vjp_fn)``: ``vjp_fn(v)`` is the vector-Jacobian product v^T J of ``f`` at
    ``primals`` (one tuple entry per primal), for ``v`` shaped like ``f``'s output.  It can be
    called many times; the forward pass runs once."""
    record = _grad_state().enabled
    with enable_grad():
        new_args, fresh, specs, internal = fresh_inputs(primals, range(len(primals)))
        output = func(*new_args)
        aux = None
        if has_aux:
            output, aux = split_aux(output, "vjp(f, *primals)")
        outputs, out_spec = output_tensors(output, "vjp(f, *primals)")

    def vjp_fn(cotangents, *, retain_graph=True, create_graph=None):
        leaves, spec = _pytree.flatten(cotangents)
        if spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree "
                               "structure of outputs to the function. cotangents: {}, primal "
                               "output: {}".format(_pytree.spec_short(spec),
                                                   _pytree.spec_short(out_spec)))
        with enable_grad():
            inputs = [t for group in fresh for t in group]
            cg = record if create_graph is None else create_graph
            grads = gradients(outputs, leaves, inputs, cg)
        return unwrap(regroup(grads, fresh, specs, ()), internal)

    result = (unwrap(output, internal), vjp_fn)
    return result + (unwrap(aux, internal),) if has_aux else result


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """``f -> (x -> J)``: the Jacobian of ``f`` by reverse mode, one backward pass per output
    element (row of J).  Each output's Jacobian has shape ``output.shape + input.shape``."""
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        positions = argnums_of(argnums, len(args))
        record = _grad_state().enabled
        with enable_grad():
            new_args, fresh, specs, internal = fresh_inputs(args, positions)
            output = func(*new_args, **kwargs)
            aux = None
            if has_aux:
                output, aux = split_aux(output, "vjp(f, *primals)")
            outputs, out_spec = output_tensors(output, "vjp(f, *primals)")
            inputs = [t for group in fresh for t in group]
            per_output = [_jacobians(o, inputs, record) for o in outputs]
        results = []
        for jacs in per_output:
            results.append(regroup(jacs, fresh, specs, argnums))
        jacobian = unwrap(_pytree.unflatten(results, out_spec), internal)
        return (jacobian, unwrap(aux, internal)) if has_aux else jacobian
    return wrapper


def _jacobians(output, inputs, record):
    """d output / d input for each input, of shape ``output.shape + input.shape``."""
    import ember
    flat = output.reshape(-1)
    rows = [gradients([flat[k]], None, inputs, record) for k in range(flat.numel())]
    jacobians = []
    for i, t in enumerate(inputs):
        shape = tuple(output.shape) + tuple(t.shape)
        if rows:
            jacobians.append(ember.stack([r[i] for r in rows]).reshape(shape))
        else:
            jacobians.append(Tensor._make(np.zeros_like(t._array, shape=shape)))
    return jacobians


def hessian(func, argnums=0):
    """``f -> (x -> H)``: the matrix of second derivatives of a function returning one
    number, the Jacobian of its gradient (here ``jacrev(jacrev(f))``; torch uses forward over
    reverse, with the same values)."""
    return jacrev(jacrev(func, argnums), argnums)
