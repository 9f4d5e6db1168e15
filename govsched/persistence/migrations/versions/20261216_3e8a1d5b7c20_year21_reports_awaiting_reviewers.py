"""When each report got its first reviewers, with an index of the reports still without any
(issue 21).

The reporting cycle asks, each time it wakes, whether a report waits for reviewers. Asked as a
NOT IN over the year's reviews, the answer read every report and review of the year, so each
wake cost more as the membership grew; the index holds only the reports still waiting.

Revision ID: 3e8a1d5b7c20
Revises: 7c1f0e9a2b64
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govsched.persistence.base

revision: str = '3e8a1d5b7c20'
down_revision: str | None = '7c1f0e9a2b64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING = sa.text('reviewers_assigned_at IS NULL')


def upgrade() -> None:
    op.add_column('reports', sa.Column('reviewers_assigned_at', govsched.persistence.base.UTCDateTime(timezone=True), nullable=True))
    # reports already reviewed: the instant their first reviewer was assigned
    op.execute(
        'UPDATE reports SET reviewers_assigned_at = ('
        'SELECT MIN(reviews.assigned_at) FROM reviews '
        'WHERE reviews.year = reports.year AND reviews.report_of = reports.member_id)'
    )
    op.create_index(
        'ix_reports_awaiting_reviewers',
        'reports',
        ['year', 'member_id'],
        unique=False,
        sqlite_where=_WAITING,
        postgresql_where=_WAITING,
    )


def downgrade() -> None:
    op.drop_index(
        'ix_reports_awaiting_reviewers',
        table_name='reports',
        sqlite_where=_WAITING,
        postgresql_where=_WAITING,
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('reviewers_assigned_at')
