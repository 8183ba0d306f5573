"""The JVP rules of forward-mode AD: for each op, its output's tangent from its inputs' tangents.

An op ``y = f(x1, x2, ...)`` moves by ``dy = sum_i (df/dx_i) dx_i`` when its inputs move by their
tangents ``dx_i``.  A rule gets ``(cls, args, tangents, out)`` -- the op's class, its arguments
as ``Op.apply`` got them, one tangent per argument (None where there is none) and its output --
and returns the output's tangent (a tuple for ops with several outputs).  Rules run with
forward AD switched off, on ordinary tensors.

Most rules are one of three kinds:

* ``linear``: ops linear in their tensors (sums, views, indexing, ``cat``, ``+``): the tangent
  is the op itself applied to the tangents (``d(a + b) = da + db``);
* ``multilinear``: products (``*``, ``@``): the product rule, one term per tensor,
  ``d(a b) = da b + a db``;
* ``pointwise``: ``y = f(x)`` elementwise: ``dy = f'(x) dx``, from a formula for ``f'``.
"""
import numpy as np

from .._tensor import Tensor

__all__ = ["rule_of"]


def _zeros(t):
    return Tensor._make(np.zeros_like(t._array))


def _given(args, tangents, positions):
    """``args`` with the entries at ``positions`` replaced by their tangents: a tensor's
    tangent (zeros if it has none), 0 for a number (a constant moves by nothing)."""
    new = list(args)
    for i in positions:
        a = args[i]
        if isinstance(a, Tensor):
            new[i] = tangents[i] if tangents[i] is not None else _zeros(a)
        elif isinstance(a, (int, float, np.number)) and not isinstance(a, bool):
            new[i] = 0
    return new


def linear(*positions):
    """Rule of an op linear in its arguments at ``positions`` (every tensor argument when none
    given); the other arguments (dimensions, indices, masks, targets) pass as they are."""
    def rule(cls, args, tangents, out):
        where = positions or [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        return cls.apply(*_given(args, tangents, where))
    return rule


def multilinear(cls, args, tangents, out):
    """The product rule: one term per tensor with a tangent, the others kept."""
    total = None
    for i, t in enumerate(tangents):
        if t is not None:
            term = cls.apply(*_given(args, tangents, (i,)))
            total = term if total is None else total + term
    return total


def affine_product(cls, args, tangents, out):
    """``beta m + alpha (a @ b)`` (addmm and kin): d = beta dm + alpha (da b + a db)."""
    m, a, b = args[:3]
    first = cls.apply(*_given(args, tangents, (0, 1)))
    if tangents[2] is None:
        return first
    return first + cls.apply(_zeros(m), a, tangents[2], *args[3:])


def pointwise(derivative):
    """Rule of ``y = f(x)`` elementwise (``x`` first): ``dy = f'(x) dx``, with
    ``derivative(x, y, *other_args)`` giving ``f'(x)``."""
    def rule(cls, args, tangents, out):
        return tangents[0] * derivative(args[0], out, *args[1:])
    return rule


def _one(x):
    return x - x + 1


# ---------------------------------------------------------------- rules written out

def _div(cls, args, tangents, out):
    """d(a / b) = da / b - (a / b) db / b."""
    b = args[1]
    result = None
    if tangents[0] is not None:
        result = tangents[0] / b
    if tangents[1] is not None:
        term = -(out * tangents[1]) / b
        result = term if result is None else result + term
    return result


def _pow(cls, args, tangents, out):
    """d(a^n) = n a^(n-1) da for a number n."""
    a, n = args[0], args[1]
    if n == 0:
        return tangents[0] * 0
    return tangents[0] * (a ** (n - 1) * n)


def _pow_tensor(cls, args, tangents, out):
    """d(a^b) = b a^(b-1) da + a^b log(a) db."""
    import ember
    a, b = args[0], args[1]
    result = None
    if tangents[0] is not None:
        result = tangents[0] * (b * a ** (b - 1))
    if tangents[1] is not None:
        term = tangents[1] * ember.where(out == 0, out * 0, out * ember.log(a))
        result = term if result is None else result + term
    return result


def _pow_of_number(cls, args, tangents, out):
    """d(s^b) = s^b log(s) db."""
    return tangents[1] * (out * float(np.log(args[0])))


def _rsub(cls, args, tangents, out):
    """s - alpha a: d = -alpha da."""
    return tangents[0] * -args[2]


def _where(cls, args, tangents, out):
    """where(c, a, b) is linear in a and b; the condition passes as it is."""
    return cls.apply(*_given(args, tangents, (1, 2)))


def _clamp(cls, args, tangents, out):
    """clamp(x, lo, hi): dx inside [lo, hi], 0 where the bound holds the value."""
    x = args[0]
    return tangents[0] * (out == x)


def _softmax(cls, args, tangents, out):
    """y = softmax(x): dy = y (dx - sum(y dx))."""
    t, dim = tangents[0], args[1]
    return out * (t - (out * t).sum(dim, keepdim=True))


def _log_softmax(cls, args, tangents, out):
    """y = log_softmax(x): dy = dx - sum(softmax(x) dx)."""
    t, dim = tangents[0], args[1]
    return t - (out.exp() * t).sum(dim, keepdim=True)


def _logsumexp(cls, args, tangents, out):
    """y = logsumexp(x): dy = sum(softmax(x) dx) over the reduced dimensions."""
    x, dims, keepdim = args[0], args[1], args[2]
    y = out if keepdim else _unsqueezed(out, dims, x.dim())
    return ((x - y).exp() * tangents[0]).sum(dims, keepdim=keepdim)


def _unsqueezed(y, dims, ndim):
    dims = range(ndim) if dims is None else sorted(d % ndim for d in dims)
    for d in dims:
        y = y.unsqueeze(d)
    return y


def _mse(reduce):
    def rule(cls, args, tangents, out):
        """(x - y)^2 reduced: d = reduce(2 (x - y) (dx - dy))."""
        x, y = args[0], args[1]
        dx = tangents[0] if tangents[0] is not None else _zeros(x)
        dy = tangents[1] if tangents[1] is not None else _zeros(y)
        return reduce(2 * (x - y) * (dx - dy))
    return rule


def _gelu(x, y, approximate):
    import ember
    if approximate == "tanh":
        k = (2 / np.pi) ** 0.5
        inner = k * (x + 0.044715 * x ** 3)
        th = ember.tanh(inner)
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * k * (1 + 3 * 0.044715 * x * x)
    cdf = 0.5 * (1 + ember.erf(x * 2 ** -0.5))
    return cdf + x * ember.exp(-0.5 * x * x) * (2 * np.pi) ** -0.5


def _silu(x, y):
    s = x.sigmoid()
    return s * (1 + x * (1 - s))


def _softplus(x, y, beta, threshold):
    import ember
    return ember.where(x * beta > threshold, _one(x), (x * beta).sigmoid())


def _rule_table():
    import ember

    table = {}
    for name in ("Add", "Sub", "RsubTensor"):
        table[name] = linear(0, 1)
    for name in ("Neg", "Sum", "SumAs", "SumDim", "SumDimAs", "Mean",
                 "MeanAs", "MeanDim", "MeanDimAs", "SumToSize", "View", "ReshapeAlias",
                 "UnsafeView", "Unsqueeze", "Squeeze", "SqueezeDim", "SqueezeDims", "Transpose",
                 "T", "Permute", "Flip", "Roll", "Expand", "Repeat", "Slice", "Select", "Alias",
                 "Diagonal", "Split", "SplitWithSizes", "Unbind", "Cat", "Stack", "Clone",
                 "Contiguous", "ToCopy", "Index", "Cumsum"):
        table[name] = linear()
    for name in ("Gather", "IndexSelect", "MaskedSelect", "Take"):
        table[name] = linear(0)
    table["NllLoss"] = linear(0)
    for name in ("Mul", "Mm", "Matmul", "MatmulTransposed", "MatmulTransposedView", "Bmm", "Mv",
                 "Vm", "Dot"):
        table[name] = multilinear
    for name in ("Addmm", "Addmv", "Baddbmm"):
        table[name] = affine_product
    table.update({
        "Div": _div, "Pow": _pow, "PowTensor": _pow_tensor,
        "PowOfNumber": _pow_of_number, "Rsub": _rsub, "Where": _where,
        "Clamp": _clamp, "ClampMin": _clamp, "ClampMax": _clamp,
        "Softmax": _softmax, "LogSoftmax": _log_softmax,
        "Logsumexp": _logsumexp,
        "MseLoss": _mse(lambda e: e.mean()), "MseLossSum": _mse(lambda e: e.sum()),
        "MseLossNone": _mse(lambda e: e),
        "MaskedFill": lambda cls, args, tangents, out: cls.apply(tangents[0], 0, args[2]),
    })
    from .._ops.linalg.eig import eig_jvp
    table["LinalgEig"] = eig_jvp
    derivatives = {
        "Exp": lambda x, y: y,
        "Log": lambda x, y: 1 / x,
        "Log1p": lambda x, y: 1 / (1 + x),
        "Log2": lambda x, y: 1 / (x * float(np.log(2))),
        "Log10": lambda x, y: 1 / (x * float(np.log(10))),
        "Sqrt": lambda x, y: 0.5 / y,
        "Rsqrt": lambda x, y: -0.5 * y ** 3,
        "Reciprocal": lambda x, y: -y * y,
        "Sin": lambda x, y: ember.cos(x),
        "Cos": lambda x, y: -ember.sin(x),
        "Tan": lambda x, y: 1 + y * y,
        "Sinh": lambda x, y: ember.cosh(x),
        "Cosh": lambda x, y: ember.sinh(x),
        "Tanh": lambda x, y: 1 - y * y,
        "Asin": lambda x, y: (1 - x * x).rsqrt(),
        "Acos": lambda x, y: -(1 - x * x).rsqrt(),
        "Atan": lambda x, y: 1 / (1 + x * x),
        "Sigmoid": lambda x, y: y * (1 - y),
        "Relu": lambda x, y: (x > 0).to(x.dtype),
        "LeakyRelu": lambda x, y, slope: ember.where(x > 0, _one(x), _one(x) * slope),
        "Abs": lambda x, y: ember.sign(x),
        "Erf": lambda x, y: ember.exp(-x * x) * (2 / np.pi ** 0.5),
        "Gelu": _gelu,
        "Silu": _silu,
        "Softplus": _softplus,
    }
    for name, derivative in derivatives.items():
        table[name] = pointwise(derivative)
    return table


_RULES = None


def rule_of(cls):
    """The JVP rule of the op ``cls``; torch's NotImplementedError when there is none."""
    global _RULES
    if _RULES is None:
        _RULES = _rule_table()
    rule = _RULES.get(cls.__name__)
    if rule is None:
        raise NotImplementedError(
            "Trying to use forward AD with {} that does not support it because it has not been "
            "implemented yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/"
            "pytorch/issues/new?template=feature-request.yml so that we can prioritize its "
            "implementation or submit a PR adding the implementation to derivatives.yaml".format(
                _aten_name(cls)))
    return rule


def _aten_name(cls):
    """torch's name of an op: ``LinalgCholeskyEx`` -> ``linalg_cholesky_ex``."""
    name = cls.__name__.lstrip("_")
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))
