"""Map geometry: the hex cartogram and the ONS boundaries of England's upper-tier LAs.

The files live in ``data/geography/`` (sources, licences and attribution in its README). They
are read as published; the only changes are made here, in memory:

- the hex cartogram (Open Innovations) shows the 2019-20 areas, so three county codes are
  renamed to the unitary codes that replaced them and Cumbria and Northamptonshire are each
  split into the two unitaries that replaced them (151 hexes become 153, the same areas as
  the 2023 boundaries);
- the ONS file covers the UK, so only English features are kept; nothing is simplified.

The fictional demo has no real geography, so :func:`demo_hexes` generates a hex layout for it.

Hex coordinates follow HexJSON: ``q`` is the column and ``r`` the row, both counted from the
bottom left, so ``r`` grows upwards. ``odd-r``/``even-r`` use pointy-topped hexes with odd or
even rows shifted half a hex right; ``odd-q``/``even-q`` use flat-topped hexes with odd or even
columns shifted half a hex up.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecm.config import DATA_DIR

GEOGRAPHY_DIR = DATA_DIR / "geography"
HEXJSON_FILE = GEOGRAPHY_DIR / "uk-upper-tier-local-authorities.hexjson"
BOUNDARIES_FILE = GEOGRAPHY_DIR / "CTY_2023.geojson"
REGION_BOUNDARIES_FILE = GEOGRAPHY_DIR / "Regions_December_2023_Boundaries_EN_BUC.geo.json"
LA_FILE = DATA_DIR / "local_authorities.csv"

#: Feature properties holding the area code in each boundary file.
BOUNDARY_CODE = "CTYUA23CD"
REGION_BOUNDARY_CODE = "RGN23CD"

#: The two lines to show under maps, exactly as the publishers ask.
BOUNDARY_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2023."
)
HEX_ATTRIBUTION = "Hex map © Open Innovations (MIT)"
ATTRIBUTION = (BOUNDARY_ATTRIBUTION, HEX_ATTRIBUTION)

#: County codes of the hex file that continue, same area, as a unitary from 2020-2023.
HEX_RENAMES = {"E10000002": "E06000060", "E10000023": "E06000065", "E10000027": "E06000066"}

#: Counties split into two unitaries: each new code with its cell. The first keeps the
#: county's cell. Cumberland (north and west Cumbria) takes the free cell up and to the left.
#: Northamptonshire's cell had no free neighbour, so West Northamptonshire takes Warwickshire's
#: cell and Warwickshire and Herefordshire move one cell west (see HEX_MOVES); North
#: Northamptonshire, the eastern half, keeps the county's cell.
HEX_SPLITS: dict[str, tuple[tuple[str, tuple[int, int]], ...]] = {
    "E10000006": (("E06000064", (6, 14)), ("E06000063", (5, 15))),
    "E10000021": (("E06000061", (7, 6)), ("E06000062", (6, 6))),
}
#: Hexes nudged to make room for a split, from their published cell to a new one.
HEX_MOVES: dict[str, tuple[int, int]] = {"E06000019": (4, 6), "E10000031": (5, 6)}

LAYOUTS = ("odd-r", "even-r", "odd-q", "even-q")
_SQRT3 = math.sqrt(3)


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def la_names(path: Path = LA_FILE) -> dict[str, str]:
    """ONS code -> LA name, from ``data/local_authorities.csv`` (the names the product uses)."""
    las = pd.read_csv(path, dtype=str)
    return dict(zip(las["ons_code"], las["name"], strict=True))


def load_hexes(path: Path = HEXJSON_FILE) -> tuple[pd.DataFrame, str]:
    """The hex cartogram of England's upper-tier LAs on 2023 codes.

    Returns
    -------
    (hexes, layout)
        ``hexes`` has columns code, name, q, r (one row per LA, 153 rows, sorted by code);
        ``layout`` is the HexJSON layout string (``odd-r``).
    """
    hexjson = _read_json(path)
    rows = []
    for code, cell in hexjson["hexes"].items():
        if code in HEX_SPLITS:
            rows += [(new, q, r) for new, (q, r) in HEX_SPLITS[code]]
            continue
        q, r = HEX_MOVES.get(code, (cell["q"], cell["r"]))
        rows.append((HEX_RENAMES.get(code, code), q, r))
    hexes = pd.DataFrame(rows, columns=["code", "q", "r"])
    published = {HEX_RENAMES.get(code, code): cell["n"] for code, cell in hexjson["hexes"].items()}
    names = {**published, **la_names()}
    hexes.insert(1, "name", hexes["code"].map(names))
    hexes[["q", "r"]] = hexes[["q", "r"]].astype(int)
    return hexes.sort_values("code", ignore_index=True), str(hexjson["layout"])


def load_boundaries(path: Path = BOUNDARIES_FILE) -> dict[str, Any]:
    """ONS 2023 county and unitary boundaries, English features only (code in ``CTYUA23CD``).

    A GeoJSON FeatureCollection dict, geometry as published (generalised, WGS 84).
    """
    collection = _read_json(path)
    english = [f for f in collection["features"] if f["properties"][BOUNDARY_CODE][0] == "E"]
    return {"type": "FeatureCollection", "features": english}


def load_region_boundaries(path: Path = REGION_BOUNDARIES_FILE) -> dict[str, Any]:
    """ONS December 2023 region boundaries of England (9 features, code in ``RGN23CD``)."""
    collection = _read_json(path)
    return {"type": "FeatureCollection", "features": collection["features"]}


def _shifted(index: np.ndarray, layout: str) -> np.ndarray:
    """1 where the row (or column) is pushed half a hex along, else 0."""
    odd = np.mod(index, 2)
    return odd if layout.startswith("odd") else 1 - odd


def hex_centres(q: Any, r: Any, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """Centres of hexes at HexJSON cells, with adjacent centres exactly 1 apart."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown hex layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    q = np.asarray(q, dtype=float)
    r = np.asarray(r, dtype=float)
    if layout.endswith("-r"):
        return q + 0.5 * _shifted(r, layout), r * _SQRT3 / 2
    return q * _SQRT3 / 2, r + 0.5 * _shifted(q, layout)


def hex_polygon(x: float, y: float, layout: str) -> list[tuple[float, float]]:
    """The 6 corners of the hex centred at (x, y), closed (7 points, the first repeated)."""
    start = 30 if layout.endswith("-r") else 0  # pointy-topped rows, flat-topped columns
    radius = 1 / _SQRT3  # so that neighbouring hexes share an edge
    corners = [
        (
            x + radius * math.cos(math.radians(start + 60 * k)),
            y + radius * math.sin(math.radians(start + 60 * k)),
        )
        for k in range(6)
    ]
    return [*corners, corners[0]]


def demo_hexes(las: pd.DataFrame) -> pd.DataFrame:
    """A generated hex layout (``odd-r``) for the fictional demo's LAs.

    ``las`` has columns code, name, region_code. Each region becomes a compact block of
    hexes (LAs in code order, filled row by row from the top), blocks laid out left to right
    in rows of about sqrt(number of regions), with an empty cell between blocks so regions
    read as groups. Deterministic: the same LAs give the same layout.

    Returns columns code, name, q, r.
    """
    missing = [c for c in ("code", "name", "region_code") if c not in las.columns]
    if missing:
        raise ValueError(f"demo_hexes: las is missing column(s) {', '.join(missing)}")
    ordered = las.sort_values(["region_code", "code"], ignore_index=True)
    regions = list(dict.fromkeys(ordered["region_code"]))
    if not regions:
        return pd.DataFrame(columns=["code", "name", "q", "r"])
    largest = int(ordered["region_code"].value_counts().max())
    width = math.ceil(math.sqrt(largest))
    height = math.ceil(largest / width)
    per_row = math.ceil(math.sqrt(len(regions)))
    block_rows = math.ceil(len(regions) / per_row)
    # An even vertical stride keeps every block's rows on the same parity, so blocks share shape.
    stride = height + 1 + (height + 1) % 2
    cells = []
    for index, region in enumerate(regions):
        q0 = (index % per_row) * (width + 1)
        r0 = (block_rows - 1 - index // per_row) * stride
        members = ordered[ordered["region_code"] == region]
        for k, (code, name) in enumerate(zip(members["code"], members["name"], strict=True)):
            cells.append((code, name, q0 + k % width, r0 + height - 1 - k // width))
    return pd.DataFrame(cells, columns=["code", "name", "q", "r"])


def hexes_for(las: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The hexes of the store's LAs (code, name, region_code): the real hex map for real data,
    a generated layout for the fictional demo (codes starting Z)."""
    if not las.empty and not has_boundaries(las):
        return demo_hexes(las[["code", "name", "region_code"]]), "odd-r"
    return load_hexes()


def has_boundaries(las: pd.DataFrame) -> bool:
    """Whether the store's authorities are real ones, whose ONS boundaries are known (the
    fictional demo's Z codes have only the generated hex layout)."""
    return not las.empty and not las["code"].str.startswith("Z").any()
