"""``multi_head_attention_forward``: the computation behind ``nn.MultiheadAttention``.

Inputs are (L, N, E) (unbatched: (L, E)).  Query, key and value are projected (one packed
(3E, E) weight, or three separate ones when key and value have other sizes), split into
``num_heads`` heads of E / num_heads features, attended per head, concatenated and projected by
``out_proj``.  Masks follow ``nn.MultiheadAttention``'s convention: a bool mask is True where
attending is *not* allowed; a float mask is added to the scores.  The gradients are those of
the operations used (the attention itself is one node, see ``attention.py``).
"""
import math

from ..._ops.creation.filling import zeros
from ..._ops.core.registry import export
from ..._ops.linalg.affine import linear as _linear
from ..._ops.reductions.softmax import softmax
from ..._ops.shape.joining import cat
from .attention import scaled_dot_product_attention
from .dropout import dropout
from .padding import pad


def _canonical_mask(mask, name, dtype):
    """A bool mask as a float one (True -> -inf) in ``dtype``; float masks as they are."""
    if mask is None:
        return None
    if mask.dtype.is_floating_point:
        return mask
    if mask.dtype.scalar_name != "Bool":
        raise AssertionError("only bool and floating types of {} are supported".format(name))
    return zeros(mask.shape, dtype=dtype).masked_fill(mask, float("-inf"))


def _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the input is batched; torch's assertion texts otherwise."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                "{}-D and {}-D tensors respectively".format(key.dim(), value.dim()))
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D "
                "but found {}-D tensor instead".format(key_padding_mask.dim()))
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                "found {}-D tensor instead".format(attn_mask.dim()))
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                "{}-D and {}-D tensors respectively".format(key.dim(), value.dim()))
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                "but found {}-D tensor instead".format(key_padding_mask.dim()))
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or "
                    "3-D but found {}-D tensor instead".format(attn_mask.dim()))
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != expected:
                    raise AssertionError("Expected `attn_mask` shape to be {} but got {}".format(
                        expected, attn_mask.shape))
        return False
    raise AssertionError("query should be unbatched 2D or batched 3D tensor but received {}-D "
                         "query tensor".format(query.dim()))


def _project(query, key, value, embed_dim, in_proj_weight, in_proj_bias, separate, weights):
    """The input projections of query, key and value."""
    if separate:
        biases = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
        return tuple(_linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))
    if key is value:
        if query is key:                       # self-attention: one product for all three
            return tuple(_linear(query, in_proj_weight, in_proj_bias).chunk(3, -1))
        w_q, w_kv = in_proj_weight.split([embed_dim, 2 * embed_dim])
        b_q, b_kv = (None, None) if in_proj_bias is None else in_proj_bias.split(
            [embed_dim, 2 * embed_dim])
        return (_linear(query, w_q, b_q),) + tuple(_linear(key, w_kv, b_kv).chunk(2, -1))
    ws = in_proj_weight.chunk(3)
    bs = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
    return tuple(_linear(x, w, b) for x, w, b in zip((query, key, value), ws, bs))


@export("F")
def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention of (L, N, E) query over (S, N, E) key and value; returns the
    output (L, N, E) and the attention weights (averaged over heads unless
    ``average_attn_weights=False``; None unless ``need_weights``)."""
    batched = _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None                       # the causal flag says it all
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", query.dtype)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError("was expecting embedding dimension of {}, but got {}".format(
            embed_dim_to_check, embed_dim))
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError("embed_dim {} not divisible by num_heads {}".format(embed_dim,
                                                                               num_heads))
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError("key's sequence and batch dims {} do not match value's "
                                 "{}".format(key.shape[:2], value.shape[:2]))
    elif key.shape != value.shape:
        raise AssertionError("key shape {} does not match value shape {}".format(key.shape,
                                                                                 value.shape))
    q, k, v = _project(query, key, value, embed_dim, in_proj_weight, in_proj_bias,
                       use_separate_proj_weight, (q_proj_weight, k_proj_weight, v_proj_weight))
    src_len = key.shape[0]
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError("The shape of the 2D attn_mask is {}, but should be {}.".format(
                    attn_mask.shape, (tgt_len, src_len)))
            attn_mask = attn_mask.unsqueeze(0)
        elif tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
            raise RuntimeError("The shape of the 3D attn_mask is {}, but should be {}.".format(
                attn_mask.shape, (bsz * num_heads, tgt_len, src_len)))
    if bias_k is not None and bias_v is not None:
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = (k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_k is None
         else static_k)
    v = (v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_v is None
         else static_v)
    if add_zero_attn:
        k = cat([k, zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)], dim=1)
        v = cat([v, zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype)], dim=1)
        attn_mask = None if attn_mask is None else pad(attn_mask, (0, 1))
        key_padding_mask = None if key_padding_mask is None else pad(key_padding_mask, (0, 1))
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            raise AssertionError("expecting key_padding_mask shape of {}, but got {}".format(
                (bsz, src_len), key_padding_mask.shape))
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(
            -1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        q_scaled = q * math.sqrt(1.0 / float(head_dim))
        if attn_mask is None:
            scores = q_scaled.bmm(k.transpose(-2, -1))
        else:
            scores = attn_mask.baddbmm(q_scaled, k.transpose(-2, -1))
        weights = softmax(scores, dim=-1)
        if dropout_p > 0.0:
            weights = dropout(weights, p=dropout_p)
        out = weights.bmm(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = _linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.size(1))
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = _linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.size(1))
    if not batched:
        out = out.squeeze(1)
    return out, None
