"""``ember.testing``: ``assert_close``, the check that two tensors (or numbers, or sequences and
mappings of them) are equal up to a tolerance, with torch's messages."""
from ._comparison import assert_close

__all__ = ["assert_close"]
