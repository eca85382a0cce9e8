"""The place search's results as links: what each result is, in words, and the address of
its page. Labels are Markdown with every name from data escaped."""

from __future__ import annotations

from ecm.places.search import SearchResults
from ecm.views.markdown import escape_markdown
from ecm.views.register import status_words

#: The page and the query parameter that opens each kind of place.
PAGES = {"school": ("school", "urn"), "la": ("area", "la"), "region": ("region", "code")}


def _text(value: object) -> str | None:
    """A cell as text, or None when missing (None or NaN)."""
    if value is None or value != value:
        return None
    return str(value)


def result_label(match: dict) -> str:
    """What a result is, for its link (Markdown, escaped): "Awbridge Primary School · school,
    URN 148213, primary, Hampshire, open"; "Hampshire · local authority 850, South East";
    "South East · region E12000008"."""
    name = escape_markdown(_text(match["name"]) or "")
    if match["kind"] == "school":
        parts = [f"school, URN {match['code']}"]
        parts += [escape_markdown(p) for p in (_text(match["phase"]), _text(match["la_name"])) if p]
        parts.append(escape_markdown(status_words(_text(match["status"]), match["closed_on"])))
        return f"{name} · {', '.join(parts)}"
    if match["kind"] == "la":
        number = _text(match.get("la_number"))
        region = _text(match.get("region_name"))
        words = f"local authority {number}" if number else f"local authority {match['code']}"
        return f"{name} · {words}" + (f", {escape_markdown(region)}" if region else "")
    return f"{name} · region {escape_markdown(str(match['code']))}"


def result_address(match: dict) -> tuple[str, dict[str, str]]:
    """The page (``app_pages/<page>.py``) and query parameters that open the result."""
    page, param = PAGES[match["kind"]]
    return page, {param: str(match["code"])}


def more_line(results: SearchResults) -> str | None:
    """The line under a capped list: how many more matched, or None."""
    if not results.more:
        return None
    places = "place" if results.more == 1 else "places"
    return f"{results.more:,} more {places} matched: type more of the name, or a code."


def nothing_found(text: str) -> str:
    """The line when nothing matches (Markdown, the text escaped)."""
    return (
        f"Nothing matches “{escape_markdown(text.strip()[:80])}”: try part of a name, a URN, "
        "a LAESTAB (850/2005) or an LA or region code."
    )
