"""The errors the book's machinery raises (on top of scalinglib's own)."""
from scalinglib.errors import ScalingLibError


class BookError(ScalingLibError):
    """Base class of the book's own errors."""


class CheckFailed(BookError, AssertionError):
    """A reproduced value left the range its chapter declared for it."""


class StaleResults(BookError):
    """A chapter's results file is missing or was written by other code or data than the checkout's."""
