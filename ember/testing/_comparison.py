"""``assert_close(actual, expected)``: passes when ``|actual - expected| <= atol + rtol *
|expected|`` everywhere (and shapes and dtypes match); otherwise raises an AssertionError that
says how many elements differ, and where the largest differences are.

The default tolerances depend on the dtype (looser for float16, zero for integers, so those must
be equal), as in torch."""
import collections.abc
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor

# dtype -> (rtol, atol)
_TOLERANCES = {"float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def _default_tolerances(*dtypes):
    rtols, atols = zip(*(_TOLERANCES.get(d.name, (0.0, 0.0)) for d in dtypes))
    return max(rtols), max(atols)


def _fail(message, msg, path):
    if callable(msg):
        message = msg(message)
    elif msg is not None:
        message = msg
    elif path:
        message += "\n\nThe failure occurred for item {}".format("".join(
            "[{!r}]".format(p) for p in path))
    raise AssertionError(message)


def _check_pair(actual, expected, path, opts):
    if isinstance(actual, Tensor) or isinstance(expected, Tensor):
        if not (isinstance(actual, Tensor) and isinstance(expected, Tensor)):
            raise TypeError("No comparison pair was able to handle inputs of type {} and {}."
                            .format(_torch_type(actual), _torch_type(expected)))
        return _compare_tensors(actual, expected, path, opts)
    numbers = (int, float, bool)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        return _compare_scalars(actual, expected, path, opts)
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected,
                                                                  collections.abc.Mapping):
        if set(actual) != set(expected):
            _fail("The keys of the mappings do not match:\nMissing keys in the actual mapping: "
                  "{}\nAdditional keys in the actual mapping: {}".format(
                      sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))),
                  opts["msg"], path)
        for key in actual:
            _check_pair(actual[key], expected[key], path + [key], opts)
        return
    sequence = collections.abc.Sequence
    if isinstance(actual, sequence) and isinstance(expected, sequence) and not isinstance(
            actual, str) and not isinstance(expected, str):
        if len(actual) != len(expected):
            _fail("The length of the sequences mismatch: {} != {}".format(
                len(actual), len(expected)), opts["msg"], path)
        for i, (a, e) in enumerate(zip(actual, expected)):
            _check_pair(a, e, path + [i], opts)
        return
    raise TypeError("No comparison pair was able to handle inputs of type {} and {}.".format(
        _torch_type(actual), _torch_type(expected)))


def _torch_type(x):
    return "<class 'torch.Tensor'>" if isinstance(x, Tensor) else str(type(x))


def _tolerances(opts, *dtypes):
    if opts["rtol"] is None:
        return _default_tolerances(*dtypes)
    return opts["rtol"], opts["atol"]


def _compare_scalars(actual, expected, path, opts):
    rtol, atol = _tolerances(opts, _dtype.float64 if isinstance(
        actual, float) or isinstance(expected, float) else _dtype.int64)
    if actual == expected or (opts["equal_nan"] and math.isnan(actual) and math.isnan(expected)):
        return
    diff = abs(actual - expected)
    if diff <= atol + rtol * abs(expected):
        return
    rel = diff / abs(expected) if expected != 0 else math.inf
    _fail(_scalar_message(actual, expected, diff, rel, rtol, atol), opts["msg"], path)


def _scalar_message(actual, expected, diff, rel, rtol, atol):
    equal = rtol == 0 and atol == 0
    return ("Scalars are not {}!\n\nExpected {} but got {}.\nAbsolute difference: {}{}\n"
            "Relative difference: {}{}".format(
                "equal" if equal else "close", expected, actual, diff,
                "" if equal else " (up to {} allowed)".format(atol), rel,
                "" if equal else " (up to {} allowed)".format(rtol)))


def _compare_tensors(actual, expected, path, opts):
    if actual.shape != expected.shape:
        _fail("The values for attribute 'shape' do not match: {} != {}.".format(
            actual.shape, expected.shape), opts["msg"], path)
    if opts["check_dtype"] and actual.dtype is not expected.dtype:
        _fail("The values for attribute 'dtype' do not match: {} != {}.".format(
            actual.dtype, expected.dtype), opts["msg"], path)
    rtol, atol = _tolerances(opts, actual.dtype, expected.dtype)
    a, e = actual.detach()._array, expected.detach()._array
    common = np.promote_types(a.dtype, e.dtype)
    if common.kind == "b":
        a, e = a.astype(np.uint8), e.astype(np.uint8)
        common = np.dtype(np.uint8)
    a, e = a.astype(common), e.astype(common)
    if common.kind in "iu":
        a, e = a.astype(np.int64), e.astype(np.int64)
        diff = np.abs(a - e)
        close = diff <= atol + rtol * np.abs(e)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            diff = np.abs(a - e)
            close = (a == e) | (diff <= atol + rtol * np.abs(e))
        if opts["equal_nan"]:
            close |= np.isnan(a) & np.isnan(e)
    if close.all():
        return
    float_diff = diff.astype(common if common.kind == "f" else np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = float_diff / np.abs(e.astype(float_diff.dtype))
    if actual.ndim == 0:
        _fail(_scalar_message(a.item(), e.item(), diff.item(), float(rel), rtol, atol),
              opts["msg"], path)
    equal = rtol == 0 and atol == 0
    wrong = int((~close).sum())
    lines = ["Tensor-likes are not {}!".format("equal" if equal else "close"), "",
             "Mismatched elements: {} / {} ({:.1f}%)".format(wrong, close.size,
                                                               100 * wrong / close.size)]
    for name, values, tol in (("absolute", diff, atol), ("relative", rel, rtol)):
        index = np.unravel_index(int(np.argmax(values)), values.shape)   # nan counts as largest
        value = values[index].item()
        lines.append("Greatest {} difference: {} at index {}{}".format(
            name, value, tuple(int(i) for i in index),
            "" if equal else " (up to {} allowed)".format(tol)))
    _fail("\n".join(lines), opts["msg"], path)


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raises an AssertionError unless ``actual`` and ``expected`` are close: equal shapes and
    dtypes, and ``|actual - expected| <= atol + rtol * |expected|`` elementwise."""
    if (rtol is None) != (atol is None):
        raise ValueError("Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         "{}.".format("rtol" if rtol is None else "atol"))
    opts = {"rtol": rtol, "atol": atol, "equal_nan": equal_nan, "check_dtype": check_dtype,
            "msg": msg}
    _check_pair(actual, expected, [], opts)
