"""Imports uploaded on the Data sources page."""

from __future__ import annotations

import streamlit as st

from ecm.ui.store import engine


def import_uploads(files: list, user: str = "dashboard upload") -> None:  # noqa: ANN001
    """Import uploaded files in turn with the command line's code, showing progress and every
    problem of a rejected file; similar-school comparisons are refreshed once at the end."""
    import tempfile
    from pathlib import Path

    from ecm.errors import DataError
    from ecm.figures.school_pools import refresh_school_benchmarks
    from ecm.importers import import_file
    from ecm.importers.writer import describe_outcome

    schools_loaded = False
    with tempfile.TemporaryDirectory() as folder:
        for upload in files:
            # The file keeps its own name: the format and year are read from it.
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            bar = st.progress(0.0, text=f"Importing {path.name}…")

            def progress(fraction: float, message: str, bar=bar) -> None:  # noqa: ANN001
                bar.progress(min(max(fraction, 0.0), 1.0), text=message)

            try:
                outcome = import_file(
                    engine(), path, user=user, progress=progress, refresh_benchmarks=False
                )
            except DataError as error:
                bar.empty()
                shown = "\n".join(f"- {problem}" for problem in error.problems[:20])
                more = len(error.problems) - 20
                st.error(
                    f"**{path.name} was rejected; nothing from it was stored.**\n\n{shown}"
                    + (f"\n- … and {more:,} more" if more > 0 else "")
                )
                continue
            bar.empty()
            schools_loaded |= outcome.status == "loaded" and outcome.has_schools
            st.success(describe_outcome(outcome))
    if schools_loaded:
        with engine().begin() as connection:
            refresh_school_benchmarks(connection)
    st.cache_data.clear()
