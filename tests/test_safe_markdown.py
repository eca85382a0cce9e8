"""Names from data are never read as Markdown, LaTeX or Streamlit's directives: a school, an
authority, a region and a plan action named like formatting show as written on every page that
names them (headings, captions, sentences, links, the sidebar's search results)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, update
from streamlit.testing.v1 import AppTest

from ecm.demo.build import build_demo
from ecm.store.models import Action, ActionSchool, LocalAuthority, Plan, Region, School
from ecm.views.markdown import escape_markdown
from tests.helpers import DEMO_SEED, drop_database, fresh_engine, open_app

EVIL = "**bold** $$x$$ [link](http://example.com) :red[red]"
#: What any of these would look like if it reached a Markdown element as written.
RAW = ("**bold**", "$$x$$", "[link](", ":red[")
#: Element types whose text Streamlit reads as Markdown.
MARKDOWN_ELEMENTS = (
    "markdown", "title", "header", "subheader", "caption", "info", "warning", "error", "success",
)  # fmt: skip


@pytest.fixture(scope="module")
def evil_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The tiny demo with one school, its authority, its region and an action that names the
    school, each renamed to text full of Markdown; the URL and the codes renamed."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("markdown"))
    build_demo(engine, scale="tiny", seed=DEMO_SEED)
    codes = _rename(engine)
    yield url, codes
    engine.dispose()
    drop_database(url)


def _rename(engine: Engine) -> dict[str, str]:
    with engine.begin() as connection:
        action_id, urn = connection.execute(
            select(ActionSchool.action_id, ActionSchool.urn).order_by(ActionSchool.action_id)
        ).first()
        la = connection.scalar(select(School.la_code).where(School.urn == urn))
        region = connection.scalar(
            select(LocalAuthority.region_code).where(LocalAuthority.code == la)
        )
        period = connection.scalar(
            select(Plan.period_label).join(Action, Action.plan_id == Plan.id)
            .where(Action.id == action_id)
        )  # fmt: skip
        connection.execute(update(School).where(School.urn == urn).values(name=EVIL))
        connection.execute(
            update(LocalAuthority).where(LocalAuthority.code == la).values(name=f"LA {EVIL}")
        )
        connection.execute(update(Region).where(Region.code == region).values(name=f"R {EVIL}"))
        connection.execute(
            update(Action).where(Action.id == action_id).values(title=f"Action {EVIL}")
        )
    return {"urn": urn, "la": la, "region": region, "action": str(action_id), "period": period}


def _texts(at: AppTest) -> list[str]:
    """Every text of the run that Streamlit reads as Markdown: element bodies, link labels,
    tab, expander and metric labels."""
    texts = [str(e.value) for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    texts += [e.proto.label for e in at.get("page_link")]
    texts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    texts += [m.label for m in at.metric]
    return texts


def _assert_shown_as_written(at: AppTest, *names: str) -> None:
    assert not at.exception, at.exception
    texts = _texts(at)
    read_as_markdown = [t for t in texts if any(raw in t for raw in RAW)]
    assert read_as_markdown == []
    for name in names:
        assert any(escape_markdown(name) in t for t in texts), name


@pytest.fixture
def evil(evil_store, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url, codes = evil_store
    monkeypatch.setenv("ECM_DATABASE_URL", url)
    return codes


def test_the_school_page_writes_the_names_as_they_are(evil) -> None:
    at = open_app("app_pages/school.py", urn=evil["urn"], period=evil["period"])
    _assert_shown_as_written(at, EVIL, f"LA {EVIL}", f"R {EVIL}")
    # The heading itself: the escaped name, which Markdown shows as the name.
    assert [t.value for t in at.title] == [escape_markdown(EVIL)]


def test_the_area_page_writes_the_names_as_they_are(evil) -> None:
    at = open_app("app_pages/area.py", la=evil["la"])
    _assert_shown_as_written(at, f"LA {EVIL}", f"R {EVIL}")
    assert at.title[0].value == escape_markdown(f"LA {EVIL}")


def test_the_plan_page_writes_the_names_as_they_are(evil) -> None:
    at = open_app("app_pages/plan.py", la=evil["la"], action=evil["action"])
    _assert_shown_as_written(at, f"LA {EVIL}", f"R {EVIL}", f"Action {EVIL}")
    assert at.title[0].value == escape_markdown(f"LA {EVIL}: Children and Young People's Plan")
    assert escape_markdown(f"Action {EVIL}") in [s.value for s in at.subheader]


def test_the_region_page_writes_the_names_as_they_are(evil) -> None:
    at = open_app("app_pages/region.py", code=evil["region"], brief=evil["la"])
    _assert_shown_as_written(at, f"R {EVIL}", f"LA {EVIL}")
    links = [link.proto.label for link in at.get("page_link")]
    assert f"Open {escape_markdown(f'LA {EVIL}')}'s plan" in links
    assert at.title[0].value == escape_markdown(f"R {EVIL}")


def test_home_and_its_search_write_the_names_as_they_are(evil) -> None:
    at = open_app(urn=evil["urn"])
    _assert_shown_as_written(at, EVIL)
    assert escape_markdown(EVIL) in [s.value for s in at.subheader]
    at = open_app(la=evil["la"])
    _assert_shown_as_written(at, f"LA {EVIL}", f"R {EVIL}")
    at = open_app()
    at.sidebar.text_input(key="place_search").set_value("bold").run()
    _assert_shown_as_written(at, EVIL)
