"""What the command line prints: one-line errors, a progress bar on a terminal, wide tables.

Shared by every command group, so each prints the same way.
"""

from __future__ import annotations

import sys


def one_line(error: BaseException) -> str:
    """The first line of an error's message (a database driver's own message if wrapped)."""
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return f"{type(cause).__name__}: {lines[0] if lines else 'no message'}"


def clear_progress() -> None:
    """Remove the progress bar before a result line (only on a terminal)."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")


def terminal_progress(fraction: float, message: str) -> None:
    """A one-line progress bar on stderr, redrawn in place (only on a terminal)."""
    if not sys.stderr.isatty():
        return
    width = 30
    done = round(fraction * width)
    sys.stderr.write(f"\r\033[K[{'#' * done}{'.' * (width - done)}] {message[:60]}")
    sys.stderr.flush()


def with_pandas_display(show) -> None:  # noqa: ANN001
    """Print a wide table without pandas wrapping or cutting it."""
    import pandas as pd

    with pd.option_context(
        "display.width", 250, "display.max_rows", None, "display.max_columns", None
    ):
        show()
