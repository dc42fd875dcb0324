"""python -m scalinglib: the same command line as the `scalinglib` script."""
import sys

from .cli import main

sys.exit(main())
