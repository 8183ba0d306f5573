"""Attention: ``scaled_dot_product_attention`` and ``multi_head_attention_forward``.

Attention lets every query position take a weighted average of the values, weighted by how well
the query matches each key: ``softmax(Q K^T * scale + mask) V``.  Multi-head attention projects
the inputs into ``num_heads`` smaller spaces, attends in each, and projects the concatenated
results back.

``scaled_dot_product_attention`` is one autograd Op (its graph node is torch's CPU flash
kernel's): with P = softmax(S), S = Q K^T * scale + mask, O = P V, the backward pass is
dV = P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dP * P)), dQ = dS K * scale, dK = dS^T Q * scale.
Masks are constants (they get no gradient).
"""
import math

import numpy as np

from ..._ops.creation import draws
from ..._ops.creation.mt19937 import default_generator
from ..._ops.core.registry import export
from ...autograd.op import Op


def _row_sums(a):
    """The sums of the last axis, keeping it (a product with a column of ones: NumPy's own
    reduction is several times slower on rows this short)."""
    return a.reshape(-1, a.shape[-1]).dot(np.ones((a.shape[-1], 1), a.dtype)).reshape(
        a.shape[:-1] + (1,))


def _softmax_rows(s):
    """softmax over the last axis.  Each matrix is shifted by its own maximum (NumPy takes the
    maximum of a whole matrix many times faster than of each short row); rows lying so far
    below it that their exponentials would lose precision, and rows with no key left (all
    -inf: weights 0), are redone with their own maximum."""
    width = s.shape[-1]
    flat = s.reshape(-1, s.shape[-2] * width)
    top = flat.max(axis=1)
    top[top == -np.inf] = 0
    flat -= top[:, None]
    p = np.exp(s)
    total = _row_sums(p)
    low = np.nonzero(total.reshape(-1) < 1e-9)[0]
    if low.size:
        rows = s.reshape(-1, width)[low]
        row_top = rows.max(axis=1, keepdims=True)
        row_top[row_top == -np.inf] = 0
        e = np.exp(rows - row_top)
        sums = e.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1
        p.reshape(-1, width)[low] = e / sums
        total.reshape(-1)[low] = 1
    p /= total
    return p


class ScaledDotProductAttention(Op):
    """out = softmax(q k^T * scale + mask) v, with dropout on the weights.  Gradient: see the
    module docstring (the dropout mask multiplies P on the way back as on the way forward)."""

    node_name = "ScaledDotProductFlashAttentionForCpuBackward0"

    @staticmethod
    def forward(ctx, q, k, v, mask, scale, keep, groups):
        if groups > 1:                                  # grouped-query attention
            k, v = np.repeat(k, groups, axis=-3), np.repeat(v, groups, axis=-3)
        s = np.matmul(q, k.swapaxes(-1, -2))
        s *= scale
        if mask is not None:
            s = s + mask if np.broadcast_shapes(s.shape, mask.shape) != s.shape else \
                np.add(s, mask, out=s)
        p = _softmax_rows(s)
        pd = p if keep is None else p * keep
        ctx.saved = (q, k, v, p, pd, keep, scale, groups)
        return np.matmul(pd, v)

    @staticmethod
    def backward(ctx, grad):
        if not isinstance(grad, np.ndarray):
            raise RuntimeError("ember's scaled_dot_product_attention does not support double "
                               "backward")
        q, k, v, p, pd, keep, scale, groups = ctx.saved
        dv = np.matmul(pd.swapaxes(-1, -2), grad)
        dp = np.matmul(grad, v.swapaxes(-1, -2))
        if keep is not None:
            dp *= keep
        ds = dp
        ds -= _row_sums(dp * p)
        ds *= p
        ds *= scale
        dq = np.matmul(ds, k)
        dk = np.matmul(ds.swapaxes(-1, -2), q)
        if groups > 1:
            shape = dk.shape[:-3] + (dk.shape[-3] // groups, groups) + dk.shape[-2:]
            dk = np.add.reduce(dk.reshape(shape), axis=-3)
            dv = np.add.reduce(dv.reshape(shape), axis=-3)
        return dq, dk, dv, None, None, None, None


# the C++ names of the element types, which torch's kernel messages print
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}


def _additive_mask(attn_mask, is_causal, length, source, dtype):
    """The mask as an array added to the scores (bool: False -> -inf), with the causal mask
    folded in; None when there is none."""
    mask = None
    if attn_mask is not None:
        m = attn_mask._array
        if m.dtype == np.bool_:
            mask = np.where(m, 0, -np.inf).astype(dtype)
        elif m.dtype.kind == "f" and m.dtype == dtype:
            mask = m
        else:
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                "attn_mask.dtype: {} and  query.dtype: {} instead.".format(
                    _C_NAMES.get(m.dtype.name, m.dtype.name), _C_NAMES.get(
                        np.dtype(dtype).name, np.dtype(dtype).name)))
    if is_causal:
        causal = np.triu(np.full((length, source), -np.inf, dtype), 1)
        mask = causal if mask is None else mask + causal
    return mask


@export("F")
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(query key^T * scale + attn_mask) value, over the last two dimensions.

    ``attn_mask``: bool (True = may attend) or float (added to the scores), broadcast to
    (..., L, S); ``is_causal``: position i attends to positions <= i; ``scale`` defaults to
    1 / sqrt(E); ``enable_gqa``: key and value may have fewer heads (dim -3) than query."""
    q = query._array
    length, source = q.shape[-2], key.shape[-2]
    if key.shape[-1] != q.shape[-1]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           "[{}, {}] but got: [{}, {}].".format(
                               int(np.prod(key.shape[:-2])), q.shape[-1],
                               int(np.prod(key.shape[:-2])), key.shape[-1]))
    mask = _additive_mask(attn_mask, is_causal, length, source, q.dtype)
    if mask is not None:
        try:
            np.broadcast_shapes(mask.shape, q.shape[:-1] + (source,))
        except ValueError:
            raise RuntimeError(_broadcast_error(q.shape[:-1] + (source,), mask.shape)) from None
    groups = 1
    if enable_gqa and query.dim() >= 3 and key.shape[-3] != q.shape[-3]:
        groups = q.shape[-3] // key.shape[-3]
    factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    keep = None
    if dropout_p > 0:
        shape = q.shape[:-1] + (source,)
        # the mask as torch's dropout draws it: bernoulli_(1 - p), scaled by 1 / (1 - p)
        kept = draws.bernoulli(default_generator, math.prod(shape), 1 - dropout_p)
        keep = kept.astype(q.dtype).reshape(shape) / q.dtype.type(1 - dropout_p)
    return ScaledDotProductAttention.apply(query, key, value, mask, np.asarray(factor, q.dtype),
                                           keep, groups)


def _broadcast_error(a, b):
    """torch's text when two shapes do not broadcast: the first dimension from the right."""
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            return ("The size of tensor a ({}) must match the size of tensor b ({}) at "
                    "non-singleton dimension {}".format(x, y, max(len(a), len(b)) - i))
    return "shapes do not broadcast"
