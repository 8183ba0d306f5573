"""The backward graph: nodes, edges, and the mode the backward pass runs in.

Every result of a differentiable operation on tensors that require grad gets a ``grad_fn``:
a :class:`Node` that knows how to turn the gradient of the result into gradients of the
operation's inputs.  ``node.next_functions`` holds one ``(next_node, input_nr)`` edge per
tensor input: the node that produced that input (an :class:`AccumulateGrad` for a leaf), or
``None`` when the input needs no gradient.  ``backward()`` walks these edges from the output to
the leaves; that walk is the chain rule.

Gradients travel through the graph as plain NumPy arrays -- the fast path.  Only when the
backward pass must itself be differentiable (``create_graph=True``) do they travel as tensors,
so that every step of the backward pass is recorded too.  ``grad_mode.state().arrays`` tells
which (it belongs to the thread running the pass, like the grad mode).
"""
import _thread
import sys
import weakref

import numpy as np

from .grad_mode import state as _grad_state

__all__ = ["Node", "AccumulateGrad"]

FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")


RELEASED = "released"


class RemovableHandle:
    """Returned by ``register_hook``; ``handle.remove()`` takes the hook away again."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Node:
    """One operation in the backward graph (what ``tensor.grad_fn`` points to).

    Subclasses implement ``apply(*grad_outputs)``, returning one gradient per entry of
    ``next_functions``.  The engine calls nodes in dependency order (``engine.py``).
    Everything but the edges is optional, so the fields are class-level defaults that an
    instance only overrides when used: making a node is cheap."""

    next_functions = ()
    _num_outputs = 1
    _pre_hooks = None
    _post_hooks = None
    _tensor_hooks = None       # {output_nr: [hook]}: hooks of the tensors this node made
    _retained = None           # {output_nr: weakref to a tensor that called retain_grad()}
    _hooked = False            # True once any of the four above is set: the engine checks this
    _saved = None              # what the node keeps for backward; RELEASED after it ran
    _uses = 0                  # edges that lead into this node (its consumers; leaves: 0)
    _leaves = None             # the leaf tensors among the inputs, kept alive by the graph
    _metadata = None

    def name(self):
        return type(self).__name__

    @property
    def metadata(self):
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def __call__(self, *grads):
        return self.apply(*grads)

    def apply(self, *grads):
        raise NotImplementedError

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; it may return new grad_inputs."""
        self._hooked = True
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return new grad_outputs."""
        self._hooked = True
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return RemovableHandle(self._pre_hooks, fn)

    def _add_tensor_hook(self, output_nr, fn):
        self._hooked = True
        if self._tensor_hooks is None:
            self._tensor_hooks = {}
        hooks = self._tensor_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return RemovableHandle(hooks, fn)

    def _retain(self, output_nr, tensor_ref):
        self._hooked = True
        if self._retained is None:
            self._retained = {}
        self._retained[output_nr] = tensor_ref

    def _release(self):
        """Frees what the node saved for backward (called by the engine unless retain_graph)."""
        if self._saved is not None:
            self._saved = RELEASED

    def __repr__(self):
        return "<{} object at {:#x}>".format(type(self).__name__, id(self))


class AccumulateGrad(Node):
    """The node at a leaf tensor: adds the incoming gradient into ``variable.grad``.

    The first gradient is kept as it is when nobody else holds it (no copy); later ones are
    added in place, so a reference to ``x.grad`` sees the sum -- as in torch.  The leaf's own
    hooks (``x.register_hook``) live on the leaf and run first.  Two threads may run backward
    into the same leaf at once; a lock makes their additions one after the other, as torch's
    does."""

    # The leaf is held weakly: the leaf keeps its node (``Tensor._leaf_edge``), so a strong
    # reference back would be a cycle, and the leaf's memory would wait for Python's garbage
    # collector instead of going with its last name.  The graph nodes that use the leaf keep
    # it alive instead (``_leaves``), as long as their graph lives.
    __slots__ = ("_leaf",)

    def __init__(self, variable):
        self._leaf = weakref.ref(variable)

    @property
    def variable(self):
        """The leaf tensor whose ``.grad`` this node fills."""
        return self._leaf()

    def apply(self, grad):
        with ACCUMULATING:
            self.accumulate(grad)
        return ()

    def accumulate(self, grad):
        """What ``apply`` does; the engine calls it directly, holding ``ACCUMULATING`` once
        for all the leaves of a backward pass."""
        var = self._leaf()
        if var is None:                 # the leaf is gone: nobody can see its gradient
            return
        if var._hooks:
            grad = _run_grad_hooks(var._hooks, grad)
        old = var._grad
        if type(grad) is not Tensor:                 # the array path
            if old is None:
                if type(grad) is not np.ndarray or grad.dtype is not var._array.dtype:
                    grad = np.asanyarray(grad, dtype=var._array.dtype)
                if not _owns_exclusively(grad):
                    grad = grad.copy()
                var._grad = Tensor._make(grad)
            elif old._requires_grad:
                var._grad = old + Tensor._make(grad)
            else:                              # in place, as torch: old references see it
                np.add(old._array, grad, out=old._array, casting="unsafe")
                base = old._base
                (old if base is None else base)._vc += 1
        elif old is None:
            var._grad = grad if _grad_state().enabled else Tensor._make(grad._array.copy())
        elif _grad_state().enabled or old._requires_grad:
            var._grad = old + grad             # out of place, so the graph stays correct
        else:
            old._add_inplace_array(grad._array)
        if self._post_hooks:
            for hook in self._post_hooks:
                hook((), (grad,))


# Held while gradients are added into leaves, so that two threads' additions into one leaf
# happen one after the other.  Reentrant: a leaf's hook may itself run a backward pass.
ACCUMULATING = _thread.RLock()


def _run_grad_hooks(hooks, grad):
    """A tensor's hooks, each called on the gradient the one before returned (as a tensor);
    the result comes back in the form the gradient came in (an array or a tensor)."""
    as_array = type(grad) is not Tensor
    g = Tensor._make(grad) if as_array else grad
    for hook in hooks:
        result = hook(g)
        if result is not None:
            g = result
    return g._array if as_array else g


# References to a gradient array that belong to the engine alone while AccumulateGrad decides:
# the engine's buffer list, accumulate()'s argument, _owns_exclusively()'s argument and getrefcount's
# own.  Any other holder -- a user's tensor, a second leaf handed the same array, a view of its
# memory -- adds one, and then the array must be copied before we keep it and later add into it
# in place.  This is torch's "steal the gradient when nobody else uses it".  A view qualifies
# when its base is held by the view alone.  Kept gradients are C-contiguous like parameters.
_ENGINE_REFS = 4
_BASE_REFS = 3          # the view's .base, the local name, getrefcount's argument


def _owns_exclusively(array):
    if not array.flags.writeable or not array.flags.c_contiguous:
        return False
    if sys.getrefcount(array) > _ENGINE_REFS:
        return False
    base = array.base
    return base is None or (type(base) is np.ndarray and sys.getrefcount(base) <= _BASE_REFS)


from .._tensor import Tensor  # noqa: E402  (the tensor module imports this one first)
