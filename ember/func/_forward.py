"""The forward-mode transforms of ``torch.func``: ``jvp``, ``jacfwd`` and ``linearize``.

They run the function once on dual tensors (``autograd.forward_ad``): each input carries a
tangent, every operation carries it on by its JVP rule, and the outputs' tangents are the
Jacobian-vector product J v.  ``jacfwd`` does that once per input element, with the unit
vectors as tangents: each run gives one column of J.
"""
import functools

import numpy as np

from .._tensor import Tensor
from ..autograd import forward_ad
from . import _pytree
from ._reverse import argnums_of, regroup, split_aux

__all__ = ["jvp", "jacfwd", "linearize"]

_API = "jvp(f, primals, tangents)"


def _check_randomness(randomness):
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           "'same'. Got {}".format(randomness))


def _run_dual(func, args, positions, tangents, has_aux, kwargs):
    """``func(*args)`` with the tensors at ``positions`` given ``tangents`` (a flat list):
    ``(output leaves, their tangents, output structure, aux)``, all plain tensors."""
    with forward_ad.dual_level():
        new_args = list(args)
        it = iter(tangents)
        for i in positions:
            leaves, spec = _pytree.flatten(args[i])
            new_args[i] = _pytree.unflatten([forward_ad.make_dual(p, next(it)) for p in leaves],
                                            spec)
        output = func(*new_args, **kwargs)
        aux = None
        if has_aux:
            output, aux = split_aux(output, _API)
        leaves, spec = _pytree.flatten(output)
        primals, out_tangents = [], []
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise RuntimeError("{}: expected f(*primals) to return only tensors, got "
                                   "unsupported type {}".format(_API, type(leaf)))
            primal, tangent = forward_ad.unpack_dual(leaf)
            primals.append(primal)
            out_tangents.append(Tensor._make(np.zeros_like(primal._array)) if tangent is None
                                else tangent)
        if has_aux:
            aux_leaves, aux_spec = _pytree.flatten(aux)
            aux = _pytree.unflatten([forward_ad.unpack_dual(a).primal if isinstance(a, Tensor)
                                     else a for a in aux_leaves], aux_spec)
    return primals, out_tangents, spec, aux


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(f(*primals), J v)``: the Jacobian-vector product of ``f`` at ``primals`` with the
    tangents ``v`` (same structure as ``primals``), in one forward pass."""
    if not isinstance(primals, tuple):
        raise RuntimeError("{}: Expected primals to be a tuple. E.g. it should be valid to call "
                           "f(*primals).".format(_API))
    p_leaves, p_spec = _pytree.flatten(primals)
    t_leaves, t_spec = _pytree.flatten(tangents)
    if p_spec != t_spec:
        raise RuntimeError(
            "{}: Expected primals and tangents to have the same python structure. For example, if "
            "primals is a tuple of 3 tensors, tangents also must be. Got primals with structure {} "
            "and tangents with structure {}".format(_API, _pytree.spec_text(p_spec),
                                                    _pytree.spec_text(t_spec)))
    for name, leaves in (("primals", p_leaves), ("tangents", t_leaves)):
        for leaf in leaves:
            if not isinstance(leaf, Tensor):
                raise RuntimeError("{}: Expected {} to only contain Tensors, got {}".format(
                    _API, name, type(leaf)))
    outs, out_tangents, spec, aux = _run_dual(func, primals, range(len(primals)), t_leaves,
                                              has_aux, {})
    result = (_pytree.unflatten(outs, spec), _pytree.unflatten(out_tangents, spec))
    return result + (aux,) if has_aux else result


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """``f -> (x -> J)``: the Jacobian by forward mode, one forward pass per input element
    (column of J).  Each output's Jacobian has shape ``output.shape + input.shape``."""
    _check_randomness(randomness)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        positions = argnums_of(argnums, len(args))
        groups, specs = [], []
        for i in positions:
            leaves, spec = _pytree.flatten(args[i])
            groups.append(leaves)
            specs.append(spec)
        inputs = [t for group in groups for t in group]
        zeros = [Tensor._make(np.zeros_like(t._array)) for t in inputs]
        columns = [[] for _ in inputs]              # per input: the output tangents per element
        outs = spec = aux = None
        for i, t in enumerate(inputs):
            for k in range(t.numel()):
                unit = np.zeros_like(t._array)
                unit.reshape(-1)[k] = 1
                tangents = zeros[:i] + [Tensor._make(unit)] + zeros[i + 1:]
                outs, out_tangents, spec, aux = _run_dual(func, args, positions, tangents,
                                                          has_aux, kwargs)
                columns[i].append(out_tangents)
        if outs is None:                            # no input elements: run once for the shapes
            outs, _, spec, aux = _run_dual(func, args, positions, zeros, has_aux, kwargs)
        per_output = []
        for j, o in enumerate(outs):
            jacs = [_column_stack([c[j] for c in columns[i]], o, t)
                    for i, t in enumerate(inputs)]
            per_output.append(regroup(jacs, groups, specs, argnums))
        jacobian = _pytree.unflatten(per_output, spec)
        return (jacobian, aux) if has_aux else jacobian
    return wrapper


def _column_stack(columns, output, input):
    import ember
    shape = tuple(output.shape) + tuple(input.shape)
    if not columns:
        return Tensor._make(np.zeros_like(output._array, shape=shape))
    return ember.stack(columns, dim=-1).reshape(shape)


def linearize(func, *primals):
    """``(f(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` gives J v at ``primals`` (each call
    runs a forward pass with tangents)."""
    output = func(*primals)

    def jvp_fn(*tangents):
        return jvp(func, primals, tangents)[1]
    return output, jvp_fn
