"""The errors scalinglib raises. Every message names the file, row, column or argument at fault."""


class ScalingLibError(Exception):
    """Base class: catch this to catch everything scalinglib raises on purpose."""


class InputError(ScalingLibError, ValueError):
    """Arguments that cannot be fitted or evaluated as given (NaN, non-positive log input, lengths...)."""


class UnknownNameError(ScalingLibError, LookupError):
    """A law, dataset, published quantity or parameter name that is not registered."""

    def __str__(self) -> str:  # LookupError would quote the message like a dict key
        return str(self.args[0]) if self.args else ""


class DataIntegrityError(ScalingLibError):
    """A data file whose checksum, columns, row count or values differ from its manifest entry."""


class FitFailed(ScalingLibError, RuntimeError):
    """A fit that produced no usable result (no start reached a finite objective)."""
