"""Data sources: where every figure came from (the import history) and what the store holds."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.views.data_sources import readable

st.title("Data sources")
ui.fictional_banner()
st.markdown(
    "Every figure in the store belongs to one import batch: the file (or demo build) it came "
    "from, its checksum, who loaded it and when, and under what licence."
)
ui.import_form()

batches = ui.load_import_batches()
if batches.empty:
    st.info("Nothing has been imported yet.")
else:
    st.dataframe(
        batches,
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("Batch"),
            "file_name": st.column_config.TextColumn("File", width="medium"),
            "format": st.column_config.TextColumn("Format"),
            "checksum": st.column_config.TextColumn("SHA-256", width="small"),
            "imported_at": st.column_config.DatetimeColumn("Imported", format="D MMM YYYY, HH:mm"),
            "imported_by": st.column_config.TextColumn("By"),
            "rows_loaded": st.column_config.NumberColumn("Figures loaded", format="%d"),
            "rows_rejected": st.column_config.NumberColumn("Rows left out", format="%d"),
            "status": st.column_config.TextColumn("Outcome"),
            "licence": st.column_config.TextColumn("Licence", width="large"),
            "published": st.column_config.CheckboxColumn("Published openly"),
            "keeps_replaced": None,  # for undoing imports, not for reading
        },
    )
    ui.undo_form(batches)
st.subheader("Figures held by level")
st.dataframe(readable(ui.count_observations()), hide_index=True)

st.subheader("Coverage")
st.caption(
    "How many places each indicator covers in each year and level, and how many are markers."
)
ui.table_with_download(readable(ui.load_coverage()), "coverage", "ecm-coverage.csv")

st.subheader("Schools and the register")
st.caption(
    "Schools named by results files are matched to a Get Information About Schools extract; "
    "those missing from it are new, closed or outside the extract."
)
register = ui.load_register_coverage()
if register.empty:
    st.write("No real schools are held.")
else:
    ui.table_with_download(readable(register), "register", "ecm-register-coverage.csv")

st.subheader("Reconciliation: schools added up against the LA's published figures")
st.caption(
    "Where a file publishes an LA row, the schools' figures are added up and compared with it. "
    "Differences are expected where the LA figure includes pupils in schools the file does not "
    "list (closed, independent or small schools); large value differences deserve a look."
)
# Every LA's and school's figures, restricted ones too: for those who load the data.
reconciliation = ui.load_reconciliation() if ui.may_import() else None
if reconciliation is None:
    st.write("The reconciliation is for analysts and administrators.")
elif reconciliation.empty:
    st.write("No file here publishes both school and LA figures.")
else:
    flagged = int(reconciliation["differs"].sum())
    st.write(f"{flagged:,} of {len(reconciliation):,} comparisons differ by more than one unit.")
    ui.table_with_download(readable(reconciliation), "reconciliation", "ecm-reconciliation.csv")
