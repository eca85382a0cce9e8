"""URL parameters: the one place that knows what each parameter of a page's address may hold.

Every view is a shareable link, so anything can arrive in the address: a mistyped year, a
truncated code, a value pasted from elsewhere. Each parameter is checked here, once, for its
form; :func:`ecm.ui.address.query_param` drops a value that fails and says so politely on the
page, so no page ever parses a raw value itself. Whether a well-formed code names a real place
or indicator is for the page to say (it knows what the store holds). Pure; imports only
:mod:`ecm.periods`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from ecm.periods import is_academic_year


@dataclass(frozen=True)
class Parameter:
    """One address parameter: its name, the check of its form, and what it should look like
    (said to the person whose link held something else)."""

    name: str
    accepts: Callable[[str], bool]
    expected: str


def _pattern(regex: str) -> Callable[[str], bool]:
    compiled = re.compile(regex)
    return lambda value: compiled.fullmatch(value) is not None


_CODE = r"[a-z][a-z0-9_]{0,63}"  # catalogue and pupil-group codes: ni_73, disadvantaged
_AREA = r"[EWZ]\d{8}"  # ONS codes; the fictional demo's start with Z

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("urn", _pattern(r"\d{6}"), "a school's six-digit URN, like 116208"),
        Parameter(
            "la",
            _pattern(rf"{_AREA}|\d{{3}}"),
            "a local authority's ONS code (like E10000014) or three-digit number (like 850)",
        ),
        Parameter("region", _pattern(_AREA), "a region's ONS code, like E12000008"),
        Parameter("code", _pattern(_AREA), "a region's ONS code, like E12000008"),
        Parameter("period", is_academic_year, "an academic year written like 2008/09"),
        Parameter("indicator", _pattern(_CODE), "an indicator code, like ni_73"),
        Parameter("group", _pattern(_CODE), "a pupil group's code, like disadvantaged"),
        Parameter("level", _pattern(r"school|la|region"), "school, la or region"),
        Parameter("gap", _pattern(rf"{_CODE}:{_CODE}"), "INDICATOR:GROUP, like ni_73:fsm"),
        Parameter("action", _pattern(r"[1-9]\d{0,9}"), "an action's number, like 12"),
        Parameter("present", _pattern(r"[01]"), "1 (presentation mode) or 0"),
        Parameter("panel", _pattern(r"[1-9]\d{0,2}"), "a panel's number, like 2"),
        Parameter(
            "schools",
            _pattern(r"state_funded|all"),
            "state_funded (compare with state-funded schools) or all (all schools, including "
            "independent)",
        ),
        Parameter(
            "kind",
            _pattern(r"mainstream|special"),
            "mainstream (compare mainstream schools) or special (compare special schools)",
        ),
    )
}


def check_param(name: str, value: str | None) -> str | None:
    """``value`` when it has the form parameter ``name`` takes (or the parameter has no rule),
    None when it is missing; raises :class:`BadParameter` when it is malformed."""
    if value is None or value == "":
        return None
    rule = PARAMETERS.get(name)
    if rule is None or rule.accepts(value):
        return value
    raise BadParameter(name, rule.expected, value)


#: Longest stretch of a value from the address repeated on a page: enough to recognise it,
#: never a 5,000-character paste.
SHOWN_CHARACTERS = 40


def cut(value: str, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` as a page may repeat it: at most ``limit`` characters, the last an ellipsis
    when it was longer. Plain text: the caller escapes it for where it is shown."""
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


class BadParameter(ValueError):
    """A parameter of the address that does not have its form. The message names the parameter,
    what it held (cut to :data:`SHOWN_CHARACTERS`; the caller escapes it, since it came from
    outside) and what it should be."""

    def __init__(self, name: str, expected: str, value: str = "") -> None:
        self.name, self.expected, self.value = name, expected, value
        super().__init__(
            f"The address's '{name}' “{cut(value)}” is not {expected}, so it was left out."
        )


#: What a link to another page carries from this one, when the target takes it: the year, and
#: presentation mode (the meeting-room screen stays in it).
CARRIED = ("period", "present")


def address_query(selection: Mapping[str, str | None]) -> str:
    """The query string of a selection (parameter -> value), empty values left out, in the
    selection's order, as a browser's address holds it."""
    return urlencode([(name, value) for name, value in selection.items() if value])


def read_address(query: str) -> dict[str, str]:
    """The selection a query string holds (the inverse of :func:`address_query`); a leading
    ``?`` is allowed; of a parameter written twice, the last value counts (as Streamlit's)."""
    return dict(parse_qsl(query.removeprefix("?"), keep_blank_values=False))


def carried_params(current: Mapping[str, str | None], **target: str | None) -> dict[str, str]:
    """The parameters of a link: ``target`` (the place and choices the link names) plus what
    it carries from ``current`` (:data:`CARRIED`) unless ``target`` names that itself (an empty
    value drops it). Empty values are left out."""
    carried = {name: current.get(name) for name in CARRIED if name not in target}
    return {name: value for name, value in {**target, **carried}.items() if value}


def carried_link(url: str, current: Mapping[str, str | None]) -> str:
    """A link's URL (``/area?la=E10000014``, from a table's link column) with what it carries
    from ``current`` (:func:`carried_params`: the year, presentation mode) unless it names
    that itself, as :func:`carried_params` adds to a page link; other URLs are kept as they
    are."""
    if not isinstance(url, str) or not url.startswith("/"):
        return url
    parts = urlsplit(url)
    query = address_query(carried_params(current, **read_address(parts.query)))
    return f"{parts.path}?{query}" if query else parts.path
