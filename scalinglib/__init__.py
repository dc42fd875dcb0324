"""scalinglib: refit published neural scaling laws from published data points."""
from .errors import CheckFailed, DataIntegrityError, InputError, ScalingLibError, UnknownNameError
from .fit import FitResult, fit, make_problem
from .laws import Law, get_law, known_laws

__version__ = "0.1.0"
__all__ = ["CheckFailed", "DataIntegrityError", "InputError", "ScalingLibError", "UnknownNameError", "FitResult",
           "fit", "make_problem", "Law", "get_law", "known_laws", "__version__"]
