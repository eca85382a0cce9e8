"""The address bar: query parameters read and written, pickers that keep the selection in
the URL, and links between pages that carry it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from ecm.params import PARAMETERS, BadParameter, carried_link, carried_params, check_param, cut
from ecm.store.school_types import MAINSTREAM, SCHOOL_KINDS, SCHOOL_SETS, STATE_FUNDED
from ecm.ui.banners import fictional_banner, search_way_on
from ecm.ui.store import engine, load_local_authorities
from ecm.views.markdown import escape_markdown, unavailable_choice

#: Session-state key of this run's :class:`AddressRun` (a non-widget key: Streamlit's advice
#: for state that must outlive a page change).
_RUN_KEY = "_address_run"
#: Parameters that name a place: a malformed one is offered the sidebar's search as a way on.
PLACE_PARAMS = ("urn", "la", "region", "code")


@dataclass
class AddressRun:
    """What this run of the page has filled in to the address (defaults, a school's LA and
    region) and where the script that writes them to the browser's address sits."""

    placeholder: object  # an st.empty() at the top of the page
    filled: dict[str, str] = field(default_factory=dict)


def begin_address() -> None:
    """Start a run's address: called once by the entry file before the page runs. Names
    every malformed parameter on the page (:func:`name_malformed_params`) and keeps a place
    for the script that writes the page's filled-in selection to the browser's address."""
    st.session_state[_RUN_KEY] = AddressRun(st.empty())
    name_malformed_params()


def _run() -> AddressRun | None:
    return st.session_state.get(_RUN_KEY)


def name_malformed_params() -> None:
    """Say, once per run, which parameter of the address has a value of the wrong form
    (:mod:`ecm.params`): its name, what it held (cut and escaped, never read as Markdown) and
    what it should be; for a place, a way on (the sidebar's search)."""
    for name in st.query_params:
        try:
            check_param(name, st.query_params.get(name))
        except BadParameter as error:
            st.warning(escape_markdown(str(error)), icon=":material/link_off:")
            if name in PLACE_PARAMS:
                search_way_on()


def query_param(name: str) -> str | None:
    """The selection's value of parameter ``name``: what this run filled in, else the
    address's value when it has the parameter's form (:mod:`ecm.params`), else None (the
    malformed value is named on the page by :func:`name_malformed_params`)."""
    run = _run()
    if run is not None and name in run.filled:
        return run.filled[name]
    try:
        return check_param(name, st.query_params.get(name))
    except BadParameter:
        return None


def presenting() -> bool:
    """Whether the address asks for presentation mode (``?present=1``)."""
    return query_param("present") == "1"


def set_query_params(**values: str | None) -> None:
    """Put a choice the person made in the URL (dropping empty values): a new history entry,
    so Back returns to the view before it."""
    for name, value in values.items():
        if value:
            st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def fill_address(**values: str | None) -> None:
    """Write selections the page filled in (a default year, a school's LA) to the browser's
    address *in place*, with ``history.replaceState``: Streamlit turns every write to
    ``st.query_params`` during an ordinary run into ``history.pushState``, so a default written
    that way added a history entry and the first Back press seemed to do nothing. The rest of
    the run reads them through :func:`query_param`."""
    run = _run()
    if run is None:
        return
    for name, value in values.items():
        if value and st.query_params.get(name) != value:
            run.filled[name] = value
    if run.filled:
        seen = {name: st.query_params.get(name) for name in st.query_params}
        run.placeholder.html(replace_script(seen, run.filled), unsafe_allow_javascript=True)


def _json(value: object) -> str:
    """JSON safe inside a script element (values come from the address: no ``</script>``)."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def replace_script(seen: dict[str, str], fill: dict[str, str]) -> str:
    """The script that merges ``fill`` into the browser's address without a history entry,
    only while the address is still the one the run read (``seen``, plus earlier fills): a
    click that has already moved on is never overwritten."""
    return f"""<script>
(() => {{
  const seen = {_json(seen)};
  const fill = {_json(fill)};
  const url = new URL(window.location.href);
  const params = url.searchParams;
  for (const [name, value] of Object.entries(seen)) {{
    if (!(name in fill) && params.get(name) !== value) return;
  }}
  for (const name of params.keys()) {{
    if (!(name in seen) && !(name in fill)) return;
  }}
  // A filled-in name the reader has since set otherwise (Next: panel 2 while this run filled
  // panel 1) is theirs: a late script must not take it back.
  for (const [name, value] of Object.entries(fill)) {{
    const now = params.get(name);
    if (now !== value && now !== (name in seen ? seen[name] : null)) return;
  }}
  for (const [name, value] of Object.entries(fill)) params.set(name, value);
  if (url.href !== window.location.href) {{
    window.history.replaceState(window.history.state, "", url.href);
  }}
}})();
</script>"""


def select_by_code(
    label: str,
    options: pd.DataFrame,
    param: str,
    *,
    key: str,
    placeholder: str,
    clears: tuple[str, ...] = (),
) -> str | None:
    """A selectbox over ``options`` (code, name) that reads query param ``param``; a choice
    made in it goes to the address as a history entry, taking out ``clears`` (the choices
    that hang on this one: a school of the LA that was chosen before)."""
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
        on_change=_picked,
        args=(param, key, clears),
    )
    return chosen


def _picked(param: str, key: str, clears: tuple[str, ...] = ()) -> None:
    """A picker's new value into the address (a history entry: the person chose it)."""
    set_query_params(**{param: st.session_state[key]}, **dict.fromkeys(clears))


def complete_selection() -> None:
    """Fill in the LA and region of a school (or the region of an LA) named in the URL, so a
    link to ``?urn=...`` alone opens with the whole selection (in place: no history entry)."""
    from ecm.figures.queries import UnknownArea, resolve_area

    urn, la = query_param("urn"), query_param("la")
    try:
        if urn and not la:
            area = resolve_area(engine(), "school", urn)
            fill_address(
                la=(area["la"] or {}).get("code"), region=(area["region"] or {}).get("code")
            )
        elif la and not query_param("region"):
            area = resolve_area(engine(), "la", la)
            fill_address(region=(area["region"] or {}).get("code"))
    except UnknownArea:
        pass  # the pickers drop what they cannot find


def profile_link(label: str, **place: str) -> None:
    """A link to the Profile page for a place (``urn=``, ``la=`` or ``region=``), carrying the
    year."""
    st.page_link(
        "app_pages/profile.py",
        label=label,
        icon=":material/insights:",
        query_params=link_params(**place),
    )


def link_params(**target: str | None) -> dict[str, str]:
    """A link's parameters: ``target`` plus the year and presentation mode of this view
    (:func:`ecm.params.carried_params`)."""
    return carried_params({name: query_param(name) for name in PARAMETERS}, **target)


def with_carried_links(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with each URL in its link ``columns`` carrying the year and presentation mode
    of this view (:func:`ecm.params.carried_link`), as :func:`page_link` does for a link."""
    return link_carrier(columns)(frame)


def link_carrier(columns: tuple[str, ...]) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """:func:`with_carried_links` for this view's year and mode, read now, to apply later (a
    download's file is written when pressed, outside the page's run)."""
    current = {name: query_param(name) for name in PARAMETERS}

    def carry(frame: pd.DataFrame) -> pd.DataFrame:
        present = [c for c in columns if c in frame.columns]
        if not present:
            return frame
        return frame.assign(
            **{c: frame[c].map(lambda url: carried_link(url, current)) for c in present}
        )

    return carry


def selected_place() -> tuple[str, str] | None:
    """The place in the URL: ``urn`` (school) before ``la`` before ``region``."""
    for param, level in (("urn", "school"), ("la", "la"), ("region", "region")):
        value = query_param(param)
        if value:
            return level, value
    return None


def page_link(page: str, label: str, **params: str | None) -> None:
    """A link to another page carrying the selection: ``params`` (the place and choices the
    target takes), the year and presentation mode; Home takes only what it is given."""
    query = {k: v for k, v in params.items() if v} if page == "home" else link_params(**params)
    st.page_link(f"app_pages/{page}.py", label=label, query_params=query)


def select_param(
    label: str,
    options: dict[str, str],
    param: str,
    default: str | None = None,
    name_unavailable: bool = True,
    **kwargs: object,
) -> str:
    """A selectbox over ``options`` (value -> label) kept in query parameter ``param``: what
    the person picks is a history entry; what the page opened on (the address's value, else
    ``default``, else the first) is written back in place (:func:`fill_address`). A
    well-formed value the picker cannot offer is named, with what is shown instead (unless
    ``name_unavailable`` is off: the page names it itself)."""
    values = list(options)
    current = query_param(param)
    chosen = current if current in options else (default if default in options else values[0])
    if current and current not in options and name_unavailable:
        # A year with no figures for this place, an indicator the catalogue lacks: say what
        # was asked for and what is shown instead, rather than switching silently; the
        # picker below lists what there is.
        st.warning(
            unavailable_choice(label, cut(current), options[chosen]), icon=":material/link_off:"
        )
    key = f"param_{param}"
    st.session_state[key] = chosen  # the picker follows the address (Back, Forward, a link)
    value = st.selectbox(
        label,
        values,
        format_func=lambda v: options.get(v, v),
        key=key,
        on_change=_picked,
        args=(param, key),
        **kwargs,
    )
    fill_address(**{param: value})
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


def addressed_school_kind() -> str:
    """The kind of schools compared, as the address holds it (``?kind=``): ``mainstream``
    (the default) or ``special``; special schools are compared with special schools only."""
    return query_param("kind") or MAINSTREAM


def school_kind_param() -> str:
    """A picker of the kind of schools compared, kept in the address (``?kind=``)."""
    return select_param("Schools", SCHOOL_KINDS, "kind", MAINSTREAM)


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
