"""Submitted reviews whose feedback is still to go, indexed (issue 11, load).

Each review submission asks for the first of them; the primary key alone made that a walk past
every review whose feedback was already sent, which grew with the year's reviews.

Revision ID: 7c2e9a4f1d63
Revises: 0d41c7a9e5b3
Create Date: 2026-12-05 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c2e9a4f1d63'
down_revision: str | None = '0d41c7a9e5b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING = sa.text('submitted_at IS NOT NULL AND feedback_at IS NULL')


def upgrade() -> None:
    op.create_index(
        'ix_reviews_feedback_waiting',
        'reviews',
        ['year', 'report_of', 'reviewer'],
        unique=False,
        sqlite_where=_WAITING,
        postgresql_where=_WAITING,
    )


def downgrade() -> None:
    op.drop_index('ix_reviews_feedback_waiting', table_name='reviews')
