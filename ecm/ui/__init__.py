"""The one Streamlit boundary: everything a page needs from Streamlit that the rest of ``ecm``
must not know about. Nothing else in the package imports streamlit (tests/test_architecture.py).

Split by job: :mod:`~ecm.ui.store` (the cached engine, first-start checks, cached reads),
:mod:`~ecm.ui.loaders` (cached analyses behind each page), :mod:`~ecm.ui.address` (query
parameters, pickers, links), :mod:`~ecm.ui.banners` (headings, the fictional-data warning,
sources), :mod:`~ecm.ui.presentation` (charts with tables and downloads), :mod:`~ecm.ui.presenting`
(presentation mode: the projector's one-line header, panels one at a time),
:mod:`~ecm.ui.imports` (uploads), the panels of the Plan page, the gap explorer and the region
overview (``plan_sections``, ``gap_sections``, ``region_sections``), the plan's forms, files
and editor's name, and the maps section. Pages call ``ui.<name>``: the names below are the
package's public face. Engines are cached as resources (one pool per process); DataFrames as
data, keyed by the database URL.
"""

from __future__ import annotations

from ecm.ui.address import (
    addressed_school_kind,
    addressed_school_set,
    begin_address,
    complete_selection,
    fill_address,
    la_param,
    link_column,
    page_link,
    profile_link,
    query_param,
    school_kind_param,
    school_set_param,
    select_by_code,
    select_param,
    selected_place,
    set_query_params,
)
from ecm.ui.banners import (
    OUTCOME_ICONS,
    definition,
    fictional_banner,
    not_found,
)
from ecm.ui.imports import (
    import_uploads,
)
from ecm.ui.loaders import (
    load_area_overview,
    load_gap_exploration,
    load_plan_page,
    load_profile,
    load_region_gap_trends,
    load_region_overview,
    load_school_distribution,
    load_school_spines,
    load_turn_the_curve,
    plan_changed,
)
from ecm.ui.presentation import (
    blank_missing,
    chart,
    csv_download,
    table_with_download,
)
from ecm.ui.presenting import (
    HeaderBar,
    header_bar,
    page_heading,
    panels,
    place_heading,
    presentation_mode,
    year_picker,
)
from ecm.ui.register import register_notes
from ecm.ui.search import search_box
from ecm.ui.store import (
    CACHE_TTL,
    count_observations,
    engine,
    engine_for,
    ensure_store,
    holds_fictional_data,
    load_coverage,
    load_import_batches,
    load_indicators,
    load_la_summary,
    load_local_authorities,
    load_outcomes,
    load_pupil_groups,
    load_reconciliation,
    load_region_summary,
    load_regions,
    load_register_coverage,
    load_school_summary,
    load_schools,
)

__all__ = [
    "addressed_school_kind",
    "csv_download",
    "addressed_school_set",
    "begin_address",
    "fill_address",
    "blank_missing",
    "CACHE_TTL",
    "OUTCOME_ICONS",
    "chart",
    "complete_selection",
    "count_observations",
    "definition",
    "engine",
    "engine_for",
    "ensure_store",
    "fictional_banner",
    "HeaderBar",
    "header_bar",
    "holds_fictional_data",
    "import_uploads",
    "la_param",
    "link_column",
    "load_area_overview",
    "load_coverage",
    "load_gap_exploration",
    "load_import_batches",
    "load_indicators",
    "load_la_summary",
    "load_local_authorities",
    "load_outcomes",
    "load_plan_page",
    "load_profile",
    "load_pupil_groups",
    "load_reconciliation",
    "load_region_gap_trends",
    "load_region_overview",
    "load_region_summary",
    "load_regions",
    "load_register_coverage",
    "load_school_distribution",
    "load_school_spines",
    "load_school_summary",
    "load_schools",
    "load_turn_the_curve",
    "page_link",
    "panels",
    "not_found",
    "page_heading",
    "place_heading",
    "plan_changed",
    "presentation_mode",
    "register_notes",
    "search_box",
    "profile_link",
    "query_param",
    "select_by_code",
    "school_kind_param",
    "school_set_param",
    "select_param",
    "selected_place",
    "set_query_params",
    "table_with_download",
    "year_picker",
]
