"""Imports uploaded on the Data sources page."""

from __future__ import annotations

import streamlit as st

from ecm.ui.store import engine
from ecm.views.markdown import escape_markdown

#: How many of a rejected file's problems the page lists (a broken file can have thousands).
SHOWN_PROBLEMS = 20


def import_uploads(  # noqa: ANN001
    files: list, user: str = "dashboard upload", restricted: bool = False
) -> None:
    """Import uploaded files in turn with the command line's code
    (:func:`ecm.importers.service.import_files`), showing a progress bar per file and every
    problem of a rejected file; similar-school comparisons are refreshed once at the end."""
    import tempfile
    from pathlib import Path

    from ecm.importers.service import FileResult, import_files
    from ecm.importers.writer import describe_outcome

    bars: dict[Path, object] = {}

    def progress(path: Path):  # noqa: ANN202
        bar = bars[path] = st.progress(0.0, text=f"Importing {path.name}…")

        def report(fraction: float, message: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        return report

    def show(result: FileResult) -> None:
        bars.pop(result.path).empty()
        if result.error is None:
            st.success(describe_outcome(result.outcome))
            return
        problems = result.error.problems
        shown = "\n".join(f"- {escape_markdown(p)}" for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        st.error(
            f"**{escape_markdown(result.path.name)} was rejected; nothing from it was "
            f"stored.**\n\n{shown}" + (f"\n- … and {more:,} more" if more > 0 else "")
        )

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, upload in enumerate(files):
            # The file keeps its own name (the format and year are read from it), in a folder
            # of its own so two uploads of one name stay two files.
            path = Path(folder) / str(number) / Path(upload.name).name
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            paths.append(path)
        try:
            import_files(
                engine(), paths, user=user, progress=progress, on_result=show, restricted=restricted
            )
        finally:
            st.cache_data.clear()  # whatever was stored before a failure is shown
