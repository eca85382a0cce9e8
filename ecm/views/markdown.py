"""Text from data made safe for Markdown: names, titles and notes show as written."""

from __future__ import annotations

#: Characters Markdown (and Streamlit's) gives a meaning to, escaped in text from data.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>()#+-.!|~$:")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: every character Markdown would read as formatting, a
    link or an icon comes with a backslash, so a name such as ``*Sure Start*`` shows as
    written."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in str(text))


def unavailable_choice(label: str, asked: str, shown: str) -> str:
    """The note when the address asks for a choice a picker does not offer (markdown): which
    was asked for and which is shown instead, both escaped."""
    return (
        f"{escape_markdown(label)} {escape_markdown(asked)} is not available here; "
        f"showing {escape_markdown(shown)}."
    )


def shown_value(value: str) -> str:
    """A value from the address as a page repeats it: cut to a length a reader can take in
    (:func:`ecm.params.cut`) and escaped, so it is never read as Markdown."""
    from ecm.params import cut

    return escape_markdown(cut(value))
