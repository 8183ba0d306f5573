"""``out=``: torch's functions can write their result into an existing tensor
(``torch.matmul(a, b, out=c)``).  :func:`accepts_out` gives a function that argument; the writing
itself (with torch's checks and resizing) is ``operands.write_out``."""
from .operands import write_out


def accepts_out(fn):
    """``fn`` with a keyword ``out=None``: the result is written into ``out`` and ``out`` is
    returned (a result that requires grad is refused, as in torch)."""
    name = fn.__name__

    def with_out(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        return result if out is None else write_out(result, out, name)
    with_out.__name__, with_out.__qualname__, with_out.__doc__ = name, fn.__qualname__, fn.__doc__
    with_out.__module__, with_out.__wrapped__ = fn.__module__, fn
    return with_out
