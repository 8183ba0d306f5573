"""Printing tensors exactly as torch prints them.

``repr(t)`` is built in three steps:

1. **Choose a notation** (:class:`_Formatter`), once for the whole tensor, from the values that will
   be shown (a summarised tensor only shows its first and last ``edgeitems`` along each dimension).
   Floating-point tensors are written in one of three notations, looking only at the finite non-zero
   values:

   * *integer mode* when every value is a whole number: ``1.``, ``-20.``;
   * *fixed point* with ``precision`` decimals: ``0.1000``;
   * *scientific* with ``precision`` decimals: ``1.0000e+10``, chosen when the values span more
     than three orders of magnitude (largest / smallest > 1000), when the largest is above 1e8, or
     (fixed point only) when the smallest is below 1e-4.  ``set_printoptions(sci_mode=...)``
     overrides that choice.

   Every element is then right-aligned to the width of the longest finite non-zero one written in
   that notation, so columns line up.  Integer and bool tensors are simply ``str`` of each value.
2. **Lay out** the elements (:func:`_layout`): nested brackets, rows wrapped at ``linewidth``,
   ``...`` where elements are left out, continuation lines indented under the opening bracket.
3. **Add suffixes** (:func:`_add_suffixes`): ``size=``, ``dtype=``, ``grad_fn=`` or
   ``requires_grad=True``, wrapped onto a new line when the line would grow too long.
"""
import math

import numpy as np

from . import _dtype

__all__ = ["set_printoptions"]


class _PrintOptions:
    """The options set by :func:`set_printoptions` (torch's defaults)."""

    precision = 4           # decimals after the point
    threshold = 1000        # more elements than this are summarised
    edgeitems = 3           # elements kept at each end of a dimension when summarising
    linewidth = 80          # characters per line before a row wraps
    sci_mode = None         # None: chosen from the values; True/False forces the notation


PRINT_OPTS = _PrintOptions()

# profile: (precision, threshold, edgeitems, linewidth)
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    """Set options for printing tensors.

    Args:
        precision: digits after the decimal point for floating-point values (default 4).
        threshold: tensors with more elements than this are summarised with ``...`` (default 1000).
        edgeitems: elements shown at the start and end of each dimension when summarising
            (default 3).
        linewidth: characters per line before rows wrap (default 80).
        profile: ``'default'``, ``'short'`` (precision 2, edgeitems 2) or ``'full'`` (never
            summarise); the other arguments override it.  An unknown name changes nothing.
        sci_mode: ``True`` or ``False`` forces scientific notation on or off.  ``None`` lets the
            values decide.  As in torch it is set on every call, so any call without it turns
            automatic notation back on.

    Example::

        >>> ember.set_printoptions(precision=2)
        >>> ember.tensor([1.12345])
        tensor([1.12])
        >>> ember.set_printoptions(profile='default')
    """
    if profile in _PROFILES:
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = \
            _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


class _Formatter:
    """Writes single elements, all in one notation and padded to one width.

    Args:
        values: a NumPy array of the elements that will be shown.
    """

    def __init__(self, values):
        self.floating = values.dtype.kind in "fV"
        self.int_mode = True
        self.sci_mode = False
        if not self.floating:
            self.width = max((len(str(v)) for v in values.ravel().tolist()), default=1)
            return
        # float64 so that a float16 or float32 tensor is measured as the values it holds exactly.
        values = values.astype(np.float64)
        # nan, inf and 0 say nothing about the scale, so they take no part in the choice, nor in
        # the width: they may stick out of the column, as "nan" does in tensor([1., nan]).
        finite = values[np.isfinite(values) & (values != 0)]
        if finite.size:
            magnitudes = np.abs(finite)
            # Python floats: a ratio that overflows is simply inf, with no NumPy warning.
            smallest, largest = float(magnitudes.min()), float(magnitudes.max())
            self.int_mode = bool(np.all(finite == np.ceil(finite)))
            self.sci_mode = (largest / smallest > 1000.0 or largest > 1e8
                             or (not self.int_mode and smallest < 1e-4))
            # Only here can sci_mode be forced: zeros, nan and inf alone always print as "0.".
            if PRINT_OPTS.sci_mode is not None:
                self.sci_mode = PRINT_OPTS.sci_mode
        self.width = max((len(self._text(v)) for v in finite.tolist()), default=1)

    def _text(self, value):
        """One floating-point element (a Python float) in the chosen notation, unpadded."""
        if self.sci_mode:
            return "{:.{}e}".format(value, PRINT_OPTS.precision)
        if self.int_mode:
            # Whole numbers end in "." to show they are floats: "6.", but "nan" and "inf" do not.
            return "{:.0f}".format(value) + ("." if math.isfinite(value) else "")
        return "{:.{}f}".format(value, PRINT_OPTS.precision)

    def format(self, value):
        """One element (a Python number), right-aligned to the common width."""
        return (self._text(value) if self.floating else str(value)).rjust(self.width)


class _ComplexFormatter:
    """Writes complex elements as torch does: the real parts and the imaginary parts each have
    their own :class:`_Formatter` (notation and width), the real part is right-aligned, the
    imaginary part follows with its sign and a ``j``: ``-3.5000-1.0000e-05j``."""

    def __init__(self, values):
        self.real = _Formatter(values.real)
        self.imag = _Formatter(values.imag)
        self.width = self.real.width + self.imag.width + 1

    def format(self, value):
        imag = (self.imag.format(value.imag) + "j").lstrip()
        return self.real.format(value.real) + ("" if imag[0] in "+-" else "+") + imag


def _shown_values(array, edgeitems):
    """The elements a summarised print shows: the first and last ``edgeitems`` along every
    dimension that is longer than twice that.  Cut by slicing (views), so that only the shown
    elements are copied: ``take`` would first copy the whole array, which for an expanded tensor
    (``zeros(1).expand(2**40)``) is terabytes that do not exist."""
    for axis, size in enumerate(array.shape):
        if size > 2 * edgeitems:
            before = (slice(None),) * axis
            array = np.concatenate([array[before + (slice(0, edgeitems),)],
                                    array[before + (slice(size - edgeitems, size),)]], axis=axis)
    return array


def _layout(array, indent, summarize, formatter):
    """The bracketed text of ``array``, whose opening bracket sits in column ``indent``."""
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _row(array, indent, summarize, formatter)
    edge = PRINT_OPTS.edgeitems
    if summarize and len(array) > 2 * edge:
        parts = ([_layout(array[i], indent + 1, summarize, formatter) for i in range(edge)]
                 + ["..."]
                 + [_layout(array[i], indent + 1, summarize, formatter)
                    for i in range(len(array) - edge, len(array))])
    else:
        parts = [_layout(sub, indent + 1, summarize, formatter) for sub in array]
    # Sub-tensors are separated by one line per remaining dimension: rows of a matrix follow each
    # other, matrices of a 3-d tensor have a blank line between them, and so on.
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _row(array, indent, summarize, formatter):
    """A 1-d row, wrapped so that as many elements as fit in ``linewidth`` share a line."""
    edge = PRINT_OPTS.edgeitems
    fmt = formatter.format
    if summarize and edge == 0:
        items = ["..."]
    elif summarize and len(array) > 2 * edge:
        # " ..." stands in the place of one element (and counts as one when wrapping).
        items = ([fmt(v) for v in array[:edge].tolist()] + [" ..."]
                 + [fmt(v) for v in array[len(array) - edge:].tolist()])
    else:
        items = [fmt(v) for v in array.tolist()]
    # Each element takes its width plus ", "; the line starts after `indent` characters.
    per_line = max(1, (PRINT_OPTS.linewidth - indent) // (formatter.width + 2))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _add_suffixes(text, suffixes, indent):
    """Append ``, suffix`` for each suffix, then the closing ``)``.

    A suffix that would make the line too long starts a new line, indented under the text after
    ``tensor(``.  torch measures the line as two characters longer than it is until the first
    such break (room for a ", " still to come), and exactly after it; we measure the same way so
    that lines break where torch breaks them.
    """
    pieces = [text]
    line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > PRINT_OPTS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            line_length = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            line_length += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def tensor_repr(t):
    """``repr(t)`` (and ``str(t)``), character for character what torch prints.

    Example::

        >>> x = ember.tensor([[1., 2.5], [-3., 1e-5]], dtype=ember.float64, requires_grad=True)
        >>> x
        tensor([[ 1.0000e+00,  2.5000e+00],
                [-3.0000e+00,  1.0000e-05]], dtype=torch.float64, requires_grad=True)
    """
    prefix = "tensor("
    indent = len(prefix)
    array = t._array
    dtype = t.dtype
    default = _dtype.get_default_dtype()
    suffixes = []
    if array.size == 0:
        # A 1-d "[]" is the usual empty tensor; any other shape must be spelt out, and so must
        # any dtype other than the default (there are no elements to show whether it is int).
        if array.ndim != 1:
            suffixes.append("size={}".format(tuple(array.shape)))
        if dtype != default:
            suffixes.append("dtype={}".format(dtype))
        body = "[]"
    else:
        if PRINT_OPTS.edgeitems == 0:
            suffixes.append("size={}".format(tuple(array.shape)))
        # The values already show int64 ("1" not "1.") and bool; other dtypes are named.
        if dtype not in (default, default.to_complex(), _dtype.int64, _dtype.bool_):
            suffixes.append("dtype={}".format(dtype))
        summarize = array.size > PRINT_OPTS.threshold
        shown = _shown_values(array, PRINT_OPTS.edgeitems) if summarize else array
        formatter = _ComplexFormatter(shown) if dtype.is_complex else _Formatter(shown)
        body = _layout(array, indent, summarize, formatter)
    if t.grad_fn is not None:
        suffixes.append("grad_fn=<{}>".format(type(t.grad_fn).__name__))
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)


def parameter_repr(t):
    """``repr`` of an ``nn.Parameter`` holding ``t``: a header line, then the tensor."""
    return "Parameter containing:\n" + tensor_repr(t)
