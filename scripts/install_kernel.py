"""Install the Jupyter kernel the book executes its chapters with: this venv's Python, logging critical errors only.

ipykernel warns on every start that it "is running over TCP without encryption" (the kernel only listens on
127.0.0.1 here); executing 10+ notebooks twice per test run put that line in the log 20 times, burying real
failures; so did "KeyboardInterrupt caught in kernel", which ipykernel logs at ERROR level when a kernel is
interrupted while shutting down after a finished notebook (once or twice in some runs of all chapters). The kernel spec
`scalinglib-book` is ipykernel's own with `--IPKernelApp.log_level=CRITICAL`; cell errors still reach papermill
and nbval through the kernel's messages, not its log, so no failure is hidden. Written into this environment's
share/jupyter/kernels, so it never touches a reader's own Jupyter set-up. Run by `make venv`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "scalinglib-book"


def spec_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "kernels" / NAME


def main() -> int:
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "--IPKernelApp.log_level=CRITICAL", "-f", "{connection_file}"],
            "display_name": "Python 3 (Scaling Laws, Reproduced)", "language": "python",
            "metadata": {"debugger": True}}
    target = spec_dir()
    target.mkdir(parents=True, exist_ok=True)
    (target / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    print(f"kernel spec {NAME} written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
