"""An England or region average outside the range of its parts is found; one whose parts are
not all known is not judged."""

from __future__ import annotations

import pandas as pd

from ecm.importers.averages import outside_their_parts

PARENT = {"r1": "E", "r2": "E", "r3": "E"}


def frame(values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_code": "x",
            "group_code": "all",
            "period": "2019",
            "area_code": list(values),
            "value": list(values.values()),
            "row": range(1, len(values) + 1),
        }
    )


def test_a_whole_outside_its_parts_is_found_with_their_range() -> None:
    wrong = outside_their_parts(frame({"E": 1976.0, "r1": 172.0, "r2": 274.0, "r3": 200.0}),
                                PARENT, {"E": 3})  # fmt: skip
    assert wrong[["area_code", "value", "least", "greatest", "row"]].values.tolist() == [
        ["E", 1976.0, 172.0, 274.0, 1]
    ]


def test_rounding_slack_and_incomplete_parts_are_not_judged() -> None:
    # One unit beyond the range is rounding; a missing part could hold the extreme.
    assert outside_their_parts(frame({"E": 275.0, "r1": 172.0, "r2": 274.0, "r3": 200.0}),
                               PARENT, {"E": 3}).empty  # fmt: skip
    assert outside_their_parts(frame({"E": 900.0, "r1": 172.0, "r2": 274.0, "r3": None}),
                               PARENT, {"E": 3}).empty  # fmt: skip
    assert len(outside_their_parts(frame({"E": 275.5, "r1": 172.0, "r2": 274.0, "r3": 200.0}),
                                   PARENT, {"E": 3})) == 1  # fmt: skip
