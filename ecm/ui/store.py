"""The store as the pages reach it: one cached engine per process, the first-start checks
(schema, disclosure decisions, the demo), and cached reads of the catalogue and places.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from ecm.config import auto_demo, database_url
from ecm.figures import queries
from ecm.store.engine import make_engine, schema_is_current, upgrade_schema

CACHE_TTL = 600  # seconds; imports clear the caches explicitly


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """The shared engine of the configured store."""
    return engine_for(database_url())


@st.cache_resource(show_spinner=False)
def _store_checks(url: str) -> dict[str, bool]:
    """Per process and store: whether the start-up checks have passed (so each rerun of the
    app does not reload the migration scripts and query the store again)."""
    return {"ready": False}


def ensure_store() -> None:
    """On first start, create the schema and build the small demo, showing progress.

    Builds only when the store is empty, so imported real data is never touched; set
    ``ECM_AUTO_DEMO=0`` to start with an empty store instead. Runs once per process.
    """
    checks = _store_checks(database_url())
    if checks["ready"]:
        return
    _prepare_store()
    checks["ready"] = True


def _prepare_store() -> None:
    eng = engine()
    if not schema_is_current(eng):
        from ecm.figures.school_pools import ensure_school_benchmarks

        upgrade_schema(eng)
        ensure_school_benchmarks(eng)
    from ecm.disclosure.decisions import decisions_current, ensure_withholding
    from ecm.figures.school_pools import ensure_school_benchmarks

    if not decisions_current(eng):  # a store from before they were stored, or a new threshold
        with st.spinner("Deciding disclosure control over every figure…"):
            # The similar-school pools, summed over shown figures only, follow the decisions.
            ensure_school_benchmarks(eng, stale=ensure_withholding(eng))
    if not auto_demo() or not queries.store_is_empty(eng):
        return
    from ecm.demo.build import build_demo

    with st.status("First start: building the fictional demo data…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        # The demo's accounts (a printed password) only on one person's own SQLite file: a
        # shared server store gets its accounts from `python -m ecm users add`.
        summary = build_demo(
            eng, scale="small", progress=progress, accounts=eng.dialect.name == "sqlite"
        )
        status.update(
            label=f"Fictional demo data ready: {summary.schools:,} schools in {summary.las} "
            "local authorities",
            state="complete",
            expanded=False,
        )
    st.cache_data.clear()


#: How long a process trusts the store's version it last read, in seconds: a change made
#: through another process is shown here within this (plus the page's next run).
VERSION_CHECK_S = 2.0


@st.cache_resource(show_spinner=False)
def _seen_version(url: str) -> dict[str, float]:
    """This process's memory of the store's version and when it last read it."""
    return {"version": -1, "read_at": float("-inf")}


_VERSION_LOCK = threading.Lock()
#: The store's version this run began with: a key of every cached read, so that a read made
#: before a change is never served to a run that began after it.
_RUN_VERSION: ContextVar[int] = ContextVar("ecm_run_version", default=-1)


def run_version() -> int:
    """The store's version this run reads as of (-1 outside a page run); part of every cached
    read's key."""
    return _RUN_VERSION.get()


def follow_store_changes() -> None:
    """Before a page runs: when another process (or the command line) has changed the store
    since this process last looked (``ecm.store.changes``), forget every cached read, so no
    page here shows figures or a plan older than the store's. Reads the version at most once
    every ``VERSION_CHECK_S`` seconds per process, whatever the number of sessions, and keys
    this run's cached reads by it."""
    from ecm.store.changes import store_version

    seen = _seen_version(database_url())
    now = time.monotonic()
    with _VERSION_LOCK:
        if now - seen["read_at"] >= VERSION_CHECK_S:
            version = store_version(engine())
            changed = seen["version"] not in (-1, version)
            seen.update(version=version, read_at=now)
        else:
            changed = False
        _RUN_VERSION.set(int(seen["version"]))
    if changed:
        st.cache_data.clear()


def forget_cached_reads() -> None:
    """After this process changed the store (an import, an undo, a plan edit or import):
    forget every cached read, and read the store's version afresh before the next run."""
    with _VERSION_LOCK:
        _seen_version(database_url())["read_at"] = float("-inf")
    st.cache_data.clear()


def rerun_if_store_changed() -> None:
    """After a page has run: when the store changed while it ran (an import or plan change
    committed between two of its reads, or before a version this process read up to
    ``VERSION_CHECK_S`` ago), run it again as of the new version, so the page left on screen
    never mixes figures from before and after a change. One lookup per run, never cached."""
    from ecm.store.changes import store_version

    began = _RUN_VERSION.get()
    if began < 0:
        return
    version = store_version(engine())
    if version == began:
        return
    with _VERSION_LOCK:
        _seen_version(database_url()).update(version=version, read_at=time.monotonic())
    st.cache_data.clear()
    st.rerun()


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _load(url: str, version: int, name: str, *args: object) -> object:
    """Run ``queries.<name>`` on the store at ``url`` (as of ``version``: see
    :func:`run_version`); the name is part of the cache key."""
    return getattr(queries, name)(engine_for(url), *args)


def _cached(name: str) -> Callable[..., Any]:
    """A cached version of the ``queries`` function ``name`` that needs no engine."""

    def call(*args: object) -> Any:  # noqa: ANN401 (what the query returns)
        return _load(database_url(), run_version(), name, *args)

    call.__name__ = name
    call.__doc__ = getattr(queries, name).__doc__
    return call


load_outcomes = _cached("load_outcomes")


load_indicators = _cached("load_indicators")


load_pupil_groups = _cached("load_pupil_groups")


load_regions = _cached("load_regions")


load_local_authorities = _cached("load_local_authorities")


load_schools = _cached("load_schools")


load_import_batches = _cached("load_import_batches")


count_observations = _cached("count_observations")


load_coverage = _cached("load_coverage")


load_reconciliation = _cached("load_reconciliation")


load_register_coverage = _cached("load_register_coverage")


load_school_summary = _cached("school_summary")


load_la_summary = _cached("la_summary")


load_region_summary = _cached("region_summary")


def holds_fictional_data() -> bool:
    """Whether the store holds the fictional demo (its pages open on demo indicators)."""
    return queries.holds_fictional_data(engine())
