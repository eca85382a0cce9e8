"""The address bar: query parameters read and written, pickers that keep the selection in
the URL, and links between pages that carry it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecm.params import BadParameter, check_param
from ecm.store.school_types import SCHOOL_SETS, STATE_FUNDED
from ecm.ui.banners import fictional_banner
from ecm.ui.store import engine, load_local_authorities
from ecm.views.markdown import unavailable_choice


def query_param(name: str) -> str | None:
    """A query parameter's value, or None; a value of the wrong form (:mod:`ecm.params`) is
    taken out of the address with a polite note on the page, so a page never sees it."""
    try:
        return check_param(name, st.query_params.get(name))
    except BadParameter as error:
        del st.query_params[name]
        st.warning(str(error), icon=":material/link_off:")
        return None


def set_query_params(**values: str | None) -> None:
    """Put the selection in the URL (dropping empty values) so the view can be bookmarked."""
    for name, value in values.items():
        if value:
            st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def select_by_code(
    label: str,
    options: pd.DataFrame,
    param: str,
    *,
    key: str,
    placeholder: str,
) -> str | None:
    """A selectbox over ``options`` (code, name) that reads and writes query param ``param``."""
    codes = options["code"].tolist()
    names = dict(zip(options["code"], options["name"], strict=True))
    current = query_param(param)
    index = codes.index(current) if current in codes else None
    chosen = st.selectbox(
        label,
        codes,
        index=index,
        format_func=lambda code: names.get(code, code),
        placeholder=placeholder,
        key=key,
    )
    return chosen


def complete_selection() -> None:
    """Fill in the LA and region of a school (or the region of an LA) named in the URL, so a
    link to ``?urn=...`` alone opens with the whole selection."""
    from ecm.figures.queries import UnknownArea, resolve_area

    urn, la = query_param("urn"), query_param("la")
    try:
        if urn and not la:
            area = resolve_area(engine(), "school", urn)
            set_query_params(
                la=(area["la"] or {}).get("code"), region=(area["region"] or {}).get("code")
            )
        elif la and not query_param("region"):
            area = resolve_area(engine(), "la", la)
            set_query_params(region=(area["region"] or {}).get("code"))
    except UnknownArea:
        pass  # the pickers drop what they cannot find


def profile_link(label: str, **place: str) -> None:
    """A link to the Profile page for a place (``urn=``, ``la=`` or ``region=``)."""
    st.page_link(
        "app_pages/profile.py", label=label, icon=":material/insights:", query_params=place
    )


def selected_place() -> tuple[str, str] | None:
    """The place in the URL: ``urn`` (school) before ``la`` before ``region``."""
    for param, level in (("urn", "school"), ("la", "la"), ("region", "region")):
        value = query_param(param)
        if value:
            return level, value
    return None


def page_link(page: str, label: str, **params: str) -> None:
    """A link to another page carrying the selection (and presentation mode) in its URL."""
    if query_param("present") == "1":
        params = {**params, "present": "1"}
    st.page_link(f"app_pages/{page}.py", label=label, query_params=params)


def select_param(
    label: str, options: dict[str, str], param: str, default: str | None = None, **kwargs: object
) -> str:
    """A selectbox over ``options`` (value -> label) kept in query parameter ``param``."""
    values = list(options)
    current = query_param(param)
    chosen = current if current in options else (default if default in options else values[0])
    if current and current not in options:
        # A well-formed choice the store cannot offer here (a year with no figures for this
        # place, say): say what is shown instead rather than switching silently.
        st.caption(unavailable_choice(label, current, options[chosen]))
    value = st.selectbox(
        label,
        values,
        index=values.index(chosen),
        format_func=lambda v: options.get(v, v),
        key=f"param_{param}",
        **kwargs,
    )
    set_query_params(**{param: value})
    return value


def addressed_school_set() -> str:
    """The set of schools a school is compared with, as the address holds it (``?schools=``):
    ``state_funded`` (the default, as DfE compares schools) or ``all``. Read before the
    analyses run, so that they compare with the chosen set; :func:`school_set_param` draws
    the choice."""
    return query_param("schools") or STATE_FUNDED


def school_set_param() -> str:
    """A picker of the schools a school is compared with, kept in the address
    (``?schools=``): state-funded schools (default) or all schools, including independent."""
    return select_param("Compare with", SCHOOL_SETS, "schools", STATE_FUNDED)


def la_param(title: str) -> str:
    """The LA in the address (``?la=``), or, when there is none, the page's title and a picker
    of every LA that puts the choice in the address; stops the page on an empty store."""
    la = query_param("la")
    if la:
        return la
    st.title(title)
    fictional_banner()
    las = load_local_authorities(None)
    if las.empty:
        st.info("The store holds no local authorities yet.")
        st.stop()
    return select_param("Local authority", dict(zip(las["code"], las["name"], strict=True)), "la")


def link_column(label: str = "Open", display: str = "Open") -> st.column_config.LinkColumn:
    """A table column of links to a page (the URL carries the selection)."""
    return st.column_config.LinkColumn(label, display_text=display, width="small")
