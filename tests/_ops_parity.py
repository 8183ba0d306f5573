"""The old name of ``parity``'s comparison helpers, for the test modules that still import
them from here; new code imports ``parity``."""
from parity import compare, error_of, gradcheck, same_error, same_warnings, tensors  # noqa: F401
