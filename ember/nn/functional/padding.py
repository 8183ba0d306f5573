"""Padding: ``F.pad`` (and ``constant_pad_nd``), part of the convolution family (``conv.py``).

``pad`` lists two numbers per padded dimension, starting from the last one:
``(left, right)`` pads the last dimension, ``(left, right, top, bottom)`` the last two.  Negative
numbers cut elements off instead.

* ``'constant'`` fills the new border with ``value``.  Its gradient is the incoming gradient with
  the border cut off again -- a constant padding by the negated amounts.
* ``'reflect'``, ``'replicate'`` and ``'circular'`` fill the border with copies of the input's
  own elements (mirrored without repeating the edge, repeating the edge, or wrapping around).
  Each output element is a copy of one input element, so the output is ``x[index]`` for an
  index array per dimension, and the gradient adds every output's gradient back onto the
  element it was copied from (a scatter-add: border elements receive several).
"""
import numpy as np

from ... import _errors
from ...autograd.op import Op
from ..._ops.core import dual
from ..._ops.core.common import Tensor
from ..._ops.core.registry import export


# ---------------------------------------------------------------- constant padding


def _constant_pad(x, pads, value):
    """``x`` padded by ``pads`` ((left, right) per dimension, from the first padded one) with
    ``value``; negative amounts crop."""
    lead = x.ndim - len(pads)
    shape = x.shape[:lead] + tuple(h + l + r for h, (l, r) in zip(x.shape[lead:], pads))
    out = np.full(shape, value, x.dtype) if value != 0 else np.zeros(shape, x.dtype)
    src = tuple(slice(max(-l, 0), h - max(-r, 0)) for h, (l, r) in zip(x.shape[lead:], pads))
    dst = tuple(slice(max(l, 0), max(l, 0) + s.stop - s.start) for (l, _), s in zip(pads, src))
    out[(Ellipsis,) + dst] = x[(Ellipsis,) + src]
    return out


class ConstantPadNd(Op):
    """out = x with a border of ``value`` (or cropped).   dx = dout cropped back: a constant
    padding by the negated amounts."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, pads, value):
        ctx.pads = pads
        return _constant_pad(x, pads, value)

    @staticmethod
    def backward(ctx, grad):
        back = tuple((-l, -r) for l, r in ctx.pads)
        if dual.is_array(grad):
            return _constant_pad(grad, back, 0), None, None
        return ConstantPadNd.apply(grad, back, 0), None, None


def _pairs(pad, ndim):
    """torch's (last_left, last_right, second_last_left, ...) as ((left, right), ...) from the
    first padded dimension on, with torch's checks."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           "dimension but got padding length {} and input of dimension {}".format(
                               len(pad), ndim))
    return tuple((pad[i], pad[i + 1]) for i in range(len(pad) - 2, -1, -2))


@export("torch")
def constant_pad_nd(input, pad, value=0):
    """``input`` padded by ``pad`` (two numbers per dimension, last dimension first) with
    ``value``; negative amounts crop."""
    x = input._array
    pairs = _pairs(_int_list(pad), x.ndim)
    for h, (l, r) in zip(x.shape[x.ndim - len(pairs):], pairs):
        if h + min(l, 0) + min(r, 0) < 0:
            raise _errors.narrow_negative_length()
    if x.dtype.kind in "iub":
        value = int(value) if x.dtype.kind != "b" else bool(value)
    return ConstantPadNd.apply(input, pairs, value)


# ---------------------------------------------------------------- copying padding


def _source(n, left, right, mode):
    """For each position of a padded dimension of length ``n``, the input position it copies."""
    if mode == "circular":           # crop first (negative amounts), then wrap what is left
        start, stop = max(-left, 0), n - max(-right, 0)
        return np.arange(-max(left, 0), stop - start + max(right, 0)) % (stop - start) + start
    q = np.arange(-left, n + right)
    if mode == "reflect":
        q = np.abs(q)
        return np.where(q >= n, 2 * (n - 1) - q, q)
    return np.clip(q, 0, n - 1)


class _CopyPad(Op):
    """out = x[index] (each output element a copy of an input element).   dx = dout added back
    at ``index`` (repeated positions add up)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.save_for_backward(x)    # as torch: changing x in place afterwards is an error
        ctx.index, ctx.shape = index, x.shape
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors           # (checks that x is unchanged)
        return dual.index_grad(grad, ctx.shape, ctx.index), None


class ReflectionPad1D(_CopyPad):
    """Padding by mirror images of the input (the edge element is not repeated)."""


class ReflectionPad2D(ReflectionPad1D):
    """Padding by mirror images of the input (the edge element is not repeated)."""


class ReflectionPad3D(ReflectionPad1D):
    """Padding by mirror images of the input (the edge element is not repeated)."""


class ReplicationPad1D(_CopyPad):
    """Padding by copies of the edge element."""


class ReplicationPad2D(ReplicationPad1D):
    """Padding by copies of the edge element."""


class ReplicationPad3D(ReplicationPad1D):
    """Padding by copies of the edge element."""


class CircularPad(_CopyPad):
    """Padding by wrapping around: the left border copies the input's right end and the other
    way round.  (torch builds it from slice copies; its last node is a CopySlices.)"""

    node_name = "CopySlices"


_COPY_OPS = {("reflect", 1): ReflectionPad1D, ("reflect", 2): ReflectionPad2D,
             ("reflect", 3): ReflectionPad3D, ("replicate", 1): ReplicationPad1D,
             ("replicate", 2): ReplicationPad2D, ("replicate", 3): ReplicationPad3D}

_SUPPORTED = ("\nSupported combinations for non-constant padding:\n"
              "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
              "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
              "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _copy_pad(input, pad, mode):
    x = input._array
    k = len(pad) // 2
    if len(pad) % 2 == 0 and k > x.ndim:
        _pairs(pad, x.ndim)                     # torch's "padding length" error comes first
    if len(pad) % 2 or not 1 <= k <= 3 or x.ndim not in (k + 1, k + 2):
        raise NotImplementedError("Padding size {} is not supported for {}D input tensor.".format(
            len(pad), x.ndim) + _SUPPORTED)
    pairs = _pairs(pad, x.ndim)
    sizes = x.shape[x.ndim - k:]
    if mode != "circular" and any(n == 0 for n in x.shape[1 if x.ndim == k + 2 else 0:]):
        raise RuntimeError("Expected {}D or {}D (batch mode) tensor with possibly 0 batch size and "
                           "other non-zero dimensions for input, but got: [{}]".format(
                               k + 1, k + 2, ", ".join(map(str, x.shape))))
    for i, (n, (l, r)) in enumerate(zip(sizes, pairs)):
        if mode == "reflect" and (l >= n or r >= n):
            raise RuntimeError("Argument #{}: Padding size should be less than the corresponding "
                               "input dimension, but got: padding ({}, {}) at dimension {} of "
                               "input [{}]".format(2 * (k - i) + 2, l, r, x.ndim - k + i,
                                                   ", ".join(map(str, x.shape))))
        if mode == "circular" and (l > n or r > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    index = (Ellipsis,) + np.ix_(*[_source(n, l, r, mode) for n, (l, r) in zip(sizes, pairs)])
    op = CircularPad if mode == "circular" else _COPY_OPS[mode, k]
    return op.apply(input, index)


@export("F")
def pad(input, pad, mode="constant", value=None):
    """Pads ``input``: ``pad`` holds (left, right) for the last dimension, then for the one
    before, and so on.  ``mode`` is 'constant' (fill with ``value``, default 0; negative
    amounts crop), 'reflect', 'replicate' or 'circular' (the last 1 to 3 dimensions of a
    batched or unbatched input).

    Example::

        >>> F.pad(torch.ones(1, 2, 2), (1, 1)).shape
        torch.Size([1, 2, 4])
    """
    pad = _int_list(pad)
    if mode == "constant":
        return constant_pad_nd(input, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError("Unrecognised padding mode " + str(mode))
    if value is not None and value != 0:
        raise RuntimeError("Padding mode \"{}\" doesn't take in value argument".format(mode))
    return _copy_pad(input, pad, mode)


def _int_list(pad):
    values = []
    for i, p in enumerate(pad):
        if isinstance(p, Tensor):
            p = p.item()
        if not isinstance(p, (int, np.integer)) or isinstance(p, bool):
            raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but found "
                            "element of type {} at pos {}".format(type(p).__name__, i))
        values.append(int(p))
    return values
