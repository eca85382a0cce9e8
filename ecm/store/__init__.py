"""The store: where every figure, place, plan and import batch is kept.

Owns the SQLAlchemy models (:mod:`ecm.store.models`), the Alembic migrations that build and
upgrade the schema (``migrations/``), and engines, sessions and bulk writes
(:mod:`ecm.store.engine`). It imports only :mod:`ecm.config` and :mod:`ecm.errors`; a write of
figures marks the stored disclosure decisions as not current, and the disclosure layer above
takes them again. Nothing above it (disclosure, figures, analyses, views, pages) is imported
here.
"""
