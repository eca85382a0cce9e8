"""Every file in the shared real-data folder goes in: figures loaded, or a reference file
recognised and checked. The one deliberate refusal says why."""

from __future__ import annotations

import pytest

from ecm.errors import DataError
from ecm.importers import import_file
from tests.helpers import REAL, drop_database, fresh_engine, read

pytestmark = pytest.mark.realdata

#: Published, but not an outcome for children: refused with this reason.
REFUSED = {"OSR23_2010_UD.csv": "not mapped on purpose"}


def test_every_real_file_loads_or_is_recognised(tmp_path) -> None:
    url, engine = fresh_engine(tmp_path)
    try:
        outcomes = {}
        for path in sorted(p for p in REAL.rglob("*") if p.is_file()):
            try:
                outcomes[path.relative_to(REAL)] = import_file(engine, path)
            except DataError as error:
                assert REFUSED.get(path.name, "unexpected") in str(error), str(error)
                outcomes[path.relative_to(REAL)] = None
        refused = [p.name for p, o in outcomes.items() if o is None]
        assert refused == list(REFUSED)
        statuses = {o.status for o in outcomes.values() if o is not None}
        assert statuses <= {"loaded", "reference, nothing to load", "already imported"}
        loaded = [o for o in outcomes.values() if o is not None and o.status == "loaded"]
        assert len(loaded) >= 75
        # Each loaded data file stored figures (the GIAS register and neighbour workbooks
        # register schools and neighbour sets instead).
        empty = {o.file_name for o in loaded if o.figures == 0}
        assert empty == {"20220420_gias.csv", "sn_april_2021.xlsx", "sn_may_2025.xlsx"}
        # The dashboard's three ways in have something to show: Hampshire's schools, every
        # LA with its neighbours, and LA health series with their sources.
        assert read(engine, "SELECT COUNT(*) FROM school WHERE la_code = 'E10000014'")[0][0] > 500
        assert read(engine, "SELECT COUNT(DISTINCT la_code) FROM statistical_neighbour")[0][0] > 150
        health = read(
            engine,
            "SELECT COUNT(DISTINCT o.period), MIN(b.file_name) FROM observation o "
            "JOIN import_batch b ON b.id = o.batch_id "
            "WHERE o.area_code = 'E10000014' AND o.indicator_code = 'excess_weight_year6'",
        )[0]
        assert health[0] >= 10 and health[1]
    finally:
        engine.dispose()
        drop_database(url)
