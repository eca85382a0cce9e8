"""The register's close dates and predecessor/successor links: read from the real GIAS
extract, stored, and said in words on the school page."""

from __future__ import annotations

import datetime as dt

import pytest

from ecm.figures.register import LinkedSchool, RegisterEntry, school_register
from ecm.importers.gias import close_date, linked_establishments
from ecm.views.register import register_sentences, status_words


def test_links_fields_and_close_dates_are_read_as_the_register_writes_them() -> None:
    assert linked_establishments(["148213 Successor"]) == [("148213", "successor")]
    assert linked_establishments(
        ["125089 Predecessor", "125091 Predecessor - amalgamated", "Does not have links", ""]
    ) == [("125089", "predecessor"), ("125091", "predecessor - amalgamated")]
    assert close_date("30-11-2020") == dt.date(2020, 11, 30)
    assert close_date("") is None
    with pytest.raises(ValueError):
        close_date("soon")


def test_the_school_page_sentences() -> None:
    old = RegisterEntry(
        "115856",
        "Awbridge Primary School",
        "closed",
        dt.date(2020, 11, 30),
        (
            LinkedSchool(
                "148213", "successor", "successor", "Awbridge Primary School", "open", None, True
            ),
        ),
    )
    assert [s for s, _ in register_sentences(old)] == [
        "Closed on 30 November 2020; its successor is Awbridge Primary School (URN 148213)."
    ]
    new = RegisterEntry(
        "148213",
        "Awbridge Primary School",
        "open",
        None,
        (LinkedSchool("115856", "predecessor", "predecessor", "*A*", "closed", None, True),),
    )
    assert [s for s, _ in register_sentences(new)] == ["Formerly \\*A\\* (URN 115856)."]
    assert status_words("closed", None) == "closed"
    assert status_words(None, None) == "status not known"


@pytest.mark.realdata
def test_the_real_register_links_awbridge_to_its_successor(real_stores) -> None:
    from ecm.store.engine import make_engine

    engine = make_engine(real_stores.url("register_and_ks2"))
    try:
        old = school_register(engine, "115856")
        assert old.status == "closed" and old.closed_on == dt.date(2020, 11, 30)
        assert [(x.urn, x.direction, x.name) for x in old.links] == [
            ("148213", "successor", "Awbridge Primary School")
        ]
        new = school_register(engine, "148213")
        assert [(x.urn, x.direction) for x in new.links] == [("115856", "predecessor")]
        mead = school_register(engine, "124938")
        assert mead.closed_on == dt.date(2014, 3, 31)
        assert [x.urn for x in mead.links] == ["140810"]
        with engine.connect() as connection:
            from sqlalchemy import func, select

            from ecm.store.models import SchoolLink

            linked = connection.scalar(select(func.count(func.distinct(SchoolLink.urn))))
        assert linked == 502  # every school of the extract with a link
    finally:
        engine.dispose()
