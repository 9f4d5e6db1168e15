"""The database: typed SQLAlchemy 2 tables, Alembic migrations and repositories.

Repositories take a Session and return governance value objects; nothing above this package
writes SQL.
"""
