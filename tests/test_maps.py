"""Map geometry: the hex cartogram on 2023 codes, the ONS boundaries, and the demo's hexes."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from ecm.charts import map_geometry
from ecm.config import DATA_DIR
from ecm.demo.geography import SCALES, build_geography

#: Authorities in data/local_authorities.csv that no longer exist (kept there so that older
#: files still import): Dorset county, Poole and Bournemouth became Dorset and BCP in 2019;
#: Northamptonshire split in 2021 and Cumbria in 2023. No 2023 map can show them.
FORMER_LAS = {"E10000009", "E06000029", "E06000028", "E10000021", "E10000006"}


@pytest.fixture(scope="module")
def hexes() -> tuple[pd.DataFrame, str]:
    return map_geometry.load_hexes()


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return map_geometry.load_boundaries()


@pytest.fixture(scope="module")
def las() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "local_authorities.csv", dtype=str)


def _adjacent(a: tuple[int, int], b: tuple[int, int], layout: str) -> bool:
    x, y = map_geometry.hex_centres([a[0], b[0]], [a[1], b[1]], layout)
    return math.isclose(math.hypot(x[0] - x[1], y[0] - y[1]), 1.0, abs_tol=1e-9)


def test_hexes_are_153_areas_on_2023_codes_in_distinct_cells(hexes) -> None:
    frame, layout = hexes
    assert layout == "odd-r"
    assert list(frame.columns) == ["code", "name", "q", "r"]
    assert len(frame) == 153 and frame["code"].is_unique
    assert len(set(zip(frame["q"], frame["r"], strict=True))) == 153
    assert not frame["code"].isin(["E10000002", "E10000023", "E10000027"]).any()
    assert not frame["code"].isin(["E10000006", "E10000021"]).any()
    assert frame["name"].notna().all()


def test_renamed_and_split_areas_take_their_names_from_the_la_list(hexes) -> None:
    names = dict(zip(hexes[0]["code"], hexes[0]["name"], strict=True))
    assert names["E06000060"] == "Buckinghamshire"
    assert names["E06000065"] == "North Yorkshire"
    assert names["E06000066"] == "Somerset"
    assert names["E06000061"] == "North Northamptonshire"
    assert names["E06000062"] == "West Northamptonshire"
    assert names["E06000063"] == "Cumberland"
    assert names["E06000064"] == "Westmorland and Furness"


def test_split_halves_sit_side_by_side(hexes) -> None:
    frame, layout = hexes
    cell = {c: (q, r) for c, q, r in zip(frame["code"], frame["q"], frame["r"], strict=True)}
    assert _adjacent(cell["E06000063"], cell["E06000064"], layout)
    assert _adjacent(cell["E06000061"], cell["E06000062"], layout)
    # The county's own cell stays with one half; Cumberland is a free neighbour of it.
    assert cell["E06000064"] == (6, 14) and cell["E06000061"] == (7, 6)


def test_boundaries_are_the_153_english_areas(boundaries) -> None:
    codes = [f["properties"][map_geometry.BOUNDARY_CODE] for f in boundaries["features"]]
    assert boundaries["type"] == "FeatureCollection"
    assert len(codes) == 153 and len(set(codes)) == 153
    assert all(code.startswith("E") for code in codes)


def test_hexes_and_boundaries_cover_the_same_areas(hexes, boundaries) -> None:
    codes = {f["properties"][map_geometry.BOUNDARY_CODE] for f in boundaries["features"]}
    assert set(hexes[0]["code"]) == codes


def test_every_current_la_has_a_hex_and_a_boundary(hexes, boundaries, las) -> None:
    hex_codes = set(hexes[0]["code"])
    boundary_codes = {f["properties"][map_geometry.BOUNDARY_CODE] for f in boundaries["features"]}
    listed = set(las["ons_code"])
    # Exactly the former authorities lack a hex or boundary; a new gap would show up here.
    assert listed - hex_codes == FORMER_LAS
    assert listed - boundary_codes == FORMER_LAS
    assert hex_codes <= listed and boundary_codes <= listed
    # The two smallest authorities are on both maps (Scilly shares Cornwall's services, but
    # is its own area on both).
    for code in ("E06000053", "E09000001"):
        assert code in hex_codes and code in boundary_codes


def test_region_boundaries_are_the_nine_english_regions() -> None:
    regions = map_geometry.load_region_boundaries()
    codes = sorted(f["properties"][map_geometry.REGION_BOUNDARY_CODE] for f in regions["features"])
    assert codes == [f"E1200000{i}" for i in range(1, 10)]


def test_attribution_lines_match_the_geography_readme() -> None:
    readme = (DATA_DIR / "geography" / "README.md").read_text(encoding="utf-8")
    assert map_geometry.ATTRIBUTION == (
        map_geometry.BOUNDARY_ATTRIBUTION,
        map_geometry.HEX_ATTRIBUTION,
    )
    for line in map_geometry.ATTRIBUTION:
        assert line in readme
    assert map_geometry.BOUNDARY_ATTRIBUTION.startswith("Source: Office for National Statistics")
    assert map_geometry.HEX_ATTRIBUTION == "Hex map © Open Innovations (MIT)"


@pytest.mark.parametrize("layout", map_geometry.LAYOUTS)
def test_neighbouring_hexes_share_an_edge(layout: str) -> None:
    x, y = map_geometry.hex_centres([2, 3], [2, 2], layout)
    first = {(round(a, 9), round(b, 9)) for a, b in map_geometry.hex_polygon(x[0], y[0], layout)}
    second = {(round(a, 9), round(b, 9)) for a, b in map_geometry.hex_polygon(x[1], y[1], layout)}
    if layout.endswith("-r"):
        assert len(first & second) == 2  # side by side in a row: one shared edge
    polygon = map_geometry.hex_polygon(0.0, 0.0, layout)
    assert len(polygon) == 7 and polygon[0] == polygon[-1]


def test_odd_r_shifts_odd_rows_right() -> None:
    x, _ = map_geometry.hex_centres([0, 0], [0, 1], "odd-r")
    assert x.tolist() == [0.0, 0.5]
    x, _ = map_geometry.hex_centres([0, 0], [0, 1], "even-r")
    assert x.tolist() == [0.5, 0.0]
    with pytest.raises(ValueError, match="layout"):
        map_geometry.hex_centres([0], [0], "diagonal")


@pytest.mark.parametrize("scale", ["tiny", "small", "national"])
def test_demo_hexes_do_not_overlap_and_keep_regions_together(scale: str) -> None:
    las = build_geography(SCALES[scale], np.random.default_rng(1))["local_authority"]
    layout = map_geometry.demo_hexes(las[["code", "name", "region_code"]])
    assert list(layout.columns) == ["code", "name", "q", "r"]
    assert len(layout) == len(las) and set(layout["code"]) == set(las["code"])
    assert len(set(zip(layout["q"], layout["r"], strict=True))) == len(layout)
    region = dict(zip(las["code"], las["region_code"], strict=True))
    cells = {c: (q, r) for c, q, r in zip(layout["code"], layout["q"], layout["r"], strict=True)}
    for a, b in itertools.combinations(cells, 2):
        if region[a] != region[b]:
            assert not _adjacent(cells[a], cells[b], "odd-r"), (a, b)
    for code_region in set(region.values()):
        members = [c for c in cells if region[c] == code_region]
        assert _connected([cells[c] for c in members])
    again = map_geometry.demo_hexes(las[["code", "name", "region_code"]].iloc[::-1])
    pd.testing.assert_frame_equal(layout, again)


def _connected(cells: list[tuple[int, int]]) -> bool:
    seen, todo = {cells[0]}, [cells[0]]
    while todo:
        here = todo.pop()
        for other in cells:
            if other not in seen and _adjacent(here, other, "odd-r"):
                seen.add(other)
                todo.append(other)
    return len(seen) == len(cells)


def test_demo_hexes_name_a_missing_column() -> None:
    with pytest.raises(ValueError, match="region_code"):
        map_geometry.demo_hexes(pd.DataFrame({"code": ["Z1"], "name": ["A"]}))


def test_only_real_authorities_offer_boundaries() -> None:
    import pandas as pd

    assert map_geometry.has_boundaries(pd.DataFrame({"code": ["E10000014", "E06000045"]}))
    assert not map_geometry.has_boundaries(pd.DataFrame({"code": ["Z10000001", "Z10000002"]}))
    assert not map_geometry.has_boundaries(pd.DataFrame({"code": pd.Series([], dtype=str)}))
