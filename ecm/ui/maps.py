"""Maps of local authorities on the pages: the hex map (one equal hex per authority, so small
urban authorities are visible) and, for real data, the boundary map, each with its text
alternative, table and CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ecm import charts
from ecm.charts import map_geometry
from ecm.ui import chart, select_param

#: Cells outside the places the map is about (another region's authorities): drawn pale and
#: left out of the text alternative.
CONTEXT = "other region"


def draw_authority_map(
    hexes: pd.DataFrame,
    layout: str,
    colours: dict[str, str],
    key: str,
    file_stem: str,
    presenting: bool,
    boundaries: bool,
    picker: DeltaGenerator | None = None,
) -> None:
    """The map of ``hexes`` (code, name, category, text, q, r) coloured by category; with
    ``boundaries`` (real ONS codes, whose boundaries are known) a choice of the boundary map,
    kept in the address (``?map=``), drawn in ``picker`` when given (a row of the panel's
    pickers, so the map starts higher)."""
    colours = {CONTEXT: "#F2F2F2", **colours}
    kind = "hex"
    if boundaries:
        with picker or st.container():
            kind = select_param(
                "Map", {"hex": "Hex map (one hex per authority)", "boundary": "Boundaries"}, "map"
            )
    described = hexes[hexes["category"] != CONTEXT]
    if kind == "boundary":
        areas = hexes[["code", "name", "category", "text"]]
        chart(
            charts.boundary_map(
                map_geometry.load_boundaries(),
                areas,
                map_geometry.BOUNDARY_CODE,
                presentation=presenting,
                colours=colours,
                attribution=map_geometry.BOUNDARY_ATTRIBUTION,
            ),
            charts.describe_boundary_map(described[["code", "name", "category", "text"]]),
            areas,
            f"{key}_boundaries",
            f"{file_stem}-boundaries.csv",
        )
        return
    chart(
        charts.hex_map(
            hexes,
            layout,
            presentation=presenting,
            colours=colours,
            attribution=map_geometry.HEX_ATTRIBUTION,
        ),  # fmt: skip
        charts.describe_hex_map(described),
        hexes.drop(columns=["q", "r"]),
        f"{key}_hexes",
        f"{file_stem}-map.csv",
    )
