"""Files that describe data (field guides, code lists, dictionaries, documents, map geometry)
are recognised, checked against what the dashboard holds, and never change the store."""

from __future__ import annotations

import pytest

from ecm.importers import import_file
from tests.helpers import PT, REAL, fingerprint

pytestmark = pytest.mark.realdata

META = PT / "meta"
REFERENCE_FILES = {
    META / "2018-2019" / "ks2_meta.csv": "field guide",
    META / "2016-2017" / "ks4_meta.csv": "field guide",
    META / "2018-2019" / "ks4_final_meta.csv": "field guide",
    META / "2018-2019" / "school_information_meta.csv": "field guide",
    META / "2018-2019" / "ks4_meta_methodology.csv": "documentation",
    META / "2018-2019" / "abbreviations.xlsx": "documentation",
    META / "2017-2018" / "la_and_region_codes_meta.csv": "LA code list",
    REAL / "lait" / "la_code_list.xlsx": "LA code list",
    REAL / "lait" / "lait_data_dictionary.csv": "LAIT data dictionary",
    REAL / "geography" / "CTY_2023.geojson": "map geometry",
    REAL / "geography" / "uk-upper-tier-local-authorities.hexjson": "map geometry",
    REAL / "la-releases" / "cla-outcomes" / "2011_underlying" / "Meta Data Document.doc": (
        "documentation"
    ),
    REAL / "la-releases" / "cla-placements" / "2010" / "SFR27_2010_metadata_1.txt": (
        "documentation"
    ),
    REAL / "README.md": "documentation",
}


@pytest.mark.parametrize("path", list(REFERENCE_FILES), ids=lambda p: p.name)
def test_reference_files_are_recognised_and_store_nothing(ks2_store, path) -> None:
    before = fingerprint(ks2_store)
    outcome = import_file(ks2_store, path)
    assert (outcome.format, outcome.status, outcome.figures) == (
        REFERENCE_FILES[path],
        "reference, nothing to load",
        0,
    )
    assert fingerprint(ks2_store) == before


def test_a_field_guide_says_which_mapped_columns_it_documents(ks2_store, tmp_path) -> None:
    guide = META / "2018-2019" / "ks2_meta.csv"
    outcome = import_file(ks2_store, guide)
    assert outcome.notes == [
        "documents 318 columns",
        "27 of the 27 KS2 columns that data/mappings/performance_tables.csv maps are documented",
    ]
    # Next year's guide without PTRWM_EXP: the analyst is told before loading the results.
    lines = guide.read_bytes().decode("utf-8-sig").splitlines()
    kept = [line for line in lines if ",PTRWM_EXP," not in line]
    assert len(kept) == len(lines) - 1
    changed = tmp_path / "ks2_meta.csv"
    changed.write_text("\n".join(kept) + "\n", encoding="utf-8")
    notes = import_file(ks2_store, changed).notes
    assert notes[1].endswith("are documented; not in this year's guide: PTRWM_EXP")
    assert notes[1].startswith("26 of the 27 KS2 columns")


def test_code_lists_and_the_lait_dictionary_are_checked_against_the_dashboard(ks2_store) -> None:
    codes = import_file(ks2_store, META / "2018-2019" / "la_and_region_codes_meta.csv")
    assert codes.notes == ["lists 152 LA numbers; 152 are current LAs"]
    lait_codes = import_file(ks2_store, REAL / "lait" / "la_code_list.xlsx")
    assert (
        "the others (England, regions, former authorities): 1000, 970, 980" in (lait_codes.notes[0])
    )
    dictionary = import_file(ks2_store, REAL / "lait" / "lait_data_dictionary.csv")
    assert dictionary.notes[1] == "49 of the 49 items in data/mappings/lait.csv are defined"
