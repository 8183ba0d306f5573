"""``out=`` for the functions of ``torch.linalg`` that return a named tuple of tensors."""
from ..core.operands import write_out


def finish_tuple(result, out, name):
    """``result``, or, with ``out=`` (a tuple of tensors, one per field), its fields written
    into those tensors and returned in the same named tuple."""
    if out is None:
        return result
    if len(out) != len(result):
        raise TypeError("{}() expected out to be a tuple of {} tensors, got {}".format(
            name, len(result), len(out)))
    return type(result)(*(write_out(r, o, name) for r, o in zip(result, out)))
