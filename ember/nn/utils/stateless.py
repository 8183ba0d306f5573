"""``stateless.functional_call``: runs a module with other tensors in place of its parameters
and buffers, and puts its own back afterwards.

This is how a model is used as a plain function of its weights (meta-learning, ensembles,
Jacobians with respect to the weights).  The given tensors take the places named by their keys
(``"0.weight"``, ``"layer.bias"`` ...) for the duration of the call; the gradient flows to them
as to any input.
"""
import warnings

__all__ = ["functional_call"]


def _owner(module, name):
    """The sub-module that holds ``name`` ("a.b.weight") and the last part of the name."""
    *path, leaf = name.split(".")
    for part in path:
        module = getattr(module, part)
    return module, leaf


def _tied_names(module):
    """Each parameter or buffer name mapped to the set of names sharing its tensor."""
    by_tensor = {}
    named = list(module.named_parameters(remove_duplicate=False)) + \
        list(module.named_buffers(remove_duplicate=False))
    for name, tensor in named:
        by_tensor.setdefault(id(tensor), set()).add(name)
    return {name: names for names in by_tensor.values() if len(names) > 1 for name in names}


def _untie(module, values):
    """``values`` with every name tied to a given one given the same tensor."""
    tied = _tied_names(module)
    given = [name for name in values if name in tied]
    for name in given:
        names = tied[name]
        if len(names.intersection(given)) > 1 and len({id(values[n]) for n in names
                                                       if n in values}) != 1:
            raise ValueError("functional_call got multiple values for keys {}, which are tied. "
                             "Consider using tie_weights=False".format(sorted(names)))
    untied = dict(values)
    for name in given:
        for other in tied[name]:
            untied[other] = values[name]
    return untied


def _check_keys(module, values):
    known = {n for n, _ in module.named_parameters(remove_duplicate=False)} | \
        {n for n, _ in module.named_buffers(remove_duplicate=False)}
    unexpected = [k for k in values if k not in known]
    missing = [k for k in sorted(known) if k not in values]
    msgs = []
    if unexpected:
        msgs.append("Unexpected key(s): {}.".format(", ".join(map(repr, unexpected))))
    if missing:
        msgs.append("Missing key(s): {}.".format(", ".join(map(repr, missing))))
    if msgs:
        raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(
            module._get_name(), "\n\t".join(msgs)))


def _swap(module, values):
    """Puts ``values`` in place (in the parameter or buffer registry, or as attributes);
    returns what was there."""
    old = {}
    for name, value in values.items():
        owner, leaf = _owner(module, name)
        for registry in (owner._parameters, owner._buffers):
            if leaf in registry:
                old[name] = registry[leaf]
                registry[leaf] = value
                break
        else:
            old[name] = owner.__dict__.get(leaf)
            object.__setattr__(owner, leaf, value)
    return old


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with ``parameters_and_buffers`` (a dict from names to
    tensors) in place of the module's own; they are restored afterwards, even on errors."""
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
                  "and will be removed in a future version of PyTorch. Please use "
                  "`torch.func.functional_call` instead which is a drop-in replacement.",
                  FutureWarning, stacklevel=2)
    kwargs = {} if kwargs is None else kwargs
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    values = _untie(module, parameters_and_buffers) if tie_weights else parameters_and_buffers
    if strict:
        _check_keys(module, values)
    old = _swap(module, values)
    try:
        return module(*args, **kwargs)
    finally:
        _swap(module, old)
