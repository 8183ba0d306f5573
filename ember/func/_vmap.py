"""``vmap``: a function of one sample turned into a function of a batch of samples.

``vmap(f)(xs)`` is ``stack([f(x) for x in xs])``: the dimension ``in_dims`` of each batched
argument is the batch, and ``out_dims`` is where the results' batch dimension goes.  It composes
with the other transforms: ``vmap(grad(loss))(params, xs, ys)`` gives one gradient per sample.

How ember batches (``_batching.py``): the function runs once, on proxies of the batched
arguments, and every operation runs on whole batches -- once for ops that broadcast over the
batch (elementwise ops, matrix products) or take dimensions (sums, softmax, views), once per
sample for the other ops.  When the function reads a batched value outside an operation
(``.item()``, ``if x.sum() > 0:``, NumPy on the data), when ``randomness="different"`` meets a
random op, or inside another transform, the function instead runs sample by sample, on each
sample's slice (a view, so gradients flow back to the batched tensors), and the results are
stacked.  Either way the results are torch's; the fallback is slower on large batches, runs the
function's side effects once per sample (and once more after a failed vectorised try), and does
not make torch's refusals: ``.item()`` and data-dependent Python control flow work inside
ember's vmap.
"""
import functools

from .._tensor import Tensor
from ..autograd import op as _op
from . import _batching, _pytree
from ._forward import _check_randomness

__all__ = ["vmap"]


def _name(func):
    return getattr(func, "__name__", repr(func))


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``f -> (batch -> stack of f(sample))``, mapping over dimension ``in_dims`` of the
    inputs (an int, or a tuple matching the arguments, None for an unbatched one) and putting
    the batch at ``out_dims`` of the outputs.  ``randomness``: 'error' (random ops refused),
    'different' (each sample draws its own numbers) or 'same' (every sample draws the same)."""
    _check_randomness(randomness)
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError("vmap: chunk_size should be None or greater than 0. (got {})".format(
            chunk_size))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        leaves, dims, size = _batched_inputs(func, in_dims, args)
        return _run(func, args, kwargs, leaves, dims, size, out_dims, randomness)
    return wrapper


def _batched_inputs(func, in_dims, args):
    """The argument leaves, the batch dimension of each (None: not batched), the batch size."""
    name = _name(func)
    if not args:
        raise ValueError("vmap({})(<inputs>): got no inputs. Maybe you forgot to add inputs, or "
                         "you are trying to vmap over a function with no inputs. The latter is "
                         "unsupported.".format(name))
    where = "vmap({}, in_dims={}, ...)(<inputs>)".format(name, in_dims)
    if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
        raise ValueError("{}: expected `in_dims` to be int or a (potentially nested) tuple "
                         "matching the structure of inputs, got: {}.".format(where, type(in_dims)))
    leaves, spec = _pytree.flatten(args)
    dims = _pytree.broadcast_prefix(in_dims, spec)
    if dims is None:
        in_spec = _pytree.flatten(in_dims)[1]
        raise ValueError("{}: in_dims is not compatible with the structure of `inputs`. in_dims "
                         "has structure {} but inputs has structure {}.".format(
                             where, _pytree.spec_text(in_spec), _pytree.spec_text(spec)))
    sizes = []
    for i, (leaf, dim) in enumerate(zip(leaves, dims)):
        if dim is None:
            continue
        if not isinstance(dim, int):
            raise ValueError("{}: in_dims must be int or None, got {}".format(where, type(dim)))
        if not isinstance(leaf, Tensor):
            raise ValueError("{}: Got in_dim={} for an input but the input is of type {}. We "
                             "cannot vmap over non-Tensor arguments, please use None as the "
                             "respective in_dim".format(where, dim, type(leaf)))
        n = leaf.dim()
        if not -n <= dim < n:
            raise ValueError("{}: Got in_dim={} for some input, but that input is a Tensor of "
                             "dimensionality {} so expected in_dim to satisfy -{} <= in_dim < {}."
                             .format(where, dim, n, n, n))
        dims[i] = dim % n
        sizes.append(leaf.shape[dim])
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                         "dimension, got sizes {} for the mapped dimension".format(sizes))
    return (leaves, spec), dims, sizes[0]


def _run(func, args, kwargs, leaves_spec, dims, size, out_dims, randomness):
    from .. import random
    state = random.get_rng_state()
    if _op._transform is None:
        result = _run_batched(func, args, kwargs, leaves_spec, dims, size, out_dims, randomness,
                              state)
        if result is not None:
            return result
    leaves, spec = leaves_spec
    results = []
    for b in range(size):
        if randomness == "same":
            random.set_rng_state(state)             # every sample draws the same numbers
        sample = [leaf.select(d, b) if d is not None else leaf for leaf, d in zip(leaves, dims)]
        output = func(*_pytree.unflatten(sample, spec), **kwargs)
        if randomness == "error" and b == 0:
            _check_no_random(state)
        results.append(_pytree.flatten(output))
    out_spec = results[0][1]
    columns = [[leaves[j] for leaves, _ in results] for j in range(len(results[0][0]))]
    return _assemble(func, out_spec, out_dims, columns, _stack)


def _run_batched(func, args, kwargs, leaves_spec, dims, size, out_dims, randomness, state):
    """The vectorised run (``_batching``); None when it cannot be (the loop then runs)."""
    from .. import random
    leaves, _ = leaves_spec
    batched = {i: leaf.movedim(d, 0) for i, (leaf, d) in enumerate(zip(leaves, dims))
               if d is not None}
    try:
        results, out_spec = _batching.run(func, args, kwargs, batched, size)
    except _batching.Unbatchable:
        random.set_rng_state(state)
        return None
    if randomness == "error":
        _check_no_random(state)
    elif randomness == "different" and not _same_state(state, random.get_rng_state()):
        random.set_rng_state(state)                 # each sample must draw its own numbers
        return None

    def batch(column, dim):
        output, full = column
        if full is None:                            # not batched: the same for every sample
            full = output.unsqueeze(0).expand((size,) + tuple(output.shape))
        return full.movedim(0, dim)
    return _assemble(func, out_spec, out_dims, results, batch, batched=lambda c: c[1] is not None)


def _check_no_random(state):
    from .. import random
    if not _same_state(state, random.get_rng_state()):
        raise RuntimeError("vmap: called random operation while in randomness error mode. "
                           "Please either use the 'same' or 'different' randomness flags on "
                           "vmap or perform the randomness operation out of vmap")


def _same_state(a, b):
    return bool((a == b).all())


def _stack(values, dim):
    """One output's values, one per sample, stacked at ``dim``."""
    import ember
    return ember.stack(values, dim=dim)


def _assemble(func, out_spec, out_dims, columns, batch, batched=None):
    """The outputs put back together: ``batch(column, dim)`` turns an output's column (its
    value per sample, or its proxy and batch) into one tensor with the batch at ``dim``."""
    import ember
    name = _name(func)
    dims = _pytree.broadcast_prefix(out_dims, out_spec)
    if dims is None:
        raise ValueError("vmap({}, ..., out_dims={})(<inputs>): out_dims is not compatible with "
                         "the structure of `outputs`. out_dims has structure {} but outputs has "
                         "structure {}.".format(name, out_dims,
                                                _pytree.spec_text(_pytree.flatten(out_dims)[1]),
                                                _pytree.spec_text(out_spec)))
    outputs = []
    for column, dim in zip(columns, dims):
        first = column[0]
        if dim is None:
            if batched is not None:
                is_batched = batched(column)
            else:
                is_batched = isinstance(first, Tensor) and any(not ember.equal(first, v)
                                                                for v in column[1:])
            if is_batched:
                raise ValueError("vmap({}, ...): `{}` can not return a BatchedTensor when out_dim "
                                 "is None".format(name, name))
            outputs.append(first)
            continue
        for v in (column[:1] if batched is not None else column):
            if not isinstance(v, Tensor):
                raise ValueError("vmap({}, ...): `{}` must only return Tensors, got type {}. Did "
                                 "you mean to set out_dims= to None for output?".format(
                                     name, name, type(v)))
        outputs.append(batch(column, dim))
    return _pytree.unflatten(outputs, out_spec)
