"""Alembic environment: migrations run on the project's own engine settings."""

from __future__ import annotations

import warnings

from alembic import context

import govsched.persistence.tables  # noqa: F401  (registers every table on the metadata)
from govsched.persistence.base import Base
from govsched.persistence.db import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("alembic needs sqlalchemy.url (use govsched.persistence.migrate)")

# SQLite's reflection cannot read an index on an expression, so autogenerate cannot compare
# `ix_people_email_lower` there and says so at every check; PostgreSQL compares it, and
# tests/persistence/test_registry_repo.py shows both databases answer from it.
for unreadable in (
    r"Skipped unsupported reflection of expression-based index ix_people_email_lower",
    r"autogenerate skipping metadata-specified expression-based index 'ix_people_email_lower'",
):
    warnings.filterwarnings("ignore", message=unreadable)

engine = make_engine(url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
