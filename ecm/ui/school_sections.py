"""The School page's top, under its title: the year and the schools it is compared with, the
headline gap in words and the links to the LA's plan and area pages. The words come from
:mod:`ecm.views.school`; when presenting, only the year, in the one-line header."""

from __future__ import annotations

import streamlit as st

from ecm.ui.address import page_link, school_set_param
from ecm.ui.presenting import HeaderBar, year_picker
from ecm.views.markdown import escape_markdown
from ecm.views.school import (
    compared_with_caption,
    headline_kind,
    headline_markdown,
    measures_disagree_line,
    plan_link_label,
    untested_gaps_line,
)


def school_top(profile: dict, headline: dict | None, bar: HeaderBar | None) -> str:
    """Draw the School page's top and return the year shown; reruns the page when the reader
    picks another year or set of schools. ``bar``: presentation mode's one-line header, which
    holds the year (the rest waits for the desk)."""
    geography = profile["geography"]
    la, region = geography.get("la") or {}, geography.get("region") or {}
    periods = profile["available_periods"] or [profile["period"]]
    if bar is not None:
        return year_picker(periods, profile["period"], bar)
    st.caption(
        f"School · URN {geography['code']} · {escape_markdown(la.get('name', ''))} · "
        f"{escape_markdown(region.get('name', ''))}"
    )
    year_column, set_column = st.columns(2)
    with year_column:
        period = year_picker(periods, profile["period"], None)
    with set_column:
        compared = school_set_param()
    if compared != geography["compared_with"]:
        st.rerun()
    st.caption(compared_with_caption(profile))
    st.markdown(headline_markdown(headline, kind=headline_kind(profile), profile=profile))
    for line in (untested_gaps_line(profile), measures_disagree_line(profile)):
        if line:
            st.markdown(line)
    if la and headline:
        # The plan of the year shown (the link carries it), named as the headline names it.
        page_link(
            "plan",
            plan_link_label(profile),
            la=la["code"],
            gap=f"{headline['indicator']}:{headline['focus_group']}",
            period=period,
        )
    if la:
        name = escape_markdown(la["name"])
        page_link("area", f"{name}: area overview and plan coverage", la=la["code"])
    return period
