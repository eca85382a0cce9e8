"""The store: where every figure, place, plan and import batch is kept.

Owns the SQLAlchemy models (:mod:`ecm.store.models`), the Alembic migrations that build and
upgrade the schema (``migrations/``), and engines, sessions and bulk writes
(:mod:`ecm.store.engine`). It may import :mod:`ecm.config`, :mod:`ecm.errors` and the
disclosure decisions it refreshes after a load; nothing above it (figures, analyses, views,
pages) is imported here.
"""
