"""The option types of the ``ember`` commands: each turns the text of an option into a value,
or refuses it with a one-line message (argparse shows it as ``argument --lr: must be ...``)."""
import argparse
import math

__all__ = ["positive_int", "at_least_two", "positive_float", "non_negative", "seed",
           "SEED_MIN", "SEED_MAX"]

# torch.manual_seed takes any whole number that fits in 64 bits, signed or unsigned; a negative
# seed counts as seed + 2**64 (torch.initial_seed() says so).
SEED_MIN, SEED_MAX = -2 ** 63, 2 ** 64 - 1


def positive_int(text):
    value = _parse(int, text, "a whole number")
    if value < 1:
        raise _invalid("must be at least 1", text)
    return value


def at_least_two(text):
    value = _parse(int, text, "a whole number")
    if value < 2:
        raise _invalid("must be at least 2 (one sample to train on, one to test)", text)
    return value


def positive_float(text):
    value = _parse(float, text, "a number")
    if not value > 0 or not math.isfinite(value):
        raise _invalid("must be a positive number", text)
    return value


def non_negative(text):
    value = _parse(float, text, "a number")
    if not value >= 0 or not math.isfinite(value):
        raise _invalid("must be zero or a positive number", text)
    return value


def seed(text):
    """A seed as ``torch.manual_seed`` takes it; returned as the unsigned 64-bit number it
    stands for (-1 is 2**64 - 1), which NumPy's generators accept too."""
    value = _parse(int, text, "a whole number")
    if not SEED_MIN <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError("must be a whole number from {} to {} (what "
                                         "torch.manual_seed accepts), not {}".format(
                                             SEED_MIN, SEED_MAX, _short(text)))
    return value % 2 ** 64


def _parse(kind, text, what):
    try:
        return kind(text)
    except ValueError:
        raise _invalid("must be " + what, text) from None


def _invalid(message, text):
    return argparse.ArgumentTypeError("{}, not {}".format(message, _short(text)))


def _short(text, limit=40):
    """``'text'``, cut to ``limit`` characters: a message shows what was given, not all of it."""
    return repr(text) if len(text) <= limit else repr(text[:limit - 3] + "...")
