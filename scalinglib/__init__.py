"""scalinglib: fit neural scaling laws (the published ones, or your own declarations) to measured runs.

    import scalinglib as sl
    result = sl.fit("chinchilla", {"N": "params", "D": "tokens"}, "loss", data=frame)

The laws are in scalinglib.laws (one module per paper or family); the engine in scalinglib.fit; intervals in
scalinglib.uncertainty; compute-optimal allocation in scalinglib.frontier; a checksummed dataset registry in
scalinglib.data. Nothing here reads a repository or needs the book's toolchain.
"""
from .errors import DataIntegrityError, FitFailed, InputError, ScalingLibError, UnknownNameError
from .fit import FitResult, default_starts, fit, make_problem
from .laws import Law, get_law, known_laws

__version__ = "0.2.0"
__all__ = ["DataIntegrityError", "FitFailed", "InputError", "ScalingLibError", "UnknownNameError", "FitResult",
           "fit", "make_problem", "default_starts", "Law", "get_law", "known_laws", "__version__"]
