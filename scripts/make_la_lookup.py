"""Rebuild data/local_authorities.csv (LA number -> ONS code, name, region) from a DfE file.

Usage: python scripts/make_la_lookup.py PATH/TO/cla_number_and_rate_per_10k_children.csv

The source is DfE's "Children looked after in England" open data (explore education
statistics), Open Government Licence v3.0, which names every LA with both codes and its region
in every year. The latest year wins where an LA's ONS code changed; Inner and Outer London map
to the London region (E12000007).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

LONDON = ("E12000007", "London")
#: Authorities abolished before the source's first year that older files still name
#: (ONS codes from the ONS register of geographic codes).
FORMER = (
    ("835", "E10000009", "Dorset (county, to 2019)", "E12000009", "South West"),
    ("836", "E06000029", "Poole (to 2019)", "E12000009", "South West"),
    ("837", "E06000028", "Bournemouth (to 2019)", "E12000009", "South West"),
)
OUT = Path(__file__).resolve().parents[1] / "data" / "local_authorities.csv"


def main(source: str) -> None:
    latest: dict[str, tuple[str, dict]] = {}
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["geographic_level"] != "Local authority" or not row["old_la_code"].strip():
                continue
            code = row["old_la_code"].strip().zfill(3)
            if code not in latest or row["time_period"] > latest[code][0]:
                latest[code] = (row["time_period"], row)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["old_code", "ons_code", "name", "region_code", "region_name"])
        rows = []
        for code, (_period, row) in latest.items():
            region = (row["region_code"], row["region_name"])
            if region[0].startswith("E13"):
                region = LONDON
            rows.append((code, row["new_la_code"], row["la_name"].strip(), *region))
        rows += [former for former in FORMER if former[0] not in latest]
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} authorities to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
