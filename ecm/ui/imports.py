"""Imports uploaded on the Data sources page."""

from __future__ import annotations

import streamlit as st

from ecm.demo.build import DEMO_FORMAT
from ecm.ui.signin import signed_in
from ecm.ui.store import engine, forget_cached_reads
from ecm.views.markdown import escape_markdown

#: How many of a rejected file's problems the page lists (a broken file can have thousands).
SHOWN_PROBLEMS = 20


def import_uploads(files: list, restricted: bool = False) -> None:  # noqa: ANN001
    """Import uploaded files in turn with the command line's code
    (:func:`ecm.importers.service.import_files`), showing a progress bar per file and every
    problem of a rejected file; similar-school comparisons are refreshed once at the end.
    Only for an account that may import (asked again here, not only by the page), recorded
    under its username."""
    import tempfile

    from ecm.access.rights import may_import

    account = signed_in()
    if not may_import(account):
        st.error("Your account may not import files; nothing was stored.")
        return
    user = f"{account.username} (dashboard upload)"
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
            forget_cached_reads()  # whatever was stored before a failure is shown


def import_form() -> None:
    """The Data sources page's "Import files" form, for an account that may import; for any
    other, a line saying who may."""
    from ecm.access.rights import may_import

    if not may_import(signed_in()):
        st.caption("Importing files is for analysts and administrators.")
        return
    with st.expander("Import files", icon=":material/upload_file:"):
        st.markdown(
            "DfE performance tables (KS2, KS4, absence, census, destinations), the GIAS register, "
            "DfE tidy open data, the older LA statistical releases, Fingertips series, the LAIT "
            "long file (`.parquet`) and statistical-neighbour workbooks (`.xlsx`). The format is "
            "read from each file's header; a file with any problem is rejected whole, with the "
            "line and column of each problem, and changes nothing. Field guides, code lists and "
            "metadata documents are recognised and checked, and nothing is stored from them."
        )
        with st.form("import_form", clear_on_submit=True):
            uploads = st.file_uploader(
                "Files to import",
                type=["csv", "parquet", "xlsx", "txt", "doc", "docx", "json", "geojson", "hexjson"],
                accept_multiple_files=True,
            )
            restricted = st.checkbox(
                "Not published openly (withhold small numbers)",
                help="Leave unticked for files their publisher released openly (performance "
                "tables, Fingertips, LAIT): they are shown as published. Tick for your own or a "
                "partner's unpublished figures: counts below the threshold, and whatever would "
                "give them back, are withheld on every page and export.",
            )
            submitted = st.form_submit_button("Import", type="primary")
        if submitted and uploads:
            import_uploads(uploads, restricted=restricted)


_UNDONE = "ecm_import_undone"


def undo_form(batches) -> None:  # noqa: ANN001 (the import history, a DataFrame)
    """The Data sources page's "Undo an import", for an account that may import: a loaded
    file's figures removed and those it replaced put back (:mod:`ecm.importers.undo`)."""
    from ecm.access.rights import may_import

    if message := st.session_state.pop(_UNDONE, None):
        st.success(escape_markdown(message))
    if not may_import(signed_in()):
        return
    undoable = batches[
        (batches["status"] == "loaded")
        & (batches["format"] != DEMO_FORMAT)
        & (batches["rows_loaded"] > 0)
        & batches["keeps_replaced"].astype(bool)
    ]
    if undoable.empty:
        return
    words = {
        int(row.id): f"{row.file_name} (batch {row.id}, {row.imported_at:%d %b %Y %H:%M}, "
        f"{row.rows_loaded:,} figures)"
        for row in undoable.itertuples()
    }
    with st.expander("Undo an import", icon=":material/undo:"):
        st.caption(
            "Removes the file's figures and puts back the figures it replaced, as if it had "
            "never been loaded. A file whose figures a later file replaced is undone after "
            "that one. The import history keeps it, marked undone; the same file can be "
            "imported again."
        )
        with st.form("undo_import"):
            chosen = st.selectbox("Import", list(words), format_func=words.get)
            sure = st.checkbox("I have checked this is the import to undo")
            submitted = st.form_submit_button("Undo the import")
    if submitted:
        _undo(chosen, sure)


def _undo(batch_id: int, sure: bool) -> None:
    from ecm.access.rights import NotAllowed
    from ecm.importers.undo import UndoRefused, undo_import

    if not sure:
        st.error("Tick the box to confirm which import to undo; nothing changed.")
        return
    try:  # the service checks again that the account may undo imports
        undone = undo_import(engine(), batch_id, signed_in())
    except (UndoRefused, NotAllowed) as refused:
        st.error(escape_markdown(f"{refused} Nothing changed."))
        return
    forget_cached_reads()  # every figure, remit and summary is read afresh
    st.session_state[_UNDONE] = undone.describe()
    st.rerun()
