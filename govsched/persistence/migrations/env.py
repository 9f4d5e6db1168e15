"""Alembic environment: migrations run on the project's own engine settings."""

from __future__ import annotations

from alembic import context

import govsched.persistence.tables  # noqa: F401  (registers every table on the metadata)
from govsched.persistence.base import Base
from govsched.persistence.db import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("alembic needs sqlalchemy.url (use govsched.persistence.migrate)")

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
