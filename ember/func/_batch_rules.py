"""The batching rules of the vectorised ``vmap``: how each op runs on whole batches.

A rule gets ``(cls, args, fulls)``: the op's class, its arguments as ``Op.apply`` got them (the
batched ones are proxies, see ``_batching.py``) and, per argument, its batch (batch dimension
first; None for an unbatched argument).  It returns the result's batch, batch dimension first.
Rules run with batching switched off, on ordinary tensors, so the batches are recorded by
autograd like any computation.

* ``elementwise``: ops that broadcast (``+``, ``exp``, ``where`` ...): each batch gets size-1
  dimensions after its batch dimension, up to the result's number of dimensions, so that
  broadcasting lines the samples up; then the op runs once;
* ``matmul`` and kin: the samples' vectors become matrices, and NumPy's batched ``@`` runs once;
* reductions, softmax, views: the op runs once with its dimensions moved one place to the right;
* anything else runs once per sample (``per_sample``) and the results are stacked.
"""
__all__ = ["rule_of"]


def _size(fulls):
    return next(f for f in fulls if f is not None).shape[0]


def _lined_up(full, sample_ndim, ndim):
    """``full`` (batch, *sample) with size-1 dimensions after the batch dimension, so that its
    samples broadcast like tensors of ``ndim`` dimensions."""
    if sample_ndim == ndim:
        return full
    return full.reshape((full.shape[0],) + (1,) * (ndim - sample_ndim) + tuple(full.shape[1:]))


def lined_up_args(args, fulls):
    """The arguments of a broadcasting op with each batch lined up (see ``_lined_up``)."""
    from .._tensor import Tensor
    ndim = max(a.dim() for a in args if isinstance(a, Tensor))
    return [a if f is None else _lined_up(f, a.dim(), ndim) for a, f in zip(args, fulls)]


def elementwise(cls, args, fulls):
    """Ops that broadcast their tensors against each other: one run on the lined-up batches."""
    return cls.apply(*lined_up_args(args, fulls))


def per_sample(cls, args, fulls):
    """Any op: one run per sample, the results stacked (a loop over this op only).  An
    argument that is a proxy's array (a target's class indices) gets the sample's array."""
    import ember
    from .._tensor import Tensor
    results = []
    for b in range(_size(fulls)):
        results.append(cls.apply(*[a if f is None else f[b] if isinstance(a, Tensor) else
                                   f._array[b] for a, f in zip(args, fulls)]))
    if type(results[0]) is tuple:
        return tuple(ember.stack(list(r)) for r in zip(*results))
    return ember.stack(results)


# ---------------------------------------------------------------- matrix products

def _batched_matmul(a, fa, b, fb):
    """The samples' ``a @ b`` (any of them batched), batch dimension first."""
    import ember
    va, vb = a.dim() == 1, b.dim() == 1
    left = fa if fa is not None else a
    right = fb if fb is not None else b
    if va:                                  # a vector: a 1-row matrix
        left = left.unsqueeze(-2)
    if vb:                                  # a vector: a 1-column matrix
        right = right.unsqueeze(-1)
    # the batched operands get the same number of dimensions, the batch first
    nd = max(a.dim() + va, b.dim() + vb)
    if fa is not None:
        left = _lined_up(left, a.dim() + va, nd)
    if fb is not None:
        right = _lined_up(right, b.dim() + vb, nd)
    if fa is None:                          # an unbatched left factor meets batched rights
        left = left.reshape((1,) * (nd + 1 - left.dim()) + tuple(left.shape))
    out = ember.matmul(left, right)
    if vb:
        out = out.squeeze(-1)
    if va:
        out = out.squeeze(-1 if vb else -2)
    return out


def matmul(cls, args, fulls):
    """``a @ b`` and its special cases (``mm``, ``mv``, ``dot``, ``bmm`` ...)."""
    return _batched_matmul(args[0], fulls[0], args[1], fulls[1])


def addmm(cls, args, fulls):
    """``beta m + alpha (a @ b)``."""
    m, a, b, beta, alpha = args[:5]
    product = _batched_matmul(a, fulls[1], b, fulls[2])
    if alpha != 1:
        product = product * alpha
    fm = fulls[0]
    if fm is None:
        shift = m
    else:
        shift = _lined_up(fm, m.dim(), product.dim() - 1)
    return product + (shift if beta == 1 else shift * beta)


# ---------------------------------------------------------------- dimensions moved right

def _shifted(dims, ndim):
    """Sample dimensions as batch dimensions (one to the right); None (all) too."""
    if dims is None:
        return tuple(range(1, ndim + 1))
    if isinstance(dims, int):
        return dims % max(ndim, 1) + 1
    return tuple(d % max(ndim, 1) + 1 for d in dims)


_DIM_VARIANT = {"Sum": "SumDim", "SumAs": "SumDimAs", "Mean": "MeanDim", "MeanAs": "MeanDimAs"}


def reduce_all(cls, args, fulls):
    """``sum(x)``, ``mean(x)``: the reduction over every sample dimension."""
    from .._ops.reductions import reduce
    x, full = args[0], fulls[0]
    if x.dim() == 0:
        return full.clone()
    by_dims = getattr(reduce, _DIM_VARIANT[cls.__name__])
    return by_dims.apply(full, _shifted(None, x.dim()), False, *args[1:])


def reduce_dims(cls, args, fulls):
    """``sum(x, dims, keepdim)`` and kin: the same reduction, dimensions shifted."""
    return cls.apply(fulls[0], _shifted(args[1], args[0].dim()), *args[2:])


def one_dim(cls, args, fulls):
    """Ops with one dimension argument after the tensor (softmax, unsqueeze, select, slice)."""
    ndim = args[0].dim() + (cls.__name__ == "Unsqueeze")
    return cls.apply(fulls[0], _shifted(args[1], ndim), *args[2:])


def transpose(cls, args, fulls):
    return fulls[0].transpose(_shifted(args[1], args[0].dim()), _shifted(args[2], args[0].dim()))


def t(cls, args, fulls):
    return fulls[0].transpose(1, 2) if args[0].dim() == 2 else fulls[0]


def permute(cls, args, fulls):
    return fulls[0].permute((0,) + _shifted(args[1], args[0].dim()))


def with_shape(cls, args, fulls):
    """``view``, ``reshape``, ``expand``: the new shape after the batch dimension."""
    full = fulls[0]
    shape = (full.shape[0],) + tuple(args[1])
    return full.expand(shape) if cls.__name__ == "Expand" else full.reshape(shape)


def joined(cls, args, fulls):
    """``cat`` and ``stack``: unbatched tensors are repeated for every sample."""
    n = _size(fulls)
    tensors = [f if f is not None else a.unsqueeze(0).expand((n,) + tuple(a.shape))
               for a, f in zip(args[:-1], fulls[:-1])]
    ndim = args[0].dim() + (cls.__name__ == "Stack")
    return cls.apply(*tensors, _shifted(args[-1], ndim))


def alias(cls, args, fulls):
    return fulls[0]


_ELEMENTWISE = (
    "Add Sub Rsub RsubTensor Mul Div Neg Pow PowTensor PowOfNumber Exp Exp2 Expm1 Log Log1p Log2 "
    "Log10 Sqrt Rsqrt Reciprocal Sin Cos Tan Tanh Sinh Cosh Asin Acos Atan Asinh Acosh Atanh "
    "Sigmoid Logit Relu Abs Sign Sgn Erf Erfc Floor Ceil Round Trunc Frac Gelu Silu Mish Softplus "
    "LeakyRelu Elu Celu Hardtanh Hardsigmoid Hardswish LogSigmoid Clamp ClampMin ClampMax "
    "ClampTensor ClampMinTensor ClampMaxTensor Maximum Minimum Where Atan2 Clone Contiguous "
    "ToCopy MseLossNone Lerp Addcmul Addcdiv Xlogy Logaddexp"
).split()

_RULES = dict.fromkeys(_ELEMENTWISE, elementwise)
_RULES.update(dict.fromkeys("Matmul MatmulTransposed MatmulTransposedView Mm Mv Vm Dot Bmm".split(),
                            matmul))
_RULES.update(dict.fromkeys("Addmm Addmv".split(), addmm))
_RULES.update(dict.fromkeys("Sum SumAs Mean MeanAs".split(), reduce_all))
_RULES.update(dict.fromkeys("SumDim SumDimAs MeanDim MeanDimAs Logsumexp Squeeze SqueezeDim "
                            "SqueezeDims Flip".split(), reduce_dims))
_RULES.update(dict.fromkeys("Softmax LogSoftmax Unsqueeze Select Slice Cumsum".split(), one_dim))
_RULES.update(dict.fromkeys("View ReshapeAlias UnsafeView Expand".split(), with_shape))
_RULES.update(dict.fromkeys("Cat Stack".split(), joined))
_RULES.update({"Transpose": transpose, "T": t, "Permute": permute, "Alias": alias})


def rule_of(cls):
    """The batching rule of the op ``cls`` (one run per sample when it has none)."""
    return _RULES.get(cls.__name__, per_sample)
