"""A pickle interpreter that can only build data: how ``ember.load`` reads data.pkl safely."""
import collections
import pickle
import struct

from .allowlist import GLOBALS, NO_PICKLE, REDUCERS, TORCH_ONLY_DTYPES, bad, short

__all__ = ["Unpickler"]


class Unpickler:
    """A pickle interpreter for data only: the opcodes that build values, and nothing else.

    A pickle is a program for a stack machine: opcodes push values (``K 3`` pushes 3), build
    containers from what is on the stack (``t`` makes a tuple of everything above the last
    MARK), remember values in a memo for later reuse (``q``/``h``), and -- the dangerous part
    -- push a global name (``c module name``) and call it (``R``).  Here a global must be on the
    allow-list (``allowlist.py``) and a call may only reach the functions in it, so a file can describe data
    but never make this process do anything else.
    """

    def __init__(self, data, persistent_load):
        self.data = data
        self.pos = 0
        self.persistent_load = persistent_load
        self.stack = []
        self.marks = []                         # stacks saved by MARK
        self.memo = {}

    # ------------------------------------------------------------ reading bytes

    def _take(self, n):
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise bad("data.pkl ends in the middle of an instruction (truncated or corrupted)")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def _unpack(self, fmt):
        return struct.unpack(fmt, self._take(struct.calcsize(fmt)))[0]

    def _line(self):
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            raise bad("data.pkl ends in the middle of a global name")
        line = self.data[self.pos:end]
        self.pos = end + 1
        return line.decode("utf-8", "replace")

    # ------------------------------------------------------------ the stack

    def _pop(self):
        if not self.stack:
            raise bad("data.pkl is malformed (stack underflow)")
        return self.stack.pop()

    def _pop_mark(self):
        if not self.marks:
            raise bad("data.pkl is malformed (no MARK)")
        items, self.stack = self.stack, self.marks.pop()
        return items

    def _top(self, kind, opcode):
        if not self.stack or not isinstance(self.stack[-1], kind):
            raise bad("data.pkl is malformed ({} without a container to act on)".format(opcode))
        return self.stack[-1]

    def _resolve(self, module, name):
        module = {"__builtin__": "builtins"}.get(module, module)
        value = GLOBALS.get((module, name))
        if value is None and module == "torch" and name in TORCH_ONLY_DTYPES:
            raise RuntimeError("ember.load: the file uses the dtype torch.{}, which NumPy and "
                               "ember do not have".format(name))
        if value is None:
            raise pickle.UnpicklingError(
                "Weights only load failed: the file asks for the Python object {}, which is not "
                "on ember's allow-list. {}".format(short(module + "." + name), NO_PICKLE))
        return value

    def _get(self, slot):
        if slot not in self.memo:
            raise bad("data.pkl refers to memo slot {} before it was set".format(slot))
        self.stack.append(self.memo[slot])

    def _put(self, slot):
        if not self.stack:
            raise bad("data.pkl is malformed (memo put on an empty stack)")
        self.memo[slot] = self.stack[-1]

    def _setitems(self, items, opcode):
        mapping = self._top(dict, opcode)
        if len(items) % 2:
            raise bad("data.pkl is malformed (odd number of dict items)")
        for i in range(0, len(items), 2):
            try:
                mapping[items[i]] = items[i + 1]
            except TypeError:
                raise bad("data.pkl uses an unhashable dict key") from None

    def _reduce(self):
        args = self._pop()
        func = self._pop()
        if id(func) not in REDUCERS or type(args) is not tuple:
            raise pickle.UnpicklingError(
                "Weights only load failed: the file tries to call {}, which is not an allowed "
                "function. {}".format(short(func), NO_PICKLE))
        try:
            result = func(*args)
        except (TypeError, ValueError, OverflowError) as e:
            raise bad("bad arguments for {}: {}".format(func.__name__, e)) from None
        self.stack.append(result)

    def _build(self):
        state = self._pop()
        target = self._top(collections.OrderedDict, "BUILD")
        if type(state) is not dict or not all(type(k) is str for k in state):
            raise bad("BUILD of an OrderedDict needs a dict of attributes")
        target.__dict__.update(state)            # e.g. a state_dict's _metadata

    # ------------------------------------------------------------ the interpreter

    def load(self):
        while True:
            op = self._take(1)
            if op == b".":                                           # STOP
                return self._pop()
            handler = self._OPS.get(op)
            if handler is None:
                raise pickle.UnpicklingError(
                    "Weights only load failed: data.pkl uses the pickle opcode {!r} at byte {}, "
                    "which ember does not run. {}".format(op, self.pos - 1, NO_PICKLE))
            handler(self)

    def _op_mark(self):
        self.marks.append(self.stack)
        self.stack = []

    def _op_tuple(self):
        items = tuple(self._pop_mark())          # (pops the MARK first: self.stack changes)
        self.stack.append(items)

    def _op_tuple_n(n):
        def op(self):
            if len(self.stack) < n:
                raise bad("data.pkl is malformed (stack underflow)")
            items = tuple(self.stack[len(self.stack) - n:])
            del self.stack[len(self.stack) - n:]
            self.stack.append(items)
        return op

    def _op_list(self):
        items = self._pop_mark()
        self.stack.append(items)

    def _op_dict(self):
        items = self._pop_mark()
        self.stack.append({})
        self._setitems(items, "DICT")

    def _op_append(self):
        value = self._pop()
        self._top(list, "APPEND").append(value)

    def _op_appends(self):
        items = self._pop_mark()
        self._top(list, "APPENDS").extend(items)

    def _op_setitem(self):
        value = self._pop()
        key = self._pop()
        self._setitems([key, value], "SETITEM")

    def _op_setitems(self):
        self._setitems(self._pop_mark(), "SETITEMS")

    def _op_additems(self):
        items = self._pop_mark()
        try:
            self._top(set, "ADDITEMS").update(items)
        except TypeError:
            raise bad("data.pkl puts an unhashable value in a set") from None

    def _op_global(self):
        module = self._line()
        name = self._line()
        self.stack.append(self._resolve(module, name))

    def _op_stack_global(self):
        name = self._pop()
        module = self._pop()
        if type(module) is not str or type(name) is not str:
            raise bad("STACK_GLOBAL needs two strings")
        self.stack.append(self._resolve(module, name))

    def _op_binpersid(self):
        self.stack.append(self.persistent_load(self._pop()))

    def _op_long(self, size_format):
        n = self._unpack(size_format)
        self.stack.append(int.from_bytes(self._take(n), "little", signed=True))

    def _op_pop(self):
        if self.stack:
            self.stack.pop()
        else:
            self._pop_mark()

    _OPS = {
        b"(": _op_mark,
        b")": lambda self: self.stack.append(()),
        b"]": lambda self: self.stack.append([]),
        b"}": lambda self: self.stack.append({}),
        b"\x8f": lambda self: self.stack.append(set()),                     # EMPTY_SET
        b"N": lambda self: self.stack.append(None),
        b"\x88": lambda self: self.stack.append(True),
        b"\x89": lambda self: self.stack.append(False),
        b"K": lambda self: self.stack.append(self._take(1)[0]),             # BININT1
        b"M": lambda self: self.stack.append(self._unpack("<H")),           # BININT2
        b"J": lambda self: self.stack.append(self._unpack("<i")),           # BININT
        b"\x8a": lambda self: self._op_long("<B"),                          # LONG1
        b"\x8b": lambda self: self._op_long("<I"),                          # LONG4
        b"G": lambda self: self.stack.append(self._unpack(">d")),           # BINFLOAT
        b"X": lambda self: self.stack.append(_text(self._take(self._unpack("<I")))),
        b"\x8c": lambda self: self.stack.append(_text(self._take(self._unpack("<B")))),
        b"\x8d": lambda self: self.stack.append(_text(self._take(self._unpack("<Q")))),
        b"B": lambda self: self.stack.append(bytes(self._take(self._unpack("<I")))),
        b"C": lambda self: self.stack.append(bytes(self._take(self._unpack("<B")))),
        b"\x8e": lambda self: self.stack.append(bytes(self._take(self._unpack("<Q")))),
        b"t": _op_tuple,
        b"\x85": _op_tuple_n(1),
        b"\x86": _op_tuple_n(2),
        b"\x87": _op_tuple_n(3),
        b"l": _op_list,
        b"d": _op_dict,
        b"a": _op_append,
        b"e": _op_appends,
        b"s": _op_setitem,
        b"u": _op_setitems,
        b"\x90": _op_additems,
        b"c": _op_global,
        b"\x93": _op_stack_global,
        b"R": _reduce,
        b"b": _build,
        b"Q": _op_binpersid,
        b"q": lambda self: self._put(self._take(1)[0]),                     # BINPUT
        b"r": lambda self: self._put(self._unpack("<I")),                   # LONG_BINPUT
        b"\x94": lambda self: self._put(len(self.memo)),                    # MEMOIZE
        b"h": lambda self: self._get(self._take(1)[0]),                     # BINGET
        b"j": lambda self: self._get(self._unpack("<I")),                   # LONG_BINGET
        b"0": _op_pop,
        b"1": lambda self: self._pop_mark(),                                # POP_MARK
        b"2": lambda self: self.stack.append(self._top(object, "DUP")),
        b"\x80": lambda self: _check_protocol(self._take(1)[0]),            # PROTO
        b"\x95": lambda self: self._take(8),                                # FRAME (a hint)
    }
    del _op_tuple_n


def _text(raw):
    try:
        return bytes(raw).decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise bad("data.pkl holds a string that is not valid UTF-8") from None


def _check_protocol(protocol):
    if protocol > 5:
        raise bad("data.pkl uses pickle protocol {}, newer than any Python writes"
                  .format(protocol))


# ------------------------------------------------------------ the archive
