"""Indicators: the catalogue, with every definition, unit, polarity and source."""

from __future__ import annotations

import streamlit as st

from ecm import ui

st.title("Indicators")
ui.fictional_banner()
st.markdown(
    "Every measure the dashboard knows, under the outcome and aim it serves. NI numbers refer to "
    "the 2008 National Indicator Set; lower-case DfE column names (such as `ptrwm_exp`) are "
    "today's performance-table measures."
)
catalogue = ui.load_indicators()
outcomes = ["All outcomes", *catalogue["outcome"].drop_duplicates()]
left, right = st.columns([1, 2])
chosen = left.selectbox("Outcome", outcomes, key="indicator_outcome")
text = right.text_input("Search titles and definitions", key="indicator_search")

shown = catalogue
if chosen != "All outcomes":
    shown = shown[shown["outcome"] == chosen]
if text:
    needle = text.lower()
    shown = shown[
        shown["title"].str.lower().str.contains(needle, regex=False)
        | shown["definition"].str.lower().str.contains(needle, regex=False)
        | shown["code"].str.contains(needle, regex=False)
    ]
st.caption(f"{len(shown)} of {len(catalogue)} indicators")
table = shown.drop(columns=["outcome_code"]).rename(
    columns={"ni_number": "NI", "period_type": "period", "statistic": "kind"}
)
table["polarity"] = table["polarity"].str.replace("_", " ")
st.dataframe(
    ui.blank_missing(table),
    hide_index=True,
    width="stretch",
    column_config={
        "code": st.column_config.TextColumn("Code"),
        "title": st.column_config.TextColumn("Indicator", width="medium"),
        "NI": st.column_config.NumberColumn("NI", format="%d"),
        "definition": st.column_config.TextColumn("Definition", width="large"),
    },
)
ui.csv_download(table, "Download the catalogue (CSV)", "ecm-indicators.csv")
