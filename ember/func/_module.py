"""Modules as functions of their weights: ``functional_call`` and ``stack_module_state``.

``functional_call(model, params, x)`` runs ``model(x)`` with the tensors of ``params`` in place
of the model's own parameters and buffers (by name, ``"0.weight"``), so that a transform can
differentiate or vmap over the weights: ``vmap(functional_call, (0, 0, None))`` runs an
ensemble of models stacked by ``stack_module_state``.
"""
from ..nn.utils.stateless import _check_keys, _swap, _untie

__all__ = ["functional_call", "stack_module_state"]


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the tensors of ``parameter_and_buffer_dicts`` (a dict
    from names to tensors, or a sequence of such dicts) in place of the module's own; the
    module's own are back afterwards, even after an error."""
    if isinstance(parameter_and_buffer_dicts, dict):
        values = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, (tuple, list)):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be "
                             "dictionaries")
        values, repeated = {}, []
        for d in parameter_and_buffer_dicts:
            repeated.extend(k for k in d if k in values)
            values.update(d)
        if repeated:
            raise ValueError("{} appeared in multiple dictionaries; behavior of functional call "
                             "is ambiguous".format(list(dict.fromkeys(repeated))))
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         "dicts, but got {}".format(type(parameter_and_buffer_dicts)))
    kwargs = {} if kwargs is None else kwargs
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    if tie_weights:
        values = _untie(module, values)
    if strict:
        _check_keys(module, values)
    old = _swap(module, values)
    try:
        return module(*args, **kwargs)
    finally:
        _swap(module, old)


def stack_module_state(models):
    """``(params, buffers)``: each parameter and buffer of ``models`` (modules of one
    architecture) stacked along a new first dimension, by name.  The stacked parameters are new
    leaves that require grad when the models' do."""
    models = list(models)
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or not any(m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same training/"
                           "eval mode.")
    first = type(models[0])
    if not all(type(m) is first for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = [dict(m.named_parameters()) for m in models]
    buffers = [dict(m.named_buffers()) for m in models]
    return ({name: _stacked_leaf([p[name] for p in params], name) for name in params[0]},
            {name: _stacked_leaf([b[name] for b in buffers], name) for name in buffers[0]})


def _stacked_leaf(tensors, name):
    """The tensors stacked; a new leaf requiring grad when they all require grad."""
    import ember
    needs = [t.requires_grad for t in tensors]
    if any(needs) and not all(needs):
        raise RuntimeError("Expected {} from each model to have the same .requires_grad".format(
            name))
    result = ember.stack(tensors)
    return result.detach().requires_grad_() if all(needs) else result
