"""``einsum``: products and sums of tensors written as subscripts (``"ij,jk->ik"`` is a
matrix product).

An einsum multiplies its operands elementwise over all the subscripts and sums the ones missing
from the output.  The gradient of one operand is then again an einsum: of the output gradient
with all the *other* operands, giving that operand's subscripts.
"""
import string
import numpy as np
from ... import _errors
from ...autograd.op import Op
from ..core import dual
from ..core.registry import export


_LETTERS = frozenset(string.ascii_letters)


# ---------------------------------------------------------------- einsum


def _parse_term(equation, start, end, operand):
    """The subscripts of one term: letters, and '...' for an ellipsis."""
    term = []
    i = start
    while i < end:
        c = equation[i]
        if c == ".":
            if equation[i:i + 3] != "..." or i + 3 > end or "..." in term:
                raise RuntimeError("einsum(): found '.' for operand {} that is not part of any "
                                   "ellipsis".format(operand))
            term.append("...")
            i += 3
            continue
        if c in _LETTERS:
            term.append(c)
        elif c != " ":
            raise RuntimeError("einsum(): invalid subscript given at index {} in the equation "
                               "string, subscripts must be in [a-zA-Z]".format(i))
        i += 1
    return term


def _parse(equation, arrays):
    """(input terms, output term) of an einsum equation, checked against the operands."""
    arrow = equation.find("->")
    lhs_end = arrow if arrow >= 0 else len(equation)
    terms, start = [], 0
    for i in range(lhs_end + 1):
        if i == lhs_end or equation[i] == ",":
            terms.append(_parse_term(equation, start, i, len(terms)))
            start = i + 1
    if len(terms) > len(arrays):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(terms) < len(arrays):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    sizes, ellipsis = {}, []
    for k, (term, a) in enumerate(zip(terms, arrays)):
        letters = [c for c in term if c != "..."]
        if "..." in term:
            if len(letters) > a.ndim:
                raise RuntimeError("einsum(): the number of subscripts in the equation ({}) is "
                                   "more than the number of dimensions ({}) for operand {}"
                                   .format(len(letters), a.ndim, k))
        elif len(letters) != a.ndim:
            raise RuntimeError("einsum(): the number of subscripts in the equation ({}) does not "
                               "match the number of dimensions ({}) for operand {} and no "
                               "ellipsis was given".format(len(letters), a.ndim, k))
        own = {}
        for c, n in zip(term, _token_sizes(term, a.shape)):
            if c == "...":
                _check_ellipsis(ellipsis, n, k)
                continue
            if c in own and own[c] != n:
                raise RuntimeError("einsum(): subscript {} is repeated for operand {} but the "
                                   "sizes don't match, {} != {}".format(c, k, n, own[c]))
            own[c] = n
            seen = sizes.get(c)
            if seen is not None and seen != n and seen != 1 and n != 1:
                raise RuntimeError("einsum(): subscript {} has size {} for operand {} which does "
                                   "not broadcast with previously seen size {}".format(
                                       c, n, k, seen))
            if seen is None or seen == 1:
                sizes[c] = n
    if arrow < 0:
        counts = {}
        for term in terms:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        output = (["..."] if "..." in counts else []) + sorted(
            c for c, n in counts.items() if n == 1 and c != "...")
    else:
        output = _parse_term(equation, arrow + 2, len(equation), len(terms))
        for c in output:
            if c != "..." and c not in sizes:
                raise RuntimeError("einsum(): output subscript {} does not appear in the "
                                   "equation for any input operand".format(c))
            if output.count(c) > 1:
                raise RuntimeError("einsum(): output subscript {} appears more than once in the "
                                   "output".format(c))
    return terms, output


def _token_sizes(term, shape):
    """The size of each subscript of ``term`` in an operand of ``shape`` (for '...': the shape
    it covers)."""
    if "..." not in term:
        return list(shape)
    at = term.index("...")
    after = len(term) - at - 1
    return list(shape[:at]) + [tuple(shape[at:len(shape) - after])] + list(
        shape[len(shape) - after:])


def _check_ellipsis(seen, dims, operand):
    """The dimensions under '...' broadcast together, aligned at the right."""
    for i in range(1, min(len(seen), len(dims)) + 1):
        a, b = seen[-i], dims[-i]
        if a != b and a != 1 and b != 1:
            raise RuntimeError("einsum(): dimension {} covered by ellipsis in operand {}has size "
                               "{} which does not broadcast with previously seen ellipsis with "
                               "size {} for the respective dimension".format(
                                   len(dims) - i, operand, b, a))
    if len(dims) > len(seen):
        seen[:0] = dims[:len(dims) - len(seen)]
    for i in range(1, len(dims) + 1):
        if seen[-i] == 1:
            seen[-i] = dims[-i]


def _name_ellipsis(terms, output, arrays):
    """Each '...' replaced by subscripts of its own for the dimensions it covers (aligned at
    the right, as they broadcast), so that every dimension has an explicit subscript."""
    spans = [a.ndim - len(t) + 1 if "..." in t else 0 for t, a in zip(terms, arrays)]
    width = max(spans, default=0)
    used = set(output).union(*terms)
    free = [c for c in string.ascii_letters if c not in used][:width]

    def named(term, span):
        if "..." not in term:
            return term
        at = term.index("...")
        return term[:at] + free[width - span:] + term[at + 1:]
    return [named(t, s) for t, s in zip(terms, spans)], named(output, width)


class Einsum(Op):
    """out = the einsum of the operands.   The gradient of operand k is the einsum of the
    output gradient with the other operands, giving operand k's subscripts: a subscript that
    appears twice in operand k (a diagonal) is joined to a fresh one through an identity
    matrix, and one that appears nowhere else (it was summed) through a vector of ones.

    torch names the node after the last step of its own evaluation: a view of a batched
    product when subscripts are summed (a sum for one operand), else the final multiplication
    (a permutation for one operand)."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, terms, output, *arrays):
        ctx.terms, ctx.output = terms, output
        ctx.save_for_backward(*arrays)
        equation = ",".join("".join(t) for t in terms) + "->" + "".join(output)
        return np.asanyarray(dual.einsum(equation, *arrays))

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        terms, output = ctx.terms, ctx.output
        used = set(output).union(*terms)
        fresh = iter(sorted(_LETTERS - used))
        grads = [None, None]
        for k, term in enumerate(terms):
            if not ctx.needs_input_grad[k + 2]:
                grads.append(None)
                continue
            elsewhere = set(output).union(*(t for j, t in enumerate(terms) if j != k))
            subscripts = ["".join(output)] + ["".join(t) for j, t in enumerate(terms) if j != k]
            inputs = [grad] + [o for j, o in enumerate(operands) if j != k]
            like = dual.data(operands[k])
            seen, result = set(), []
            for c, n in zip(term, like.shape):
                if c in seen:                    # a repeated subscript: a diagonal
                    f = next(fresh)
                    result.append(f)
                    subscripts.append(c + f)
                    inputs.append(np.eye(n, dtype=like.dtype))
                    continue
                seen.add(c)
                result.append(c)
                if c not in elsewhere:           # summed only within this operand
                    subscripts.append(c)
                    inputs.append(np.ones(n, dtype=like.dtype))
            grads.append(dual.einsum(",".join(subscripts) + "->" + "".join(result), *inputs))
        return tuple(grads)


class EinsumSum(Einsum):
    """A sum over one operand's subscripts (``'ii'``, ``'ij->i'``): as torch's sum, integers and
    bools are summed as int64."""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, terms, output, x):
        if x.dtype.kind in "iub":
            x = x.astype(np.int64)
        return Einsum.forward(ctx, terms, output, x)


class EinsumPermute(Einsum):
    node_name = "PermuteBackward0"


class EinsumMul(Einsum):
    node_name = "MulBackward0"


def _sublists(args):
    """einsum(a, [0, 1], b, [1, 2], [0, 2]): the sublist form, as an equation."""
    pairs = len(args) // 2
    operands, terms = list(args[0:2 * pairs:2]), [list(s) for s in args[1:2 * pairs:2]]
    output = list(args[-1]) if len(args) % 2 else None

    def letters(sub):
        return "".join("..." if s is Ellipsis else string.ascii_letters[s] for s in sub)
    equation = ",".join(letters(t) for t in terms)
    if output is not None:
        equation += "->" + letters(output)
    return equation, operands


@export("torch")
def einsum(*args):
    """``einsum(equation, *operands)``: sums of products of the operands' elements over the
    subscripts in ``equation`` ("ij,jk->ik" is a matrix product, "ii" a trace, "bi,bi->b" a
    batch of dot products).  The operands may also come as one list."""
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand, "
                        "or at least one operand and its subscripts list")
    equation, operands = args[0], list(args[1:])
    if not isinstance(equation, str):
        equation, operands = _sublists(args)
    elif len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = list(operands[0])
    arrays = [o._array for o in operands]
    terms, output = _name_ellipsis(*_parse(equation, arrays), arrays)
    for a in arrays[1:]:
        if a.dtype != arrays[0].dtype:
            from ..._dtype import from_numpy
            raise _errors.expected_scalar_type(from_numpy(arrays[0].dtype).scalar_name,
                                               from_numpy(a.dtype).scalar_name)
    summed = set().union(*terms) - set(output)
    if len(terms) == 1:
        op = EinsumSum if summed else EinsumPermute
    else:
        op = Einsum if summed else EinsumMul
    return op.apply(terms, output, *operands)
