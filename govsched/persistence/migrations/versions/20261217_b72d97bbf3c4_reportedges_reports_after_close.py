"""Whether a report was received after its cycle closed with its plenary.

Such a report is kept and shown, but the cycle still counts as missed: it does not end a row of
missed cycles (ARCHITECTURE.md, "The reporting cycle"). Reports stored before were all taken as
ordinary late ones, and stay so.

Revision ID: b72d97bbf3c4
Revises: 3e8a1d5b7c20
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b72d97bbf3c4'
down_revision: str | None = '3e8a1d5b7c20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE both ways (SQLite has taken ADD and DROP COLUMN since 3.35): a batch copy
# of the table would have to carry `ix_reports_awaiting_reviewers`, a partial index, over.


def upgrade() -> None:
    op.add_column(
        'reports',
        sa.Column('after_close', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column('reports', 'after_close')
