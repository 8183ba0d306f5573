"""torch's CPU random-number generator: a Mersenne Twister (MT19937) and its state.

torch's ``Generator`` is the classic 32-bit Mersenne Twister, seeded the classic way
(``init_genrand`` with the seed's low 32 bits).  NumPy's ``MT19937`` after ``_legacy_seeding``
is the same machine, so ember lets NumPy produce the 32-bit words at C speed and only keeps the
few things torch adds around it: the 64-bit seed, the one normal sample that torch's scalar
Box-Muller keeps for the next call, and the byte layout of ``get_state``:

    offset  field                      offset  field
    0       seed (uint64)              5016    unused normal_x, normal_y (the cached
    8       left (int32)                       double normal), normal_rho (3 float64)
    12      seeded (int32)             5040    the cached double is valid (int32)
    16      next (uint64)              5048    cached float normal (float32)
    24      624 words (uint64 each)    5052    the cached float is valid (bool); 5056 bytes

``left`` and ``next`` count the words: after ``manual_seed`` left = 1 and next = 0 (the next
draw regenerates the 624 words); after k draws from fresh words, left = 625 - k and next = k.
NumPy keeps the same position as ``pos`` = 625 - left.
"""
import os
import struct

import numpy as np

from ... import _errors
from ..._device import check as check_device
from ..core.common import Tensor
from ..core.registry import export

_DEFAULT_SEED = 67280421310721             # torch's seed for a fresh Generator
_MASK64 = (1 << 64) - 1
_WORDS = 624
_HEAD = struct.Struct("<QiiQ")             # seed, left, seeded, next
_TAIL = struct.Struct("<dddi4xf?3x")       # normal_x, normal_y, normal_rho, valid, float, valid
_STATE_SIZE = _HEAD.size + 8 * _WORDS + _TAIL.size          # 5056


recording = None    # set while ember.compile records a call (ember/_compiler/recorder.py)


@export("torch")
class Generator:
    """A source of random numbers with its own seed and state: torch's Mersenne Twister, so
    that the same seed gives the numbers torch gives."""

    def __init__(self, device="cpu"):
        self.device = check_device(device)
        self._set_seed(_DEFAULT_SEED)

    def _set_seed(self, seed):
        self._seed = seed
        self._mt = None                    # made on first draw: importing numpy.random is slow
        self._fresh = True                 # seeded, no word drawn yet (torch's next = 0)
        self.normal_double = None          # the second sample of the scalar Box-Muller
        self.normal_float = None           # (kept in the state; ember's kernels never set it)

    def manual_seed(self, seed):
        """Restarts the stream from ``seed`` (an int; negative ones count modulo 2**64);
        returns the generator."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, (bool, np.bool_)):
            raise RuntimeError("manual_seed expected a long, but got " + type(seed).__name__)
        seed = int(seed)
        if not -(1 << 63) <= seed <= _MASK64:
            raise _errors.overflow_unpacking()
        self._set_seed(seed & _MASK64)
        return self

    def seed(self):
        """Seeds from the operating system's entropy and returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self._set_seed(s)
        return s

    def initial_seed(self):
        """The seed the stream was last started from."""
        return self._seed

    def get_offset(self):
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset):
        raise RuntimeError("CPU Generator does not use offset")

    def clone_state(self):
        """A new generator in the same state."""
        return Generator(self.device).set_state(self.get_state())

    # ------------------------------------------------------------ the words

    def _engine(self):
        """NumPy's MT19937 at this generator's position (seeded on first use), and a NumPy
        Generator on it, whose full-range uint32 integers are the raw words."""
        if self._mt is None:
            self._mt = np.random.MT19937()
            self._mt._legacy_seeding(self._seed & 0xFFFFFFFF)
            self._words = np.random.Generator(self._mt)
        return self._mt

    def words32(self, n):
        """The next ``n`` 32-bit words of the stream (torch's ``random()``), as uint32."""
        if n:
            self._fresh = False
        self._engine()
        words = self._words.integers(0, 1 << 32, n, dtype=np.uint32)
        if recording is not None:       # ember.compile is recording: the draw becomes a step
            return recording(self, n, words)
        return words

    def words64(self, n):
        """``n`` 64-bit words (torch's ``random64()``): two 32-bit words each, the first one
        the high half."""
        w = self.words32(2 * n).astype(np.uint64).reshape(n, 2)
        return (w[:, 0] << np.uint64(32)) | w[:, 1]

    # ------------------------------------------------------------ the state as bytes

    def get_state(self):
        """The generator's state as a uint8 tensor of 5056 bytes, laid out as torch's (torch's
        ``set_state`` can load it, and ember's loads torch's)."""
        state = self._engine().state["state"]
        pos = int(state["pos"])
        valid = self.normal_double is not None
        head = _HEAD.pack(self._seed, _WORDS + 1 - pos, 1, 0 if self._fresh else pos)
        tail = _TAIL.pack(0.0, self.normal_double if valid else 0.0, 0.0, valid,
                          self.normal_float or 0.0, self.normal_float is not None)
        blob = head + state["key"].astype("<u8").tobytes() + tail
        return Tensor._make(np.frombuffer(blob, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restores a state from ``get_state`` (ember's or torch's); returns the generator."""
        if not isinstance(new_state, Tensor):
            raise TypeError("expected a torch.ByteTensor, but got " + type(new_state).__name__)
        if new_state._array.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state._array.size != _STATE_SIZE:
            raise RuntimeError("Expected a CPUGeneratorImplState of size {} but found the input "
                               "RNG state size to be {}".format(_STATE_SIZE,
                                                               new_state._array.size))
        blob = new_state._array.tobytes()
        seed, left, seeded, next_ = _HEAD.unpack_from(blob)
        _, normal_y, _, valid, normal_float, float_valid = _TAIL.unpack_from(
            blob, _STATE_SIZE - _TAIL.size)
        if not (seeded and 0 < left <= _WORDS and 0 <= next_ <= _WORDS):
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(blob, dtype="<u8", count=_WORDS, offset=_HEAD.size)
        self._engine().state = {"bit_generator": "MT19937",
                                "state": {"key": key.astype(np.uint32), "pos": _WORDS + 1 - left}}
        self._seed = seed
        self._fresh = left == 1 and next_ == 0
        self.normal_double = normal_y if valid else None
        self.normal_float = normal_float if float_valid else None
        return self

    def __reduce__(self):
        return _restore, (self.get_state(),)


def _restore(state):
    return Generator().set_state(state)


default_generator = export("torch", name="default_generator")(Generator())


def generator_or_default(generator):
    """``generator``, or the default generator when it is None."""
    return default_generator if generator is None else generator


@export("torch")
def manual_seed(seed):
    """Seeds ember's default generator (NumPy's and Python's own are left alone, as in torch);
    returns it.  Anything ``int()`` takes is a seed."""
    return default_generator.manual_seed(int(seed))


@export("torch")
def seed():
    """Seeds the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


@export("torch")
def initial_seed():
    """The seed of the default generator."""
    return default_generator.initial_seed()


@export("torch")
def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


@export("torch")
def set_rng_state(new_state):
    """Restores the default generator's state from ``get_rng_state``."""
    default_generator.set_state(new_state)
